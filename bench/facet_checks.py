"""Checks on a facet's top values (bench/facets.py): split pairs, values with no capital, judged junk
and duplicates. Pure functions, no Elasticsearch; tested in tests/test_facet_checks.py.

The normalisation here is the bench's own, on purpose. It is the yardstick for the product's entity
identity (indexer.names, the consolidation), so it does not call them.

Split pairs, within one field's top values:

- ``surname``: a one-word value (once normalised: "Obama", "Mr Obama") that is the last word of a
  multi-word value ("Barack Obama"). A generational suffix does not count as a last word, so
  "Trump" pairs with "Donald Trump Jr." too. Both words must be written with a capital: "agency"
  beside "news agency", or "Media" beside "German media", is not a surname.
- ``normalised``: two values whose normalised forms are equal. The normalisation lower-cases, strips
  diacritics, drops periods, apostrophes and possessive 's, and turns other punctuation into spaces. It
  also drops a leading "the", the name particles (al, el, bin, ibn, de, van, von, ...; but not a first
  "Al" written apart in a person field, a given name as in "Al Franken"), and, in person
  fields, leading titles and honorifics ("Mr", "Prime Minister", "Secretary of State") and one-letter
  middle initials. "Jr", "Sr", "II" and "III" are kept, so "Donald Trump Jr." is not "Donald Trump".
- ``acronym``: a value of 2-6 capitals once dots are removed ("F.B.I.") that equals the initials of
  another value's words, with or without its function words: "UN" / "United Nations",
  "DOJ" / "Department of Justice", "FBI" / "Federal Bureau of Investigation".
- ``reorder``: "X Department" / "Department of X", and the same with Ministry, Office, University and
  other heads of that kind.

Each pair has a ``value`` and a ``partner``. The value is the surplus one: the one a correct
consolidation would fold into the partner. It is the lone surname, or else the value with fewer
articles. The value counts as bad. The partner is only noted, because its name is right even though
its count is short. For a judged duplicate (value -> the value it duplicates) the value named in the
judgement is the bad one, whatever its count: "GOP" -> "Republican Party" flags "GOP".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PERSON_FIELDS = frozenset({"persons", "quote_speakers"})

PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "de", "van", "von", "der", "den", "da", "di",
                       "du", "del", "della", "ter", "ten"})
GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that make up titles and honorifics before a person's name. A run of them at the start is
# dropped ("Prime Minister", "Vice President-elect", "Attorney General", "Foreign Minister"), along
# with an "of X" after them ("Secretary of State John Kerry"). Something of the name is always left.
TITLE_WORDS = frozenset("""
    mr mrs ms miss mx mme mlle dr prof professor sir dame lord lady madam
    president vice elect prime minister deputy foreign interior defence defense finance
    secretary sen senator gov governor rep representative congressman congresswoman mayor
    chancellor king queen prince princess crown sheikh sheik imam ayatollah grand pope rev reverend
    father gen general lt col maj capt cpt sgt adm admiral cmdr commander judge justice chief
    attorney ambassador speaker chairman chairwoman chair ceo
    former late then first
""".split())
FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "&"})
# "X Department" / "Department of X"
REORDER_HEADS = frozenset({"department", "ministry", "office", "committee", "commission", "bureau",
                           "agency", "council", "court", "institute", "university", "college", "bank"})
# A value ending in one of these is an organisation, so no title is dropped from it, even in a person
# field ("Foreign Ministry" said something, and "Justice Department" is not a Mr Department).
ORG_HEADS = REORDER_HEADS | frozenset({"party", "government", "army", "police", "house", "service",
                                       "services", "forces", "force", "administration", "group"})
_APOSTROPHES = "'’‘`ʼ"
_ACRONYM = re.compile(r"[A-Z]{2,6}")


def fold(value: str) -> list[str]:
    """Lower-case words without diacritics. Periods, apostrophes and a possessive 's are dropped, and
    any other punctuation separates words."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(f"[{_APOSTROPHES}]s\\b", "", text)
    text = re.sub(f"[.{_APOSTROPHES}]", "", text)
    text = re.sub(r"[^\w&]+|_", " ", text)
    return text.split()


def normalise(value: str, *, person: bool = False) -> tuple[str, ...]:
    """The comparison form of a value (see the module docs)."""
    words = fold(value)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if person:
        words = _drop_titles(words)
    # In a person field a first word "Al" written apart is a given name (Al Gore, Al Franken); joined by
    # a hyphen it is the article ("al-Assad").
    given = person and len(words) > 1 and words[0] == "al" and re.search(r"(^|\s)al\s", value, re.IGNORECASE)
    kept = [w for i, w in enumerate(words) if w not in PARTICLES or (i == 0 and given)]
    words = kept or words
    if person and len(words) > 2:
        words = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(w) == 1)]
    return tuple(words)


