"""`Resolver`: one article's surfaces against the corpus the entity index knows (ingest time).

A surface the corpus has seen resolves to its cluster. A new one is matched with the same evidence
`resolve_corpus` uses, against the known clusters: the registry and curated names, person variants
within a family, a lone surname's dominant full name, an acronym's dominant expansion, a word-order
variant. Anything else is a new entity of its own until the next consolidation decides with the whole
corpus: the short forms written beside fuller names, ambiguous short names and organisations taken
for places are decided there only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..names import display_name, name_key
from .context import SurnameContext
from .knowledge import Knowledge
from .org import acronym_of, initialisms, word_set
from .person import PersonName, display_form, may_be_same, parse_person, same_given_name
from .resolve import (DOMINANCE, MIN_INITIALS_ARTICLES, MIN_PERSON_ARTICLES, OF_HEADS, Cluster, Resolution, Surface,
                      entity_id, pick_dominant)


@dataclass(frozen=True)
class Match:
    id: str
    name: str
    label: str
    kind: str | None = None


class Resolver:
    def __init__(self, resolution: Resolution, knowledge: Knowledge, *, dominance: float = DOMINANCE,
                 context: SurnameContext | None = None):
        self.resolution = resolution
        self.knowledge = knowledge
        self.dominance = dominance
        self.context = context  # lone surnames decided by the article's company (a consolidation's)
        self._by_name: dict[tuple[str, str], Cluster] = {}
        self._families: dict[tuple[str, str], list[tuple[PersonName, Cluster]]] = defaultdict(list)
        self._by_last: dict[str, set[str]] = defaultdict(set)
        self._by_acronym: dict[str, set[str]] = defaultdict(set)
        self._by_words: dict[frozenset, set[str]] = defaultdict(set)
        self._indexed = False  # built on the first new surface: a consolidation knows every surface

    def _ensure_index(self) -> None:
        if not self._indexed:
            for cluster in self.resolution.clusters.values():
                self._index(cluster)
            self._indexed = True

    @classmethod
    def empty(cls, knowledge: Knowledge | None = None) -> "Resolver":
        return cls(Resolution({}, {}, set()), knowledge or Knowledge())

    def _index(self, cluster: Cluster) -> None:
        self._by_name[(cluster.label, name_key(cluster.name))] = cluster
        for ref in cluster.refs:
            key = ref.partition("|")[2]
            self._by_name.setdefault((cluster.label, key), cluster)
            if cluster.label == "PERSON":
                person = parse_person(key)
                if person.is_full:
                    self._families[person.family].append((person, cluster))
                    self._by_last[person.last].add(cluster.id)
            elif cluster.label == "ORG":
                if cluster.articles >= MIN_INITIALS_ARTICLES:  # as the consolidation: initials alone are weak
                    for letters in initialisms(key):
                        if len(letters) >= 3:
                            self._by_acronym[letters].add(cluster.id)
                if words := word_set(key):
                    self._by_words[words].add(cluster.id)
        if cluster.label == "ORG":
            for form in cluster.forms:
                if (letters := acronym_of(form)) is not None:
                    self._by_acronym[letters].add(cluster.id)

    # -- matching ---------------------------------------------------------------------------------
    def match(self, surface: Surface) -> Match | None:
        """The entity of one article surface; None when the registry drops it."""
        known = self.resolution.by_ref.get(surface.ref)
        if known is not None:
            return self._of(self.resolution.clusters[known])
        if surface.ref in self.resolution.dropped:
            return None
        self._ensure_index()
        keys = surface.lookup_keys()
        label = self.knowledge.label_for(surface.label, *keys)
        if self.knowledge.dropped(label, *keys):
            return None
        canonical = self.knowledge.canonical_for(label, *keys)
        if canonical is not None:
            label = canonical.label or label
            cluster = self._by_name.get((label, name_key(canonical.name)))
            return self._of(cluster) if cluster else Match(entity_id(label, canonical.name), canonical.name,
                                                           label, canonical.kind)
        cluster = self._by_name.get((label, surface.key)) or self._variant_of(surface, label)
        if cluster is not None:
            return self._of(cluster)
        return self.new_entity(surface, label)

    def in_company(self, ref: str, others: set[str], *, sex: str | None = None) -> Match | None:
        """The person a lone surname is in an article naming the entities `others` (ids), when the
        consolidation's context settles it; else None."""
        if self.context is None:
            return None
        chosen = self.context.choose(ref, others, sex=sex)
        return self._of(self.resolution.clusters[chosen]) if chosen is not None else None

    def _variant_of(self, surface: Surface, label: str) -> Cluster | None:
        if label == "PERSON":
            return self._person_variant(parse_person(surface.best_form()))
        if label in ("ORG", "LOC") and " " not in surface.key and len(surface.key) >= 3 \
                and acronym_of(surface.best_form()) is None and surface.key not in self.knowledge.registry.labels \
                and surface.key not in self.knowledge.curated:
            person = self._dominant(self._by_last.get(surface.key, ()))
            if person is not None and person.articles >= MIN_PERSON_ARTICLES:
                return person  # "Trump" (administration) tagged ORG, "Cruz" tagged LOC
        if label == "ORG":
            acronym = acronym_of(surface.best_form())
            if acronym is not None:
                if self.knowledge.ambiguous(surface.key):
                    return None
                return self._dominant(self._by_acronym.get(acronym, ()))
            if words := word_set(surface.key):
                if words & OF_HEADS:
                    return self._dominant(self._by_words.get(words, ()))
        return None

    def _person_variant(self, person: PersonName) -> Cluster | None:
        if not person.last:
            return None
        if not person.is_full and person.suffix:
            return self._dominant({c.id for _, c in self._families.get(person.family, [])})
        if not person.is_full:
            return self._dominant(self._by_last.get(person.last, ()))
        family = self._families.get(person.family, [])
        # a cluster whose every name may be this person's ("George H. W. Bush" joins no cluster that
        # holds "George W. Bush", even if it holds "George Bush" too)
        ids = {c.id for p, c in family if same_given_name(person.first, p.first)}
        ids -= {c.id for p, c in family if c.id in ids and not may_be_same(person, p)}
        return self._dominant(ids)

    def _dominant(self, ids) -> Cluster | None:
        clusters = self.resolution.clusters
        chosen = pick_dominant({i: clusters[i].articles for i in ids}, self.dominance)
        return clusters[chosen] if chosen is not None else None

    def outlet_name(self, name: str | None) -> str | None:
        """An outlet's catalogue name ("DW" -> "Deutsche Welle"); unknown names stay as they are."""
        if not name or self.knowledge.outlets is None:
            return name
        outlet = self.knowledge.outlets.by_name(name)
        return outlet.name if outlet is not None else name

    @staticmethod
    def _of(cluster: Cluster) -> Match:
        return Match(cluster.id, cluster.name, cluster.label, cluster.kind)

    def new_entity(self, surface: Surface, label: str) -> Match:
        """An entity the corpus does not know yet; a person keeps middle initials when a namesake is known
        ("George H. W. Bush" beside a known "George W. Bush")."""
        form = surface.best_form()
        if label == "PERSON":
            person = parse_person(form)
            namesake = any(same_given_name(person.first, p.first) for p, _ in self._families.get(person.family, []))
            name = display_form(form, keep_middle_initials=namesake) or form
        else:
            name = display_name(form) or form
        return Match(entity_id(label, name), name, label, surface.kind)
