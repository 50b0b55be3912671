"""Inbox -> Elasticsearch, end to end on a real Elasticsearch."""

import json
import shutil

import pytest
import spacy

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.errors import StoreError, StoreUnavailable
from indexer.policy import Backoff
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


QUICK = Backoff(initial=0.01, attempts=3)


def test_elasticsearch_down_delays_work_and_loses_nothing(tmp_path, enricher, workers):
    settings = Settings.from_env(home=tmp_path, index="pwtest-down", es_url="http://127.0.0.1:1")
    app = PressWatch(settings)
    app.__dict__["workers"] = workers
    app.ingestor.backoff = QUICK
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    shutil.copy(SEED, settings.inbox / SEED.name)
    with pytest.raises(StoreUnavailable):
        app.ingest_inbox()
    assert files_in(settings.inbox) == [SEED.name]
    assert files_in(settings.processed_dir) == [] and files_in(settings.failed_dir) == []
    assert files_in(settings.processing_dir) == []


def test_elasticsearch_going_away_mid_ingest_is_retried_then_gives_the_files_back(app, settings):
    for i in range(3):
        drop(app, f"a{i}.json", json.dumps({"id": f"a{i}", "title": "T", "body": f"Text {i}."}))

    class DownStore(Store):
        calls = 0

        def index_documents(self, documents, **kw):
            DownStore.calls += 1
            raise StoreUnavailable("connection refused")

    app.ingestor.store = DownStore(settings)
    app.ingestor.backoff = QUICK
    with pytest.raises(StoreUnavailable):
        app.ingest_inbox()
    assert DownStore.calls == 3  # the first call and two retries
    assert files_in(settings.inbox) == ["a0.json", "a1.json", "a2.json"]
    assert files_in(settings.processed_dir) == [] and files_in(settings.processing_dir) == []


def test_elasticsearch_back_within_the_backoff_loses_nothing(app, settings):
    for i in range(3):
        drop(app, f"a{i}.json", json.dumps({"id": f"a{i}", "title": "T", "body": f"Text {i}."}))

    class FlakyStore(Store):
        calls = 0

        def index_documents(self, documents, **kw):
            FlakyStore.calls += 1
            if FlakyStore.calls < 3:
                raise StoreUnavailable("connection refused")
            return super().index_documents(documents, **kw)

    app.ingestor.store = FlakyStore(settings)
    app.ingestor.backoff = QUICK
    report = app.ingest_inbox()
    assert report.articles == 3 and FlakyStore.calls == 3
    assert files_in(settings.processed_dir) == ["a0.json", "a1.json", "a2.json"]
    assert {app.store.get(f"a{i}")["id"] for i in range(3)} == {"a0", "a1", "a2"}


def test_a_deterministic_bulk_failure_fails_the_files_instead_of_retrying_forever(app, settings):
    drop(app, "a.json", json.dumps({"id": "a", "title": "T", "body": "Text."}))

    class RefusingStore(Store):
        calls = 0

        def index_documents(self, documents, **kw):
            RefusingStore.calls += 1
            raise StoreError("Elasticsearch refused to index documents: mapper_parsing_exception")

    app.ingestor.store = RefusingStore(settings)
    report = app.ingest_inbox()
    assert RefusingStore.calls == 1
    assert [f.status for f in report.files] == ["failed"]
    assert files_in(settings.failed_dir) == ["a.json", "a.json.error.json"]
    assert "mapper_parsing_exception" in json.loads((settings.failed_dir / "a.json.error.json").read_text())["reason"]
    assert files_in(settings.inbox) == []


def test_paths_outside_the_inbox_are_indexed_in_place(app, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / ".hidden.txt").write_text("T\n\nB")
    report = app.ingest_paths([folder])
    assert report.articles == 1 and report.files[0].status == "indexed"
    assert (folder / "seed.txt").exists()


