"""`presswatch entities apply`: registry changes reach documents already in Elasticsearch, without NLP
(a full consolidation)."""

import shutil

from click.testing import CliRunner

from indexer.cli import main
from indexer.search import SearchQuery

from .conftest import SEED, age

REGISTRY = """
merge:
  Ismail Haniya: [Ismail Haniyeh]
drop: [Maher Salah]
"""


def ingest_seed(app):
    shutil.copy(SEED, app.settings.inbox / SEED.name)
    age(app.settings.inbox / SEED.name)
    assert app.ingest_inbox().articles == 1
    [hit] = app.store.scan()
    return hit["_id"]


def test_registry_is_applied_to_indexed_documents(app):
    doc_id = ingest_seed(app)
    app.consolidate()
    before = app.store.get(doc_id)
    assert "Ismail Haniyeh" in before["persons"] and "Maher Salah" in before["persons"]
    assert "Ismail Haniyeh" in before["quote_speakers"]

    (app.settings.home / "registry.yaml").write_text(REGISTRY)
    result = app.consolidate()
    assert result.articles_updated == 1 and not result.failed

    after = app.store.get(doc_id)
    assert "Ismail Haniya" in after["persons"] and "Ismail Haniyeh" not in after["persons"]
    assert "Maher Salah" not in after["persons"]
    assert {e["name"] for e in after["entities"]} >= {"Ismail Haniya"}
    assert [e.get("dropped") for e in after["entities"] if e["surface"] == "Maher Salah"] == [True]
    assert "Ismail Haniya" in after["quote_speakers"]
    assert {q["speaker"] for q in after["quotes"]} >= {"Ismail Haniya"}
    assert after["body"] == before["body"] and after["ingested_at"] == before["ingested_at"]
    # facets and nested speaker search see the new name
    assert app.search(SearchQuery(persons=("Ismail Haniya",))).total == 1
    assert app.search(SearchQuery(speakers=("Ismail Haniya",), text="missiles")).total == 1
    # applying again changes nothing
    assert app.consolidate(look_back=0).skipped
    assert app.consolidate(full=True).articles_updated == 0


def test_cli_applies_the_registry_in_presswatch_home(app, settings):
    ingest_seed(app)
    (settings.home / "registry.yaml").write_text(REGISTRY)
    result = CliRunner().invoke(main, ["entities", "apply", "--home", str(settings.home),
                                       "--index", settings.index, "--es-url", settings.url])
    assert result.exit_code == 0, result.output
    assert "1 of 1 articles checked updated" in result.stderr
    assert app.search(SearchQuery(persons=("Ismail Haniya",))).total == 1
