"""Given-name candidates on the real model: results lines, line-ups, scorecards, persons tagged ORG."""

from __future__ import annotations

import pytest

from indexer.entities.given_names import load_given_names
from indexer.nlp import make_doc

pytestmark = pytest.mark.slow

SPORTS_TAIL = "\nThe coach said the team played a good match in the tournament and the season starts soon."


def labels(nlp, title: str, body: str) -> dict[str, str]:
    doc = nlp(make_doc(nlp, title, body))
    return {e.name: e.label for e in doc._.entities}


def test_list_has_given_names_but_no_places_or_words():
    names = load_given_names()
    assert {"john", "maria", "guy", "laurent", "vladimir"} <= names
    assert not {"france", "paris", "georgia", "jordan", "houston", "major", "will"} & names


def test_results_line_persons(nlp):
    body = (
        "Results from the Open on Friday ( prefix number denotes seeding ) :\n"
        "Men 's singles , second round\n"
        "4 - Goran Ivanisevic ( Croatia ) beat Scott Draper ( Australia ) 6-7 ( 1-7 ) 6-3 6-4 6-4\n"
        "8 - Lindsay Davenport ( U.S. ) beat Anne-Gaelle Sidot ( France ) 6-0 6-3" + SPORTS_TAIL
    )
    got = labels(nlp, "TENNIS - RESULTS FROM THE OPEN .", body)
    for name in ("Goran Ivanisevic", "Scott Draper", "Lindsay Davenport", "Anne-Gaelle Sidot"):
        assert got.get(name) == "PERSON", (name, got)
    assert got.get("France") == "LOC"


def test_line_up_persons(nlp):
    body = (
        "Teams :\n"
        "France - 1 - Bernard Lama ; 2 - Lilian Thuram ( 14 - Sabri Lamouchi 87th ) , 5 - Laurent Blanc ,"
        " 8 - Marcel Desailly" + SPORTS_TAIL
    )
    got = labels(nlp, "SOCCER - FRANCE BEAT MEXICO .", body)
    for name in ("Bernard Lama", "Lilian Thuram", "Laurent Blanc", "Marcel Desailly"):
        assert got.get(name) == "PERSON", (name, got)


def test_users_given_names_file_adds_names(nlp, tmp_path):
    from indexer.entities.given_names import given_name_candidates

    doc = nlp.make_doc("France - 1 - Bernard Lama ( 14 - Sabri Lamouchi 87th )")

    def found(names: frozenset[str]) -> list[str]:
        return [doc[c.start : c.end].text for c in given_name_candidates(doc, [], True, names, frozenset())]

    mine = tmp_path / "given_names.txt"
    assert load_given_names(mine) == load_given_names()  # no file yet: the shipped names
    assert found(load_given_names()) == ["Bernard Lama"]
    load_given_names.cache_clear()
    mine.write_text("# mine\nSabri\n", encoding="utf-8")
    assert "sabri" in load_given_names(mine) and "sabri" not in load_given_names()
    assert found(load_given_names(mine)) == ["Bernard Lama", "Sabri Lamouchi"]
    assert found(load_given_names(str(mine))) == ["Bernard Lama", "Sabri Lamouchi"]


def test_scorecard_initials(nlp):
    body = "Leicestershire 343 ( P. Simmons 4-38 )\nSomerset 231 ( A. Dale 69 ; V. Drakes 4-40 )" + SPORTS_TAIL
    got = labels(nlp, "CRICKET - COUNTY SCORES .", body)
    assert {"P. Simmons", "A. Dale", "V. Drakes"} <= {n for n, lab in got.items() if lab == "PERSON"}, got


def test_player_tagged_as_organisation_is_a_person(nlp):
    body = "Guy Forget ( France ) beat 17 - Felix Mantilla ( Spain ) 6-4 7-5 6-3" + SPORTS_TAIL
    got = labels(nlp, "TENNIS - FORGET THROUGH .", body)
    assert got.get("Guy Forget") == "PERSON", got
    assert got.get("Felix Mantilla") == "PERSON", got


def test_headline_names_alone_are_not_persons(nlp):
    got = labels(nlp, "TENNIS - SCOTT DRAPER WINS IN SYDNEY .", "The Australian won the final on Sunday." + SPORTS_TAIL)
    assert not any(lab == "PERSON" and "Draper" in n.title() for n, lab in got.items()), got


def test_places_clubs_and_firms_stay_what_they_are(nlp):
    body = (
        "Shares of Morgan Stanley rose 3 percent in New York on Tuesday.\n"
        "Jordan and Georgia signed a trade agreement, officials said.\n"
        "Paris St Germain beat Nantes 2-0 and the Florida Marlins lost to the Atlanta Braves." + SPORTS_TAIL
    )
    got = labels(nlp, "Markets and sport", body)
    persons = {n for n, lab in got.items() if lab == "PERSON"}
    assert not persons & {"Morgan Stanley", "Jordan", "Georgia", "Paris St Germain", "St Germain", "Florida Marlins"}, got
    assert got.get("Morgan Stanley") == "ORG"
    assert got.get("Jordan") == "LOC" and got.get("Georgia") == "LOC"


def test_business_copy_gets_no_new_persons_from_firm_names(nlp):
    body = "Morgan Stanley and Dean Witter said on Monday they would merge. Analysts at Morgan Stanley expect more deals."
    got = labels(nlp, "Banks to merge", body)
    assert "Morgan Stanley" not in {n for n, lab in got.items() if lab == "PERSON"}, got



def test_places_are_not_surnames_and_users_registry_places_count(nlp, tmp_path):
    from indexer.entities.given_names import given_name_candidates
    from indexer.nlp import build_pipeline

    doc = nlp.make_doc("Scorers : Bernard Wakanda 12th")
    names = load_given_names()
    found = given_name_candidates(doc, [], True, names, frozenset())
    assert [doc[c.start : c.end].text for c in found] == ["Bernard Wakanda"]
    assert given_name_candidates(doc, [], True, names, frozenset({"wakanda"})) == []

    registry = tmp_path / "registry.yaml"
    registry.write_text("version: 1\nlabels:\n  Wakanda: LOC\n", encoding="utf-8")
    places = build_pipeline(registry_path=str(registry)).get_pipe("presswatch_entities").places
    assert {"wakanda", "france"} <= places
    assert "wakanda" not in nlp.get_pipe("presswatch_entities").places
