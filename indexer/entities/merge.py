"""Step 5, merging: one group per entity (persons, organisations, places, outlets), then the registry.

`merge` runs the steps below in order, each a short function over one doc's `Merging` (the
candidates and the groups they are sorted into): candidates keyed; labels fixed from the article's
context, its persons and a vote per name; catalogue outlets marked; the registry's labels; outlets,
persons, then organisations and places grouped; role references ("the Ayatollah") attached; one entity
per group; the registry applied; the mentions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..contract import Mention
from ..model import Entity
from ..names import CORPORATE_SUFFIXES, clean_surface, display_name, name_key
from .candidate import Cand, Group, set_key
from .context import EntityContext
from .judge import NamePrior
from .lexicon import ORG_HEADS
from .name_match import (
    SHORT_FORM_HEADS,
    abbreviates,
    acronym_of,
    clipped_form,
    contiguous,
    has_suffix,
    is_firm,
    looks_like_arabic_person,
    subsequence,
)
from .relabel import lone_single_name, places_named_as_orgs, sports_clubs, sports_teams
from .text_outlets import distinct_outlet_name, outlet_display
from .titles import role_references

OUTLET_SOURCES = ("outlet", "generic_outlet")

NameHead = tuple[tuple[str, ...], int, str]  # an organisation's or place's group: (name key tokens, group, text)
# one-word heads that stand for a fuller name of the article ("Congress" for "US Congress")
QUALIFIED_HEADS = frozenset(
    "house congress parliament senate assembly cabinet navy army commission council ministry department police".split())
NO_ONE_WORD_SHORT_FORM = ORG_HEADS | QUALIFIED_HEADS  # heads are no firm's or club's first or last word
PLACE_SHARE = 0.6  # a qualifier the name prior labels a place or nationality this often ...
PLACE_SEEN = 0.2  # ... in at least this share of its 50-article cap (10 articles)


@dataclass
class Merging:
    """One doc's merge: its candidates, and the groups (entities to be) they are sorted into."""

    ctx: EntityContext
    doc: Doc
    cands: list[Cand]
    groups: list[Group] = field(default_factory=list)

    def new_group(self, label: str, **kw) -> int:
        self.groups.append(Group(label, **kw))
        return len(self.groups) - 1

    def join(self, c: Cand, group: int) -> None:
        c.group = group
        self.groups[group].cands.append(c)


# -- 5. merging -------------------------------------------------------------------------------
def merge(ctx: EntityContext, doc: Doc, cands: list[Cand], sports: bool = False) -> tuple[list[Entity], list[Mention]]:
    """One group per entity, then the registry: the entities, and their mentions sorted by position."""
    m = Merging(ctx, doc, keyed(cands))
    split_trailing_places(m)
    relabel_in_context(m, sports)
    relabel_by_persons(m)
    vote_labels(m)
    mark_catalogue_outlets(m)
    curated_organisations_are_no_persons(m)
    apply_registry_labels(m)
    group_outlets(m)
    rest = [c for c in m.cands if c.group < 0]
    group_persons(m, [c for c in rest if c.label == "PERSON"])
    for label in ("ORG", "LOC"):
        group_names(m, label, [c for c in rest if c.label == label])
    role_refs = role_references(doc, m.groups, m.cands)  # "the Ayatollah", "the Supreme Leader"
    entities, entity_of_group = build_entities(m)
    attach_role_references(m, role_refs, entity_of_group)
    entities, final_of = apply_registry(m, entities, entity_of_group)
    return entities, mentions_of(m, final_of)


# -- labels -----------------------------------------------------------------------------------
def keyed(cands: list[Cand]) -> list[Cand]:
    """The candidates with a name key (outlets even without one), their keys set."""
    for c in cands:
        if not c.key:
            set_key(c)
    return [c for c in cands if c.key or c.source in OUTLET_SOURCES]


