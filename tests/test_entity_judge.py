"""The entity judge: its features, its verdicts, and the shipped model on clear cases."""

import pytest

from indexer.contract import Mention, make_doc
from indexer.entities.judge import EntityJudge, NamePrior, features, judge, load_judge, load_prior
from indexer.model import Entity

pytestmark = pytest.mark.slow


def entities_of(nlp, title: str, body: str):
    doc = nlp(make_doc(nlp, title, body))
    return doc, {e.name: e for e in doc._.entities}


def toy_judge(**weights) -> EntityJudge:
    """Classes NONE, ORG, PERSON; a feature's weights given as (none, org, person)."""
    return EntityJudge(("NONE", "ORG", "PERSON"), {k: tuple(v) for k, v in weights.items()}, (0.0, 0.0, 0.0),
                       {"PERSON": (0.6, 0.6), "ORG": (0.6, 0.6)})


def test_features_show_the_name_its_context_and_its_prior(nlp):
    doc = nlp(make_doc(nlp, "", "Mr. Philip Bump said the plan would fail."))
    entity = Entity("Philip Bump", "ORG", 1)
    mention = next(Mention(t.i, t.i + 2, entity) for t in doc if t.text == "Philip")
    prior = NamePrior(("PERSON", "ORG", "PLACE", "NORP", "OTHER"), {"philip bump": (9, 1, 0, 0, 0)})
    f = features(doc, entity, [mention], frozenset({"philip"}), prior)
    assert f["label=ORG"] == 1.0 and f["ORG:given_first"] == 1.0 and f["ORG:title"] == 1.0
    assert f["ORG:speaker"] == 1.0 and f["ORG:words=2"] == 1.0
    assert f["ORG:prior_person"] == pytest.approx(0.9) and f["ORG:prior_org"] == pytest.approx(0.1)
    unseen = features(doc, Entity("Zqx Corp", "ORG", 1), [], frozenset(), prior)
    assert unseen["ORG:prior_unseen"] == 1.0


def test_verdicts_keep_relabel_and_drop():
    j = toy_judge(**{"ORG:given_first": (0, 0, 3), "ORG:prior_other": (3, 0, 0)})
    assert j.verdict("ORG", {"ORG:given_first": 1.0}) == "PERSON"
    assert j.verdict("ORG", {"ORG:prior_other": 1.0}) == "NONE"
    assert j.verdict("ORG", {}) is None  # a third each: below both thresholds


def test_judge_drops_relabels_and_spares_what_the_registry_decided(nlp):
    doc, by_name = entities_of(nlp, "", "Angela Merkel met officials of Siemens in Berlin on Monday.")
    mentions = list(doc._.mentions)
    j = toy_judge(**{"ORG:words=1": (5, 0, 0), "PERSON:words=2": (0, 5, 0)})
    kept, kept_mentions = judge(doc, list(doc._.entities), mentions, judge_model=j, given_names=frozenset())
    names = {e.name: e.label for e in kept}
    assert "Siemens" not in names and names["Angela Merkel"] == "ORG"
    assert all(m.entity.name != "Siemens" for m in kept_mentions)
    spared, _ = judge(doc, list(doc._.entities), mentions, judge_model=j, given_names=frozenset(),
                      decided={"siemens"})
    assert "Siemens" in {e.name for e in spared}


def test_the_shipped_judge_and_prior_load():
    j = load_judge()
    assert j is not None and set(j.classes) == {"NONE", "ORG", "PERSON"}
    assert set(j.thresholds) == {"PERSON", "ORG"}
    assert all(0.5 <= t for pair in j.thresholds.values() for t in pair)
    prior = load_prior()
    assert prior is not None and prior.shares("Angela Merkel")["PERSON"] > 0.8


def test_the_shipped_judge_on_clear_cases(nlp):
    _, by_name = entities_of(nlp, "Summit", "Angela Merkel and Vladimir Putin met in Berlin, and "
                                            "Siemens said its profit rose.")
    assert by_name["Angela Merkel"].label == "PERSON" and by_name["Vladimir Putin"].label == "PERSON"
    assert by_name["Siemens"].label == "ORG"


def test_the_shipped_judge_tells_a_person_from_a_non_person():
    """The trained weights: a two-word name with a given name, a person's prior and a speech verb is a
    person; one word after "the", that the recogniser calls something else and the prior a place, is not."""
    j = load_judge()
    person = {"label=PERSON": 1, "PERSON:words=2": 1, "PERSON:mentions=3+": 1, "PERSON:given_first": 1,
              "PERSON:prior_person": 1.0, "PERSON:prior_seen": 1, "PERSON:speaker": 0.5, "PERSON:ner_person": 1}
    other = {"label=PERSON": 1, "PERSON:words=1": 1, "PERSON:mentions=1": 1, "PERSON:ner_other": 1,
             "PERSON:prior_place": 1.0, "PERSON:prior_seen": 1, "PERSON:the": 1}
    assert j.verdict("PERSON", person) is None and j.probabilities(person)["PERSON"] > 0.9
    assert j.probabilities(other)["NONE"] > 0.5 > j.probabilities(person)["NONE"]
