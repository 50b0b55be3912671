"""Phase 6, emit: the linked attributions as the document's ``Quote`` records (offsets in their field,
exact), and the per-quote details the benchmark reads."""

from __future__ import annotations

from ..contract import field_span
from ..model import Quote
from .context import QuoteContext
from .records import Attribution


def to_quote(ctx: QuoteContext, a: Attribution) -> Quote:
    field_name, start, end = field_span(ctx.body_start, a.start, a.end)
    sp = a.speaker
    return Quote(
        text=ctx.text[a.start : a.end],
        speaker=sp.name,
        speaker_mention=sp.mention,
        speaker_type=sp.type if sp.name is not None or sp.type == "outlet" else "unknown",
        cue=a.cue_text,
        kind=a.kind,
        start=start,
        end=end,
        field=field_name,
        confidence=round(a.confidence, 3),
    )


def details_of(a: Attribution) -> dict:
    """Doc-level spans of the quote's text, speaker mention, cue and content, and its group."""
    c, sp = a.cue, a.speaker
    return {
        "doc_span": (a.start, a.end),
        "speaker_span": sp.span,
        "speaker_aliases": list(sp.entity.aliases) if sp.entity is not None else [],
        "cue_span": (c.token.idx, c.token.idx + len(c.token)) if c is not None else None,
        "content_spans": [(q.outer_start, q.outer_end) for q in a.quotes] if a.kind == "direct" and a.quotes else [(a.start, a.end)],
        "group": a.group,  # parts of one attribution: an interrupted quote and its continuations
        "keep_probability": a.keep_probability,
        "candidates": [(cand.speaker.name, cand.probability) for cand in a.candidates],
    }


def emit(ctx: QuoteContext, attributions: list[Attribution]) -> tuple[list[Quote], list[dict]]:
    return [to_quote(ctx, a) for a in attributions], [details_of(a) for a in attributions]
