"""The shipped entity recogniser (en_core_web_sm's, fine-tuned on news wire) and PRESSWATCH_NER."""

from __future__ import annotations

import pytest

from indexer.config import Settings
from indexer.errors import ConfigurationError
from indexer.nlp import WIRE_NER, build_pipeline, load_base_model, load_entity_recognizer, make_doc

pytestmark = pytest.mark.slow

# An invented stage race report in agency style: results lines with riders, countries and teams.
TITLE = "CYCLING - BRENNEMAN TAKES STAGE AND LEAD IN VALDORIA ."
BODY = """ALMERIA , Spain 1996-09-12
Leading results of the fifth stage of the Tour of Valdoria , 182 km from Murcia to Almeria :
1. Tomas Brenneman ( Netherlands ) Rabotech 4 hours 32 minutes 10 seconds
2. Jorge Ilundain ( Spain ) Banesta same time
3. Piotr Wasilak ( Poland ) Mapei 0:12 behind
Overall standings : 1. Brenneman 18:02:11 2. Ilundain 0:08 behind"""


def facets(nlp) -> tuple[set[str], set[str]]:
    doc = nlp(make_doc(nlp, TITLE, BODY))
    persons = {e.name for e in doc._.entities if e.label == "PERSON"}
    orgs = {e.name for e in doc._.entities if e.label == "ORG"}
    return persons, orgs


def test_shipped_weights_are_the_default(nlp):
    assert (WIRE_NER / "model").is_file()
    assert Settings.from_env().ner == "wire"
    stock = load_base_model()
    assert nlp.get_pipe("ner").model.to_bytes() != stock.get_pipe("ner").model.to_bytes()
    assert nlp.get_pipe("ner").labels == stock.get_pipe("ner").labels


def test_wire_recogniser_reads_results_lines_the_stock_one_misses(nlp):
    persons, orgs = facets(nlp)
    assert persons == {"Tomas Brenneman", "Jorge Ilundain", "Piotr Wasilak"}
    assert {"Rabotech", "Banesta", "Mapei"} <= orgs

    stock_persons, stock_orgs = facets(build_pipeline(ner="stock"))
    assert "Piotr Wasilak" not in stock_persons
    assert not {"Rabotech", "Banesta"} & stock_orgs


def test_other_labels_are_not_forgotten(nlp):
    doc = nlp("The 26-year-old, who joined Newcastle for 15 million pounds on Friday, said 40 percent of fans"
              " in Germany backed him.")
    labels = {e.label_ for e in doc.ents}
    assert {"DATE", "MONEY", "PERCENT", "GPE"} <= labels, [(e.text, e.label_) for e in doc.ents]


def test_ner_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSWATCH_NER", "stock")
    assert Settings.from_env().ner == "stock"
    nlp = load_base_model()
    with pytest.raises(ConfigurationError, match="no entity recogniser weights"):
        load_entity_recognizer(nlp, str(tmp_path))
    before = nlp.get_pipe("ner").model.to_bytes()
    load_entity_recognizer(nlp, "stock")
    assert nlp.get_pipe("ner").model.to_bytes() == before
    load_entity_recognizer(nlp, str(WIRE_NER))  # a folder of weights, as bench/train_ner.py writes
    assert nlp.get_pipe("ner").model.to_bytes() != before
