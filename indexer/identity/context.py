"""A lone surname the corpus cannot settle, decided per article from the company it keeps.

"Bush" in a corpus with George W., George H. W. and Jeb Bush stays an entity of its own: no full name
dominates it (`resolve.join_lone_surnames`). One article's "Bush" is still often clear from who else the
article names: beside Rubio, Cruz and Kasich it is Jeb; beside Cheney and Rumsfeld it is George W.

- `ambiguous_surnames(resolution)`: the lone-surname entities left alone, with the full-name people of
  that surname (each seen in `MIN_CANDIDATE_ARTICLES` articles or more) they may be;
- `candidate_refs(resolution, candidates)`: the refs whose articles build the profiles;
- `SurnameContext.build(...)`: for each of those people, from the articles that name them by one of
  their own names (never by the ambiguous surname, so a decision made here does not feed the next one),
  the entities named beside them and in how many articles;
- `SurnameContext.choose(ref, others)`: a naive Bayes posterior over the candidates (prior: articles;
  evidence: which of the profiled entities the article names and which it does not); the best candidate
  is taken when its tempered posterior reaches `MIN_POSTERIOR`, else the surname stays as it is.

The profiles are a pure function of the articles' own names and the corpus resolution, so the choice
does not depend on the order articles came in, and running it again changes nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..quotes.lexicon import given_name_sexes
from .person import parse_person
from .resolve import Resolution

# Chosen by leave-one-out on PolNeAR's 924 articles (`bench/surname_context.py`): people named together
# are far from independent evidence, so the untempered posterior was overconfident (Bush, Kennedy and
# Carter cases: 73% right at 0.8); counted at 1/8 and taken from 0.9, 23 of 23 were right and
# 98.6% of all decided cases (Hillary or Bill Clinton included).
MIN_CANDIDATE_ARTICLES = 5  # a person seen less often has too thin a profile to be told apart
ALPHA = 0.5  # additive smoothing of each profiled entity's rate beside a candidate
TEMPERATURE = 8.0  # the evidence's log-likelihood is divided by this
MIN_POSTERIOR = 0.9  # the best candidate is taken from this posterior


def ambiguous_surnames(resolution: Resolution) -> dict[str, list[str]]:
    """Lone-surname person refs whose entity holds no full name -> the ids of the full-name people of that
    family (surname and Jr./Sr.: "Trump" is never Donald Trump Jr. this way), two or more."""
    by_family: dict[tuple[str, str], set[str]] = {}
    lone: dict[str, tuple[str, str]] = {}
    for cid, cluster in resolution.clusters.items():
        if cluster.label != "PERSON":
            continue
        people = {ref: parse_person(ref.partition("|")[2]) for ref in cluster.refs if ref.startswith("PERSON|")}
        full = [p for p in people.values() if p.is_full]
        if full and cluster.articles >= MIN_CANDIDATE_ARTICLES:
            for p in full:
                by_family.setdefault(p.family, set()).add(cid)
        elif not full:
            lone.update({ref: p.family for ref, p in people.items() if p.last})
    return {ref: sorted(by_family[family]) for ref, family in sorted(lone.items())
            if len(by_family.get(family, ())) >= 2}


def candidate_refs(resolution: Resolution, candidates: dict[str, list[str]]) -> list[str]:
    """The refs of the candidates' entities: the articles naming them build the profiles."""
    wanted = _wanted(candidates)
    return sorted(ref for ref, cid in resolution.by_ref.items() if cid in wanted)


def _wanted(candidates: dict[str, list[str]]) -> set[str]:
    return {cid for ids in candidates.values() for cid in ids}


@dataclass
class Profile:
    articles: int = 0  # articles naming the candidate by its own names
    beside: Counter = field(default_factory=Counter)  # entity id -> articles naming both


