"""The Prefect flows, run against a temporary Prefect server and the real Elasticsearch."""

import shutil
import threading
import time

import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import consolidate_entities, flow_parameters, ingest_inbox, presswatch
from flows.watch import watch_inbox
from indexer.search import SearchQuery

from .conftest import SEED, age


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def flow_app(settings, store, enricher, workers):
    app = presswatch(settings)  # the instance the flows use
    app.__dict__["enricher"] = enricher
    app.__dict__["workers"] = workers
    app.inbox.settle_seconds = 0.5
    app.inbox.ensure()
    return app


def test_ingest_inbox_flow_indexes_and_moves_files(settings, flow_app):
    shutil.copy(SEED, settings.inbox / SEED.name)
    time.sleep(0.6)
    state = ingest_inbox(**flow_parameters(settings), consolidate=True, return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result["articles"] == 1
    assert (settings.processed_dir / SEED.name).exists()
    assert flow_app.search(SearchQuery(persons=("Ismail Haniyeh",))).total == 1
    # the ingest ends with a consolidation, and the entity index has the seed's people
    assert result["consolidation"]["entities"] >= 10 and not result["consolidation"]["skipped"]
    assert flow_app.find_entity("Ismail Haniyeh")["article_count"] == 1


def test_consolidation_flow_runs_in_prefect(settings, flow_app):
    shutil.copy(SEED, settings.inbox / SEED.name)
    time.sleep(0.6)
    first = ingest_inbox(**flow_parameters(settings))
    assert first["consolidation"]["entities"] >= 10  # the index's first run is consolidated at once
    shutil.copy(SEED, settings.inbox / ("again-" + SEED.name))
    time.sleep(0.6)
    assert "consolidation" not in ingest_inbox(**flow_parameters(settings))  # a small drop: left to the schedule
    state = consolidate_entities(**flow_parameters(settings), return_state=True)
    assert state.is_completed() and state.result()["articles_checked"] == 1  # the one re-indexed since
    full = consolidate_entities(**flow_parameters(settings), full=True)
    assert full["articles_checked"] == 1 and full["articles_updated"] == 0


def test_watcher_indexes_a_dropped_file_within_seconds(settings, flow_app):
    stop = threading.Event()
    reports = []
    watcher = threading.Thread(target=watch_inbox, args=(settings,),
                               kwargs={"stop": stop, "sweep_seconds": 3600, "on_report": reports.append})
    watcher.start()
    try:
        time.sleep(1.5)  # the watcher is up and has done its first (empty) sweep
        dropped = time.monotonic()
        shutil.copy(SEED, settings.inbox / "dropped.txt")
        while not (settings.processed_dir / "dropped.txt").exists() and time.monotonic() - dropped < 30:
            time.sleep(0.2)
        elapsed = time.monotonic() - dropped
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert (settings.processed_dir / "dropped.txt").exists(), "not indexed within 30 s"
    assert elapsed < 15
    assert reports and reports[0]["articles"] == 1
    assert flow_app.search(SearchQuery(persons=("Ismail Haniyeh",))).total == 1


def test_progress_log_estimates_total_and_eta_across_batches():
    class Recorder:
        messages: list[str] = []

        def info(self, fmt, *args):
            self.messages.append(fmt % args)

    from flows.ingest import ProgressLog
    from indexer.pipeline import Progress

    logger = Recorder()
    progress = ProgressLog(logger, total_bytes=1000, every=0)
    progress(Progress(articles=10, files_done=1, files_total=2, bytes_done=250, bytes_total=500, elapsed=1))
    progress.batch_done(20, 500)
    progress(Progress(articles=10, files_done=1, files_total=2, bytes_done=250, bytes_total=500, elapsed=1))
    first, second = logger.messages
    assert first.startswith("10 articles of ~40 (25%), ETA")
    assert second.startswith("30 articles of ~40 (75%), ETA")
    assert "articles/s" in second


def test_watcher_with_elasticsearch_down_keeps_files_in_the_inbox(tmp_path, enricher):
    from indexer.config import Settings

    settings = Settings.from_env(home=tmp_path / "down", index="pwtest-down", es_url="http://127.0.0.1:1")
    app = presswatch(settings)
    app.__dict__["enricher"] = enricher
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    shutil.copy(SEED, settings.inbox / SEED.name)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_inbox, args=(settings,), kwargs={"stop": stop})
    watcher.start()
    time.sleep(14)  # one failed attempt (10 s wait for Elasticsearch), then the retry pause
    stop.set()
    watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert (settings.inbox / SEED.name).exists()
    assert not any(settings.processed_dir.iterdir()) and not any(settings.failed_dir.iterdir())


def test_a_flow_run_uses_the_settings_built_in_code(settings, store, tmp_path, monkeypatch):
    """`Settings.ner` and the home's given names, set in code and not in the environment, reach the
    flow run and its workers (the run records them as parameters)."""
    import json

    from indexer.config import Settings

    from .test_settings_in_code import LINE_UP, STAGE, home_with_given_names

    monkeypatch.setenv("PRESSWATCH_NER", "wire")
    monkeypatch.setenv("PRESSWATCH_HOME", str(tmp_path / "env-home"))
    code = Settings(home=home_with_given_names(tmp_path / "mine", "dravik"), index=settings.index,
                    es_url=settings.es_url, es_username=settings.es_username, es_password=settings.es_password,
                    es_api_key=settings.es_api_key, es_ca_certs=settings.es_ca_certs, ner="stock", workers=1)
    parameters = flow_parameters(code)
    assert json.loads(json.dumps(parameters)) == parameters  # what Prefect records
    code.inbox.mkdir(parents=True)
    feed = code.inbox / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": a.id, "title": a.title, "body": a.body}) + "\n" for a in (LINE_UP, STAGE)))
    age(feed)
    try:
        result = ingest_inbox(**parameters)
    finally:
        presswatch(code).close()
    assert result["articles"] == 2
    store.refresh()
    persons = {hit["_id"]: hit["_source"]["persons"] for hit in store.scan()}
    assert any("Dravik Price" in p for p in persons.values()), persons  # the home's given names
    assert not any("Piotr Wasilak" in p for p in persons.values()), persons  # the stock recogniser