def split_trailing_places(m: Merging) -> None:
    """ "Lawson told Funaro Brazil had ...": a person span ending in a place named elsewhere loses the place
    (only when its other words name persons elsewhere too: "Steve Salisbury" stays whole)."""
    doc = m.doc
    loc_keys = {c.key for c in m.cands if c.label == "LOC" and c.trusted}
    person_tok_n = Counter(t for c in m.cands if c.label == "PERSON" for t in c.ktoks)
    extra = []
    for c in m.cands:
        if c.label == "PERSON" and c.source == "ner" and len(c.ktoks) >= 2 and c.end - c.start >= 2:
            tail = doc[c.end - 1].lower_
            if tail in loc_keys and all(person_tok_n[t] >= 2 for t in c.ktoks[:-1]):
                extra.append(Cand(c.end - 1, c.end, "LOC", "ner", text=doc[c.end - 1].text, trusted=c.trusted))
                c.end -= 1
                c.text = clean_surface(doc[c.start : c.end].text)
                set_key(c)
                set_key(extra[-1])
    if extra:
        m.cands = sorted(m.cands + extra, key=lambda c: c.start)


def relabel_in_context(m: Merging, sports: bool) -> None:
    """Sports clubs and teams (in a sports report), places tagged as organisations."""
    if sports:
        sports_clubs(m.doc, m.cands)
        sports_teams(m.doc, m.cands)
    places_named_as_orgs(m.doc, m.cands, m.ctx.registry.labels)


@dataclass(frozen=True)
class PersonEvidence:
    """What the article's persons say about its other names."""

    surnames: set[str]  # last words of multi-word persons
    full_names: set[str]  # keys of multi-word persons
    single_names: set[str]  # one-word persons
    firm_first_words: set[str]  # first words of firms ("Altria" of "Altria Group"), not surnames


def person_evidence(cands: list[Cand]) -> PersonEvidence:
    persons = [c for c in cands if c.label == "PERSON"]
    surnames = {c.ktoks[-1] for c in persons if len(c.ktoks) > 1}
    return PersonEvidence(
        surnames=surnames,
        full_names={c.key for c in persons if len(c.ktoks) > 1},
        single_names={c.ktoks[0] for c in persons if len(c.ktoks) == 1},
        firm_first_words={c.ktoks[0] for c in cands if c.label == "ORG" and len(c.ktoks) > 1 and is_firm(c.text)} - surnames,
    )


def relabel_by_persons(m: Merging) -> None:
    """Names that are the article's persons ("Bloomberg", "Khamenei" tagged ORG), and one-word "persons"
    that start a firm's name ("Altria")."""
    evidence = person_evidence(m.cands)
    for c in m.cands:
        relabel_by_person_evidence(c, evidence)


def relabel_by_person_evidence(c: Cand, evidence: PersonEvidence) -> None:
    if c.source == "outlet" and len(c.ktoks) == 1 and c.ktoks[0] in evidence.surnames:
        c.source, c.kind, c.outlet, c.label = "ner", None, None, "PERSON"  # an outlet word that is a surname here
    elif c.label != "PERSON" and c.source in ("ner", "known") and not has_suffix(c.text) and (
        (len(c.ktoks) == 1 and c.ktoks[0] in evidence.surnames) or c.key in evidence.full_names
    ):
        c.label = "PERSON"  # "Khamenei" tagged ORG; "Saleh Al Arouri" tagged ORG
    elif c.label == "PERSON" and c.source == "ner" and len(c.ktoks) == 1 and c.ktoks[0] in evidence.firm_first_words:
        c.label = "ORG"  # "Altria" beside "Altria Group"
    elif c.label == "ORG" and c.source == "ner" and looks_like_arabic_person(c.text):
        c.label = "PERSON"
    elif (
        c.label in ("ORG", "LOC")
        and c.source == "ner"
        and 2 <= len(c.ktoks) <= 4
        and c.ktoks[-1] in evidence.single_names
        and not any(t in ORG_HEADS for t in c.ktoks)
    ):
        c.label = "PERSON"  # "Jean-Claude Juncker" tagged ORG, "Juncker" tagged PERSON


