"""Span boundaries: repair NER spans and split them at blank lines, possessives, "and" and numbers."""

from __future__ import annotations

from spacy.tokens import Doc

from ..names import CORPORATE_SUFFIXES
from .lexicon import ORG_HEADS, ORDINAL_NUMBER
from .tokens import is_cap


def repair_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    n = len(doc)
    # "Smith-Jones", "al-Qassam": glue hyphenated tails
    while (
        end + 1 < n
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and is_cap(doc[end + 1])
        and doc[end + 1].ent_iob_ != "B"  # "Tanzania-Zambia" is two places
    ):
        end += 2
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return start, end


def _org_like(doc: Doc, a: int, b: int) -> bool:
    toks = doc[a:b]
    if b - a == 1:
        t = toks[0].text.replace(".", "")
        return len(t) >= 2 and t.isupper() and t.isalpha()  # "IMF"
    words = [t.lower_ for t in toks]
    return words[-1] in ORG_HEADS or words[0] in ORG_HEADS or words[0] in ("banque", "banco", "banca")


def split_span(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """An NER span across a blank line is two names ("NASDAQ\\n\\nPostmasters Inc"); so is
    "Gannett Co's USA Today" (a firm's possessive before another name) and a spaced dash in a
    results list ("Lithuania - Danius Gleveckas")."""
    parts, a, paragraphs = [], start, False
    for k in range(start, end):
        t = doc[k]
        if t.is_space and t.text.count("\n") >= 2 or t.text == "-" and t.whitespace_ and k > start and doc[k - 1].whitespace_:
            paragraphs = paragraphs or t.is_space
            parts.append((a, k))
            a = k + 1
        elif (
            t.tag_ == "POS" and k > a + 1 and k + 1 < end and is_cap(doc[k + 1])
            and doc[k - 1].lower_ in CORPORATE_SUFFIXES
        ):
            parts.append((a, k))
            a = k + 1
    parts.append((a, end))
    if paragraphs:  # a span across paragraphs has lost its bounds: a lone common word is no name ("Growth")
        parts = [(x, y) for x, y in parts if y - x > 1 or doc[x].pos_ == "PROPN"]
    return [(x, y) for x, y in parts if x < y]


def split_coordination(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """'IMF and World Bank' -> IMF, World Bank: an "and" between two organisation names."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ in ("and", "&") and is_cap(doc[k + 1]):
            if _org_like(doc, start, k) and _org_like(doc, k + 1, end) and not (
                k - start == 1 and doc[start].lower_ in ORG_HEADS
            ):
                return [(start, k), (k + 1, end)]
    return [(start, end)]


def split_at_numbers(doc: Doc, start: int, end: int, sports: bool = False) -> list[tuple[int, int]]:
    """'Chelsea 1 Southampton 0' -> Chelsea, Southampton; 'Manchester United 3' -> Manchester United;
    in a sports report also 'Lithuania 3' (elsewhere a one-word name keeps its number: 'Channel 4')."""
    nums = [i for i in range(start, end) if doc[i].like_num and not doc[i].is_alpha and not ORDINAL_NUMBER.match(doc[i].text)]
    if not nums:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    a = start
    for i in nums:
        if i + 1 < end and is_cap(doc[i + 1]) and i > a:
            parts.append((a, i))
            a = i + 1
    last = (a, end)
    if doc[end - 1].like_num and not doc[end - 1].is_alpha and (end - 1 - a >= 2 or parts or sports):
        last = (a, end - 1)
    parts.append(last)
    return [(x, y) for x, y in parts if x < y]
