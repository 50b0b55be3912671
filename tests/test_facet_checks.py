"""The split-pair checks of bench/facets.py (bench/facet_checks.py). No Elasticsearch needed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from facet_checks import (  # noqa: E402 - bench/ is not a package
    Judgements,
    analyse_field,
    normalise,
    split_pairs,
)


def kinds(values: list[str], *, person: bool = True, distinct=()) -> set[tuple[str, str, str]]:
    """(surplus, partner, kind) of each pair, the values ranked as given (counts descending)."""
    ranked = [(v, 100 - i) for i, v in enumerate(values)]
    return {(p.value, p.partner, p.kind) for p in split_pairs(ranked, person=person, distinct=distinct)}


# -- lone surname -------------------------------------------------------------------------------

@pytest.mark.parametrize("full, lone", [
    ("Barack Obama", "Obama"),
    ("Bashar al-Assad", "Assad"),
    ("Al Franken", "Franken"),
    ("Theresa May", "Mrs May"),          # a title does not make it two words
    ("Donald Trump Jr.", "Trump"),       # the suffix is not the surname
])
def test_lone_surname_beside_full_name(full, lone):
    assert (lone, full, "surname") in kinds([lone, full])
    assert (lone, full, "surname") in kinds([full, lone])  # the lone one is the surplus either way


@pytest.mark.parametrize("values", [
    ["Obama", "Michelle Obamas"],
    ["Barack", "Barack Obama"],          # a first name is not a surname
    ["Donald Trump", "Barack Obama"],
    ["Trump", "Trump Tower"],
    ["agency", "Xinhua News Agency"],    # a common noun, not a surname
    ["Media", "German media"],
])
def test_no_lone_surname(values):
    assert not any(kind == "surname" for _, _, kind in kinds(values))


# -- normalised-equal ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("George W Bush", "George W. Bush"),
    ("Bashar Assad", "Bashar al-Assad"),
    ("Donald J. Trump", "Donald Trump"),
    ("Mr Trump", "Trump"),
    ("President Donald Trump", "Donald Trump"),
    ("Prime Minister Theresa May", "Theresa May"),
    ("Secretary of State John Kerry", "John Kerry"),
    ("François Hollande", "Francois Hollande"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
    ("Ludwig van Beethoven", "Ludwig Beethoven"),
    ("Donald J. Trump Jr.", "Donald Trump Jr"),
    ("SALEH AL-AROURI", "Saleh al-Arouri"),
    ("O'Neill", "ONeill"),
])
def test_normalised_equal(a, b):
    assert normalise(a, person=True) == normalise(b, person=True)
    assert {kind for _, _, kind in kinds([a, b])} == {"normalised"}


@pytest.mark.parametrize("a, b", [
    ("Donald Trump Jr.", "Donald Trump"),  # Jr. is significant
    ("George Bush Sr.", "George Bush"),
    ("George W. Bush", "George H. W. Bush Sr."),
    ("Hillary Clinton", "Bill Clinton"),
    ("J. K. Rowling", "K. Rowling"),       # a first initial is not a middle initial
    ("Justice Department", "Defense Department"),
    ("Al Franken", "Franken"),             # "Al" here is a given name
])
def test_not_normalised_equal(a, b):
    assert normalise(a, person=True) != normalise(b, person=True)
    assert not any(kind == "normalised" for _, _, kind in kinds([a, b]))


def test_titles_are_not_dropped_from_organisations():
    # in a person field, "Foreign Ministry" and "Defence Ministry" must not both become "ministry"
    assert normalise("Foreign Ministry", person=True) != normalise("Defence Ministry", person=True)
    assert normalise("The New York Times") == normalise("New York Times")


# -- acronym / expansion, reordering ------------------------------------------------------------

@pytest.mark.parametrize("short, long", [
    ("UN", "United Nations"),
    ("EU", "European Union"),
    ("FBI", "Federal Bureau of Investigation"),
    ("F.B.I.", "Federal Bureau of Investigation"),
    ("DOJ", "Department of Justice"),
    ("NATO", "North Atlantic Treaty Organization"),
    ("UN", "the United Nations"),
])
def test_acronym_beside_expansion(short, long):
    found = kinds([long, short], person=False)
    assert {(p, q) for p, q, kind in found if kind == "acronym"} == {(short, long)}
    # the surplus is the one with fewer articles
    assert (long, short, "acronym") in kinds([short, long], person=False)


@pytest.mark.parametrize("short, long", [
    ("UN", "European Union"),
    ("FBI", "Federal Reserve Bank"),
    ("CIA", "Central Intelligence"),
    ("Un", "United Nations"),              # not capitals
    ("ABCDEFG", "Alpha Beta Charlie Delta Echo Foxtrot Golf"),  # longer than six
])
def test_not_an_acronym_pair(short, long):
    assert not any(kind == "acronym" for _, _, kind in kinds([long, short], person=False))


@pytest.mark.parametrize("a, b", [
    ("Justice Department", "Department of Justice"),
    ("Defense Department", "the Department of Defense"),
    ("Homeland Security Department", "Department of Homeland Security"),
    ("Defence Ministry", "Ministry of Defence"),
    ("Oxford University", "University of Oxford"),
])
def test_reordering(a, b):
    assert any(kind == "reorder" for _, _, kind in kinds([a, b], person=False))
    assert any(kind == "reorder" for _, _, kind in kinds([b, a], person=True))


@pytest.mark.parametrize("a, b", [
    ("Justice Department", "Department of State"),
    ("State Department", "Department of State Security"),
    ("Justice", "Department of Justice"),
])
def test_not_a_reordering(a, b):
    assert not any(kind == "reorder" for _, _, kind in kinds([a, b], person=False))


def test_distinct_judgement_suppresses_a_pair():
    assert kinds(["House", "White House"], person=False)
    assert not kinds(["House", "White House"], person=False, distinct=[("White House", "House")])


# -- a field's report ---------------------------------------------------------------------------

def test_analyse_field_flags_and_shares():
    judgements = Judgements.from_dict({
        "any": {"junk": ["Getty Images"], "duplicate": {"ISIS": "Islamic State"}},
        "persons": {"junk": ["Brexit"]},
    })
    buckets = [("Donald Trump", 50), ("Trump", 30), ("Islamic State", 10), ("ISIS", 5),
               ("Brexit", 3), ("paper", 1), ("Getty Images", 1)]
    report = analyse_field("persons", buckets, judgements)
    rows = {r.value: r for r in report.rows}
    assert [p.partner for p in rows["Trump"].pairs] == ["Donald Trump"]
    assert rows["Donald Trump"].partner_of and not rows["Donald Trump"].bad
    assert rows["ISIS"].duplicate_of == "Islamic State" and rows["ISIS"].bad
    assert rows["Brexit"].junk and rows["Getty Images"].junk and rows["paper"].no_capital
    summary = report.summary()
    assert summary["split_pairs"] == 1 and summary["duplicates"] == 1 and summary["junk"] == 2
    assert summary["no_capital"] == 1 and summary["bad"] == 5
    assert summary["bad_share"] == pytest.approx(5 / 7, abs=1e-4)
    assert summary["bad_share_weighted"] == pytest.approx(40 / 100, abs=1e-4)
    # "Brexit" is junk as a person only
    assert not analyse_field("organizations", buckets, judgements).rows[4].junk
