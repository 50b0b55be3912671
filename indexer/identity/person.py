"""Person names as parts: given name, middle names, surname, generational suffix.

`parse_person` reads a surface form with `nameparser` (titles such as "Mr." or "President" go to the
title and are dropped) and normalises each part with `indexer.names.key_tokens`, so case, diacritics,
dots and Arabic particles don't matter ("Bashar al-Assad" and "Bashar Assad" have the surname "assad").

Two names may be one person when their surnames and suffix class agree, their given names are equal or
one is a nickname of the other (the `nicknames` dataset: "Jim"/"James", "Chuck"/"Charles") or another
romanisation of it ("Sergei"/"Sergey", by `rapidfuzz`'s Hamming distance), and their
middle names don't contradict each other ("George W. Bush" vs "George H. W. Bush" do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName
from nicknames import NickNamer
from rapidfuzz.distance import Hamming

from ..names import HONORIFICS, display_name, key_tokens

# Jr./Sr. tell father and son apart in the news ("Donald Trump Jr."); numerals are part of a formal
# full name ("Robert S. Mueller III") and are kept only in the display form.
DISTINGUISHING_SUFFIXES = frozenset({"jr", "sr"})
NUMERAL_SUFFIXES = frozenset("ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi".split())


@dataclass(frozen=True)
class PersonName:
    first: str  # "" for a lone surname ("Obama", "Mr. Trump")
    middles: tuple[str, ...]
    last: str
    suffix: str  # "jr" | "sr" | "" (numerals dropped, unless the resolver finds Jr./Sr. in the family)
    numeral: str = ""  # "iii" in "Robert S. Mueller III"

    @property
    def is_full(self) -> bool:
        return bool(self.first and self.last)

    @property
    def middle_initials(self) -> str:
        return "".join(m[0] for m in self.middles)

    @property
    def family(self) -> tuple[str, str]:
        """The block within which full names are compared: surname and suffix class."""
        return self.last, self.suffix


@lru_cache(maxsize=1 << 16)
def parse_person(form: str) -> PersonName:
    """'President Donald J. Trump' -> PersonName('donald', ('j',), 'trump', '')."""
    parsed = HumanName(form)
    first = _key(parsed.first)
    middles = tuple(t for part in parsed.middle.split() for t in key_tokens(part))
    last_tokens = key_tokens(parsed.last)
    suffix = _suffix_class(parsed.suffix)
    if not parsed.last and first:
        if set(key_tokens(parsed.suffix)) & NUMERAL_SUFFIXES:  # a regnal name ("Charles VI"): no surname
            return PersonName(first, (), "", "")
        return PersonName("", (), first, suffix)  # a lone word: nameparser's given name is news's surname
    if first in HONORIFICS:  # a title nameparser did not know ("Ayatollah Khamenei")
        first = ""
    last = last_tokens[-1] if last_tokens else ""
    middles = middles + tuple(last_tokens[:-1])  # "Hillary Rodham Clinton": "rodham" is a middle
    if not last:
        return PersonName("", (), first, suffix)
    numeral = next(iter(sorted(set(key_tokens(parsed.suffix)) & NUMERAL_SUFFIXES)), "")
    return PersonName(first, middles, last, suffix, numeral)


def _key(text: str) -> str:
    return " ".join(key_tokens(text))


def _suffix_class(suffix: str) -> str:
    words = {w for w in key_tokens(suffix)}
    return next(iter(sorted(words & DISTINGUISHING_SUFFIXES)), "")


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=1 << 14)
def same_given_name(a: str, b: str) -> bool:
    """Equal, or one is a nickname of the other ("jim"/"james", "mike"/"michael")."""
    if a == b:
        return True
    if not a or not b:
        return False
    if len(a) == 1 or len(b) == 1:  # an initial: "J. Smith" is not enough to tell
        return False
    if gendered_pair(a, b):
        return False
    namer = _nicknamer()
    return b in namer.canonicals_of(a) or a in namer.canonicals_of(b) or transliterated(a, b)


@lru_cache(maxsize=1 << 14)
def known_given_name(word: str) -> bool:
    """A given name of the `nicknames` dataset ("debbie", "ted"; not "wasserman", "republican")."""
    namer = _nicknamer()
    return bool(word) and bool(namer.nicknames_of(word) or namer.canonicals_of(word))


def gendered_pair(a: str, b: str) -> bool:
    """A man's and a woman's form of one name ("Andrew"/"Andrea", "Paul"/"Paula", "Alexander"/
    "Alexandra"), which the nicknames dataset sometimes links: two people."""
    if (a.endswith("a") == b.endswith("a")) or abs(len(a) - len(b)) > 1:
        return False
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return common >= max(len(a), len(b)) - 2


# Letters that romanisations of Russian, Arabic and other names swap: "Sergei"/"Sergey", "Muammar"/"Moammar"
ROMANISED = frozenset({frozenset("iy"), frozenset("uo")})


def transliterated(a: str, b: str) -> bool:
    """Two romanisations of one given name: as long, six letters or more, one letter apart, and that
    letter one romanisations swap ("Sergei"/"Sergey" are; "Andrew"/"Andrea", "Martin"/"Marvin",
    "Gerald"/"Gerard" are not)."""
    if len(a) != len(b) or len(a) < 6 or a[0] != b[0] or Hamming.distance(a, b) != 1:
        return False
    x, y = next((x, y) for x, y in zip(a, b) if x != y)
    return frozenset((x, y)) in ROMANISED


def middles_agree(a: PersonName, b: PersonName) -> bool:
    """Both have middle names and their initials match ("W." and "Walker" agree; "W." and "H. W." don't)."""
    return bool(a.middles) and bool(b.middles) and a.middle_initials == b.middle_initials


def may_be_same(a: PersonName, b: PersonName) -> bool:
    """Full names that can name one person: same family, same given name, no contradicting middles."""
    if a.family != b.family or not same_given_name(a.first, b.first):
        return False
    return not (a.middles and b.middles) or a.middle_initials == b.middle_initials


def _spaced_initials(middle: str) -> str:
    """'H.W.' -> 'H. W.': initials are written one by one."""
    return re.sub(r"\b([A-Z])\.(?=[A-Z]\.)", r"\1. ", middle)


@lru_cache(maxsize=1 << 16)
def display_form(form: str, *, keep_middle_initials: bool) -> str:
    """The display form of a person's name as written: the product's spelling (`display_name`), no
    title, no nickname quotes, and no middle initials unless they tell people apart ("Donald J. Trump"
    -> "Donald Trump")."""
    parsed = HumanName(display_name(form, person=True))
    parsed.title = ""
    parsed.nickname = ""
    if not keep_middle_initials:
        parsed.middle = " ".join(m for m in parsed.middle.split() if len(m.rstrip(".")) > 1)
    parsed.middle = _spaced_initials(parsed.middle)
    parsed.string_format = "{first} {middle} {last} {suffix}"
    text = " ".join(str(parsed).split())
    words = text.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:  # "Miss Stamper" -> "Stamper"
        words.pop(0)
    return " ".join(words)
