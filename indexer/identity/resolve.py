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
4. lone surnames ("Obama", "Mr. Trump") join the dominant full name with that surname;
5. acronyms ("UN", "F.B.I.") join the dominant organisation they abbreviate: one whose articles wrote
   the acronym beside it, or whose initials they are;
6. the user's splits (`presswatch entities split`) are applied last.

**Dominance**: a partial name or acronym joins a candidate only when that candidate holds at least
`dominance` (default 0.8) of the articles of all candidates; otherwise it stays its own entity
("Bush" with George W., George H. W. and Jeb Bush in the corpus). The display name of a cluster is the
registry's or curated canonical name, else its most common full form without titles, and without
middle initials unless a same-named person needs them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..names import NAME_PARTICLES, display_name, name_key
from .knowledge import Canonical, Knowledge
from .org import FUNCTION_WORDS, acronym_of, initialisms, word_set
from .person import NUMERAL_SUFFIXES, PersonName, display_form, may_be_same, parse_person, same_given_name

DOMINANCE = 0.8
MIN_INITIALS_ARTICLES = 2  # a name must be seen this often before an acronym joins it on its initials alone
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
    """Union-find over surface refs (and anchor names)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent[parent]
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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

    def live(self, label: str) -> Iterable[Surface]:
        return (s for ref, s in self.surfaces.items() if ref not in self.dropped and self.labels[ref] == label)

    def weight(self) -> dict[str, int]:
        """Articles per current group root."""
        totals: Counter = Counter()
        for ref, surface in self.surfaces.items():
            if ref not in self.dropped:
                totals[self.groups.find(ref)] += surface.articles
        return totals

    def anchored_roots(self) -> set[str]:
        return {self.groups.find(a) for a in self.canon}


def resolve_corpus(surfaces: Iterable[Surface], knowledge: Knowledge, *, dominance: float = DOMINANCE) -> Resolution:
    ctx = _Context({s.ref: s for s in surfaces}, knowledge, dominance)
    apply_knowledge(ctx)
    join_word_orders(ctx)
    join_person_variants(ctx)
    join_truncated_names(ctx)
    join_lone_surnames(ctx)
    join_people_taken_for_organisations(ctx)
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
    by_words: dict[frozenset, list[str]] = defaultdict(list)
    for surface in ctx.live("ORG"):
        if acronym_of(surface.best_form()) is None and (words := word_set(surface.key)):
            by_words[words].append(surface.ref)
    for refs in by_words.values():
        for ref in refs[1:]:
            ctx.groups.union(refs[0], ref)


def join_person_variants(ctx: _Context) -> None:
    families: dict[tuple[str, str], list[str]] = defaultdict(list)
    for surface in ctx.live("PERSON"):
        person = ctx.people[surface.ref] = parse_person(surface.best_form())
        if person.is_full:
            families[person.family].append(surface.ref)
    for refs in families.values():
        _join_family(ctx, refs)


def _join_family(ctx: _Context, refs: list[str]) -> None:
    hard = [r for r in refs if ctx.people[r].middles]
    soft = [r for r in refs if not ctx.people[r].middles]
    for group in (hard, soft):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if may_be_same(ctx.people[a], ctx.people[b]):
                    ctx.groups.union(a, b)
    hard_roots = {ctx.groups.find(r) for r in hard}
    for a in hard:  # two different middle-name variants of one given name: initials tell them apart
        if any(ctx.groups.find(b) != ctx.groups.find(a) and same_given_name(ctx.people[a].first, ctx.people[b].first)
               for b in hard):
            ctx.keep_initials.add(a)
    weights: Counter = Counter()  # candidates are in the family: their articles are the family's
    for r in refs:
        weights[ctx.groups.find(r)] += ctx.surfaces[r].articles
    for root in {ctx.groups.find(r) for r in soft} - hard_roots:
        members = [r for r in soft if ctx.groups.find(r) == root]
        candidates = {ctx.groups.find(h): weights[ctx.groups.find(h)] for h in hard
                      if any(same_given_name(ctx.people[m].first, ctx.people[h].first) for m in members)}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is not None:
            ctx.groups.union(root, chosen)


def join_lone_surnames(ctx: _Context) -> None:
    weights = ctx.weight()
    by_last: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for ref, person in ctx.people.items():
        if person.is_full:
            by_last[(person.last, None)].add(ctx.groups.find(ref))
            by_last[person.family].add(ctx.groups.find(ref))
    anchored = ctx.anchored_roots()
    for ref, person in ctx.people.items():
        if person.is_full or not person.last or ctx.groups.find(ref) in anchored:
            continue
        # "Trump" may be any Trump; "Trump Jr." only a Jr.
        family = (person.last, person.suffix or None)
        candidates = {root: weights[root] for root in by_last.get(family, ()) if root != ctx.groups.find(ref)}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is not None:
            ctx.groups.union(ref, chosen)


def join_truncated_names(ctx: _Context) -> None:
    """A name cut short by the recogniser, or written without its first part, joins the dominant
    longer name it begins or ends ("Marine Le" -> "Marine Le Pen", "Choi Soon" -> "Choi Soon-sil",
    "Wasserman Schultz" -> "Debbie Wasserman Schultz"; for organisations "Judiciary Committee" ->
    "Senate Judiciary Committee"), when that name is the better known or articles wrote the short form
    beside it."""
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
    weights = ctx.weight()
    anchored = ctx.anchored_roots()
    for ref, tokens in words.items():
        longer = parts.get(tokens)
        if not longer or ctx.groups.find(ref) in anchored or (ref in ctx.people and ctx.people[ref].suffix
                                                              and tokens[-1] not in ("jr", "sr")):
            continue
        candidates = {ctx.groups.find(r): weights[ctx.groups.find(r)] for r in longer
                      if ctx.groups.find(r) != ctx.groups.find(ref)}
        chosen = pick_dominant(candidates, ctx.dominance)
        if chosen is None:
            continue
        written_beside = any(name_key(f) == ctx.surfaces[ref].key for r in longer if ctx.groups.find(r) == chosen
                             for f in ctx.surfaces[r].forms)
        if written_beside or weights[chosen] >= weights[ctx.groups.find(ref)]:
            ctx.groups.union(ref, chosen)


def join_people_taken_for_organisations(ctx: _Context) -> None:
    """A one-word "organisation" or "place" that is the surname of a person the corpus knows better
    ("Trump" in "the Trump administration", tagged ORG; "Cruz" tagged LOC) is that person: when a full
    name with that surname dominates, that person has at least as many articles as the other reading,
    and the registry does not say what the word is."""
    weights = ctx.weight()
    by_last: dict[str, set[str]] = defaultdict(set)
    for ref, person in ctx.people.items():
        if person.is_full:
            by_last[person.last].add(ctx.groups.find(ref))
    for surface in [*ctx.live("ORG"), *ctx.live("LOC")]:
        if " " in surface.key or len(surface.key) < 3 or acronym_of(surface.best_form()) is not None \
                or surface.key in ctx.knowledge.registry.labels or surface.key not in by_last:
            continue
        chosen = pick_dominant({root: weights[root] for root in by_last[surface.key]}, ctx.dominance)
        if chosen is not None and weights[chosen] >= max(MIN_PERSON_ARTICLES, weights[ctx.groups.find(surface.ref)]):
            ctx.groups.union(surface.ref, chosen)
            ctx.labels[surface.ref] = "PERSON"


def join_acronyms(ctx: _Context) -> None:
    weights = ctx.weight()
    spelled: dict[str, set[str]] = defaultdict(set)  # acronym -> group roots of full names
    acronyms: list[tuple[str, str]] = []
    for surface in ctx.live("ORG"):
        acronym = acronym_of(surface.best_form())
        if acronym is not None:
            acronyms.append((surface.ref, acronym))
            continue
        root = ctx.groups.find(surface.ref)
        if surface.articles >= MIN_INITIALS_ARTICLES:  # initials alone are weak evidence: "OT" is not "Okazaki Tomomi"
            for letters in initialisms(surface.key):
                if len(letters) >= 3:
                    spelled[letters].add(root)
        for form in surface.forms:  # written beside it in an article: "United Nations (UN)"
            if (letters := acronym_of(form)) is not None:
                spelled[letters].add(root)
    anchored = ctx.anchored_roots()
    for ref, acronym in acronyms:
        if ctx.groups.find(ref) in anchored or ctx.knowledge.ambiguous(ctx.surfaces[ref].key):
            continue
        candidates = {root: weights[root] for root in spelled.get(acronym, ()) if root != ctx.groups.find(ref)}
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
            if cluster.id in clusters:  # two groups with one display name are one facet value: one entity
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
    kinds = Counter(s.kind for s in surfaces if s.kind)
    kind = (canonical.kind if canonical and canonical.kind else None) or (kinds.most_common(1)[0][0] if kinds else None)
    seen = [d for s in surfaces for d in (s.first_seen, s.last_seen) if d]
    return Cluster(entity_id(label_name, name), name, label_name, sorted(refs), sum(s.articles for s in surfaces),
                   forms, roles, kind, min(seen) if seen else None, max(seen) if seen else None)


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
    # organisations and places: on a tie the form without extra words ("Le Matin", not "Le Matin newspaper")
    return max(votes.items(), key=lambda item: (item[1], -_shouted(item[0]), -len(item[0]), item[0]))[0]


def _shouted(form: str) -> int:
    """ALL-CAPS words longer than an acronym ("NEW Jersey")."""
    return sum(1 for w in form.split() if w.isupper() and len(w) > 2)


def _drop_cut_short(votes: Counter) -> None:
    """"Park Geun" is not the display name when "Park Geun-hye" is in the group."""
    words = {form: [w for w in name_key(form).split() if w not in NUMERAL_SUFFIXES] for form in votes}
    cut = [form for form, tokens in words.items()
           if any(len(other) > len(tokens) and other[:len(tokens)] == tokens and votes[longer] * 5 >= votes[form]
                  for longer, other in words.items())]  # a stray longer form ("Donald Trump Which") does not count
    for form in cut:
        del votes[form]


def _display_candidate(ctx: _Context, surface: Surface, form: str, label: str) -> str | None:
    if label == "PERSON":
        person = parse_person(form)
        if not person.is_full and ctx.groups.find(surface.ref) in ctx.full_roots:
            return None  # "Obama" is not a display name when "Barack Obama" is in the group
        return display_form(display_name(form, person=True), keep_middle_initials=surface.ref in ctx.keep_initials)
    if label == "ORG" and acronym_of(form) is not None and ctx.groups.find(surface.ref) in ctx.spelled_roots:
        return None
    return display_name(form)


def _combine(a: Cluster, b: Cluster) -> Cluster:
    seen = [d for d in (a.first_seen, a.last_seen, b.first_seen, b.last_seen) if d]
    return Cluster(a.id, a.name, a.label, sorted(a.refs + b.refs), a.articles + b.articles, a.forms + b.forms,
                   a.roles + b.roles, a.kind or b.kind, min(seen) if seen else None, max(seen) if seen else None)
