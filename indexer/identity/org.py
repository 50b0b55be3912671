"""Organisation names: acronyms and word-order variants.

- `acronym_of(form)`: "F.B.I." -> "FBI", "UN" -> "UN"; None for a name that is not an acronym.
- `initialisms(key)`: the acronyms a full name can have: "department of justice" -> {"DOJ", "DJ"}.
- `word_set(key)`: the content words of a name, for word-order variants
  ("Justice Department" and "Department of Justice" both give {"department", "justice"}).
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "to", "at", "de", "du", "des", "la", "le"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$|^[A-Z][A-Za-z]?[A-Z]{1,5}$")


def acronym_of(form: str) -> str | None:
    """The acronym a surface form is ("F.B.I." -> "FBI", "HuD" -> None), else None."""
    compact = form.replace(" ", "")
    if not _ACRONYM.match(compact):
        return None
    letters = compact.replace(".", "")
    return letters.upper() if 2 <= len(letters) <= 6 else None


def initialisms(key: str) -> set[str]:
    """Acronyms of a multi-word name, with and without its function words."""
    words = key.split()
    if len(words) < 2:
        return set()
    full = "".join(w[0] for w in words).upper()
    content = "".join(w[0] for w in words if w not in FUNCTION_WORDS).upper()
    return {a for a in (full, content) if len(a) >= 2}


def word_set(key: str) -> frozenset[str] | None:
    """Content words of a name of two or more of them (order-free), else None."""
    words = frozenset(w for w in key.split() if w not in FUNCTION_WORDS)
    return words if len(words) >= 2 else None
