"""The entity index and the consolidation, against the real Elasticsearch: order independence,
idempotence, the entity documents, and the curation commands."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
import yaml
from click.testing import CliRunner

from indexer.app import PressWatch
from indexer.cli import main
from indexer.search import SearchQuery
from indexer.store import Store

FIRST = [  # the corpus learns "Barack Obama" and "United Nations" from these
    {"id": "a1", "date": "2017-01-10", "title": "Obama visits Chicago",
     "text": "Barack Obama visited Chicago on Monday. Barack Obama told reporters that the economy was growing. "
             "Obama also met local leaders."},
    {"id": "a2", "date": "2017-01-12", "title": "Obama at the United Nations",
     "text": "Former President Barack Obama spoke at the United Nations in New York on Wednesday. "
             "Barack Obama urged the United Nations (UN) to act on climate change."},
]
SECOND = [  # only partial names
    {"id": "b1", "date": "2017-02-01", "title": "Aides speak",
     "text": "Mr. Obama criticised the plan on Tuesday, according to aides in Washington. "
             "Obama said the plan would hurt families."},
    {"id": "b2", "date": "2017-02-03", "title": "A vote in New York",
     "text": "The UN voted on Thursday in New York. Diplomats said the UN would meet again in March."},
]


def write(folder, name, articles):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return path


def other_app(app: PressWatch) -> PressWatch:
    twin = PressWatch(dataclasses.replace(app.settings, index=f"pwtest-{uuid.uuid4().hex[:10]}"))
    twin.__dict__["workers"] = app.workers
    return twin


def snapshot(app: PressWatch) -> tuple[dict, dict]:
    app.store.refresh()
    articles = {hit["_id"]: {f: hit["_source"][f] for f in ("persons", "organizations", "quote_speakers",
                                                             "entity_ids")}
                for hit in app.store.scan()}
    entities = {e["id"]: {k: v for k, v in e.items() if k != "updated_at"} for e in app.entity_index.scan()}
    return articles, entities


@pytest.fixture
def twin(app):
    twin = other_app(app)
    yield twin
    Store(twin.settings).drop()


def test_the_order_of_ingest_does_not_matter(app, twin, tmp_path):
    first, second = write(tmp_path / "a", "first.jsonl", FIRST), write(tmp_path / "b", "second.jsonl", SECOND)
    app.ingest_paths([first]), app.consolidate(), app.ingest_paths([second]), app.consolidate()
    twin.ingest_paths([second]), twin.consolidate(), twin.ingest_paths([first]), twin.consolidate()
    articles, entities = snapshot(app)
    assert (articles, entities) == snapshot(twin)
    # and the partial names resolved to the full ones
    assert "Barack Obama" in articles["b1"]["persons"] and "Obama" not in articles["b1"]["persons"]
    assert "United Nations" in articles["b2"]["organizations"] and "UN" not in articles["b2"]["organizations"]
    assert app.search(SearchQuery(persons=("Barack Obama",))).total == 3
    # a search by an alias finds the entity's articles
    assert app.search(SearchQuery(organizations=("UN",))).total == 2
    assert app.search(SearchQuery(persons=("Mr. Obama",))).total == 3


def test_consolidation_is_idempotent_and_incremental(app, tmp_path):
    app.ingest_paths([write(tmp_path / "in", "all.jsonl", FIRST + SECOND)])
    report = app.consolidate()
    assert not report.skipped and report.articles_checked == 4 and report.entities >= 3
    assert app.consolidate(look_back=0).skipped  # nothing ingested or edited since
    again = app.consolidate(full=True)
    assert not again.skipped and again.articles_checked == 4
    assert again.articles_updated == 0 and again.entities_written == 0 and again.entities_deleted == 0
    # an article ingested since is the only one looked at
    app.ingest_paths([write(tmp_path / "more", "c.jsonl", [
        {"id": "c1", "date": "2017-03-01", "title": "Obama in Boston",
         "text": "Obama spoke to supporters in Boston on Friday. Obama said the fight would go on."}])])
    # (look_back=0: by default it also re-reads what was resolved in the 2 minutes before the last run)
    later = app.consolidate(look_back=0)
    assert later.articles_checked == 1
    assert "Barack Obama" in app.store.get("c1")["persons"]


def test_an_interrupted_consolidation_is_resumed_by_the_next(app, twin, tmp_path):
    from indexer.errors import Cancelled

    path = write(tmp_path / "in", "all.jsonl", FIRST + SECOND)
    app.ingest_paths([path]), twin.ingest_paths([path])
    checked = []

    def stop_after_two():
        checked.append(1)
        if len(checked) > 2:
            raise Cancelled("stopped")

    with pytest.raises(Cancelled):
        app.consolidate(check_stop=stop_after_two)
    assert not app.consolidate().skipped  # the state was not recorded: it runs again, and completes
    twin.consolidate()
    assert snapshot(app) == snapshot(twin)  # as if it had never been stopped


def test_entity_documents_carry_aliases_counts_and_dates(app, tmp_path):
    app.ingest_paths([write(tmp_path / "in", "all.jsonl", FIRST + SECOND)])
    app.consolidate()
    obama = app.find_entity("Barack Obama")
    assert obama["label"] == "PERSON" and obama["article_count"] == 3
    assert obama["first_seen"].startswith("2017-01-10") and obama["last_seen"].startswith("2017-02-01")
    aliases = {a["name"]: a["count"] for a in obama["aliases"]}
    assert aliases["Barack Obama"] == 2 and "Obama" in aliases
    assert "PERSON|obama" in obama["refs"]
    assert app.find_entity("Obama")["id"] == obama["id"]  # found by an alias too
    # every article mention carries the entity's id; the entity index is browsable directly
    b1 = app.store.get("b1")
    assert obama["id"] in b1["entity_ids"]
    [mention] = [e for e in b1["entities"] if e["id"] == obama["id"]]
    assert mention["name"] == "Barack Obama" and mention["surface"] in ("Obama", "Mr. Obama")
    hits = app.entity_index.search({"query": {"term": {"alias_names": "UN"}}})["hits"]["hits"]
    assert [h["_source"]["name"] for h in hits] == ["United Nations"]


def cli(app, *args):
    s = app.settings
    result = CliRunner().invoke(main, [*args, "--home", str(s.home), "--index", s.index, "--es-url", s.url])
    assert result.exit_code == 0, result.output
    return result


def test_curation_commands_write_the_registry_and_update_the_index(app, tmp_path):
    app.ingest_paths([write(tmp_path / "in", "all.jsonl", FIRST + SECOND)])
    app.consolidate()
    listed = json.loads(cli(app, "entities", "list", "--label", "PERSON", "--json").stdout)
    assert listed[0]["name"] == "Barack Obama"

    cli(app, "entities", "split", "Barack Obama", "Obama", "Mr. Obama")
    assert "Obama" in app.store.get("b1")["persons"]
    registry = yaml.safe_load(app.settings.registry_file.read_text())
    assert registry["split"]["Barack Obama"] == ["Obama", "Mr. Obama"]

    cli(app, "entities", "merge", "Obama", "--into", "Barack Obama")
    assert app.store.get("b1")["persons"] == ["Barack Obama"]

    cli(app, "entities", "rename", "Barack Obama", "Barack H. Obama")
    assert "Barack H. Obama" in app.store.get("a1")["persons"]
    assert app.find_entity("Barack H. Obama")["article_count"] == 3

    cli(app, "entities", "relabel", "Chicago", "ORG")
    a1 = app.store.get("a1")
    assert "Chicago" in a1["organizations"] and "Chicago" not in a1["locations"]

    cli(app, "entities", "drop", "New York")
    assert all("New York" not in app.store.get(i)["locations"] for i in ("a2", "b2"))
    assert app.find_entity("New York") is None

    # all of it survives a re-ingest: the registry holds it
    app.ingest_paths([tmp_path / "in" / "all.jsonl"])
    app.consolidate()
    assert app.store.get("b1")["persons"] == ["Barack H. Obama"]
    assert "Chicago" in app.store.get("a1")["organizations"]
    shown = json.loads(cli(app, "entities", "show", "Barack H. Obama").stdout)
    assert shown["name"] == "Barack H. Obama"


def test_articles_indexed_before_entity_refs_are_brought_up_to_date(app, tmp_path):
    from indexer.identity import PREPARED_FIELDS

    [document] = app.enrich_paths([write(tmp_path / "in", "a.jsonl", FIRST[:1])], on_error=print)
    for field in (*PREPARED_FIELDS, "entity_ids"):
        document.pop(field, None)
    for entity in document["entities"]:  # as the release before entity identity wrote it
        for field in ("ref", "surface", "id"):
            entity.pop(field, None)
    for quote in document["quotes"]:
        quote.pop("speaker_ref", None)
    app.store.ensure_index()
    app.store.index_documents([document])
    report = app.consolidate()
    assert report.articles_prepared == 1 and not report.failed
    stored = app.store.get("a1")
    assert all(e["ref"] and e["id"] for e in stored["entities"])
    assert app.find_entity("Barack Obama")["article_count"] == 1


def test_one_consolidation_at_a_time(app, tmp_path):
    app.ingest_paths([write(tmp_path / "in", "all.jsonl", FIRST)])
    app.entity_index.ensure()
    assert app.entity_index.lock()
    try:
        report = app.consolidate()
        assert report.skipped and report.reason == "another consolidation is running"
    finally:
        app.entity_index.unlock()
    assert not app.consolidate().skipped


def test_an_update_that_failed_is_retried_by_the_next_run(app, tmp_path):
    app.ingest_paths([write(tmp_path / "in", "all.jsonl", FIRST + SECOND)])
    client = app.store.client
    client.indices.put_settings(index=app.store.alias, settings={"index.blocks.write": True})
    try:
        report = app.consolidate()
    finally:
        client.indices.put_settings(index=app.store.alias, settings={"index.blocks.write": False})
    assert report.failed and report.articles_updated == 0
    again = app.consolidate(look_back=0)
    assert not again.skipped and not again.failed and again.articles_updated >= len(report.failed)
    assert "Barack Obama" in app.store.get("b1")["persons"]
    assert app.consolidate(look_back=0).skipped


def _story(doc_id: str, subject: str, company: tuple[str, ...]) -> dict:
    return {"id": doc_id, "date": "2016-01-10", "title": "Campaign notes",
            "text": f"{subject} spoke on Monday. " + " ".join(f"{name} spoke too." for name in company)}


def test_the_consolidation_settles_a_lone_surname_by_the_article_s_company(app, tmp_path):
    from tests.test_identity import CABINET, RIVALS

    corpus = ([_story(f"w{i}", "George W. Bush", CABINET) for i in range(6)]
              + [_story(f"j{i}", "Jeb Bush", RIVALS) for i in range(6)]
              + [_story(f"h{i}", "George H. W. Bush", ("Ronald Reagan", "Dan Quayle", "James Baker")) for i in range(5)]
              + [_story("x1", "Mr. Bush", RIVALS), _story("x2", "Mr. Bush", CABINET), _story("x3", "Mr. Bush", ())])
    app.ingest_paths([write(tmp_path / "in", "bush.jsonl", corpus)])
    app.consolidate()
    articles, entities = snapshot(app)
    ids = {e["name"]: i for i, e in entities.items()}
    assert "Jeb Bush" in articles["x1"]["persons"] and "Bush" not in articles["x1"]["persons"]
    assert ids["Jeb Bush"] in articles["x1"]["entity_ids"] and ids["George W. Bush"] in articles["x2"]["entity_ids"]
    assert "George W. Bush" in articles["x2"]["persons"] and "Bush" not in articles["x2"]["persons"]
    assert articles["x3"]["persons"] == ["Bush"]  # no company: left undecided
    assert app.search(SearchQuery(persons=("Jeb Bush",))).total == 7
    again = app.consolidate(full=True)  # the decision does not feed itself: a second run changes nothing
    assert not again.skipped and again.articles_updated == 0
