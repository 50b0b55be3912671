"""Cross-document resolution: the article-level entities of a whole corpus -> one cluster per entity.

Input: one `Surface` per (label, name key) seen in the corpus, with its article count, the forms it was
written in and the roles seen with it. `resolve_corpus` is a pure function of that multiset (and of the
`Knowledge`), so the result does not depend on the order articles came in. Steps, in order, each a
plain function over a `_Context`:

1. knowledge: drops, label fixes, the registry's merges, curated alternate names and outlets;
2. word-order variants of organisations ("Justice Department" / "Department of Justice");
3. person variants within a family (same surname and Jr./Sr. class): given names equal or nicknames,
   middle names that don't contradict ("Donald J. Trump" / "Donald Trump" / "Donald John Trump", never
   "George W. Bush" / "George H. W. Bush"); a name without middle names joins a middle-name variant only
   when that variant dominates;
4. names cut short ("Marine Le", "Judiciary Committee") join the dominant longer name written beside
   them, and a one-word organisation ("Congress", "Labour") the fuller name articles wrote it as
   ("US Congress", "Labour Party") when one such name dominates that evidence;
5. lone surnames ("Obama", "Mr. Trump") join the dominant full name with that surname; one-word
   organisations or places that are a well-known person's surname join that person, and one-word
   organisations that the corpus far more often names as a place ("Crimea") join the place;
6. acronyms ("UN", "F.B.I.") join the dominant organisation they abbreviate: one whose articles wrote
   the acronym beside it, or whose initials they are;
7. the user's splits (`presswatch entities split`) are applied last.

**Dominance**: a partial name or acronym joins a candidate only when that candidate holds at least
`dominance` (default 0.8) of the articles of all candidates; otherwise it stays its own entity
("Bush" with George W., George H. W. and Jeb Bush in the corpus). The display name of a cluster is the
registry's or curated canonical name, else its most common full form without titles, and without
middle initials unless a same-named person needs them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import AMBIGUOUS_KIND, MISC_KIND
from ..names import CORPORATE_SUFFIXES, NAME_PARTICLES, SHORT_FORM_HEADS, display_name, name_key
from .knowledge import Canonical, Knowledge
from .org import FUNCTION_WORDS, acronym_of, initialisms, word_set
from .person import (NUMERAL_SUFFIXES, PersonName, display_form, known_given_name, may_be_same, parse_person,
                     same_given_name)

DOMINANCE = 0.8
# heads of organisation names written both ways: "X Department" / "Department of X"
OF_HEADS = frozenset("department ministry office bureau agency committee commission council court".split())
MIN_INITIALS_ARTICLES = 2  # a name must be seen this often before an acronym joins it on its initials alone
MIN_AMBIGUOUS_COVERAGE = 0.2  # a short name is ambiguous only when that evidence covers this share of it
MIN_EVIDENCE_ARTICLES = 2  # a fuller name written with a short one in fewer articles is not counted
MIN_BESIDE_ARTICLES = 3  # a one-word name must be written as part of a fuller one this often to join it
MIN_PLACE_ARTICLES = 5  # a place must be this well known before an "organisation" of its name joins it
MIN_PERSON_ARTICLES = 3  # a person must be this well known before other readings of the surname join it


def surface_ref(label: str, key: str) -> str:
    return f"{label}|{key}"


def entity_id(label: str, name: str) -> str:
    """A stable id from the label and the canonical name's key."""
    return hashlib.sha1(f"{label}|{name_key(name, person=label == 'PERSON')}".encode()).hexdigest()[:16]


@dataclass
class Surface:
    """One (label, name key) of the corpus and what the articles say about it."""

    label: str
    key: str
    articles: int = 0
    forms: Counter = field(default_factory=Counter)  # written form -> articles
    roles: Counter = field(default_factory=Counter)
    kind: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def ref(self) -> str:
        return surface_ref(self.label, self.key)

    def lookup_keys(self) -> tuple[str, ...]:
        """The keys the registry and curated names are looked up by: its own, its written form's, and for
        an organisation or place the form's without leading lower-case words ("another Justice
        Department" -> "justice department")."""
        form = self.best_form()
        keys = [self.key, name_key(form)]
        if self.label != "PERSON":
            words = form.split()
            while len(words) > 1 and words[0].islower() and words[0] not in NAME_PARTICLES:
                words.pop(0)
            keys.append(name_key(" ".join(words)))
        return tuple(dict.fromkeys(k for k in keys if k))

    def best_form(self) -> str:
        if not self.forms:
            return self.key
        own = [(n, f) for f, n in self.forms.items() if name_key(f) == self.key] or \
              [(n, f) for f, n in self.forms.items()]
        return max(own, key=lambda item: (item[0], -len(item[1]), item[1]))[1]


