"""All phases over one doc: marks -> cues -> claims -> attributions -> linking -> emit."""

from __future__ import annotations

from spacy.tokens import Doc

from ..contract import clear_breaks
from ..model import Quote
from .attributions import build_attributions
from .claims import claim_quotes, resolve_sources
from .context import QuoteContext, mark_quotes
from .cues import find_cues
from .emit import emit
from .linker import QuoteLinker
from .linking import link
from .records import Attribution


def attribute(doc: Doc, linker: QuoteLinker | None = None) -> tuple[QuoteContext, list[Attribution]] | None:
    """The phases up to linking: the context and the linked attributions (None: a doc without text).
    The caller clears the doc's paragraph breaks (``contract.clear_breaks``) when done with it."""
    ctx = mark_quotes(doc)
    if ctx is None:
        return None
    ctx.cues = find_cues(doc, ctx.in_quote, open_cues=linker is not None and linker.open_cues)
    resolve_sources(ctx)
    claim_quotes(ctx)
    return ctx, link(ctx, build_attributions(ctx), linker)


def extract(doc: Doc, linker: QuoteLinker | None = None) -> tuple[list[Quote], list[dict], list[str]]:
    """(quotes, per-quote details, cited outlets) of a parsed doc with entity mentions; `linker`
    decides speakers and what to keep (None: the rules alone)."""
    try:
        found = attribute(doc, linker)
        if found is None:
            return [], [], []
        ctx, attributions = found
        quotes, details = emit(ctx, attributions)
        return quotes, details, ctx.outlets
    finally:
        clear_breaks(doc)
