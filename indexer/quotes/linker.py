"""The trained quote linker: two logistic regressions over named features.

- **speaker**: the probability that a candidate (:mod:`.candidates`) is the attribution's speaker;
  linking takes the most probable candidate -- for the kinds of source (``decides``: a name, a role, a
  quote without a cue ...) that training had examples of. A pronoun's antecedent stays the resolver's
  (``speakers``): PolNeAR marks "he" as the source, not whom it stands for, so there is nothing to learn
  it from.
- **keep**: the probability that an attribution is one a reader would mark (:func:`attribution_features`:
  its kind, cue class and verb, how the cue names its source, the speaker's type, length, quotes,
  position); attributions under ``keep_threshold`` are dropped.

A quote's confidence is keep x speaker, where the linker decides the speaker; keep alone elsewhere
(no one named, or a source the linker does not decide: a pronoun, a role). Both models are trained on
PolNeAR train by ``bench/train_quote_linker.py`` (regularisation and threshold chosen by 5-fold
cross-validation on train; dev never seen) and ship as ``indexer/data/quote_linker.json``. Without the
file, linking keeps the rules' choices and every confidence is 1.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .candidates import bucket, source_kind
from .context import QuoteContext
from .records import Attribution

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "quote_linker.json"
WORD_BUCKETS = (4, 8, 16, 32, 64)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _score(weights: dict[str, float], bias: float, feats: dict[str, float]) -> float:
    return _sigmoid(bias + sum(weights.get(k, 0.0) * v for k, v in feats.items()))


@dataclass(frozen=True)
class QuoteLinker:
    speaker_weights: dict[str, float]
    speaker_bias: float
    keep_weights: dict[str, float]
    keep_bias: float
    keep_threshold: float
    decides: frozenset[str] = frozenset()  # the source kinds (candidates.source_kind) it chooses speakers for
    open_cues: bool = False  # it judges verbs outside the cue lexicon too (cues.find_cues)

    @classmethod
    def from_dict(cls, data: dict) -> QuoteLinker:
        return cls(dict(data["speaker"]["weights"]), float(data["speaker"]["bias"]),
                   dict(data["keep"]["weights"]), float(data["keep"]["bias"]), float(data["keep"]["threshold"]),
                   frozenset(data["speaker"]["decides"]), bool(data["keep"].get("open_cues", False)))

    def speaker_probability(self, feats: dict[str, float]) -> float:
        return _score(self.speaker_weights, self.speaker_bias, feats)

    def keep_probability(self, feats: dict[str, float]) -> float:
        return _score(self.keep_weights, self.keep_bias, feats)


@lru_cache(maxsize=4)
def load_linker(path: str | None = None) -> QuoteLinker | None:
    """The shipped linker (None when its file is absent: the rules decide)."""
    file = Path(path) if path else MODEL_FILE
    if not file.is_file():
        return None
    return QuoteLinker.from_dict(json.loads(file.read_text(encoding="utf-8")))


def attribution_features(ctx: QuoteContext, a: Attribution) -> dict[str, float]:
    """What the keep model sees of an attribution."""
    text = ctx.text[a.start : a.end]
    c = a.cue
    src = source_kind(a)
    cls = c.cls if c is not None else "none"
    f: dict[str, float] = {
        f"kind={a.kind}": 1.0, f"cls={cls}": 1.0, f"src={src}": 1.0, f"kind={a.kind}&cls={cls}": 1.0,
        f"kind={a.kind}&src={src}": 1.0, f"stype={a.speaker.type}": 1.0,
        f"words={bucket(len(text.split()), WORD_BUCKETS)}": 1.0, f"quotes={min(len(a.quotes), 3)}": 1.0,
        f"para={min(ctx.para_index(a.start), 5)}": 1.0,
    }
    if c is not None:
        base = c.base or c.cue_text.lower()
        f[f"base={base}"] = 1.0
        f[f"base={base}&kind={a.kind}"] = 1.0
        if c.via:
            f[f"via={c.via}"] = 1.0
            f[f"cls={cls}&via={c.via}"] = 1.0
            f[f"base={base}&via={c.via}"] = 1.0
        f[f"cls={cls}&tag={c.token.tag_}"] = 1.0
        if c.obj:
            f["object_content"] = 1.0
        if c.token.idx > a.start:
            f["cue_after"] = 1.0
        if c.local is not None:
            f["relative_source"] = 1.0
    if a.speaker.name is not None:
        f["named"] = 1.0
    if ctx.body_start and a.start < ctx.body_start:
        f["headline"] = 1.0
    if any(not q.closed for q in a.quotes):
        f["unclosed"] = 1.0
    if any(q.single for q in a.quotes):
        f["single_marks"] = 1.0
    if text[-1:] in ".?!":
        f["ends_sentence"] = 1.0
    if text[:1].isupper():
        f["starts_upper"] = 1.0
    return f