def _drop_titles(words: list[str]) -> list[str]:
    if words and words[-1] in ORG_HEADS:
        return words
    i = 0
    while i < len(words) and words[i] in TITLE_WORDS:
        i += 1
        if i + 1 < len(words) and words[i] == "of":  # "Secretary of State", "Minister of Finance"
            i += 2
    return words[i:] if i < len(words) else words


def surname_of(words: Sequence[str]) -> str | None:
    """The last word of a multi-word normalised name, a generational suffix aside."""
    words = list(words)
    while len(words) > 2 and words[-1] in GENERATIONAL:
        words.pop()
    return words[-1] if len(words) > 1 else None


def _last_word_capitalised(value: str) -> bool:
    """Whether the last word (a generational suffix aside) is written as a name: "Bashar al-Assad",
    not "German media"."""
    words = [w for w in re.split(r"[\s\-–]+", value) if any(c.isalnum() for c in w)]
    while len(words) > 2 and fold(words[-1]) and fold(words[-1])[0] in GENERATIONAL:
        words.pop()
    return bool(words) and has_capital(words[-1])


def acronym_of(value: str) -> str | None:
    """The capitals of an acronym value ("F.B.I." -> "FBI"), else None."""
    plain = value.replace(".", "").replace(" ", "")
    return plain if _ACRONYM.fullmatch(plain) else None


def initials(value: str) -> set[str]:
    """The initials of a multi-word value, with all its words and without its function words."""
    words = [w for w in re.split(r"[\s\-–/]+", value) if any(c.isalnum() for c in w)]
    if len(words) < 2:
        return set()
    out = set()
    for chosen in (words, [w for w in words if w.casefold() not in FUNCTION_WORDS]):
        letters = [next(c for c in w if c.isalnum()) for w in chosen]
        if len(letters) >= 2:
            out.add("".join(letters).upper())
    return out


def is_reordering(a: str, b: str) -> bool:
    """ "Justice Department" / "Department of Justice" (either order of arguments)."""
    x, y = _plain_words(a), _plain_words(b)
    return _head_last_vs_first(x, y) or _head_last_vs_first(y, x)


def _plain_words(value: str) -> list[str]:
    words = fold(value)
    return words[1:] if len(words) > 1 and words[0] == "the" else words


def _head_last_vs_first(x: list[str], y: list[str]) -> bool:
    # x = [..., head], y = [head, of|for|on, (the), ...]
    if len(x) < 2 or len(y) < 3 or x[-1] not in REORDER_HEADS or y[0] != x[-1]:
        return False
    if y[1] not in ("of", "for", "on"):
        return False
    rest = y[2:]
    if rest and rest[0] == "the":
        rest = rest[1:]
    return rest == x[:-1]


def has_capital(value: str) -> bool:
    return any(c.isupper() for c in value)


# -- pairs over a field's top values -------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    value: str     # the surplus value: the lone surname, or the one with fewer articles
    partner: str   # the value it should be folded into
    kind: str      # surname | normalised | acronym | reorder | duplicate (judged)


def split_pairs(values: Sequence[tuple[str, int]], *, person: bool = False,
                distinct: Iterable[tuple[str, str]] = ()) -> list[Pair]:
    """The split pairs among (value, article count) items, ranked by count. ``distinct`` lists pairs
    judged to be different entities although a check matches them."""
    apart = {frozenset(p) for p in distinct}
    counts = dict(values)
    rank = {v: i for i, (v, _) in enumerate(values)}
    norm = {v: normalise(v, person=person) for v, _ in values}
    pairs: list[Pair] = []
    seen: set[frozenset] = set()

    def add(a: str, b: str, kind: str, surplus: str | None = None) -> None:
        key = frozenset((a, b))
        if a == b or key in seen or key in apart:
            return
        seen.add(key)
        if surplus is None:  # the one with fewer articles, or ranked lower on a tie
            surplus = max((a, b), key=lambda v: (-counts[v], rank[v]))
        pairs.append(Pair(surplus, b if surplus == a else a, kind))

    names = [v for v, _ in values]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if norm[a] == norm[b]:
                add(a, b, "normalised")
    for a in names:
        if len(norm[a]) != 1 or not has_capital(a):
            continue
        for b in names:
            if len(norm[b]) > 1 and surname_of(norm[b]) == norm[a][0] and _last_word_capitalised(b):
                add(a, b, "surname", surplus=a)
    for a in names:
        short = acronym_of(a)
        if short is None:
            continue
        for b in names:
            if b != a and acronym_of(b) is None and short in initials(b):
                add(a, b, "acronym")
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if is_reordering(a, b):
                add(a, b, "reorder")
    return pairs


