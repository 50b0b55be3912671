"""Step 5, merging: one group per entity (persons, organisations, places, outlets), then the registry."""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.tokens import Doc

from ..contract import Mention
from ..model import Entity
from ..names import CORPORATE_SUFFIXES, clean_surface, display_name, name_key
from .candidate import Cand, Group, set_key
from .context import EntityContext
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


# -- 5. merging -------------------------------------------------------------------------------
def merge(ctx: EntityContext, doc: Doc, cands: list[Cand], sports: bool = False) -> tuple[list[Entity], list[Mention]]:
    """One group per entity, then the registry: the entities, and their mentions sorted by position."""
    for c in cands:
        if not c.key:
            set_key(c)
    cands = [c for c in cands if c.key or c.source in ("outlet", "generic_outlet")]
    # "Lawson told Funaro Brazil had ...": a person span ending in a place named elsewhere
    loc_keys = {c.key for c in cands if c.label == "LOC" and c.trusted}
    person_tok_n = Counter(t for c in cands if c.label == "PERSON" for t in c.ktoks)
    extra = []
    for c in cands:
        if c.label == "PERSON" and c.source == "ner" and len(c.ktoks) >= 2 and c.end - c.start >= 2:
            tail = doc[c.end - 1].lower_
            # (elsewhere: not only in this span; "Steve Salisbury" stays whole)
            if tail in loc_keys and all(person_tok_n[t] >= 2 for t in c.ktoks[:-1]):
                extra.append(Cand(c.end - 1, c.end, "LOC", "ner", text=doc[c.end - 1].text, trusted=c.trusted))
                c.end -= 1
                c.text = clean_surface(doc[c.start : c.end].text)
                set_key(c)
                set_key(extra[-1])
    if extra:
        cands = sorted(cands + extra, key=lambda c: c.start)
    if sports:
        sports_clubs(doc, cands)
        sports_teams(doc, cands)
    places_named_as_orgs(doc, cands, ctx.registry.labels)
    # outlet words that are a person's surname in this doc are the person ("Bloomberg")
    person_full = {c.ktoks[-1] for c in cands if c.label == "PERSON" and len(c.ktoks) > 1}
    person_keys = {c.key for c in cands if c.label == "PERSON" and len(c.ktoks) > 1}
    person_single = {c.ktoks[0] for c in cands if c.label == "PERSON" and len(c.ktoks) == 1}
    org_firsts = {c.ktoks[0] for c in cands if c.label == "ORG" and len(c.ktoks) > 1 and is_firm(c.text)} - person_full
    for c in cands:
        if c.source == "outlet" and len(c.ktoks) == 1 and c.ktoks[0] in person_full:
            c.source, c.kind, c.outlet, c.label = "ner", None, None, "PERSON"
        elif c.label != "PERSON" and c.source in ("ner", "known") and not has_suffix(c.text) and (
            (len(c.ktoks) == 1 and c.ktoks[0] in person_full) or c.key in person_keys
        ):
            c.label = "PERSON"  # "Khamenei" tagged ORG; "Saleh Al Arouri" tagged ORG
        elif c.label == "PERSON" and c.source == "ner" and len(c.ktoks) == 1 and c.ktoks[0] in org_firsts:
            c.label = "ORG"  # "Altria" beside "Altria Group"
        elif c.label == "ORG" and c.source == "ner" and looks_like_arabic_person(c.text):
            c.label = "PERSON"
        elif (
            c.label in ("ORG", "LOC")
            and c.source == "ner"
            and 2 <= len(c.ktoks) <= 4
            and c.ktoks[-1] in person_single
            and not any(t in ORG_HEADS for t in c.ktoks)
        ):
            c.label = "PERSON"  # "Jean-Claude Juncker" tagged ORG, "Juncker" tagged PERSON
    # label vote per key (outlets stay ORG)
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in cands:
        if c.source not in ("outlet", "generic_outlet"):
            # a corporate suffix settles it: "Tony Lama Co Inc" makes "Tony Lama" a company
            firm = c.label == "ORG" and has_suffix(c.text) and len(c.ktoks) > 0
            votes[c.key][c.label] += 100 if firm else 2 if c.trusted else 1
    for c in cands:
        if c.source not in ("outlet", "generic_outlet") and len(votes[c.key]) > 1:
            # a tie: a multi-word name is a person's, one word a place's ("a judge in Honolulu")
            person_first = len(c.ktoks) > 1
            best = max(votes[c.key].items(), key=lambda kv: (
                kv[1], kv[0] == ("PERSON" if person_first else "LOC"), kv[0] == "ORG"))
            c.label = best[0]
    # NER organisations that are catalogue outlets ("Fox News" in "Fox News Sunday host ...")
    for c in cands:
        if c.label == "ORG" and c.source in ("ner", "orghead", "known") and c.kind is None and c.text:
            outlet = ctx.catalog.by_name(c.text)
            words = c.text.split()
            if outlet is not None and not outlet.ambiguous and (
                len(words) > 1
                or outlet.name in (c.text, "The " + c.text)
                or (c.text.isupper() and len(c.text) >= 3)
            ):
                c.source, c.kind, c.outlet = "outlet", "outlet", outlet.name
    # registry label corrections before grouping
    for c in cands:
        if c.source not in ("outlet", "generic_outlet"):
            c.label = ctx.registry.labels.get(c.key, c.label)

    groups: list[Group] = []
    # outlets by canonical outlet name; generic outlets by key
    outlet_groups: dict[str, int] = {}
    for c in cands:
        if c.source in ("outlet", "generic_outlet") or c.kind == "outlet":
            gkey = c.outlet or ("generic:" + c.key)
            if c.outlet:
                distinct = distinct_outlet_name(c.outlet, c.text)
                if distinct:
                    gkey += "|" + distinct  # "BBC One" and "BBC" in one article: two outlets
            if gkey not in outlet_groups:
                outlet_groups[gkey] = len(groups)
                groups.append(Group("ORG", kind=c.kind or "outlet", outlet=c.outlet))
            c.group = outlet_groups[gkey]
            groups[c.group].cands.append(c)
    rest = [c for c in cands if c.group < 0]
    # persons: fullest names first; shorter names attach to a containing fuller name
    persons = sorted((c for c in rest if c.label == "PERSON"), key=lambda c: (-len(c.ktoks), c.start))
    heads: list[tuple[tuple[str, ...], int]] = []  # (ktoks, group)
    for c in persons:
        exact = [g for kt, g in heads if kt == c.ktoks]
        if exact:
            c.group = exact[0]
        else:
            containing = sorted({g for kt, g in heads if len(kt) > len(c.ktoks) and subsequence(c.ktoks, kt)})
            if len(containing) == 1:
                c.group = containing[0]
            elif containing:
                # ambiguous ("Ismail" with two Ismails): the nearest preceding mention decides
                best, best_pos = containing[0], -1
                for g in containing:
                    before = [m.start for m in groups[g].cands if m.start < c.start]
                    pos = max(before) if before else -1
                    if pos > best_pos:
                        best, best_pos = g, pos
                c.group = best
            else:
                c.group = len(groups)
                groups.append(Group("PERSON"))
                heads.append((c.ktoks, c.group))
        groups[c.group].cands.append(c)
    # organisations and places: exact keys, contained multi-word names, acronyms
    for label in ("ORG", "LOC"):
        items = sorted((c for c in rest if c.label == label), key=lambda c: (-len(c.ktoks), c.start))
        gheads: list[tuple[tuple[str, ...], int, str]] = []
        for c in items:
            target = None
            compact = "".join(c.ktoks)
            for kt, g, text in gheads:
                if kt == c.ktoks or (label == "ORG" and "".join(kt) == compact):
                    target = g  # "TimeWarner" == "Time Warner"
                    break
            if target is None and label == "ORG" and len(c.ktoks) == 1 and c.ktoks[0] not in ORG_HEADS:
                firms = [
                    g for kt, g, text in gheads
                    if len(kt) > 1 and kt[0] == c.ktoks[0] and (is_firm(text) or (len(kt) == 2 and kt[1] in SHORT_FORM_HEADS))
                ]
                if len(set(firms)) == 1:
                    target = firms[0]  # "Moody's" -> "Moody's Investors Service Inc"
                else:
                    tails = [
                        g for kt, g, text in gheads
                        if len(kt) > 1 and kt[-1] == c.ktoks[0] and not is_firm(text) and c.ktoks[0] not in CORPORATE_SUFFIXES
                    ]
                    if len(set(tails)) == 1:
                        target = tails[0]  # "the Ospreys" -> "Neath-Swansea Ospreys"
            if target is None and label == "ORG" and len(c.ktoks) >= 2:
                clipped = [g for kt, g, text in gheads if clipped_form(c.ktoks, kt)]
                if len(set(clipped)) == 1:
                    target = clipped[0]  # "Lib Dems" -> "Liberal Democrats"
            if target is None and label == "ORG":
                for kt, g, text in gheads:
                    if len(c.ktoks) >= 2 and contiguous(c.ktoks, kt) and not (has_suffix(c.text) and has_suffix(text)):
                        # ("Allied-Signal Inc" is not its unit "Allied-Signal Aerospace Co")
                        target = g
                        break
                    if len(c.ktoks) == 1 and acronym_of(c.text) and abbreviates(acronym_of(c.text), text):
                        target = g
                        break
            if target is None:
                target = len(groups)
                groups.append(Group(label))
                gheads.append((c.ktoks, target, c.text))
            c.group = target
            groups[target].cands.append(c)
    # role references: "the Ayatollah", "the Supreme Leader"
    role_refs = role_references(doc, groups, cands)

    # build entities
    entities: list[Entity] = []
    ent_of_group: dict[int, Entity] = {}
    order = sorted(range(len(groups)), key=lambda g: min((c.start for c in groups[g].cands), default=10**9))
    for g in order:
        grp = groups[g]
        if not grp.cands:
            continue
        if grp.label == "PERSON" and lone_single_name(doc, grp):
            continue
        ent = entity_of(grp)
        if ent is None:
            continue
        ent_of_group[g] = ent
        entities.append(ent)
    for c, g in role_refs:
        if g in ent_of_group:
            c.group = g
            groups[g].cands.append(c)
            ent_of_group[g].mentions += 1
    # registry
    final_of: dict[int, Entity | None] = {}
    if ctx.registry:
        entities, mapping = ctx.registry.apply_to_entities(entities)
        for g, ent in ent_of_group.items():
            final_of[g] = mapping.get(id(ent))
    else:
        final_of = dict(ent_of_group)
    mentions = []
    for g, grp in enumerate(groups):
        ent = final_of.get(g)
        if ent is None:
            continue
        for c in grp.cands:
            mentions.append(Mention(c.start, c.end, ent))
    mentions.sort(key=lambda m: (m.start, m.end))
    return entities, mentions

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
