"""Entities in agency sports and markets copy: standings, results, fixtures, teams named after places."""

from __future__ import annotations

import pytest

from indexer.nlp import make_doc

pytestmark = pytest.mark.slow


def facets(nlp, title: str, body: str) -> tuple[set[str], set[str], set[str]]:
    doc = nlp(make_doc(nlp, title, body))
    by_label = {label: {e.name for e in doc._.entities if e.label == label and e.kind != "generic_outlet"}
                for label in ("PERSON", "ORG", "LOC")}
    return by_label["PERSON"], by_label["ORG"], by_label["LOC"]


STANDINGS = (
    "LONDON 1996-08-31\n"
    "Scottish league standings after Saturday 's matches ( tabulated - played , won , drawn , lost ,"
    " goals for , goals against , points ) :\n"
    "Greenock Morton 3 2 0 1 5 2 6\n"
    "Dundee 3 1 2 0 3 2 5\n"
    "Queen of South 3 2 0 1 5 4 6\n"
    "Clydebank 2 1 0 1 1 3 3\n"
)


def test_standings_rows_name_teams_in_a_sports_report(nlp):
    _, orgs, _ = facets(nlp, "SOCCER - SCOTTISH LEAGUE STANDINGS .", STANDINGS)
    assert {"Greenock Morton", "Dundee", "Queen of South", "Clydebank"} <= orgs


def test_all_caps_standings_and_home_teams_are_teams(nlp):
    body = (
        "NEW YORK 1996-08-30\nMajor League Baseball standings after games played on Thursday :\n"
        "W L PCT GB\nBALTIMORE 70 63 .526 4\nKANSAS CITY 61 74 .452 20\n"
        "Results :\nDETROIT 4 Kansas City 1\nMinnesota 6 MILWAUKEE 1\n"
    )
    _, orgs, _ = facets(nlp, "BASEBALL - MAJOR LEAGUE STANDINGS .", body)
    assert {"Baltimore", "Kansas City", "Detroit", "Minnesota", "Milwaukee"} <= orgs


def test_number_rows_outside_sports_are_not_teams(nlp):
    body = "Wheat 1,234 1,200 1,100 980\nMaize 2,100 2,050 1,990 1,870\nBarley 800 790 760 700\n"
    _, orgs, _ = facets(nlp, "EC grain stocks", "Intervention stocks in tonnes:\n" + body)
    assert not {"Wheat", "Maize", "Barley"} & orgs


def test_fixtures_and_scores_make_places_teams_but_countries_stay_places(nlp):
    body = (
        "LONDON 1996-08-31\nResults of English soccer matches on Saturday :\n"
        "Postponed : Birmingham v Barnsley , Manchester City v Charlton\n"
        "Leicestershire beat Somerset by an innings and 39 runs .\n"
        "Somerset 83 and 174 , Leicestershire 296 .\n"
        "Romania beat Lithuania 2-1 in their European under-21 soccer match on Friday .\n"
    )
    _, orgs, locs = facets(nlp, "SOCCER - ENGLISH LEAGUE RESULTS .", body)
    assert {"Birmingham", "Barnsley", "Manchester City", "Charlton", "Somerset"} <= orgs
    assert "Romania" in locs and not {"Romania", "Lithuania"} & orgs


def test_a_spaced_dash_and_a_trailing_score_are_not_part_of_a_name(nlp):
    body = (
        "BUCHAREST 1996-08-30\nRomania beat Lithuania 2-1 in their European under-21 soccer match on Friday .\n"
        "Scorers :\nRomania - Cosmin Contra ( 31st ) , Mihai Tararache ( 75th )\n"
        "Lithuania - Danius Gleveckas ( 13rd )\nAttendance : 200\n"
        "France beat Mexico 2 in the friendly .\n"
    )
    persons, orgs, locs = facets(nlp, "SOCCER - ROMANIA BEAT LITHUANIA IN UNDER-21 MATCH .", body)
    assert "Danius Gleveckas" in persons | orgs and {"Romania", "Lithuania", "Mexico"} <= locs
    assert not any(" - " in name or name[-1].isdigit() for name in persons | orgs | locs)


def test_months_events_and_market_indices_are_not_organisations(nlp):
    body = (
        "The September Bund future fell and the FTSE slipped , while Sri Lanka won the Singer World Series ."
        " Jones Medical said it bought Daniels Pharmaceuticals Inc of St. Petersburg , Florida ."
    )
    _, orgs, _ = facets(nlp, "Markets", body)
    assert not {"September Bund", "Bund", "FTSE", "Singer World Series"} & orgs
    assert "Daniels Pharmaceuticals Inc" in orgs
    assert not any("Petersburg" in name for name in orgs)


def test_newsroom_sign_offs_are_organisations(nlp):
    _, orgs, _ = facets(nlp, "Polish central bank", "The NBP did not hold a repo auction .\n-- Warsaw Newsroom +48 22 653 9700\n")
    assert "Warsaw Newsroom" in orgs


def test_national_teams_of_all_countries_stay_places(nlp):
    body = (
        "HERZLIYA , Israel 1996-08-31\nResult of a European under-21 qualifier on Saturday :\n"
        "Israel 2 , San Marino 0 ( halftime 0-0 )\n"
        "Mauritania drew 0-0 with Benin in their African Nations Cup match on Friday .\n"
    )
    _, orgs, locs = facets(nlp, "SOCCER - ISRAEL BEAT SAN MARINO .", body)
    assert {"Israel", "San Marino", "Benin", "Mauritania"} <= locs
    assert not {"Israel", "San Marino", "Benin"} & orgs
