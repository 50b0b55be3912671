"""Step 8, judge: a trained classifier decides, for each person and organisation of the article, whether it
is one, the other, or neither (an event, a law, a building, a common word, a cut span).

The features are what the Doc shows of the entity (:func:`features`), and the name's prior: how the stock
recogniser labelled it across the research corpora (``indexer/data/name_labels.json``, names and counts
only; "Obamacare" is mostly a law, "Capitol Hill" a place). The Doc gives the recogniser's own labels on its
mentions (a LAW, FAC, EVENT, WORK_OF_ART, NORP or GPE elsewhere is a strong hint), the name's shape
(lower-case words, one word, an acronym, a given name first, an organisation head or a firm suffix last),
its context (a title before it, "the" before it, a possessive, a speech verb it is the subject of, a
noun it modifies: "the Trump administration"), and how often and where it is mentioned (the headline only).

The model is a multinomial logistic regression (PERSON / ORG / NONE) trained by
``bench/train_entity_judge.py`` on the tune part of ``bench/data/ner-doc-labels.jsonl`` (never the held-out
third), its regularisation and thresholds chosen by 5-fold cross-validation; the weights ship as
``indexer/data/entity_judge.json``. An entity is dropped when NONE has probability of at least its label's
``drop_at``, relabelled when the other label has at least ``relabel_at``; a label whose thresholds did not
gain in cross-validation is not judged. Registry-labelled names and
catalogue outlets are not judged (the user or the catalogue already decided).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..contract import Mention
from ..model import Entity
from ..names import name_key
from .lexicon import ORG_HEADS, PERSON_TITLES
from .name_match import FIRM_ENDINGS

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "entity_judge.json"
PRIOR_FILE = Path(__file__).resolve().parent.parent / "data" / "name_labels.json"
JUDGED = ("PERSON", "ORG")
OTHER_NER = frozenset({"WORK_OF_ART", "EVENT", "LAW", "FAC", "PRODUCT", "NORP", "LANGUAGE"})
PLACE_NER = frozenset({"GPE", "LOC"})
NUMERIC_NER = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
SPEECH_LEMMAS = frozenset("say said says tell told add added according announce announced claim claimed".split())
CONNECTORS = frozenset({"of", "for", "and", "&", "the", "de", "du", "la", "le", "al", "bin", "von", "van"})


def _bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


@dataclass(frozen=True)
class NamePrior:
    """How the stock recogniser labelled each frequent name across the research corpora
    (``bench/build_name_labels.py``): article counts per group."""

    groups: tuple[str, ...]
    names: dict[str, tuple[int, ...]]

    def shares(self, *names: str) -> dict[str, float] | None:
        """The label shares of the most often seen of `names` (None: none of them was seen)."""
        counts = [self.names.get(name_key(n)) for n in names]
        best = max((c for c in counts if c), key=sum, default=None)
        if best is None:
            return None
        total = sum(best)
        return {g: c / total for g, c in zip(self.groups, best)} | {"seen": min(total, 50) / 50}


@lru_cache(maxsize=2)
def load_prior(path: str | None = None) -> NamePrior | None:
    file = Path(path) if path else PRIOR_FILE
    if not file.is_file():
        return None
    data = json.loads(file.read_text(encoding="utf-8"))
    return NamePrior(tuple(data["groups"]), {k: tuple(v) for k, v in data["names"].items()})


def features(doc: Doc, entity: Entity, mentions: list[Mention], given_names: frozenset[str],
             prior: NamePrior | None = None) -> dict[str, float]:
    """The entity's features as the Doc shows them, and the corpus prior of its name (see the module docs)."""
    label = entity.label
    words = entity.name.split()
    low = [w.lower() for w in words]
    f: dict[str, float] = {f"label={label}": 1.0, f"{label}:words={_bucket(len(words), 4)}": 1.0,
                           f"{label}:mentions={_bucket(len(mentions), 3)}": 1.0}
    content = [w for w in words if w.lower() not in CONNECTORS]
    if content and any(w[:1].islower() for w in content):
        f[f"{label}:lower_word"] = 1.0
    if content and all(not w[:1].isupper() for w in content):
        f[f"{label}:no_capital"] = 1.0
    if entity.name.isupper() and 2 <= len(entity.name.replace(".", "")) <= 6:
        f[f"{label}:acronym"] = 1.0
    if any(ch.isdigit() for ch in entity.name):
        f[f"{label}:digit"] = 1.0
    if low and low[0] in given_names:
        f[f"{label}:given_first"] = 1.0
    if low and low[-1].strip(".") in ORG_HEADS:
        f[f"{label}:org_head"] = 1.0
    if low and low[-1].strip(".") in FIRM_ENDINGS:
        f[f"{label}:firm_ending"] = 1.0
    if len(low) >= 2:
        f[f"{label}:last={low[-1].strip('.,')}"] = 1.0  # learned heads: "... Act", "... Convention", "... Tower"
    if entity.role:
        f[f"{label}:role"] = 1.0
    if entity.kind:
        f[f"{label}:kind={entity.kind}"] = 1.0
    f.update(_mention_features(doc, label, mentions))
    shares = prior.shares(entity.name, *entity.aliases) if prior is not None else None
    if shares is None:
        f[f"{label}:prior_unseen"] = 1.0
    else:
        f.update({f"{label}:prior_{g.lower()}": v for g, v in shares.items() if v})
    return f


