"""An article's body cut into what the article page marks: quotes (by their exact offsets) and, inside
and between them, the mentions of the article's entities (found by the names and aliases the entity
stage recorded). Only text comes out: the template escapes every piece."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Piece:
    text: str
    entity: dict | None = None  # the entity this piece names


@dataclass
class Block:
    pieces: list[Piece] = field(default_factory=list)
    quote: dict | None = None  # the quote this block is, or None for the text between quotes


def shown_entities(document: dict) -> list[dict]:
    """The article's entities a reader is shown: not dropped by curation, not `misc` (laws, events)."""
    return [e for e in document.get("entities") or [] if not e.get("dropped") and e.get("kind") != "misc"]


def _forms(entity: dict) -> set[str]:
    return {form for form in (entity.get("name"), entity.get("surface"), *(entity.get("aliases") or []))
            if form and len(form) > 1}


def mention_pattern(entities: list[dict]) -> tuple[re.Pattern | None, dict[str, dict]]:
    """One pattern for every written form of the entities, longest first, on word boundaries."""
    by_form: dict[str, dict] = {}
    for entity in sorted(entities, key=lambda e: -(e.get("mentions") or 0)):
        for form in _forms(entity):
            by_form.setdefault(form, entity)
    if not by_form:
        return None, by_form
    alternatives = "|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), by_form


def _pieces(text: str, pattern: re.Pattern | None, by_form: dict[str, dict]) -> list[Piece]:
    if pattern is None:
        return [Piece(text)] if text else []
    pieces, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.append(Piece(text[at:match.start()]))
        pieces.append(Piece(match.group(), by_form[match.group()]))
        at = match.end()
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def body_quotes(document: dict) -> list[dict]:
    """The body's quotes in order, each within the body and none overlapping an earlier one."""
    body_length = len(document.get("body") or "")
    quotes, end = [], 0
    for quote in sorted((q for q in document.get("quotes") or [] if q.get("field", "body") == "body"),
                        key=lambda q: (q.get("start", 0), -q.get("end", 0))):
        start, stop = quote.get("start"), quote.get("end")
        if start is None or stop is None or start < end or stop > body_length or stop <= start:
            continue
        quotes.append(quote)
        end = stop
    return quotes


def mark_body(document: dict) -> list[Block]:
    """The body as blocks: text between quotes, and quotes, each cut into entity mentions and text."""
    body = document.get("body") or ""
    pattern, by_form = mention_pattern(shown_entities(document))
    blocks: list[Block] = []
    at = 0
    for quote in body_quotes(document):
        if quote["start"] > at:
            blocks.append(Block(_pieces(body[at:quote["start"]], pattern, by_form)))
        blocks.append(Block(_pieces(body[quote["start"]:quote["end"]], pattern, by_form), quote))
        at = quote["end"]
    if at < len(body):
        blocks.append(Block(_pieces(body[at:], pattern, by_form)))
    return blocks
