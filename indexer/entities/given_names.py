"""Persons spaCy misses in lists of names: results lines, line-ups, scorecards, found by their given name.

``indexer/data/given_names.txt`` (built by ``bench/build_given_names.py``) lists lower-case given names;
users add their own in ``$PRESSWATCH_HOME/given_names.txt``. ``given_name_candidates`` proposes
"Given Surname", "Given Given Surname", "Given de Surname" and, in a sports report's lines with numbers,
"P. Simmons" where no other candidate is (or only a part of the name was tagged PERSON: "Testud").
``relabel_given_names`` turns a sports report's short NER organisations and places that start with a
given name ("Guy Forget", "Claudia Mues") into persons.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from ..names import CORPORATE_SUFFIXES, HONORIFICS, NAME_PARTICLES, name_key
from .candidate import Cand
from .lexicon import (
    CLUB_SUFFIXES, DEMONYMS, EVENT_HEADS, GENERIC, ORG_HEADS, PERSON_TITLES, PLACE_HEADS, NAME_CAPS,
)
from .name_match import FIRM_ENDINGS
from .tokens import positions

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"
USER_FILE_NAME = "given_names.txt"
SOURCE = "given"  # candidate source; wins overlaps (made only over a part of the name or a broken span)

# Words that end or head something other than a person ("Louis Cardinals", "Trent Bridge", "Hong Kong Open").
VENUE_WORDS = frozenset("bridge park hole open stadium arena prison palace castle gardens cathedral".split())
NOT_SURNAME = (
    ORG_HEADS | CLUB_SUFFIXES | FIRM_ENDINGS | CORPORATE_SUFFIXES | PLACE_HEADS | EVENT_HEADS | GENERIC | VENUE_WORDS
)
# spaCy labels of names that are not persons and not already candidates ("Roman Catholic", "My Turn").
OTHER_NAMES = frozenset({"NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"})
# Capitalised words before a name that still let it start there ("Mr", "striker", "Swede").
NAME_LEAD_INS = HONORIFICS | PERSON_TITLES | DEMONYMS
_INITIAL = re.compile(r"^[A-Z]\.$")


def _read(path: Path) -> set[str]:
    lines = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


@lru_cache(maxsize=4)
def load_given_names(path: Path | str | None = None) -> frozenset[str]:
    """The shipped given names, plus those of the user's file ``path`` when given and present
    (``Settings.given_names_path``: ``$PRESSWATCH_HOME/given_names.txt``)."""
    names = _read(DATA_FILE)
    if path is not None and Path(path).exists():
        names |= _read(Path(path))
    return frozenset(names)


def _is_given(tok: Token, names: frozenset[str]) -> bool:
    return tok.is_title and tok.is_alpha and tok.lower_ in names


def _is_cap_word(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text[:1].isalpha()


def _is_surname(tok: Token) -> bool:
    return (
        len(tok.text) >= 2 and tok.text.replace("'", "").isalpha() and bool(NAME_CAPS.match(tok.text))
        and not tok.is_upper and not tok.is_stop and tok.lower_ not in NOT_SURNAME
    )


def _given_run(doc: Doc, i: int, names: frozenset[str]) -> int:
    """End of the given names starting at ``i``: "Miguel Angel", "Anne-Gaelle" ("Anne" "-" "Gaelle")."""
    j, n = i, len(doc)
    while j < n and _is_given(doc[j], names):
        j += 1
        glued = j + 1 < n and not doc[j - 1].whitespace_ and not doc[j].whitespace_
        if glued and doc[j].text == "-" and doc[j + 1].is_title:
            j += 2  # a hyphenated given name
    return j


def _name_end(doc: Doc, i: int, names: frozenset[str], places: frozenset[str], sports: bool) -> int:
    """End of a person's name starting at token ``i`` (``i`` if none starts there)."""
    n = len(doc)
    if sports and _INITIAL.match(doc[i].text) and _numbers_on_line(doc, i):
        j = i + 1  # "( P. Simmons 4-38 )", "A. Dale 69": a scorecard
    else:
        j = min(_given_run(doc, i, names), i + 3)
        if j == i or (doc[i].is_sent_start and doc[i].pos_ != "PROPN"):
            return i  # no given name, or a common word opening a sentence ("Will", "Grant")
    while j < n and doc[j].lower_ in NAME_PARTICLES and doc[j].is_lower:
        j += 1  # "Maarten den Bakker", "Gil de Ferran"
    if j >= n or not _is_surname(doc[j]) or doc[j].lower_ in places:
        return i
    j += 1
    if j < n and NAME_CAPS.match(doc[j].text) and doc[j].is_alpha:
        return i  # a longer capitalised run ("Jorge Luis Dely Valdes", "Morgan Grenfell Asset Management")
    return j


