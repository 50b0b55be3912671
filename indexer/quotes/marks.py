"""Pass 1: the quoted spans between quotation marks, paragraph by paragraph (character level; the
paragraphs are the Doc contract's: ``indexer.contract.split_paragraphs``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import MAX_QUOTE_CHARS, MAX_QUOTE_PARAGRAPHS


@dataclass
class QuoteSpan:
    start: int  # char offset of the quoted text (after the opening mark)
    end: int  # char offset after the quoted text (before the closing mark, if any)
    outer_start: int
    outer_end: int
    closed: bool
    single: bool = False
    tok_start: int = 0
    tok_end: int = 0
    claimed: bool = False


_MINOR_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from"}


def looks_like_title(text: str) -> bool:
    """A short Title Case phrase: the name of a show, book or slogan, not speech."""
    words = re.findall(r"[\w'’-]+", text)
    if not words or len(words) > 8 or text.rstrip().endswith((".", "?", "!")):
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[:1].isupper() or w[:1].isdigit() for w in major) and len(major) >= 2


_DOUBLE_MARK = re.compile(r"''|``|[\"“”„«»]")
_SINGLE_MARK = re.compile(r"['‘’‹›]")
_OPEN_ONLY = {"“", "„", "«", "``"}
_CLOSE_ONLY = {"”", "»"}
_LEFT_OPEN_CONTEXT = set(" \t\n([{—–-/:;,")


def _mark_role(text: str, i: int, j: int) -> tuple[bool, bool]:
    """(can_open, can_close) for a quotation mark at text[i:j], from its neighbours."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[j] if j < len(text) else " "
    can_open = (prev in _LEFT_OPEN_CONTEXT or prev in "\"“'‘") and not nxt.isspace()
    can_close = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    return can_open, can_close


def _starts_with_open_mark(text: str, a: int, b: int) -> int | None:
    """Offset after an opening double mark at the start of text[a:b], if any."""
    s = text[a:b]
    stripped = len(s) - len(s.lstrip())
    k = a + stripped
    for mark in ("``", "''", "“", "\"", "„", "«"):
        if text.startswith(mark, k):
            return k + len(mark)
    return None


def find_double_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None  # offset of the opening mark
    open_len = 0
    paras_open = 0
    for p_index, (a, b) in enumerate(paragraphs):
        if open_at is not None:
            # a quote left open at the end of the previous paragraph
            cont = _starts_with_open_mark(text, a, b)
            if cont is None or paras_open >= MAX_QUOTE_PARAGRAPHS:
                prev_end = paragraphs[p_index - 1][1]
                spans.append(QuoteSpan(open_at + open_len, prev_end, open_at, prev_end, False))
                open_at = None
            else:
                paras_open += 1
                a = cont
        for m in _DOUBLE_MARK.finditer(text, a, b):
            mark = m.group()
            can_open, can_close = _mark_role(text, m.start(), m.end())
            if mark in _OPEN_ONLY:
                can_open, can_close = (True, can_close and not can_open)
            elif mark in _CLOSE_ONLY:
                can_open, can_close = (can_open and not can_close, True)
            if open_at is None:
                if can_open or not can_close:
                    open_at, open_len, paras_open = m.start(), len(mark), 0
            else:
                if can_close or not can_open or mark in _CLOSE_ONLY:
                    spans.append(QuoteSpan(open_at + open_len, m.start(), open_at, m.end(), True))
                    open_at = None
                elif mark in _OPEN_ONLY and can_open:
                    # "“...“" mangled marks or a stray opener: restart the quote here
                    open_at, open_len, paras_open = m.start(), len(mark), 0
    if open_at is not None:
        end = paragraphs[-1][1]
        spans.append(QuoteSpan(open_at + open_len, end, open_at, end, False))
    out = []
    for q in spans:
        if q.end - q.start > MAX_QUOTE_CHARS:
            continue  # a stray mark, not a quote
        if not q.closed and q.end - q.start > MAX_QUOTE_CHARS // 3:
            continue
        if text[q.start:q.end].strip():
            out.append(q)
    return out


def find_single_quotes(text: str, paragraphs: list[tuple[int, int]], doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    """'...' quotes (BBC style), outside double quotes; apostrophes inside words never count."""
    out: list[QuoteSpan] = []
    inside = [(q.outer_start, q.outer_end) for q in doubles]

    def in_double(i: int) -> bool:
        return any(s <= i < e for s, e in inside)

    for a, b in paragraphs:
        open_at: int | None = None
        for m in _SINGLE_MARK.finditer(text, a, b):
            i = m.start()
            if in_double(i):
                continue
            mark = m.group()
            prev = text[i - 1] if i > a else " "
            nxt = text[i + 1] if i + 1 < b else " "
            if prev.isalnum() and nxt.isalnum():
                continue  # don't, Iran's
            can_open = (prev.isspace() or prev in "([{—–-/:\"“" or i == a) and (nxt.isalnum() or nxt in "$£€")
            if can_open and text[i + 1 : i + 4].rstrip("s").isdigit():
                can_open = False  # '90s
            can_close = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]—–-\"”" or i + 1 >= b)
            if mark == "‘":
                can_close = False
            if mark == "’" and open_at is None:
                can_open = False
            if open_at is None:
                if can_open:
                    open_at = i
            elif can_close:
                if i - open_at > 1:
                    out.append(QuoteSpan(open_at + 1, i, open_at, i + 1, True, single=True))
                open_at = None
    # a single-quoted "quote" must look like words, not a stray pair of apostrophes
    return [q for q in out if re.search(r"[A-Za-z]{2}", text[q.start:q.end]) and q.end - q.start < MAX_QUOTE_CHARS]
