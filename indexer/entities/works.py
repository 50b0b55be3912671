"""Titles of works, products, awards and events, and names listed with them, are not entities."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from ..names import name_key
from .candidate import Cand
from .lexicon import (
    AWARD_TAILS,
    AWARD_WORDS,
    EVENT_HEADS,
    MARKET_INDICES,
    NAME_CONNECTORS,
    WORK_NOUNS,
    WORK_NOUNS_AFTER,
    WORK_ROLES,
    MODEL_NUMBER,
    QUOTES,
    WORK_LINKS,
)
from .tokens import is_cap


def work_or_event(doc: Doc, c: Cand, surface: str, work_keys: set[str]) -> bool:
    """The title of a work, a product, an award or an event rather than a person or organisation."""
    key = name_key(surface)
    words = key.split()
    if not words:
        return False
    if key in work_keys:
        return True
    if words[0] in AWARD_WORDS and all(w in AWARD_WORDS or w in AWARD_TAILS for w in words):
        return True  # "Oscar", "Golden Globe", "Bafta awards"
    if c.label == "ORG" and len(words) > 1 and words[-1] in EVENT_HEADS:
        return True  # "FA Cup", "Sundance Film Festival", "Singer World Series"
    if c.label == "ORG" and key in MARKET_INDICES:
        return True
    s, e = c.start, c.end
    n = len(doc)
    if c.label == "ORG" and e < n and MODEL_NUMBER.match(doc[e].text) and len(doc[e].text) >= 3 and c.source == "ner":
        return True  # "Boeing 777-200LR", "Airbus A380": a product
    # the name and the model number in one span ("Boeing 777")
    if c.label == "ORG" and e - s >= 2 and MODEL_NUMBER.match(doc[e - 1].text) and len(doc[e - 1].text) >= 3:
        return True
    # in quotation marks that hold nothing else: 'the film "Vera Drake"'
    if s > 0 and e < n and doc[s - 1].text in QUOTES and doc[e].text in QUOTES:
        return True
    # after a work noun: "the film Finding Neverland", "an album called Hopes and Fears"
    j = s - 1
    if j >= 0 and doc[j].lower_ in WORK_LINKS:
        j -= 1
    if j >= 0 and doc[j].lower_ in WORK_NOUNS and not doc[j].text[:1].isupper() and doc[j].pos_ == "NOUN":
        return True
    # before one: "the Breakfast with Frost programme", "The Office star Ricky Gervais"
    if c.label == "ORG" and e < n and doc[e].lower_ in WORK_NOUNS_AFTER | WORK_ROLES and not doc[e].text[:1].isupper():
        return True
    if c.label == "PERSON":
        # a name inside a longer capitalised title before a work noun ("Breakfast with Frost programme")
        k = e
        while k < n and (is_cap(doc[k]) or (doc[k].lower_ in NAME_CONNECTORS and k + 1 < n and is_cap(doc[k + 1]))):
            k += 1
        j = s
        while j > 0 and (is_cap(doc[j - 1]) and not doc[j - 1].is_sent_start or (doc[j - 1].lower_ in ("with", "of", "and") and j > 1 and is_cap(doc[j - 2]))):
            j -= 1
        if k < n and doc[k].lower_ in WORK_NOUNS_AFTER and not doc[k].text[:1].isupper() and (j < s or k > e):
            return True
    return False


_LIST_GLUE = frozenset({",", "and", "or", "&", "nor"})


def quoted_titles(doc: Doc) -> list[tuple[int, int]]:
    """Short capitalised runs in quotation marks ('"Sideways"'), quotes included."""
    out = []
    n = len(doc)
    for i in range(n - 2):
        if doc[i].text not in QUOTES:
            continue
        for j in range(i + 2, min(i + 8, n)):
            if doc[j].text in QUOTES:
                inner = doc[i + 1 : j]
                if is_cap(inner[0]) and all(is_cap(t) or t.lower_ in NAME_CONNECTORS or t.is_punct for t in inner):
                    out.append((i, j + 1))
                break
    return out


def drop_listed_works(doc: Doc, cands: list[Cand], works: list[tuple[int, int]]) -> list[Cand]:
    """Names listed with a work title are titles too: "the films Finding Neverland, Vera Drake and Ray"."""
    ends = {e for _, e in works}
    starts = {s for s, _ in works}
    tok_count = Counter(t.lower_ for c in cands if c.label == "PERSON" for t in doc[c.start : c.end])
    dropped: set[int] = set()
    changed = True
    while changed:
        changed = False
        for idx, c in enumerate(cands):
            if idx in dropped or c.label not in ("PERSON", "ORG") or c.source not in ("ner", "orghead"):
                continue
            if c.label == "PERSON" and any(tok_count[t.lower_] > 1 for t in doc[c.start : c.end]):
                continue  # a person named again elsewhere
            # one or two list words between this name and a title
            before = any(
                (c.start - k) in ends and all(doc[j].lower_ in _LIST_GLUE for j in range(c.start - k, c.start))
                for k in (1, 2)
            )
            after = any(
                (c.end + k) in starts and all(doc[j].lower_ in _LIST_GLUE for j in range(c.end, c.end + k))
                for k in (1, 2)
            )
            if before or after:
                dropped.add(idx)
                ends.add(c.end)
                starts.add(c.start)
                changed = True
    return [c for i, c in enumerate(cands) if i not in dropped]
