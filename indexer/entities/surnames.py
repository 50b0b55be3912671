"""Surname references the recogniser missed: "Hamas Deputy Chief Arouri said" after "Saleh al-Arouri"."""

from __future__ import annotations

from spacy.tokens import Doc

from .candidate import Cand
from .tokens import is_role_token, positions

SOURCE = "surname"


def surname_mentions(doc: Doc, cands: list[Cand], untrusted: list[int]) -> list[Cand]:
    """PERSON candidates for lone tokens that are the surname of a person named in full in the doc.

    The token must be spelt as in the full name, belong to no other candidate or entity, and not be
    glued to a longer capitalised run ("Arouri Brigade", "Jane Arouri"); a title before it is fine
    ("Deputy Chief Arouri"). At a sentence start, where every word is capitalised, it must be a PROPN.
    """
    surnames = set()
    for c in cands:
        last = doc[c.end - 1]
        if c.label == "PERSON" and c.end - c.start >= 2 and last.is_title and last.is_alpha and len(last) >= 3:
            surnames.add(last.text)
    if not surnames:
        return []
    covered = [False] * len(doc)
    for span in [*((c.start, c.end) for c in cands), *((e.start, e.end) for e in doc.ents)]:
        covered[span[0] : span[1]] = [True] * (span[1] - span[0])
    out = []
    for k in positions(doc, frozenset(surnames), exact=True):
        tok = doc[k]
        if covered[k]:
            continue
        if tok.is_sent_start and tok.pos_ != "PROPN":
            continue
        nxt = doc[k + 1] if k + 1 < len(doc) else None
        if nxt is not None and nxt.is_title and not nxt.is_sent_start:
            continue
        prev = doc[k - 1] if k > 0 else None
        if prev is not None and prev.is_title and not prev.is_sent_start and not is_role_token(prev):
            continue
        out.append(Cand(k, k + 1, "PERSON", SOURCE, text=tok.text, trusted=not untrusted[k]))
    return out