@dataclass
class SurnameContext:
    candidates: dict[str, list[str]]  # lone-surname ref -> candidate entity ids
    profiles: dict[str, Profile]  # candidate id -> profile
    resolution: Resolution
    min_posterior: float = MIN_POSTERIOR
    _cache: dict[str, tuple[set[str], dict[str, float]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, resolution: Resolution, articles: Iterable[Iterable[str]], *,
              candidates: dict[str, list[str]] | None = None) -> "SurnameContext":
        """`articles`: each article's own entity refs (at least those of the articles naming a candidate;
        others are ignored). `candidates`: `ambiguous_surnames(resolution)`, when already worked out."""
        if candidates is None:
            candidates = ambiguous_surnames(resolution)
        wanted = _wanted(candidates)
        profiles = {cid: Profile() for cid in wanted}
        for refs in articles:
            ids = {cid for ref in refs if (cid := resolution.by_ref.get(ref)) is not None}
            for cid in ids & wanted:
                profiles[cid].articles += 1
                profiles[cid].beside.update(ids - {cid})
        return cls(candidates, profiles, resolution)

    def choose(self, ref: str, others: Iterable[str], *, sex: str | None = None) -> str | None:
        """The candidate id the lone surname `ref` is in an article naming the entity ids `others`, or None
        when the article's company does not settle it. `sex` ("m"/"f", from "Mr."/"Mrs." before the
        surname) rules out the candidates whose given name is of the other sex (two or more must be left)."""
        posteriors = self.posteriors(ref, others, sex=sex)
        if not posteriors:
            return None
        best = max(posteriors, key=lambda c: (posteriors[c], c))
        return best if posteriors[best] >= self.min_posterior else None

    def posteriors(self, ref: str, others: Iterable[str], *, sex: str | None = None) -> dict[str, float]:
        """Each candidate's posterior for `ref` in an article naming the entity ids `others`; empty when
        `ref` is no undecided surname, when the article names two candidates in full (its surname may be
        either), or when it names nothing the profiles know (then only the priors would speak, and the
        corpus already found them undecided)."""
        others = set(others)
        ids = self.candidates.get(ref)
        if not ids or len(others & set(ids)) >= 2:
            return {}
        if sex is not None:
            ids = [c for c in ids if _sex_of(self.resolution.clusters[c].name) in (sex, None)]
            if len(ids) < 2:
                return {}  # one left is no comparison: the company was never weighed
        vocabulary, base = self._evidence(ref)
        named = (others - {self.resolution.by_ref.get(ref)}) & vocabulary
        if not named:
            return {}
        scores = {c: math.log(self.profiles[c].articles + ALPHA)
                  + (base[c] + sum(self._log_odds(self.profiles[c], e) for e in named)) / TEMPERATURE for c in ids}
        top = max(scores.values())
        weights = {c: math.exp(s - top) for c, s in scores.items()}
        total = sum(weights.values())
        return {c: w / total for c, w in weights.items()}

    def _evidence(self, ref: str) -> tuple[set[str], dict[str, float]]:
        """The entities profiled beside any candidate of `ref`, and each candidate's log score for an
        article that names none of them (every profiled entity absent)."""
        if ref not in self._cache:
            ids = self.candidates[ref]
            vocabulary = set().union(*(self.profiles[c].beside for c in ids)) - set(ids)
            base = {c: sum(math.log(1.0 - _rate(self.profiles[c], e)) for e in vocabulary) for c in ids}
            self._cache[ref] = (vocabulary, base)
        return self._cache[ref]

    @staticmethod
    def _log_odds(profile: Profile, entity: str) -> float:
        rate = _rate(profile, entity)
        return math.log(rate) - math.log(1.0 - rate)


def _sex_of(name: str) -> str | None:
    return given_name_sexes().get(parse_person(name).first)


def _rate(profile: Profile, entity: str) -> float:
    return (profile.beside.get(entity, 0) + ALPHA) / (profile.articles + 2 * ALPHA)