def _numbers_on_line(doc: Doc, i: int) -> bool:
    text = doc.text
    a, b = text.rfind("\n", 0, doc[i].idx) + 1, text.find("\n", doc[i].idx)
    return any(ch.isdigit() for ch in text[a : b if b >= 0 else len(text)])


def _yields(doc: Doc, c: Cand, start: int, end: int) -> bool:
    """A candidate a name found here may replace: a PERSON inside it ("Testud" of "Sandrine Testud"), or
    a span across brackets ("Scott Draper ( Australia": dropped as implausible later)."""
    inside = start <= c.start and c.end <= end
    return (c.label == "PERSON" and inside) or any(t.text in ("(", ")") for t in doc[c.start : c.end])


def _owners(doc: Doc, cands: list[Cand]) -> list[Cand | None]:
    """Per token, the candidate over it; spaCy's non-person names count too ("Roman Catholic")."""
    owner: list[Cand | None] = [None] * len(doc)
    for c in cands:
        owner[c.start : c.end] = [c] * (c.end - c.start)
    for e in doc.ents:
        if e.label_ in OTHER_NAMES:
            owner[e.start : e.end] = [Cand(e.start, e.end, e.label_, "ner")] * len(e)
    return owner


def given_name_candidates(
    doc: Doc, cands: list[Cand], sports: bool, names: frozenset[str], places: frozenset[str]
) -> list[Cand]:
    """PERSON candidates ("given" source) for names that start with a listed given name, where no other
    candidate is, or only a PERSON candidate inside the name ("Testud" of "Sandrine Testud").
    ``places``: name keys of places (the registry's LOC labels), never a surname ("Paul Ince England")."""
    # where a name can start: a listed given name, or (sports) an initial; everywhere else _name_end is i
    starts = positions(doc, names)
    if sports:
        starts = sorted(set(starts) | {t.i for t in doc if _INITIAL.match(t.text)})
    if not starts:
        return []
    owner = _owners(doc, cands)
    orgs = {name_key(e.text) for e in doc.ents if e.label_ == "ORG"}  # "Morgan Stanley" tagged elsewhere
    out = []
    done = 0  # names found so far end here
    for i in starts:
        if i < done:
            continue
        if i > 0 and _is_cap_word(doc[i - 1]) and doc[i - 1].lower_.rstrip(".") not in NAME_LEAD_INS:
            continue  # inside a longer capitalised run: "St. Louis Cardinals"
        end = _name_end(doc, i, names, places, sports)
        inside = {id(c): c for c in owner[i:end] if c is not None}.values()
        if end > i and all(_yields(doc, c, i, end) for c in inside) and name_key(doc[i:end].text) not in orgs:
            out.append(Cand(i, end, "PERSON", SOURCE))
            done = end
    return out


def _person_shaped(toks: list[Token], names: frozenset[str], places: frozenset[str]) -> bool:
    """2-3 words: a given name, then given names or surnames; no place or organisation word."""
    return (
        2 <= len(toks) <= 3 and _is_given(toks[0], names)
        and all(_is_surname(t) or _is_given(t, names) for t in toks[1:])
        and not any(t.lower_ in places for t in toks)
    )


def relabel_given_names(
    doc: Doc, cands: list[Cand], sports: bool, names: frozenset[str], places: frozenset[str]
) -> None:
    """In a sports report, an NER organisation or place of 2-3 name-shaped words that starts with a given
    name is a person: "Guy Forget ( France )", "Anne-Gaelle Sidot", "Claudia Mues"."""
    if not sports:
        return
    for c in cands:
        if c.label in ("ORG", "LOC") and c.source == "ner":
            toks = [t for t in doc[c.start : c.end] if t.text != "-"]  # "Anne-Gaelle"
            if _person_shaped(toks, names, places):
                c.label = "PERSON"
