"""Document-level facet scoring shared by the entity benches (``bench/entities.py``, ``bench/conll.py``).

A facet value of an indexed article (``persons``, ``organizations``) is the entity's canonical name in
the corpus ("Barack Obama" for an article that says only "Obama"). It is scored **with aliases**: it
matches a gold value when the gold value's ``name_key`` (``person=True`` for persons) equals the key of
one of the value's names in that article -- the canonical name, and each of its entities' ``surface``
(the article's own name) and ``aliases`` (the article's other forms). Each predicted value and each gold
value is matched at most once (a maximum one-to-one matching), so a value whose names cover two gold
people counts once, and the other gold person is a false negative. Micro-averaged P / R / F1 over
articles.

Strict matching (``names_of=None`` / a plain list of values) is the same with only the value itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from indexer.names import name_key

FACET_LABELS = {"persons": "PERSON", "organizations": "ORG", "locations": "LOC"}


def micro_prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _keyed(names, person: bool) -> dict[str, str]:
    """key -> first surface name with that key (empty keys dropped): the document-level set."""
    out: dict[str, str] = {}
    for n in names:
        k = name_key(n, person=person)
        if k:
            out.setdefault(k, n)
    return out


def facet_names(doc: dict, facet: str) -> dict[str, list[str]]:
    """The document's values of `facet`, each with its names in this article: the value itself, and the
    ``surface`` and ``aliases`` of every (not dropped) entity of the facet's label with that name."""
    label = FACET_LABELS[facet]
    out: dict[str, list[str]] = {value: [value] for value in doc.get(facet) or []}
    for entity in doc.get("entities") or []:
        if entity.get("dropped") or entity.get("label") != label or entity.get("name") not in out:
            continue
        names = out[entity["name"]]
        for form in (entity.get("surface"), *(entity.get("aliases") or [])):
            if form and form not in names:
                names.append(form)
    return out


@dataclass
class FacetScore:
    """One article's facet against its gold set."""

    pairs: list[tuple[str, str]] = field(default_factory=list)  # (predicted value, gold value)
    false_positives: list[str] = field(default_factory=list)  # predicted values left unmatched
    false_negatives: list[str] = field(default_factory=list)  # gold values left unmatched
    covers: dict[str, list[str]] = field(default_factory=dict)  # predicted value -> every gold value its names hit

    @property
    def tp(self) -> int:
        return len(self.pairs)

    @property
    def fp(self) -> int:
        return len(self.false_positives)

    @property
    def fn(self) -> int:
        return len(self.false_negatives)

    def counts(self) -> dict[str, int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}


def score_facet(gold: Iterable[str], predicted: Mapping[str, Iterable[str]] | Iterable[str], *,
                person: bool) -> FacetScore:
    """Match the predicted values (value -> its names in the article; a plain iterable of values for strict
    matching) against the gold values, one to one, by ``name_key``."""
    gold_by_key = _keyed(gold, person)
    if not isinstance(predicted, Mapping):
        predicted = {value: [value] for value in predicted}
    values: dict[str, str] = {}  # value key -> value (one predicted value per key, as in _keyed)
    keys: dict[str, list[str]] = {}  # value -> gold keys its names hit, its own key first
    for value, names in predicted.items():
        own = name_key(value, person=person)
        if not own:
            continue
        if own in values:  # a second value with the same key is the same value: pool its names
            value = values[own]
        values.setdefault(own, value)
        hits = keys.setdefault(value, [])
        for k in (own, *(name_key(n, person=person) for n in names)):
            if k in gold_by_key and k not in hits:
                hits.append(k)
    # maximum one-to-one matching (augmenting paths); values hitting their own key are tried first
    owner: dict[str, str] = {}  # gold key -> predicted value

    def augment(value: str, seen: set[str]) -> bool:
        for k in keys[value]:
            if k in seen:
                continue
            seen.add(k)
            if k not in owner or augment(owner[k], seen):
                owner[k] = value
                return True
        return False

    order = sorted(keys, key=lambda v: (not keys[v] or keys[v][0] != name_key(v, person=person), len(keys[v])))
    for value in order:
        augment(value, set())
    matched = {v: k for k, v in owner.items()}
    return FacetScore(
        pairs=[(v, gold_by_key[matched[v]]) for v in keys if v in matched],
        false_positives=[v for v in keys if v not in matched],
        false_negatives=[g for k, g in gold_by_key.items() if k not in owner],
        covers={v: [gold_by_key[k] for k in hits] for v, hits in keys.items() if hits},
    )


def review(score: FacetScore, doc: dict, facet: str, *, person: bool) -> list[str]:
    """What to check by hand in one article's facet (resolution's doing, which scoring with aliases does
    not penalise):

    - ``renamed``: a value whose canonical name is none of its entities' surfaces, with the gold value it
      matched (through the surface or an alias) or ``no gold``: "Obama" -> "Barack Obama" is right,
      "Simmons" -> "Lendl Simmons" for gold "Phil Simmons" is a wrong merge;
    - ``merged``: a value whose names hit more than one gold value, one of them left unmatched (two gold
      entities under one canonical name, or one article entity that holds two).
    """
    label = FACET_LABELS[facet]
    surfaces: dict[str, list[str]] = {}
    for entity in doc.get("entities") or []:
        if not entity.get("dropped") and entity.get("label") == label and entity.get("name") in (doc.get(facet) or ()):
            surfaces.setdefault(entity["name"], []).append(entity.get("surface") or entity["name"])
    gold_of = dict(score.pairs)
    notes = []
    for value, forms in surfaces.items():
        if all(name_key(f, person=person) != name_key(value, person=person) for f in forms):
            gold = f"gold {gold_of[value]!r}" if value in gold_of else "no gold"
            notes.append(f"renamed {forms} -> {value!r} ({gold})")
    missed = set(score.false_negatives)
    for value, golds in score.covers.items():
        if len(golds) > 1 and missed & set(golds):
            notes.append(f"merged {golds} in one value {value!r} (surfaces {surfaces.get(value, [value])})")
    return notes
