"""Token tests shared by every step: capitalised, a title word, a role word."""

from __future__ import annotations

from functools import lru_cache

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..names import HONORIFICS, ROLE_WORDS


def positions(doc: Doc, words: frozenset[str], *, exact: bool = False) -> list[int]:
    """Indices of the tokens whose lower-case text (``exact``: text) is in ``words``. A vectorised scan:
    creating a Token per word of a long article costs more than the test itself."""
    return numpy.flatnonzero(numpy.isin(doc.to_array(ORTH if exact else LOWER), _ids(words))).tolist()


@lru_cache(maxsize=64)
def _ids(words: frozenset[str]) -> numpy.ndarray:
    return numpy.array([get_string_id(w) for w in words], dtype="uint64")


def is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t[0].isalpha() or t[0].isdigit())


def is_title_word(tok) -> bool:
    low = tok.lower_.rstrip(".")
    return (low in HONORIFICS or tok.lower_ in HONORIFICS) and (is_cap(tok) or tok.lower_ in ("mr", "mrs", "ms", "dr"))


def is_role_token(tok) -> bool:
    return tok.lower_ in ROLE_WORDS or tok.lower_.rstrip(".") in HONORIFICS
