"""The typed records of the last phases: a speaker :class:`Candidate` of an attribution, and the
:class:`Attribution` itself (a cue, or none, with its quoted spans, kind, text span, speaker and
confidence). ``QuoteSpan`` (``marks``), ``Cue`` (``cues``) and ``Speaker`` (``speakers``) are the
records of the phases before."""

from __future__ import annotations

from dataclasses import dataclass, field
from .cues import Cue
from .marks import QuoteSpan
from .speakers import Speaker


@dataclass
class Candidate:
    """One speaker an attribution could have, with the evidence for it (the features the linker
    scores) and, once scored, its probability."""

    speaker: Speaker
    features: dict[str, float]
    probability: float = 0.0


@dataclass
class Attribution:
    """A statement found in the text: its cue (None for a quote that continues an earlier one), kind,
    the doc-level character span of its text (trimmed), the quoted spans it holds, and, once linked,
    its speaker, group and confidence."""

    cue: Cue | None
    kind: str  # direct | mixed | indirect
    start: int
    end: int
    quotes: list[QuoteSpan]
    speaker: Speaker = field(default_factory=Speaker.unknown)
    group: object = None  # parts of one attribution share it: an interrupted quote, its continuations
    candidates: list[Candidate] = field(default_factory=list)
    keep_probability: float = 1.0
    confidence: float = 0.0

    @property
    def cue_text(self) -> str | None:
        return self.cue.cue_text if self.cue is not None else None