def vote_labels(m: Merging) -> None:
    """One label per name key, by vote (trusted mentions count double; outlets stay ORG)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in m.cands:
        if c.source not in OUTLET_SOURCES:
            # a corporate suffix settles it: "Tony Lama Co Inc" makes "Tony Lama" a company
            firm = c.label == "ORG" and has_suffix(c.text) and len(c.ktoks) > 0
            votes[c.key][c.label] += 100 if firm else 2 if c.trusted else 1
    for c in m.cands:
        if c.source not in OUTLET_SOURCES and len(votes[c.key]) > 1:
            c.label = winning_label(votes[c.key], several_words=len(c.ktoks) > 1)


def winning_label(votes: Counter, *, several_words: bool) -> str:
    """The most voted label; a tie goes to a person for a multi-word name, to a place for one word ("a
    judge in Honolulu"), then to an organisation."""
    preferred = "PERSON" if several_words else "LOC"
    return max(votes.items(), key=lambda kv: (kv[1], kv[0] == preferred, kv[0] == "ORG"))[0]


def mark_catalogue_outlets(m: Merging) -> None:
    """NER organisations that are catalogue outlets ("Fox News" in "Fox News Sunday host ...")."""
    for c in m.cands:
        if c.label == "ORG" and c.source in ("ner", "orghead", "known") and c.kind is None and c.text:
            outlet = m.ctx.catalog.by_name(c.text)
            words = c.text.split()
            if outlet is not None and not outlet.ambiguous and (
                len(words) > 1
                or outlet.name in (c.text, "The " + c.text)
                or (c.text.isupper() and len(c.text) >= 3)
            ):
                c.source, c.kind, c.outlet = "outlet", "outlet", outlet.name


def curated_organisations_are_no_persons(m: Merging) -> None:
    """A curated organisation name of several words taken for a person is the organisation ("Jabhat
    al-Nusra"); a place or a work keeps the recogniser's label (the registry has the last word)."""
    for c in m.cands:
        if c.label == "PERSON" and c.source not in OUTLET_SOURCES and c.key in m.ctx.curated_org_keys:
            c.label = "ORG"


def apply_registry_labels(m: Merging) -> None:
    """The registry's label corrections, before grouping."""
    for c in m.cands:
        if c.source not in OUTLET_SOURCES:
            c.label = m.ctx.registry.labels.get(c.key, c.label)


# -- groups -----------------------------------------------------------------------------------
def group_outlets(m: Merging) -> None:
    """Outlets by canonical outlet name (a distinct channel or title apart), generic outlets by key."""
    outlet_groups: dict[str, int] = {}
    for c in m.cands:
        if c.source in OUTLET_SOURCES or c.kind == "outlet":
            gkey = outlet_group_key(c)
            if gkey not in outlet_groups:
                outlet_groups[gkey] = m.new_group("ORG", kind=c.kind or "outlet", outlet=c.outlet)
            m.join(c, outlet_groups[gkey])


def outlet_group_key(c: Cand) -> str:
    gkey = c.outlet or ("generic:" + c.key)
    if c.outlet:
        distinct = distinct_outlet_name(c.outlet, c.text)
        if distinct:
            gkey += "|" + distinct  # "BBC One" and "BBC" in one article: two outlets
    return gkey


def group_persons(m: Merging, persons: list[Cand]) -> None:
    """Fullest names first; a shorter name attaches to the fuller name that contains it."""
    heads: list[tuple[tuple[str, ...], int]] = []  # (ktoks, group)
    for c in sorted(persons, key=lambda c: (-len(c.ktoks), c.start)):
        m.join(c, person_group(m, c, heads))


def person_group(m: Merging, c: Cand, heads: list[tuple[tuple[str, ...], int]]) -> int:
    """The group of a person's name: the same name's, the one fuller name's containing it, or a new one."""
    exact = [g for kt, g in heads if kt == c.ktoks]
    if exact:
        return exact[0]
    containing = sorted({g for kt, g in heads if len(kt) > len(c.ktoks) and subsequence(c.ktoks, kt)})
    if len(containing) == 1:
        return containing[0]
    if containing:
        return nearest_preceding(m, c, containing)
    group = m.new_group("PERSON")
    heads.append((c.ktoks, group))
    return group


def nearest_preceding(m: Merging, c: Cand, groups: list[int]) -> int:
    """Of several groups ("Ismail" with two Ismails), the one mentioned last before ``c``."""
    best, best_pos = groups[0], -1
    for g in groups:
        before = [x.start for x in m.groups[g].cands if x.start < c.start]
        pos = max(before) if before else -1
        if pos > best_pos:
            best, best_pos = g, pos
    return best


def group_names(m: Merging, label: str, names: list[Cand]) -> None:
    """Organisations or places, fullest names first: exact keys, contained names, short forms, acronyms."""
    heads: list[NameHead] = []
    places = PlaceWords(m.ctx.prior, frozenset(c.key for c in m.cands if c.label == "LOC")) if label == "ORG" else None
    for c in sorted(names, key=lambda c: (-len(c.ktoks), c.start)):
        target = name_group(c, label, heads)
        if target is None and places is not None and len(c.ktoks) == 1 and c.ktoks[0] in QUALIFIED_HEADS:
            target = qualified_short_form(c, heads, places)
        if target is None:
            target = m.new_group(label)
            heads.append((c.ktoks, target, c.text))
        m.join(c, target)


def name_group(c: Cand, label: str, heads: list[NameHead]) -> int | None:
    """The group an organisation's or place's name belongs to, if any of ``heads`` is it."""
    target = same_name(c, label, heads)
    if target is None and label == "ORG" and len(c.ktoks) == 1 and c.ktoks[0] not in NO_ONE_WORD_SHORT_FORM:
        target = one_word_short_form(c, heads)
    if target is None and label == "ORG" and len(c.ktoks) >= 2:
        target = clipped_short_form(c, heads)
    if target is None and label == "ORG":
        target = contained_or_acronym(c, heads)
    return target


def same_name(c: Cand, label: str, heads: list[NameHead]) -> int | None:
    compact = "".join(c.ktoks)
    for kt, g, _ in heads:
        if kt == c.ktoks or (label == "ORG" and "".join(kt) == compact):
            return g  # "TimeWarner" == "Time Warner"
    return None


def one_word_short_form(c: Cand, heads: list[NameHead]) -> int | None:
    """ "Moody's" of "Moody's Investors Service Inc" (a firm's first word), "the Ospreys" of
    "Neath-Swansea Ospreys" (the last word of what is no firm): when one name only fits."""
    word = c.ktoks[0]
    firms = [
        g for kt, g, text in heads
        if len(kt) > 1 and kt[0] == word and (is_firm(text) or (len(kt) == 2 and kt[1] in SHORT_FORM_HEADS))
    ]
    if len(set(firms)) == 1:
        return firms[0]
    tails = [
        g for kt, g, text in heads
        if len(kt) > 1 and kt[-1] == word and not is_firm(text) and word not in CORPORATE_SUFFIXES
    ]
    return tails[0] if len(set(tails)) == 1 else None


@dataclass(frozen=True)
class PlaceWords:
    """Whether a name's qualifier is a place or a nationality ("US", "European", "Scottish"): a place of
    the article, or a name the stock recogniser mostly labels a place or nationality across the research
    corpora (the name prior)."""

    prior: NamePrior | None
    article_places: frozenset[str]

    def __contains__(self, words: tuple[str, ...]) -> bool:
        phrase = " ".join(words)
        if phrase in self.article_places:
            return True
        shares = self.prior.shares(phrase) if self.prior else None
        return bool(shares) and shares["PLACE"] + shares["NORP"] >= PLACE_SHARE and shares["seen"] >= PLACE_SEEN


def qualified_short_form(c: Cand, heads: list[NameHead], places: PlaceWords) -> int | None:
    """ "Congress" of "US Congress", "Parliament" of "European Parliament", "House" of "House of
    Representatives": a lone head word is the one fuller name of the article that is that head qualified
    by a place or nationality, or that head "of" something ("White House" is no place's House). Only
    the heads of legislatures and public bodies, which news writes alone once named ("the University"
    beside "Harvard University" and "University of Oxford" is left alone)."""
    word = c.ktoks[0]
    fits = {g for kt, g, _ in heads if len(kt) > 1 and (
        (kt[-1] == word and kt[:-1] in places) or (len(kt) > 2 and kt[0] == word and kt[1] == "of"))}
    return fits.pop() if len(fits) == 1 else None


def clipped_short_form(c: Cand, heads: list[NameHead]) -> int | None:
    """ "Lib Dems" of "Liberal Democrats", when one name only fits."""
    clipped = [g for kt, g, _ in heads if clipped_form(c.ktoks, kt)]
    return clipped[0] if len(set(clipped)) == 1 else None


def contained_or_acronym(c: Cand, heads: list[NameHead]) -> int | None:
    """The first fuller name that contains this one word for word (a firm is not merged into its unit:
    "Allied-Signal Inc", "Allied-Signal Aerospace Co"), or that a one-word acronym abbreviates."""
    for kt, g, text in heads:
        if len(c.ktoks) >= 2 and contiguous(c.ktoks, kt) and not (has_suffix(c.text) and has_suffix(text)):
            return g
        if len(c.ktoks) == 1 and acronym_of(c.text) and abbreviates(acronym_of(c.text), text):
            return g
    return None


# -- entities and mentions --------------------------------------------------------------------
def build_entities(m: Merging) -> tuple[list[Entity], dict[int, Entity]]:
    """One entity per group, in order of first mention (lone one-word persons and nameless groups
    dropped), and the entity of each group."""
    entities: list[Entity] = []
    entity_of_group: dict[int, Entity] = {}
    first = {g: min((c.start for c in grp.cands), default=10**9) for g, grp in enumerate(m.groups)}
    for g in sorted(range(len(m.groups)), key=first.__getitem__):
        grp = m.groups[g]
        if not grp.cands or (grp.label == "PERSON" and lone_single_name(m.doc, grp)):
            continue
        ent = entity_of(grp)
        if ent is not None:
            entity_of_group[g] = ent
            entities.append(ent)
    return entities, entity_of_group


def attach_role_references(m: Merging, role_refs: list[tuple[Cand, int]], entity_of_group: dict[int, Entity]) -> None:
    """Each role reference joins its person, and counts as a mention."""
    for c, g in role_refs:
        if g in entity_of_group:
            m.join(c, g)
            entity_of_group[g].mentions += 1


def apply_registry(m: Merging, entities: list[Entity],
                   entity_of_group: dict[int, Entity]) -> tuple[list[Entity], dict[int, Entity | None]]:
    """The registry's merges, renames and drops: the final entities, and the final entity of each group."""
    if not m.ctx.registry:
        return entities, dict(entity_of_group)
    entities, mapping = m.ctx.registry.apply_to_entities(entities)
    return entities, {g: mapping.get(id(ent)) for g, ent in entity_of_group.items()}


def mentions_of(m: Merging, final_of: dict[int, Entity | None]) -> list[Mention]:
    """Every candidate of a group that made an entity, as a mention of it, sorted by position."""
    mentions = [Mention(c.start, c.end, ent) for g, grp in enumerate(m.groups)
                if (ent := final_of.get(g)) is not None for c in grp.cands]
    mentions.sort(key=lambda x: (x.start, x.end))
    return mentions


def entity_of(grp: Group) -> Entity | None:
    """The entity of a group: its fullest, best capitalised name, aliases and role (None: no name)."""
    cands = grp.cands
    if grp.kind in ("outlet",) and grp.outlet:
        name = outlet_display(grp.outlet, cands)
        key = name_key(name)
    else:
        trusted = [c for c in cands if c.trusted] or cands
        counts = Counter(c.key for c in trusted)
        best = max(
            trusted,
            # fullest name; then proper capitalisation ("Republican Party" over "Republican party"),
            # then the most frequent form, then the first
            key=lambda c: (len(c.ktoks), sum(w[:1].isupper() for w in c.text.split()), counts[c.key], -c.start),
        )
        name = display_name(best.text, person=grp.label == "PERSON")
        if grp.kind == "generic_outlet":
            name = best.text
        key = name_key(name, person=grp.label == "PERSON")
    if not name:
        return None
    aliases: list[str] = []
    for c in cands:
        if c.source == "rolref":
            continue
        for raw in (c.surface, c.text):
            surface = display_name(raw, person=grp.label == "PERSON") if raw else ""
            if surface and surface != name and surface not in aliases:
                aliases.append(surface)
    roles = [c.role for c in cands if c.role]
    role = max(roles, key=lambda r: (len(r.split()), -roles.index(r))) if roles else None
    return Entity(
        name=name,
        label=grp.label,  # type: ignore[arg-type]
        mentions=len(cands),
        aliases=aliases,
        key=key,
        kind=grp.kind,
        role=role,
    )
