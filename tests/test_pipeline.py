"""Inbox -> Elasticsearch, end to end on a real Elasticsearch."""

import json
import shutil

import pytest

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.errors import StoreUnavailable
from indexer.search import SearchQuery
from indexer.store import Store

from .conftest import SEED, age


def drop(app: PressWatch, name: str, content: str | bytes) -> None:
    path = app.settings.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    age(path)


def files_in(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_every_format_is_indexed_and_moved_to_processed(app):
    shutil.copy(SEED, app.settings.inbox / SEED.name)
    age(app.settings.inbox / SEED.name)
    drop(app, "one.json", json.dumps({"id": "j1", "title": "Merkel meets Macron",
                                      "body": "Angela Merkel met Emmanuel Macron in Paris on Monday.",
                                      "outlet": "Reuters"}))
    drop(app, "feed.jsonl", "\n".join(json.dumps(
        {"id": f"l{i}", "title": f"Item {i}", "text": f"Boris Johnson spoke in London, item {i}."})
        for i in range(3)))
    drop(app, "page.html", "<html><head><meta property='og:site_name' content='Example Times'>"
         "<title>Budget vote</title></head><body><article><p>"
         + "Chancellor Rishi Sunak told Parliament the budget would pass this week. " * 6
         + "</p></article></body></html>")
    drop(app, "notes.md", "---\noutlet: BBC News\nurl: https://www.bbc.co.uk/news/1\n---\n# Storm\n\n"
         "The Met Office warned of high winds across Scotland.")

    report = app.ingest_inbox()

    assert report.articles == 7
    assert files_in(app.settings.processed_dir) == sorted(
        [SEED.name, "one.json", "feed.jsonl", "page.html", "notes.md"])
    assert files_in(app.settings.inbox) == [] and files_in(app.settings.failed_dir) == []
    assert app.store.count() == 7
    seed = app.search(SearchQuery(persons=("Ismail Haniyeh",))).hits
    assert [h.title for h in seed] == ["Khamenei Hosts Hamas Delegation in Tehran"]
    doc = app.store.get("j1")
    assert {"Angela Merkel", "Emmanuel Macron"} <= set(doc["persons"])
    assert doc["source"]["format"] == "json"
    assert {app.store.get(f"l{i}")["source"]["line"] for i in range(3)} == {1, 2, 3}


def test_unreadable_file_goes_to_failed_with_the_reason(app):
    drop(app, "broken.json", '{"title": "x", "body": ')
    drop(app, "scan.pdf", b"%PDF-1.4 binary")
    drop(app, "empty.txt", "\n\n")
    report = app.ingest_inbox()
    assert report.articles == 0
    failed = app.settings.failed_dir
    assert files_in(failed) == sorted(["broken.json", "broken.json.error.json", "empty.txt",
                                       "empty.txt.error.json", "scan.pdf", "scan.pdf.error.json"])
    assert "invalid JSON" in json.loads((failed / "broken.json.error.json").read_text())["reason"]
    assert "unsupported file type" in json.loads((failed / "scan.pdf.error.json").read_text())["reason"]
    assert (failed / "broken.json").read_text() == '{"title": "x", "body": '  # nothing lost


def test_bad_jsonl_line_fails_alone(app):
    lines = [json.dumps({"id": "ok1", "title": "A", "body": "Theresa May spoke."}),
             '{"id": "bad", "title": ',
             json.dumps({"id": "nobody", "title": "no body"}),
             json.dumps({"id": "ok2", "title": "B", "body": "Jeremy Corbyn replied."})]
    drop(app, "feed.jsonl", "\n".join(lines) + "\n")
    report = app.ingest_inbox()
    assert report.articles == 2
    assert app.store.get("ok1") and app.store.get("ok2")
    assert files_in(app.settings.processed_dir) == ["feed.jsonl"]
    failed = app.settings.failed_dir
    assert (failed / "feed.jsonl").read_text().splitlines() == [lines[1], lines[2]]
    sidecar = json.loads((failed / "feed.jsonl.error.json").read_text())
    assert [r["record"] for r in sidecar["records"]] == [2, 3]


def test_same_article_twice_is_one_document(app):
    for name in ("first.txt", "again.txt"):
        shutil.copy(SEED, app.settings.inbox / name)
        age(app.settings.inbox / name)
    app.ingest_inbox()
    shutil.copy(SEED, app.settings.inbox / "third.txt")
    age(app.settings.inbox / "third.txt")
    app.ingest_inbox()
    assert app.store.count() == 1
    assert len(files_in(app.settings.processed_dir)) == 3


def test_a_file_still_being_written_waits(app):
    app.inbox.settle_seconds = 30
    path = app.settings.inbox / "growing.txt"
    path.write_text("Headline\n\nFirst part of the")
    assert app.ingest_inbox().files == []
    assert path.exists()
    age(path, 60)
    assert app.ingest_inbox().articles == 1


def test_elasticsearch_down_delays_work_and_loses_nothing(tmp_path, enricher):
    settings = Settings.from_env(home=tmp_path, index="pwtest-down", es_url="http://127.0.0.1:1")
    app = PressWatch(settings)
    app.__dict__["enricher"] = enricher
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    shutil.copy(SEED, settings.inbox / SEED.name)
    with pytest.raises(StoreUnavailable):
        app.ingest_inbox()
    assert files_in(settings.inbox) == [SEED.name]
    assert files_in(settings.processed_dir) == [] and files_in(settings.failed_dir) == []
    assert files_in(settings.processing_dir) == []


def test_elasticsearch_going_away_mid_ingest_releases_unfinished_files(app, settings):
    for i in range(3):
        drop(app, f"a{i}.json", json.dumps({"id": f"a{i}", "title": "T", "body": f"Text {i}."}))

    class FlakyStore(Store):
        calls = 0

        def index_documents(self, documents, **kw):
            FlakyStore.calls += 1
            raise StoreUnavailable("connection refused")

    app.ingestor.store = FlakyStore(settings)
    with pytest.raises(StoreUnavailable):
        app.ingest_inbox()
    assert FlakyStore.calls == 1
    assert files_in(settings.inbox) == ["a0.json", "a1.json", "a2.json"]
    assert files_in(settings.processed_dir) == []


def test_paths_outside_the_inbox_are_indexed_in_place(app, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / ".hidden.txt").write_text("T\n\nB")
    report = app.ingest_paths([folder])
    assert report.articles == 1 and report.files[0].status == "indexed"
    assert (folder / "seed.txt").exists()


def test_an_enrichment_bug_fails_the_files_with_the_error_instead_of_looping(app):
    drop(app, "a.json", json.dumps({"id": "a", "title": "T", "body": "Text."}))

    class BrokenEnricher:
        def enrich_pairs(self, pairs):
            for _ in pairs:
                raise RuntimeError("component crashed")
            yield  # pragma: no cover

    app.ingestor.enricher = lambda: BrokenEnricher()
    with pytest.raises(RuntimeError, match="component crashed"):
        app.ingest_inbox()
    assert files_in(app.settings.failed_dir) == ["a.json", "a.json.error.json"]
    reason = json.loads((app.settings.failed_dir / "a.json.error.json").read_text())["reason"]
    assert "enrichment failed" in reason and "component crashed" in reason
    assert files_in(app.settings.inbox) == [] and files_in(app.settings.processing_dir) == []