def test_an_article_that_crashes_a_component_fails_alone_with_its_record(app, nlp):
    from indexer.enrich import Enricher

    from . import traps  # noqa: F401 - registers the trap component

    trapped = spacy.blank("en").from_config(nlp.config)  # a fresh copy of the pipeline...
    trapped.from_bytes(nlp.to_bytes())
    trapped.add_pipe("presswatch_test_trap", last=True)  # ...that raises on one article
    lines = [json.dumps({"id": "ok1", "body": "Theresa May spoke in London."}),
             json.dumps({"id": "bad", "body": f"Jeremy Corbyn replied. {traps.RAISES}"}),
             json.dumps({"id": "ok2", "body": "Nicola Sturgeon spoke in Edinburgh."})]
    drop(app, "feed.jsonl", "\n".join(lines) + "\n")
    drop(app, "other.txt", "Headline\n\nBoris Johnson spoke.")
    app.ingestor.enricher = lambda: Enricher(trapped)
    report = app.ingest_inbox()
    assert report.articles == 3
    feed = next(f for f in report.files if f.name == "feed.jsonl")
    assert feed.status == "processed" and feed.articles == 2
    assert [e["record"] for e in feed.errors] == [2]
    assert "ValueError: the trap component refused this article" in feed.errors[0]["reason"]
    assert (app.settings.failed_dir / "feed.jsonl").read_text() == lines[1] + "\n"
    assert app.store.get("bad") is None and app.store.get("ok2")


def test_a_reader_crash_fails_that_file_alone(app):
    drop(app, "deep.json", "[" * 100_000 + "]" * 100_000)
    drop(app, "good.txt", "Headline\n\nAngela Merkel spoke in Berlin.")
    drop(app, "latin1.txt", "Titre\n\nJosé Müller a parlé à Genève.".encode("latin-1"))
    drop(app, "feed.jsonl", json.dumps({"id": "j1", "body": "Emmanuel Macron spoke."}) + "\n")
    report = app.ingest_inbox()
    status = {f.name: f.status for f in report.files}
    assert status == {"deep.json": "failed", "good.txt": "processed", "latin1.txt": "processed",
                      "feed.jsonl": "processed"}
    assert "JSON nested too deeply" in next(f.reason for f in report.files if f.name == "deep.json")
    assert report.articles == 3 and app.store.get("j1")
    [latin] = app.search(SearchQuery(text="Genève")).hits
    assert latin.title == "Titre"


def test_source_names_the_processed_file_and_the_inbox_path(app):
    drop(app, "wire/a.jsonl", json.dumps({"id": "s1", "body": "Angela Merkel spoke.", "date": "not a date"}))
    report = app.ingest_inbox()
    source = app.store.get("s1")["source"]
    assert source["path"] == str(app.settings.processed_dir / "wire" / "a.jsonl")
    assert source["inbox_path"] == "wire/a.jsonl" and (app.settings.processed_dir / "wire" / "a.jsonl").exists()
    assert report.files[0].warnings == [{"record": 1, "warning": "published_at 'not a date' is not a date; "
                                         "indexed without one"}]


def test_a_symlink_out_of_the_inbox_is_not_read(app, tmp_path):
    secret = tmp_path / "hostname"
    secret.write_text("secret-host-name")
    (app.settings.inbox / "hostname.txt").symlink_to(secret)
    report = app.ingest_inbox()
    assert report.articles == 0 and app.store.count() == 0
    assert files_in(app.settings.failed_dir) == ["hostname.txt", "hostname.txt.error.json"]
    reason = json.loads((app.settings.failed_dir / "hostname.txt.error.json").read_text())["reason"]
    assert "outside the inbox" in reason
    assert secret.read_text() == "secret-host-name"


def test_a_chunk_refused_as_a_whole_is_retried_document_by_document(app, settings):
    lines = [json.dumps({"id": f"c{i}", "body": f"Angela Merkel spoke, item {i}."}) for i in range(5)]
    drop(app, "feed.jsonl", "\n".join(lines) + "\n")

    class PickyStore(Store):
        def index_documents(self, documents, **kw):
            if any(doc["id"] == "c3" for doc in documents):
                raise StoreError("Elasticsearch refused to index documents: document_parsing_exception")
            return super().index_documents(documents, **kw)

    app.ingestor.store = PickyStore(settings)
    report = app.ingest_inbox()
    [feed] = report.files
    assert feed.status == "processed" and feed.articles == 4
    assert [e["record"] for e in feed.errors] == [4]
    assert "document_parsing_exception" in feed.errors[0]["reason"]
    assert {i for i in range(5) if app.store.get(f"c{i}")} == {0, 1, 2, 4}
