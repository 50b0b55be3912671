"""Comparing names when merging: firms and suffixes, acronyms, short and clipped forms."""

from __future__ import annotations

from ..names import CORPORATE_SUFFIXES, SHORT_FORM_HEADS, initials
from .lexicon import ORG_HEADS, MIXED_ACRONYM, NAME_CAPS


_SUFFIXES_BARE = frozenset(x.rstrip(".") for x in CORPORATE_SUFFIXES)
FIRM_ENDINGS = CORPORATE_SUFFIXES | _SUFFIXES_BARE | {
    "oy", "oyj", "ab", "asa", "bhd", "berhad", "ltda", "srl", "sarl", "kg", "kk", "tbk"} | {"brothers", "group", "holdings", "bancorp", "bancshares", "industries", "partners", "company"}


# "Labour" beside "Labour party", "SBC" beside "SBC Communications": one organisation.


def has_suffix(text: str) -> bool:
    words = text.lower().split()
    return len(words) > 1 and words[-1].rstrip(".") in _SUFFIXES_BARE


def is_firm(text: str) -> bool:
    words = text.lower().split()
    return len(words) > 1 and words[-1] in FIRM_ENDINGS


def clipped_form(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'lib dems' of 'liberal democrats': word for word, each a clipped (3+ letters) start of the other."""
    if len(short) != len(long) or short == long:
        return False
    return all(
        len(a.rstrip("s")) >= 3 and b.startswith(a.rstrip("s")) for a, b in zip(short, long)
    )


def acronym_of(text: str) -> str:
    """'IAEA' -> 'IAEA', 'U.N.' -> 'UN', 'TfL' -> 'TL' (a mixed-case acronym's capitals); '' if not one."""
    t = text.replace(".", "")
    if len(t) >= 2 and t.isupper() and t.replace("&", "").isalpha():
        return t
    if " " not in t and MIXED_ACRONYM.match(t) and not NAME_CAPS.match(t) and t.isalpha():
        return "".join(ch for ch in t if ch.isupper())
    return ""


def abbreviates(acronym: str, name: str) -> bool:
    """'IAEA' of 'International Atomic Energy Agency'; 'SEC' of 'US Securities Exchange Commission'."""
    full = initials(name)
    return len(full) >= 2 and (full == acronym or (len(acronym) >= 3 and full[1:] == acronym))


def subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def contiguous(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def looks_like_arabic_person(text: str) -> bool:
    words = text.replace("-", " ").split()
    if len(words) < 3 or any(w.lower() in ORG_HEADS for w in words):
        return False
    return any(w.lower() in ("al", "el", "bin", "ibn", "abu", "bint") for w in words[1:-1]) and words[0][:1].isupper()
