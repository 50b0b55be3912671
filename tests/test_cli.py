"""The CLI, invoked as a user would; results checked through the library."""

import json
import shutil

import pytest
from click.testing import CliRunner

from indexer.cli import main

from .conftest import SEED, age


@pytest.fixture
def run(settings):
    def invoke(*args, ok=True):
        common = ["--home", str(settings.home), "--index", settings.index, "--es-url", settings.url]
        command, *rest = args
        if command in ("es", "entities"):
            command, sub, *rest = args
            argv = [command, sub, *common, *rest]
        else:
            argv = [command, *common, *rest]
        result = CliRunner().invoke(main, argv, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


def test_enrich_prints_one_document_per_article_keeping_ids(run, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"art-{i}", "title": f"Story {i}",
                                          "body": f"Angela Merkel spoke in Berlin about item {i}."})
                              for i in range(100)))
    lines = run("enrich", str(path)).stdout.splitlines()
    assert len(lines) == 100
    documents = [json.loads(line) for line in lines]
    assert [d["id"] for d in documents] == [f"art-{i}" for i in range(100)]
    assert all("Angela Merkel" in d["persons"] for d in documents)


def test_enrich_document_has_every_field(run):
    document = json.loads(run("enrich", str(SEED)).stdout)
    assert set(document) == {
        "id", "title", "body", "url", "outlet", "published_at", "ingested_at", "authors", "language", "furniture_words",
        "persons", "organizations", "locations", "entities", "quotes", "quote_speakers",
        "cited_outlets", "source", "entity_ids", "entity_forms", "entity_roles", "entity_kinds", "speaker_refs"}
    assert set(document["source"]) == {"path", "format", "sha256", "bytes"}
    for entity in document["entities"]:
        assert {"id", "name", "label", "mentions", "surface", "ref"} <= set(entity)
    assert sorted({e["id"] for e in document["entities"]}) == document["entity_ids"]
    for quote in document["quotes"]:
        assert {"text", "speaker", "speaker_mention", "speaker_type", "cue", "kind", "start", "end"} <= set(quote)
        assert document[quote.get("field", "body")][quote["start"]:quote["end"]] == quote["text"]


def test_enrich_reports_a_bad_line_and_goes_on(run, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "body": "One."}\nnot json\n{"id": "b", "body": "Two."}\n')
    result = run("enrich", str(path), ok=False)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert "feed.jsonl:2" in result.stderr and "invalid JSON" in result.stderr


def test_ingest_then_search(run, settings, store):
    settings.inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, settings.inbox / SEED.name)
    age(settings.inbox / SEED.name)
    run("ingest", "--no-prefect")
    assert (settings.processed_dir / SEED.name).exists()
    assert store.count() == 1

    result = json.loads(run("search", "--person", "Ismail Haniyeh", "--json").stdout)
    assert result["total"] == 1
    assert result["hits"][0]["title"] == "Khamenei Hosts Hamas Delegation in Tehran"
    persons = {f["value"] for f in result["facets"]["persons"]}
    assert "Ismail Haniyeh" in persons
    assert result["facets"]["outlets"] == []  # the seed has no outlet metadata
    text = run("search", "--person", "Ismail Haniyeh").stdout
    assert "Khamenei Hosts Hamas Delegation" in text and "persons" in text
    assert json.loads(run("search", "--person", "Nobody Atall", "--json").stdout)["total"] == 0

    # --min-confidence: the seed's quotes carry the linker's confidences
    said = json.loads(run("search", "--speaker", "Ismail Haniyeh", "--json").stdout)["hits"][0]["quotes"]
    assert said and all(0 < q["confidence"] <= 1 for q in said)
    top = max(q["confidence"] for q in said)
    kept = json.loads(run("search", "--speaker", "Ismail Haniyeh", "--min-confidence", str(top), "--json").stdout)
    assert [q["confidence"] for q in kept["hits"][0]["quotes"]] == [c for c in (q["confidence"] for q in said) if c >= top]
    above = json.loads(run("search", "--speaker", "Ismail Haniyeh", "--min-confidence", str(min(1.0, top + 0.001)),
                           "--json").stdout)
    assert above["total"] == (1 if top >= 0.999 else 0)
    assert run("search", "--min-confidence", "2", ok=False).exit_code == 2  # outside 0-1: a usage error


def test_ingest_paths_exit_code_reflects_failures(run, settings, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = run("ingest", "--no-prefect", str(bad), ok=False)
    assert result.exit_code == 1 and "invalid JSON" in result.stderr
    assert bad.exists()  # files outside the inbox are never moved


def test_status_shows_folders(run, settings):
    out = run("status").stdout
    assert str(settings.inbox) in out and "up" in out


def test_library_errors_become_cli_errors(tmp_path):
    result = CliRunner().invoke(main, ["search", "--es-url", "http://127.0.0.1:1", "--index", "x",
                                       "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "Elasticsearch is unreachable" in result.stderr


def test_ingest_can_leave_the_consolidation_for_later(run, settings, store):
    from indexer.entity_index import EntityIndex

    run("ingest", "--no-prefect", "--no-consolidate", str(SEED))
    assert store.count() == 1 and not EntityIndex(store).exists()
    report = json.loads(run("entities", "consolidate", "--no-prefect", "--json").stdout)
    assert report["entities"] >= 10 and report["articles_checked"] == 1
    listed = json.loads(run("entities", "list", "--label", "PERSON", "--json").stdout)
    assert listed[0]["name"] == "Ali Khamenei" and listed[0]["article_count"] == 1