# -- the judgement list ----------------------------------------------------------------------------

@dataclass
class Judgements:
    """bench/data/facet_judgements.yaml: per field (or ``any``) ``junk`` values, ``duplicate``
    value -> the value it duplicates, and ``distinct`` pairs that a check matches wrongly."""

    junk: dict[str, set[str]] = field(default_factory=dict)
    duplicate: dict[str, dict[str, str]] = field(default_factory=dict)
    distinct: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Judgements:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        return cls.from_dict(data or {})

    @classmethod
    def from_dict(cls, data: dict) -> Judgements:
        out = cls()
        for name, section in data.items():
            section = section or {}
            out.junk[name] = {_key(v) for v in section.get("junk") or []}
            out.duplicate[name] = {_key(k): v for k, v in (section.get("duplicate") or {}).items()}
            out.distinct[name] = [tuple(p) for p in section.get("distinct") or []]
        return out

    def is_junk(self, field_name: str, value: str) -> bool:
        return any(_key(value) in self.junk.get(s, ()) for s in (field_name, "any"))

    def duplicate_of(self, field_name: str, value: str) -> str | None:
        for section in (field_name, "any"):
            target = self.duplicate.get(section, {}).get(_key(value))
            if target is not None:
                return target
        return None

    def distinct_pairs(self, field_name: str) -> list[tuple[str, str]]:
        return [*self.distinct.get(field_name, []), *self.distinct.get("any", [])]


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


# -- one field's report ----------------------------------------------------------------------------

@dataclass
class Row:
    value: str
    count: int
    pairs: list[Pair] = field(default_factory=list)      # where this value is the surplus one
    partner_of: list[Pair] = field(default_factory=list)  # where it is the partner (a note only)
    no_capital: bool = False
    junk: bool = False
    duplicate_of: str | None = None

    @property
    def bad(self) -> bool:
        return bool(self.pairs or self.no_capital or self.junk or self.duplicate_of)

    def flags(self) -> list[str]:
        out = [f"split ({p.kind}) of {p.partner!r}" for p in self.pairs]
        if self.duplicate_of:
            out.append(f"duplicate of {self.duplicate_of!r}")
        if self.no_capital:
            out.append("no capital")
        if self.junk:
            out.append("junk")
        return out


@dataclass
class FieldReport:
    field: str
    rows: list[Row]
    split_pairs: list[Pair]  # found by the checks (judged duplicates are not included)

    def summary(self) -> dict:
        n = len(self.rows)
        total = sum(r.count for r in self.rows)
        bad = [r for r in self.rows if r.bad]
        kinds: dict[str, int] = {}
        for p in self.split_pairs:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        return {
            "values": n,
            "split_pairs": len(self.split_pairs),
            "split_kinds": kinds,
            "no_capital": sum(r.no_capital for r in self.rows),
            "junk": sum(r.junk for r in self.rows),
            "duplicates": sum(bool(r.duplicate_of) for r in self.rows),
            "bad": len(bad),
            "bad_share": round(len(bad) / n, 4) if n else 0.0,
            "bad_share_weighted": round(sum(r.count for r in bad) / total, 4) if total else 0.0,
        }


def analyse_field(field_name: str, buckets: Sequence[tuple[str, int]], judgements: Judgements) -> FieldReport:
    """Flag a field's top values (value, article count), ranked by count."""
    person = field_name in PERSON_FIELDS
    pairs = split_pairs(buckets, person=person, distinct=judgements.distinct_pairs(field_name))
    rows = {v: Row(v, c, no_capital=not has_capital(v), junk=judgements.is_junk(field_name, v),
                   duplicate_of=judgements.duplicate_of(field_name, v)) for v, c in buckets}
    for p in pairs:
        rows[p.value].pairs.append(p)
        rows[p.partner].partner_of.append(p)
    for row in rows.values():
        if row.duplicate_of and row.duplicate_of in rows:
            rows[row.duplicate_of].partner_of.append(Pair(row.value, row.duplicate_of, "duplicate"))
    return FieldReport(field_name, list(rows.values()), pairs)