@dataclass
class Cluster:
    """One real-world entity: the facet value and id of all its surfaces."""

    id: str
    name: str
    label: str
    refs: list[str]
    articles: int
    forms: Counter
    roles: Counter
    kind: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass
class Resolution:
    clusters: dict[str, Cluster]  # id -> cluster
    by_ref: dict[str, str]  # surface ref -> cluster id
    dropped: set[str]  # surface refs that are no entity


class _Groups:
    """Union-find over surface refs (and anchor names), keeping each group's articles and members."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.articles: dict[str, int] = {}
        self.members: dict[str, list[str]] = {}

    def add(self, x: str, articles: int = 0) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.articles[x] = articles
            self.members[x] = [x]

    def find(self, x: str) -> str:
        self.add(x)
        parent = self.parent[x]
        while parent != x:
            grand = self.parent[parent]
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def weight(self, x: str) -> int:
        """Articles of the group `x` is in."""
        return self.articles[self.find(x)]

    def group(self, x: str) -> list[str]:
        return self.members[self.find(x)]

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.articles[keep] += self.articles.pop(gone)
        self.members[keep] += self.members.pop(gone)


@dataclass
class _Context:
    surfaces: dict[str, Surface]
    knowledge: Knowledge
    dominance: float
    groups: _Groups = field(default_factory=_Groups)
    labels: dict[str, str] = field(default_factory=dict)  # ref -> label after knowledge
    canon: dict[str, Canonical] = field(default_factory=dict)  # anchor -> canonical
    dropped: set[str] = field(default_factory=set)
    people: dict[str, PersonName] = field(default_factory=dict)  # ref -> parsed name
    keep_initials: set[str] = field(default_factory=set)  # refs whose display keeps middle initials
    full_roots: set[str] = field(default_factory=set)  # groups with a person's full name
    spelled_roots: set[str] = field(default_factory=set)  # groups with an organisation's spelled-out name
    short_forms: set[str] = field(default_factory=set)  # one-word organisations joined to a fuller name
    short_keys: dict[str, set[str]] = field(default_factory=dict)  # group -> the keys of those, for display
    ambiguous: set[str] = field(default_factory=set)  # short organisations written as several fuller ones

    def live(self, label: str) -> Iterable[Surface]:
        return (s for ref, s in self.surfaces.items() if ref not in self.dropped and self.labels[ref] == label)

    def alone(self, ref: str) -> bool:
        """Not yet joined to anything: partial evidence may attach it, never glue two groups together."""
        return len(self.groups.group(ref)) == 1

    def people_in(self, ref: str) -> list[PersonName]:
        return [self.people[r] for r in self.groups.group(ref) if r in self.people]

    def anchored_roots(self) -> set[str]:
        return {self.groups.find(a) for a in self.canon}


def resolve_corpus(surfaces: Iterable[Surface], knowledge: Knowledge, *, dominance: float = DOMINANCE) -> Resolution:
    ctx = _Context({s.ref: s for s in sorted(surfaces, key=lambda s: s.ref)}, knowledge, dominance)
    for ref, surface in ctx.surfaces.items():
        ctx.groups.add(ref, surface.articles)
    apply_knowledge(ctx)
    join_word_orders(ctx)
    join_person_variants(ctx)
    join_truncated_names(ctx)
    join_short_forms_written_beside(ctx)
    join_lone_surnames(ctx)
    join_people_taken_for_organisations(ctx)
    join_places_taken_for_organisations(ctx)
    join_acronyms(ctx)
    return build_clusters(ctx)


# -- steps ------------------------------------------------------------------------------------------
def apply_knowledge(ctx: _Context) -> None:
    for ref, surface in ctx.surfaces.items():
        keys = surface.lookup_keys()
        label = ctx.knowledge.label_for(surface.label, *keys)
        if ctx.knowledge.dropped(label, *keys):
            ctx.dropped.add(ref)
            ctx.labels[ref] = label
            continue
        canonical = ctx.knowledge.canonical_for(label, *keys)
        if canonical is not None:
            label = canonical.label or label
            anchor = "=" + surface_ref(label, name_key(canonical.name))
            ctx.canon[anchor] = canonical
            ctx.groups.union(anchor, ref)
        ctx.labels[ref] = label


def join_word_orders(ctx: _Context) -> None:
    """"Justice Department" / "Department of Justice": the same words around a head that takes "of"."""
    by_words: dict[frozenset, list[str]] = defaultdict(list)
    for surface in ctx.live("ORG"):
        words = word_set(surface.key)
        if acronym_of(surface.best_form()) is None and words and words & OF_HEADS:
            by_words[words].append(surface.ref)
    for refs in by_words.values():
        for ref in refs[1:]:
            ctx.groups.union(refs[0], ref)


def join_person_variants(ctx: _Context) -> None:
    for surface in ctx.live("PERSON"):
        ctx.people[surface.ref] = parse_person(surface.best_form())
    generational = {(p.first, p.last) for p in ctx.people.values() if p.is_full and p.suffix}
    families: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref, person in ctx.people.items():
        if person.is_full:
            if person.numeral and (person.first, person.last) in generational:
                # "Martin Luther King III" beside "Martin Luther King Jr.": numerals tell generations apart too
                person = ctx.people[ref] = dataclasses.replace(person, suffix=person.numeral)
            families[person.family].append(ref)
    for refs in families.values():
        _join_family(ctx, refs)


def _join_family(ctx: _Context, refs: list[str]) -> None:
    hard = [r for r in refs if ctx.people[r].middles]
    soft = [r for r in refs if not ctx.people[r].middles]
    for group in (hard, soft):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if _compatible(ctx, a, b, strict=True):
                    ctx.groups.union(a, b)
    for a in hard:  # two different middle-name variants of one given name: initials tell them apart
        if any(ctx.groups.find(b) != ctx.groups.find(a) and same_given_name(ctx.people[a].first, ctx.people[b].first)
               for b in hard):
            ctx.keep_initials.add(a)
    hard_roots = {ctx.groups.find(r) for r in hard}
    for root in sorted({ctx.groups.find(r) for r in soft} - hard_roots):
        candidates = {ctx.groups.find(h): ctx.groups.weight(h) for h in hard if _compatible(ctx, root, h)}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is not None:
            ctx.groups.union(root, chosen)


def _compatible(ctx: _Context, a: str, b: str, *, strict: bool = False) -> bool:
    """Every name of a's group may name the same person as every name of b's (so "Chris Smith" cannot
    make one person of Christopher and Christine Smith). `strict`: middle names must agree too when
    both have them."""
    if ctx.groups.find(a) == ctx.groups.find(b):
        return True
    return all(may_be_same(x, y) for x in ctx.people_in(a) for y in ctx.people_in(b))


def join_lone_surnames(ctx: _Context) -> None:
    """"Obama", "Mr. Trump": the dominant full name with that surname ("Trump Jr.": only a Jr.)."""
    by_last: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for ref, person in ctx.people.items():
        if person.is_full:
            by_last[(person.last, None)].add(ref)
            by_last[person.family].add(ref)
    anchored = ctx.anchored_roots()
    for ref, person in ctx.people.items():
        if person.is_full or not person.last or not ctx.alone(ref) or ctx.groups.find(ref) in anchored:
            continue
        family = (person.last, person.suffix or None)
        candidates = {ctx.groups.find(r): ctx.groups.weight(r) for r in by_last.get(family, ())}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is not None:
            ctx.groups.union(ref, chosen)


def join_truncated_names(ctx: _Context) -> None:
    """A name cut short by the recogniser, or written without its first part, joins the dominant
    longer name it begins or ends ("Marine Le" -> "Marine Le Pen", "Choi Soon" -> "Choi Soon-sil",
    "Wasserman Schultz" -> "Debbie Wasserman Schultz"; for organisations "Judiciary Committee" ->
    "Senate Judiciary Committee") -- only when articles wrote the short form beside the long one, since
    a shorter name is often somebody else ("Martin Luther", "Aung San"), and the long one is not far
    less known."""
    for label in ("PERSON", "ORG"):
        refs = [s.ref for s in ctx.live(label) if len(s.key.split()) >= 2
                and (label == "ORG" or ctx.people[s.ref].is_full) and acronym_of(s.best_form()) is None]
        _join_parts(ctx, {ref: tuple(ctx.surfaces[ref].key.split()) for ref in refs})


def _join_parts(ctx: _Context, words: dict[str, tuple[str, ...]]) -> None:
    parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for ref, tokens in words.items():
        person = ctx.people.get(ref)
        for n in range(2, len(tokens)):
            if not (person and person.suffix):  # "Donald Trump" is no short form of "Donald Trump Jr."
                parts[tokens[:n]].add(ref)
            if tokens[-n] not in FUNCTION_WORDS:  # "Committee on Benghazi" does not end "House Committee on Benghazi"
                parts[tokens[-n:]].add(ref)
    anchored = ctx.anchored_roots()
    for ref, tokens in words.items():
        longer = parts.get(tokens)
        if not longer or not ctx.alone(ref) or ctx.groups.find(ref) in anchored \
                or (ref in ctx.people and ctx.people[ref].suffix and tokens[-1] not in ("jr", "sr")):
            continue
        candidates = {ctx.groups.find(r): ctx.groups.weight(r) for r in longer}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is None or ctx.groups.weight(chosen) * 3 < ctx.groups.weight(ref):
            continue
        if _written_beside(ctx, ref, [r for r in longer if ctx.groups.find(r) == chosen]):
            ctx.groups.union(ref, chosen)


def join_short_forms_written_beside(ctx: _Context) -> None:
    """A one-word organisation ("Congress", "Labour") is the fuller name that articles wrote it as ("US
    Congress ... Congress", "the Labour Party ... Labour"), when one such name holds at least
    `dominance` of those articles and at least `MIN_BESIDE_ARTICLES` of them (fuller names written with
    it in one article only are not counted), or one article when the curated names say the short name
    may be that entity ("Senate", an ambiguous alias of the United States Senate). A short name written as
    several fuller ones, none dominant ("Parliament": the European, the Scottish, the Irish one;
    "Foreign Ministry": Russia's, China's), stands for no one entity when that evidence covers at least
    `MIN_AMBIGUOUS_COVERAGE` of its articles and the registry does not label it: it is marked ambiguous
    and kept out of the facets, and no later step joins it. A one-word name counts only the fuller
    names that can be it (`_qualifies`)."""
    beside = _written_as_fuller_names(ctx)
    places = frozenset(k for s in ctx.live("LOC") for k in (s.key, *map(name_key, s.forms)))  # "united states", "us"
    anchored = ctx.anchored_roots()
    for surface in ctx.live("ORG"):
        evidence = beside.get(surface.key)
        if not evidence or not ctx.alone(surface.ref) or ctx.groups.find(surface.ref) in anchored:
            continue  # (a curated ambiguous form, "Congress", joins on this evidence: it was written beside)
        candidates: Counter = Counter()
        for ref, articles in evidence.items():
            if _qualifies(surface.key, ctx.surfaces[ref].key, places):
                candidates[ctx.groups.find(ref)] += articles
        reading = _curated_reading(ctx, surface)
        if reading is not None and pick_dominant(dict(candidates), ctx.dominance) == reading:
            ctx.groups.union(surface.ref, reading)  # the curated names and the articles agree: one is evidence
            ctx.short_forms.add(surface.ref)
            continue
        # a fuller name seen with it in one article only is no evidence ("Republican House": a span run on)
        candidates = Counter({root: n for root, n in candidates.items() if n >= MIN_EVIDENCE_ARTICLES})
        chosen = pick_dominant(dict(candidates), ctx.dominance)
        if chosen is not None and candidates[chosen] >= MIN_BESIDE_ARTICLES and " " not in surface.key:
            ctx.groups.union(surface.ref, chosen)
            ctx.short_forms.add(surface.ref)
        elif chosen is None and sum(1 for n in candidates.values() if n >= MIN_BESIDE_ARTICLES) >= 2 \
                and sum(candidates.values()) >= MIN_AMBIGUOUS_COVERAGE * surface.articles \
                and surface.key not in ctx.knowledge.registry.labels:
            ctx.ambiguous.add(surface.ref)


def _curated_reading(ctx: _Context, surface: Surface) -> str | None:
    """The group of the curated entity whose ambiguous alias a short name is ("Senate": the United States
    Senate), when the corpus knows that entity; its articles may then confirm it with less evidence."""
    canonical = ctx.knowledge.curated.get(surface.key)
    if canonical is None or not canonical.ambiguous or canonical.label not in (None, surface.label):
        return None
    anchor = "=" + surface_ref(surface.label, name_key(canonical.name))
    return ctx.groups.find(anchor) if anchor in ctx.canon else None


def _qualifies(short: str, fuller: str, places: frozenset[str]) -> bool:
    """Whether a fuller name can be what a short one stands for: it is the short name "of" something
    ("House of Representatives"), the short name and a head ("Labour Party"), or the short name
    qualified by a place the corpus knows ("US Congress"; never "White House" for "House"). A short name
    of several words only needs to be a part of the fuller one."""
    if " " in short:
        return True
    words = fuller.split()
    if words[0] == short:
        return words[1] == "of" or (len(words) == 2 and words[1] in SHORT_FORM_HEADS)
    return words[-1] == short and " ".join(words[:-1]) in places


def _written_as_fuller_names(ctx: _Context) -> dict[str, Counter]:
    """Short key -> the fuller organisations written with it as one entity -> articles ("congress" ->
    {"ORG|us congress": 5}): forms of a longer name whose words are a part of that name's."""
    beside: dict[str, Counter] = defaultdict(Counter)
    for surface in ctx.live("ORG"):
        words = surface.key.split()
        if len(words) < 2:
            continue
        for form, articles in surface.forms.items():
            key = name_key(form)
            if key and key != surface.key and acronym_of(form) is None and set(key.split()) < set(words):
                beside[key][surface.ref] += articles
    return beside


def _written_beside(ctx: _Context, short: str, longer: list[str]) -> bool:
    """An article named both as one entity: the short form among the long one's forms, or the reverse."""
    short_key = ctx.surfaces[short].key
    long_keys = {ctx.surfaces[r].key for r in longer}
    return any(name_key(f) == short_key for r in longer for f in ctx.surfaces[r].forms) or \
        any(name_key(f) in long_keys for f in ctx.surfaces[short].forms)


def join_people_taken_for_organisations(ctx: _Context) -> None:
    """A one-word "organisation" or "place" that is the surname of a person the corpus knows far better
    ("Trump" in "the Trump administration", tagged ORG; "Cruz" tagged LOC) is that person: when a full
    name with that surname dominates and has at least three times the articles of the other reading,
    and neither the registry nor the curated names say what the word is."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for ref, person in ctx.people.items():
        if person.is_full:
            by_last[person.last].add(ref)
    for surface in [*ctx.live("ORG"), *ctx.live("LOC")]:
        key = surface.key
        if len(key) < 3 or key not in by_last or not _unsettled_one_word_name(ctx, surface):
            continue
        chosen = pick_dominant({ctx.groups.find(r): ctx.groups.weight(r) for r in by_last[key]}, ctx.dominance)
        if chosen is not None and ctx.groups.weight(chosen) >= max(MIN_PERSON_ARTICLES,
                                                                    3 * ctx.groups.weight(surface.ref)):
            ctx.groups.union(surface.ref, chosen)
            ctx.labels[surface.ref] = "PERSON"


def _unsettled_one_word_name(ctx: _Context, surface: Surface) -> bool:
    """A one-word name, no acronym, not yet joined, that neither the registry nor the curated names
    decide: one whose reading the corpus may settle."""
    key = surface.key
    return " " not in key and acronym_of(surface.best_form()) is None and ctx.alone(surface.ref) \
        and surface.ref not in ctx.ambiguous \
        and key not in ctx.knowledge.registry.labels and key not in ctx.knowledge.curated


def join_places_taken_for_organisations(ctx: _Context) -> None:
    """A one-word "organisation" that the corpus far more often names as a place ("Crimea", tagged ORG in
    some articles) is that place: when the place has at least `MIN_PLACE_ARTICLES` articles and three
    times those of the organisation, and neither the registry nor the curated names say what it is."""
    places = {s.key: s.ref for s in ctx.live("LOC")}
    for surface in list(ctx.live("ORG")):
        place = places.get(surface.key)
        if place is None or not _unsettled_one_word_name(ctx, surface):
            continue
        if ctx.groups.weight(place) >= max(MIN_PLACE_ARTICLES, 3 * ctx.groups.weight(surface.ref)):
            ctx.groups.union(surface.ref, place)
            ctx.labels[surface.ref] = "LOC"


def join_acronyms(ctx: _Context) -> None:
    """"UN", "F.B.I.": the dominant organisation that articles wrote the acronym beside, or (three
    letters or more, a name seen twice) whose initials it is. A curated ambiguous form ("GM", "IS") only
    joins on the first kind of evidence."""
    beside: dict[str, set[str]] = defaultdict(set)  # acronym -> full names written with it
    initials: dict[str, set[str]] = defaultdict(set)  # acronym -> full names it abbreviates
    acronyms: list[tuple[str, str]] = []
    for surface in ctx.live("ORG"):
        acronym = acronym_of(surface.best_form())
        if acronym is not None:
            acronyms.append((surface.ref, acronym))
            continue
        if surface.articles >= MIN_INITIALS_ARTICLES:  # initials alone are weak evidence: "OT" is not "Okazaki Tomomi"
            for letters in initialisms(surface.key):
                if len(letters) >= 3:
                    initials[letters].add(surface.ref)
        for form in surface.forms:  # written beside it in an article: "United Nations (UN)"
            if (letters := acronym_of(form)) is not None:
                beside[letters].add(surface.ref)
    anchored = ctx.anchored_roots()
    for ref, acronym in acronyms:
        if ctx.groups.find(ref) in anchored or not ctx.alone(ref):
            continue
        evidence = beside.get(acronym, set())
        if not ctx.knowledge.ambiguous(ctx.surfaces[ref].key):
            evidence = evidence | initials.get(acronym, set())
        # a name marked ambiguous stands for no one entity: nothing joins it ("FM" and "Foreign Ministry")
        candidates = {ctx.groups.find(r): ctx.groups.weight(r) for r in evidence
                      if ctx.groups.find(r) != ctx.groups.find(ref) and r not in ctx.ambiguous}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is not None:
            ctx.groups.union(ref, chosen)


def pick_dominant(candidates: dict[str, int], dominance: float) -> str | None:
    """The candidate with at least `dominance` of all candidates' articles, if any."""
    total = sum(candidates.values())
    if not total:
        return None
    best, weight = max(candidates.items(), key=lambda item: (item[1], item[0]))
    return best if weight / total >= dominance else None


# -- clusters ---------------------------------------------------------------------------------------
def build_clusters(ctx: _Context) -> Resolution:
    members: dict[str, list[str]] = defaultdict(list)
    anchors: dict[str, Canonical] = {}
    for anchor, canonical in ctx.canon.items():
        anchors[ctx.groups.find(anchor)] = canonical
    for ref in ctx.short_forms:
        ctx.short_keys.setdefault(ctx.groups.find(ref), set()).add(ctx.surfaces[ref].key)
    for ref, surface in ctx.surfaces.items():
        if ref in ctx.dropped:
            continue
        root = ctx.groups.find(ref)
        members[root].append(ref)
        if ref in ctx.people and ctx.people[ref].is_full:
            ctx.full_roots.add(root)
        if ctx.labels[ref] == "ORG" and any(acronym_of(f) is None for f in surface.forms):
            ctx.spelled_roots.add(root)
    clusters: dict[str, Cluster] = {}
    by_ref: dict[str, str] = {}
    for root, refs in members.items():
        kept, apart = _split(ctx, refs, anchors.get(root))
        for group, canonical in [(kept, anchors.get(root)), *((g, None) for g in apart)]:
            if not group:
                continue
            cluster = _cluster(ctx, group, canonical)
            if cluster.id in clusters and group is not kept and apart:
                # split off by the user: its own entity even when its name is the other's display name
                cluster = dataclasses.replace(cluster, id=entity_id(cluster.label, f"{cluster.name} ({group[0]})"))
            elif cluster.id in clusters:  # two groups with one display name are one facet value: one entity
                cluster = _combine(clusters[cluster.id], cluster)
            clusters[cluster.id] = cluster
            for ref in cluster.refs:
                by_ref[ref] = cluster.id
    return Resolution(clusters, by_ref, set(ctx.dropped))


def _split(ctx: _Context, refs: list[str], canonical: Canonical | None) -> tuple[list[str], list[list[str]]]:
    """The group less the surfaces the user split off it, and those surfaces (each stands alone)."""
    keys = {ctx.surfaces[r].key for r in refs} | ({name_key(canonical.name)} if canonical else set())
    apart = set().union(*(ctx.knowledge.split_from(k) for k in keys))
    if not apart:
        return refs, []
    ctx.keep_initials.update(refs)  # "George W. Bush", split from "George Bush", keeps the "W."
    return ([r for r in refs if ctx.surfaces[r].key not in apart],
            [[r] for r in refs if ctx.surfaces[r].key in apart])


def _cluster(ctx: _Context, refs: list[str], canonical: Canonical | None) -> Cluster:
    surfaces = [ctx.surfaces[r] for r in refs]
    votes: Counter = Counter()
    for s in surfaces:
        votes[ctx.labels[s.ref]] += s.articles or 1
    label_name = (canonical.label if canonical and canonical.label else None) or \
        max(votes.items(), key=lambda item: (item[1], item[0]))[0]
    if len(surfaces) == 1:  # most entities have one surface: share its counters
        forms, roles = surfaces[0].forms, surfaces[0].roles
    else:
        forms, roles = Counter(), Counter()
        for s in surfaces:
            forms.update(s.forms)
            roles.update(s.roles)
    name = canonical.name if canonical else display_of(ctx, surfaces, label_name)
    kind = (canonical.kind if canonical and canonical.kind else None) or cluster_kind(surfaces)
    if canonical is None and len(refs) == 1 and refs[0] in ctx.ambiguous:
        kind = AMBIGUOUS_KIND
    seen = [d for s in surfaces for d in (s.first_seen, s.last_seen) if d]
    return Cluster(entity_id(label_name, name), name, label_name, sorted(refs), sum(s.articles for s in surfaces),
                   forms, roles, kind, min(seen) if seen else None, max(seen) if seen else None)


def cluster_kind(surfaces: list[Surface]) -> str | None:
    """The kind of a cluster: the commonest kind its surfaces carry ("outlet"), except ``misc``, which
    takes the cluster only when most of its articles say so ("European Union Act" joined to the
    European Union does not make the Union a law)."""
    kinds = Counter(s.kind for s in surfaces if s.kind and s.kind != MISC_KIND)
    if kinds:
        return kinds.most_common(1)[0][0]
    misc = sum(s.articles or 1 for s in surfaces if s.kind == MISC_KIND)
    return MISC_KIND if misc * 2 > sum(s.articles or 1 for s in surfaces) else None


def display_of(ctx: _Context, surfaces: list[Surface], label: str) -> str:
    """The most common full form: for people without titles (and middle initials unless needed), for
    organisations not an acronym when a spelled-out name exists."""
    votes: Counter = Counter()
    for s in surfaces:
        for form, count in s.forms.items():
            votes[_display_candidate(ctx, s, form, label)] += count
    votes.pop(None, None)
    if not votes:
        return display_name(surfaces[0].best_form(), person=label == "PERSON")
    if label == "PERSON":
        _drop_cut_short(votes)
        return max(votes.items(), key=lambda item: (item[1], -_shouted(item[0]), len(item[0]), item[0]))[0]
    # organisations and places: a form that is a part of a fuller one loses ("Foreign Ministry" written
    # beside "Russian Foreign Ministry"); on a tie the form without extra words ("Le Matin", not "Le Matin
    # newspaper")
    _drop_parts_of_fuller_names(votes)
    return max(votes.items(), key=lambda item: (item[1], -_shouted(item[0]), -len(item[0]), item[0]))[0]


def _shouted(form: str) -> int:
    """ALL-CAPS words longer than an acronym ("NEW Jersey")."""
    return sum(1 for w in form.split() if w.isupper() and len(w) > 2)


def _drop_cut_short(votes: Counter) -> None:
    """"Park Geun" is not the display name when "Park Geun-hye" is in the group, nor is a family name of
    two words written without the given name ("Wasserman Schultz" beside "Debbie Wasserman Schultz",
    "Peña Nieto" beside "Enrique Peña Nieto")."""
    words = {form: [w for w in name_key(form).split() if w not in NUMERAL_SUFFIXES] for form in votes}
    cut = [form for form, tokens in words.items()
           if any(_cuts_short(tokens, other) and votes[longer] * 5 >= votes[form]
                  for longer, other in words.items())]  # a stray longer form ("Donald Trump Which") does not count
    for form in cut:
        del votes[form]


def _cuts_short(tokens: list[str], longer: list[str]) -> bool:
    """`tokens` begin `longer`, or end it after a given name that `tokens` lack ("Wasserman Schultz" in
    "Debbie Wasserman Schultz"; never "Ted Cruz" in "Republican Ted Cruz"). One word is a lone surname,
    decided elsewhere."""
    n = len(tokens)
    if not tokens or len(longer) <= n:
        return False
    if longer[:n] == tokens:
        return True
    return n >= 2 and longer[-n:] == tokens and len(longer) == n + 1 and known_given_name(longer[0]) \
        and not known_given_name(tokens[0])


def _drop_parts_of_fuller_names(votes: Counter) -> None:
    """Forms whose words run on in a fuller form of the group with capitalised words (and function words
    between them), when the fuller one is not far less common: "Congress" beside "US Congress", "Court"
    beside "Court of Appeal", never "Le Matin" beside "Le Matin newspaper" nor "Apple" beside "Apple Inc"."""
    words = {form: form.lower().split() for form in votes}
    by_word: dict[str, list[str]] = defaultdict(list)  # a word -> the forms of several words holding it
    for form, tokens in words.items():
        if len(tokens) > 1:
            for word in set(tokens):
                by_word[word].append(form)
    cut = [form for form, short in words.items() if short
           and any(len(words[longer]) > len(short) and votes[longer] * 5 >= votes[form]
                   and _runs_on_capitalised(short, words[longer], longer.split()) for longer in by_word.get(short[0], ()))]
    if len(cut) < len(votes):
        for form in cut:
            del votes[form]


def _runs_on_capitalised(short: list[str], longer: list[str], written: list[str]) -> bool:
    n = len(short)
    for i in range(len(longer) - n + 1):
        if longer[i:i + n] == short:
            extra = written[:i] + written[i + n:]
            return all((w[:1].isupper() or w.lower() in FUNCTION_WORDS) and w.lower().rstrip(".") not in CORPORATE_SUFFIXES
                       for w in extra) and any(w[:1].isupper() for w in extra)
    return False


def _display_candidate(ctx: _Context, surface: Surface, form: str, label: str) -> str | None:
    if label == "PERSON":
        person = parse_person(form)
        if not person.is_full and ctx.groups.find(surface.ref) in ctx.full_roots:
            return None  # "Obama" is not a display name when "Barack Obama" is in the group
        return display_form(form, keep_middle_initials=surface.ref in ctx.keep_initials)
    if label == "ORG" and acronym_of(form) is not None and ctx.groups.find(surface.ref) in ctx.spelled_roots:
        return None
    if label == "ORG" and name_key(form) in ctx.short_keys.get(ctx.groups.find(surface.ref), ()):
        return None  # "Congress" is not the display name of the group of "US Congress"
    return display_name(form)


def _combine(a: Cluster, b: Cluster) -> Cluster:
    seen = [d for d in (a.first_seen, a.last_seen, b.first_seen, b.last_seen) if d]
    return Cluster(a.id, a.name, a.label, sorted(a.refs + b.refs), a.articles + b.articles, a.forms + b.forms,
                   a.roles + b.roles, _combined_kind(a, b), min(seen) if seen else None, max(seen) if seen else None)


def _combined_kind(a: Cluster, b: Cluster) -> str | None:
    """As `cluster_kind`: any kind but misc wins; misc only for most of the articles."""
    kinds = [k for k in (a.kind, b.kind) if k and k != MISC_KIND]
    if kinds:
        return kinds[0]
    misc = sum(c.articles or 1 for c in (a, b) if c.kind == MISC_KIND)
    return MISC_KIND if misc * 2 > (a.articles or 1) + (b.articles or 1) else None
