"""The small context the quote phases share (the doc, its paragraphs, quoted spans, cues and the
speaker resolver), and the first phase that builds it: the quoted spans of a doc."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc

from ..contract import break_pattern, set_breaks, split_paragraphs
from .cues import Cue
from .marks import QuoteSpan, find_double_quotes, find_single_quotes
from .speakers import Resolver


@dataclass
class QuoteContext:
    doc: Doc
    paragraphs: list[tuple[int, int]]
    spans: list[QuoteSpan]  # quoted spans in text order, with their token spans
    in_quote: list[bool]  # per token: inside a quoted span
    cues: list[Cue] = field(default_factory=list)
    resolver: Resolver | None = None
    outlets: list[str] = field(default_factory=list)  # cited outlets, in order of first citation
    mention_index: object = None  # candidates.MentionIndex, built on first use
    text: str = ""  # doc.text (spaCy joins the tokens on every read)
    body_start: int = 0
    para_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.text or self.doc.text
        self.body_start = self.doc._.body_start or 0
        self.para_starts = [a for a, _ in self.paragraphs]

    def para_index(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def cite(self, outlet: str | None) -> None:
        if outlet and outlet not in self.outlets:
            self.outlets.append(outlet)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def token_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        # fall back to a scan (only whitespace in range)
        s = next((t.i for t in doc if t.idx + len(t) > start), len(doc))
        e = next((t.i for t in doc if t.idx >= end), len(doc))
        return s, max(e, s)
    return span.start, span.end


def mark_quotes(doc: Doc) -> QuoteContext | None:
    """Phase 1: paragraphs (marked on the doc's whitespace tokens as breaks) and the quoted spans;
    None for a doc without text."""
    text = doc.text
    pattern = break_pattern(text)
    paragraphs = split_paragraphs(text, 0, len(text), pattern)
    if not paragraphs:
        return None
    hard = pattern.pattern != r"\n"
    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist()  # only whitespace tokens hold a "\n"
    set_breaks(doc, [
        i for i in spaces
        if "\n" in doc[i].text and (not hard or re.search(r"\n\s*\n|\n[ \t]", doc[i].text))
    ])
    doubles = find_double_quotes(text, paragraphs)
    singles = find_single_quotes(text, paragraphs, doubles)
    spans = sorted(doubles + singles, key=lambda q: q.start)
    in_quote = [False] * len(doc)
    for q in spans:
        q.tok_start, q.tok_end = token_span(doc, q.start, q.end)
        for i in range(q.tok_start, min(q.tok_end, len(doc))):
            in_quote[i] = True
    return QuoteContext(doc, paragraphs, spans, in_quote, text=text)