def _mention_features(doc: Doc, label: str, mentions: list[Mention]) -> dict[str, float]:
    counts = {"other": 0, "place": 0, "numeric": 0, "person": 0, "org": 0, "none": 0, "title": 0, "the": 0,
              "possessive": 0, "speaker": 0, "modifier": 0, "headline": 0}
    body_start = doc._.body_start or 0
    words_before: dict[str, int] = {}
    for m in mentions:
        labels = {doc[i].ent_type_ for i in range(m.start, m.end)} - {""}
        counts["other"] += bool(labels & OTHER_NER)
        counts["place"] += bool(labels & PLACE_NER)
        counts["numeric"] += bool(labels & NUMERIC_NER)
        counts["person"] += "PERSON" in labels
        counts["org"] += "ORG" in labels
        counts["none"] += not labels
        before = doc[m.start - 1] if m.start > 0 else None
        after = doc[m.end] if m.end < len(doc) else None
        last = doc[m.end - 1]
        counts["title"] += before is not None and before.lower_.strip(".") in PERSON_TITLES
        counts["the"] += before is not None and before.lower_ == "the"
        counts["possessive"] += after is not None and after.tag_ == "POS"
        counts["speaker"] += last.dep_ in ("nsubj", "nsubjpass") and last.head.lower_ in SPEECH_LEMMAS
        counts["modifier"] += last.dep_ == "compound" and last.head.pos_ == "NOUN"
        counts["headline"] += doc[m.start].idx < body_start
        if before is not None and before.is_alpha:
            word = before.lower_
            words_before[word] = words_before.get(word, 0) + 1
    n = max(len(mentions), 1)
    out = {f"{label}:ner_{k}": v / n for k, v in counts.items()
           if k in ("other", "place", "numeric", "person", "org", "none") and v}
    out.update({f"{label}:{k}": v / n for k, v in counts.items()
                if k in ("title", "the", "possessive", "speaker", "modifier") and v})
    if counts["headline"] == len(mentions) and mentions:
        out[f"{label}:headline_only"] = 1.0
    out.update({f"{label}:before={w}": c / n for w, c in words_before.items()})  # "in X", "at X", "by X"
    return out


@dataclass(frozen=True)
class EntityJudge:
    """The shipped classifier: weights per class over named features, and the two thresholds."""

    classes: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]  # feature -> one weight per class
    bias: tuple[float, ...]
    thresholds: dict[str, tuple[float, float]]  # label -> (drop_at, relabel_at); above 1: never

    @classmethod
    def from_dict(cls, data: dict) -> EntityJudge:
        thresholds = {label: (float(t["drop_at"]), float(t["relabel_at"])) for label, t in data["thresholds"].items()}
        return cls(tuple(data["classes"]), {k: tuple(v) for k, v in data["weights"].items()},
                   tuple(data["bias"]), thresholds)

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        scores = list(self.bias)
        for name, value in feats.items():
            for k, w in enumerate(self.weights.get(name, ())):
                scores[k] += w * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def judges(self, label: str) -> bool:
        """Whether this label has a decision at all (cross-validation may have found none)."""
        drop_at, relabel_at = self.thresholds.get(label, (2.0, 2.0))
        return drop_at <= 1 or relabel_at <= 1

    def verdict(self, label: str, feats: dict[str, float]) -> str | None:
        """None (keep), "NONE" (drop) or the other label (relabel)."""
        drop_at, relabel_at = self.thresholds.get(label, (2.0, 2.0))
        if drop_at > 1 and relabel_at > 1:
            return None
        p = self.probabilities(feats)
        if p.get("NONE", 0.0) >= drop_at:
            return "NONE"
        other = "ORG" if label == "PERSON" else "PERSON"
        if p.get(other, 0.0) >= relabel_at:
            return other
        return None


@lru_cache(maxsize=2)
def load_judge(path: str | None = None) -> EntityJudge | None:
    """The shipped judge (None when its file is absent: every entity is kept)."""
    file = Path(path) if path else MODEL_FILE
    if not file.is_file():
        return None
    return EntityJudge.from_dict(json.loads(file.read_text(encoding="utf-8")))


def judge(doc: Doc, entities: list[Entity], mentions: list[Mention], *, judge_model: EntityJudge | None,
          given_names: frozenset[str], prior: NamePrior | None = None,
          decided: Iterable[str] = ()) -> tuple[list[Entity], list[Mention]]:
    """The entities the classifier keeps (some relabelled), and their mentions. `decided`: name keys the
    registry labels, never judged."""
    if judge_model is None:
        return entities, mentions
    decided = frozenset(decided)
    by_entity: dict[int, list[Mention]] = {}
    for m in mentions:
        by_entity.setdefault(id(m.entity), []).append(m)
    dropped: set[int] = set()
    for entity in entities:
        if entity.label not in JUDGED or entity.kind or not judge_model.judges(entity.label):  # outlets, misc
            continue
        if name_key(entity.name) in decided or any(name_key(a) in decided for a in entity.aliases):
            continue
        feats = features(doc, entity, by_entity.get(id(entity), []), given_names, prior)
        verdict = judge_model.verdict(entity.label, feats)
        if verdict == "NONE":
            dropped.add(id(entity))
        elif verdict is not None:
            entity.label = verdict
            entity.key = name_key(entity.name, person=verdict == "PERSON")
    return ([e for e in entities if id(e) not in dropped],
            [m for m in mentions if id(m.entity) not in dropped])
