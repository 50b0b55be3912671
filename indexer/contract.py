"""The Doc contract: how an article is laid out in a spaCy `Doc`, and what the components read and write on it.

Every part of the pipeline (``nlp.py``, ``indexer.entities``, ``indexer.quotes``, ``enrich.py``) imports
this module; it imports nothing of them, so there is no import cycle between them.

Text layout. An article is one `Doc` whose text is ``title + TITLE_SEPARATOR + body`` (just the body
when there is no title); ``doc._.body_start`` is the character offset where the body starts (0: no
title). :func:`field_span` maps doc offsets back to the article's ``title`` or ``body`` field.
Paragraphs end at line breaks, or, in hard-wrapped newswire (Reuters), at blank and indented lines
only (:func:`break_pattern`, :func:`split_paragraphs`); the paragraph-ending whitespace tokens of a doc can
be recorded (:func:`set_breaks`) for :func:`is_break` and :func:`paragraph_bounds`.

Extensions (``Doc._``), all set by :func:`make_doc` or the components:

| extension       | set by                 | value                                                       |
|-----------------|------------------------|-------------------------------------------------------------|
| body_start      | make_doc               | int: where the body starts in ``doc.text``                  |
| entities        | presswatch_entities    | list[Entity]: the canonical entities                        |
| mentions        | presswatch_entities    | list[Mention], sorted by start: their token spans           |
| quotes          | presswatch_quotes      | list[Quote]                                                 |
| cited_outlets   | presswatch_quotes      | list[str]: outlets the article cites as sources             |
| quote_details   | presswatch_quotes      | list[dict]: per quote, doc-level spans (bench/quotes.py)    |
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from .model import Entity

TITLE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in the doc: a token span, with its canonical entity."""

    start: int  # token index
    end: int  # token index, exclusive
    entity: Entity


EXTENSIONS = {
    "body_start": 0,
    "entities": None,
    "mentions": None,
    "quotes": None,
    "cited_outlets": None,
    "quote_details": None,
}
for _name, _default in EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


# -- headline and body -------------------------------------------------------------------------
def compose_text(title: str, body: str) -> tuple[str, int]:
    """The text spaCy sees for an article, and the offset where the body starts in it."""
    if not title:
        return body, 0
    return title + TITLE_SEPARATOR + body, len(title) + len(TITLE_SEPARATOR)


def make_doc(nlp: Language, title: str, body: str) -> Doc:
    """An unprocessed Doc for an article, with ``doc._.body_start`` set and a sentence starting at the
    body and at each paragraph (:func:`mark_sentence_starts`): what the pipeline expects."""
    text, body_start = compose_text(title, body)
    doc = tokenize(nlp, text)
    doc._.body_start = body_start
    mark_sentence_starts(doc, body_start)
    return doc


def mark_sentence_starts(doc: Doc, body_start: int) -> None:
    """The body's first word starts a sentence, and so does each paragraph's: the parser keeps to
    boundaries set before it, so a headline without a full stop is never parsed as the subject of the
    body's first sentence ("Votes \u201cWe expect ...\u201d said X")."""
    text = doc.text
    starts = [a for a, _ in split_paragraphs(text, body_start, len(text), break_pattern(text))]
    for i in token_at_or_after(doc, starts):  # the first paragraph's is the body's first word
        if i is not None and i > 0:
            doc[i].is_sent_start = True


def token_at_or_after(doc: Doc, chars: list[int]) -> list[int | None]:
    """The first non-space token starting at or after each char offset (sorted offsets)."""
    idx = doc.to_array("IDX")
    out = []
    for c in chars:
        i = int(idx.searchsorted(c))
        while i < len(doc) and doc[i].is_space:
            i += 1
        out.append(i if i < len(doc) else None)
    return out


def field_span(body_start: int, start: int, end: int) -> tuple[str, int, int]:
    """Doc characters [start, end) as (field, start, end) in the article: in the ``title`` (the end
    cut at the title's end) when they start before the body, else in the ``body``."""
    if body_start and start < body_start:
        return "title", start, min(end, body_start - len(TITLE_SEPARATOR))
    return "body", start - body_start, end - body_start


# spaCy's tokenizer peels affixes off a token one at a time, so a long run without spaces (20,000
# quotation marks, a base64 blob) takes time quadratic in its length: such runs are cut into pieces.
LONG_RUN = re.compile(r"\S{%d,}" % 200)
RUN_PIECE = 100


def tokenize(nlp: Language, text: str) -> Doc:
    """`nlp.make_doc(text)`, in linear time whatever the text; the Doc's text is `text` exactly."""
    runs = list(LONG_RUN.finditer(text))
    if not runs:
        return nlp.make_doc(text)
    parts, start = [], 0
    for run in runs:
        parts.append(text[start:run.start()])
        parts.extend(text[k:min(k + RUN_PIECE, run.end())] for k in range(run.start(), run.end(), RUN_PIECE))
        start = run.end()
    parts.append(text[start:])
    docs = [nlp.make_doc(part) for part in parts if part]
    return Doc.from_docs(docs, ensure_whitespace=False)


# -- paragraphs --------------------------------------------------------------------------------
BREAKS_KEY = "presswatch_paragraph_breaks"  # in doc.user_data: sorted token indices
LINE_BREAK = re.compile(r"\n")


def hard_wrapped(text: str) -> bool:
    """Newswire text wrapped at a fixed width (Reuters): most lines end mid-sentence."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 4:
        return False
    open_ended = sum(1 for ln in lines if ln.rstrip()[-1:] not in ".?!:\"”'’)")
    return open_ended / len(lines) > 0.4


def break_pattern(text: str) -> re.Pattern:
    """What ends a paragraph in `text`: a line break; in hard-wrapped text, a blank or indented line only."""
    return re.compile(r"\n\s*\n|\n(?=[ \t])") if hard_wrapped(text) else re.compile(r"\n")


def split_paragraphs(text: str, start: int, end: int, pattern: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Character spans of the non-blank paragraphs of text[start:end], split at `pattern` (line breaks)."""
    out = []
    pos = start
    for m in (pattern or LINE_BREAK).finditer(text, start, end):
        a, b = pos, m.start()
        if text[a:b].strip():
            out.append((a, b))
        pos = m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


def set_breaks(doc: Doc, breaks: list[int]) -> None:
    """Record the doc's paragraph-ending whitespace tokens (sorted indices) for `is_break` and
    `paragraph_bounds`; `clear_breaks` forgets them."""
    doc.user_data[BREAKS_KEY] = breaks


def clear_breaks(doc: Doc) -> None:
    doc.user_data.pop(BREAKS_KEY, None)


def paragraph_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) token indices of the paragraph around token ``i``, breaks excluded."""
    breaks = doc.user_data.get(BREAKS_KEY)
    if breaks is None:
        breaks = [t.i for t in doc if is_break(t)]
    k = bisect_left(breaks, i)
    start = breaks[k - 1] + 1 if k > 0 else 0
    k = bisect_left(breaks, i + 1)
    return start, breaks[k] if k < len(breaks) else len(doc)


def is_break(tok: Token) -> bool:
    """A whitespace token that ends a paragraph: one recorded by `set_breaks`, else any holding a line break."""
    breaks = tok.doc.user_data.get(BREAKS_KEY)
    if breaks is None:
        return "\n" in tok.text
    k = bisect_left(breaks, tok.i)
    return k < len(breaks) and breaks[k] == tok.i
