"""Token tests shared by every step: capitalised, a title word, a role word."""

from __future__ import annotations

from ..names import HONORIFICS, ROLE_WORDS


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t[0].isalpha() or t[0].isdigit())


def _is_title_word(tok) -> bool:
    low = tok.lower_.rstrip(".")
    return (low in HONORIFICS or tok.lower_ in HONORIFICS) and (_is_cap(tok) or tok.lower_ in ("mr", "mrs", "ms", "dr"))


def _is_role_token(tok) -> bool:
    return tok.lower_ in ROLE_WORDS or tok.lower_.rstrip(".") in HONORIFICS
