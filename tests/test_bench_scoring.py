"""The entity benches' document-level scoring with aliases (`bench/scoring.py`): hand-made resolved
documents, no model, no Elasticsearch."""

from __future__ import annotations

from bench.scoring import micro_prf, facet_names, review, score_facet


def entity(name: str, label: str, surface: str | None = None, aliases=(), **extra) -> dict:
    return {"name": name, "label": label, "surface": surface or name, "aliases": list(aliases), **extra}


# An article that says "Obama" and "the UN" (aliases "U.N."), indexed under the corpus' canonical names.
RESOLVED = {
    "persons": ["Barack Obama", "Ban Ki-moon"],
    "organizations": ["United Nations", "Reuters"],
    "entities": [
        entity("Barack Obama", "PERSON", "Obama", ["Mr. Obama"]),
        entity("Ban Ki-moon", "PERSON", "Ban", ["Ki-moon Ban"]),
        entity("United Nations", "ORG", "UN", ["U.N."]),
        entity("Reuters", "ORG", kind="outlet"),
        entity("Iranian state media", "ORG", kind="generic_outlet"),
        entity("Junk", "ORG", dropped=True),
    ],
}


def test_facet_names_are_the_value_its_surface_and_its_aliases():
    names = facet_names(RESOLVED, "persons")
    assert names == {"Barack Obama": ["Barack Obama", "Obama", "Mr. Obama"],
                     "Ban Ki-moon": ["Ban Ki-moon", "Ban", "Ki-moon Ban"]}
    orgs = facet_names(RESOLVED, "organizations")
    assert orgs == {"United Nations": ["United Nations", "UN", "U.N."], "Reuters": ["Reuters"]}


def test_facet_names_skip_other_labels_and_dropped_entities():
    doc = {"persons": ["Hezbollah"], "organizations": [],
           "entities": [entity("Hezbollah", "ORG", "Hezbollah Party"), entity("Hezbollah", "PERSON", "Hizbullah"),
                        entity("Hezbollah", "PERSON", "Hisbollah", dropped=True)]}
    assert facet_names(doc, "persons") == {"Hezbollah": ["Hezbollah", "Hizbullah"]}


def test_a_canonical_value_matches_the_gold_name_the_article_used():
    """Gold is what the article says ("Obama", "UN"); the facet value is the canonical name."""
    persons = score_facet(["Obama", "Ban"], facet_names(RESOLVED, "persons"), person=True)
    assert persons.counts() == {"tp": 2, "fp": 0, "fn": 0}
    assert sorted(persons.pairs) == [("Ban Ki-moon", "Ban"), ("Barack Obama", "Obama")]
    orgs = score_facet(["UN", "Reuters"], facet_names(RESOLVED, "organizations"), person=False)
    assert orgs.counts() == {"tp": 2, "fp": 0, "fn": 0}
    # the aliases count too: a gold value written as the article's other form
    assert score_facet(["U.N."], facet_names(RESOLVED, "organizations"), person=False).tp == 1


def test_strict_matching_ignores_aliases():
    strict = score_facet(["Obama", "UN"], ["Barack Obama", "United Nations"], person=True)
    assert strict.counts() == {"tp": 0, "fp": 2, "fn": 2}


def test_one_value_matches_one_gold_value_only():
    """Two gold people in one canonical value (a wrong merge) is one hit, not two."""
    doc = {"persons": ["Phil Simmons"], "entities": [entity("Phil Simmons", "PERSON", "Simmons", ["Lendl Simmons"])]}
    score = score_facet(["Phil Simmons", "Lendl Simmons"], facet_names(doc, "persons"), person=True)
    assert score.counts() == {"tp": 1, "fp": 0, "fn": 1}
    assert score.pairs == [("Phil Simmons", "Phil Simmons")]  # its own name first
    assert score.false_negatives == ["Lendl Simmons"]
    assert review(score, doc, "persons", person=True) == [
        "renamed ['Simmons'] -> 'Phil Simmons' (gold 'Phil Simmons')",
        "merged ['Phil Simmons', 'Lendl Simmons'] in one value 'Phil Simmons' (surfaces ['Simmons'])"]


def test_one_gold_value_is_matched_once():
    """Two values whose names both hit one gold value: one hit and one false positive."""
    doc = {"persons": ["George W. Bush", "George H. W. Bush"],
           "entities": [entity("George W. Bush", "PERSON", "Bush"), entity("George H. W. Bush", "PERSON", "Bush")]}
    score = score_facet(["Bush"], facet_names(doc, "persons"), person=True)
    assert score.counts() == {"tp": 1, "fp": 1, "fn": 0}


def test_the_matching_is_maximal():
    """A value that could take either gold name leaves the one the other value needs (greedy matching in
    any order that takes own names first would score 1)."""
    predicted = {"UN": ["UN", "UN Security Council"], "Security Council": ["Security Council", "UN"]}
    score = score_facet(["UN", "UN Security Council"], predicted, person=False)
    assert score.counts() == {"tp": 2, "fp": 0, "fn": 0}
    assert sorted(score.pairs) == [("Security Council", "UN"), ("UN", "UN Security Council")]


def test_gold_and_values_are_sets_by_name_key():
    score = score_facet(["Obama", "obama", ""], {"Barack Obama": ["Obama"], "barack obama": ["Mr Obama"]},
                        person=True)
    assert score.counts() == {"tp": 1, "fp": 0, "fn": 0}


def test_review_lists_values_renamed_by_resolution():
    score = score_facet(["Obama"], facet_names(RESOLVED, "persons"), person=True)
    assert review(score, RESOLVED, "persons", person=True) == [
        "renamed ['Obama'] -> 'Barack Obama' (gold 'Obama')", "renamed ['Ban'] -> 'Ban Ki-moon' (no gold)"]
    # a value the article itself wrote is not resolution's doing; two gold values both matched is no merge
    doc = {"organizations": ["Allied-Signal Aerospace Co", "Allied-Signal Inc"],
           "entities": [entity("Allied-Signal Aerospace Co", "ORG", aliases=["Allied-Signal"]),
                        entity("Allied-Signal Inc", "ORG")]}
    score = score_facet(["Allied-Signal Aerospace Co", "Allied-Signal Inc"], facet_names(doc, "organizations"),
                        person=False)
    assert score.counts() == {"tp": 2, "fp": 0, "fn": 0}
    assert review(score, doc, "organizations", person=False) == []


def test_micro_prf():
    assert micro_prf(2, 1, 1) == {"p": 0.667, "r": 0.667, "f1": 0.667, "tp": 2, "fp": 1, "fn": 1}
    assert micro_prf(0, 0, 0)["f1"] == 0.0
