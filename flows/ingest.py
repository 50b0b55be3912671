"""Prefect flows: the inbox is claimed in batches of files, one task per batch.

The tasks are thin: each calls `indexer`. The model and the Elasticsearch client live in one
`PressWatch` per process, so consecutive runs (the watcher's) reuse the loaded model.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.errors import Cancelled
from indexer.inbox import ClaimedFile
from indexer.pipeline import IngestReport, Progress

FILES_PER_BATCH = 1000
BYTES_PER_BATCH = 64 * 1024 * 1024


@lru_cache(maxsize=4)
def presswatch(settings: Settings) -> PressWatch:
    return PressWatch(settings)


def flow_parameters(settings: Settings) -> dict:
    """What a flow run records of the settings: where (home, index, es_url), and the other settings
    (``options``: the NER, batch size, workers, budgets...), so that the run uses the caller's settings
    even when they were built in code; never credentials (those stay in the environment)."""
    options = settings.parameters()
    where = {name: options.pop(name) for name in ("home", "index", "es_url")}
    return {**where, "options": options}


def _settings(home: str | None, index: str | None, es_url: str | None, options: dict | None = None) -> Settings:
    """The caller's settings back (what is not recorded, from the environment)."""
    return Settings.from_parameters({**(options or {}), "home": home, "index": index, "es_url": es_url})


class ProgressLog:
    """Logs, at most every `every` seconds, the run's articles done of an estimated total, the rate
    and the ETA. The total is estimated from bytes: a .jsonl's article count is known only once read."""

    def __init__(self, logger, total_bytes: int = 0, every: float = 5.0):
        self.logger, self.total_bytes, self.every = logger, total_bytes, every
        self.started = self.last = time.monotonic()
        self.articles_before = self.bytes_before = 0

    def batch_done(self, articles: int, size: int) -> None:
        self.articles_before += articles
        self.bytes_before += size

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        articles, done = self.articles_before + p.articles, self.bytes_before + p.bytes_done
        total_bytes = self.total_bytes or p.bytes_total  # one batch: the batch is the run
        elapsed = now - self.started
        message = f"{articles} articles"
        if done and total_bytes:
            total = round(articles * total_bytes / done)
            eta = elapsed * (total_bytes - done) / done
            message += f" of ~{total} ({100 * done / total_bytes:.0f}%), ETA {eta:.0f}s"
        self.logger.info("%s, %.1f articles/s", message, articles / elapsed if elapsed else 0.0)


@task(name="ingest-batch", cache_policy=NONE)
def ingest_batch(settings: Settings, claimed: list[ClaimedFile], progress: ProgressLog) -> dict:
    logger = get_run_logger()
    app = presswatch(settings)
    try:
        report = app.ingestor.ingest_claimed(claimed, on_progress=progress)
    except Cancelled:
        logger.info("stopped: the unfinished files of this batch went back to the inbox")
        return {"articles": 0, "words": 0, "files": [], "stages": {}, "cancelled": True}
    progress.batch_done(report.articles, sum(c.size for c in claimed))
    _log_report(logger, report)
    return report.to_dict()


@task(name="ingest-paths", cache_policy=NONE)
def ingest_paths_task(settings: Settings, paths: list[str]) -> dict:
    logger = get_run_logger()
    report = presswatch(settings).ingest_paths([Path(p) for p in paths], on_progress=ProgressLog(logger))
    _log_report(logger, report)
    return report.to_dict()


@flow(name="ingest-inbox", log_prints=True)
def ingest_inbox(home: str | None = None, index: str | None = None, es_url: str | None = None,
                 max_files: int | None = None, options: dict | None = None,
                 consolidate: bool | None = None) -> dict:
    """Ingest the ready files of the inbox, claiming one batch of files at a time (one task each), so
    that several watchers share a large drop and a claim is never held longer than a batch takes; then
    consolidate entities when the run was large (PRESSWATCH_CONSOLIDATE_AFTER articles), the index was never
    consolidated, or `consolidate` says so."""
    settings = _settings(home, index, es_url, options)
    logger = get_run_logger()
    app = presswatch(settings)
    app.wait_for_store(timeout=10)  # before claiming: with Elasticsearch down, files stay in the inbox
    totals: dict = {"articles": 0, "words": 0, "files": [], "stages": {"parse": 0.0, "nlp": 0.0, "index": 0.0}}
    progress = ProgressLog(logger, app.inbox_bytes())
    taken = 0
    try:
        while max_files is None or taken < max_files:
            limit = FILES_PER_BATCH if max_files is None else min(FILES_PER_BATCH, max_files - taken)
            group = app.claim_inbox(max_files=limit, max_bytes=BYTES_PER_BATCH)
            if not group:
                break
            taken += len(group)
            logger.info("claimed %d file(s) from %s", len(group), settings.inbox)
            result = ingest_batch(settings, group, progress)
            _add(totals, result)
            if result.get("cancelled"):
                totals["cancelled"] = True
                break
    finally:
        app.inbox.done()
    # a large run, or the first one, is consolidated at once; small drops wait for the schedule
    if consolidate is None:
        consolidate = totals["articles"] >= settings.consolidate_after or not app.entity_index.state().consolidated_at
    if consolidate and totals["articles"] and not totals.get("cancelled"):
        totals["consolidation"] = consolidate_task(settings)
    return totals


def _add(totals: dict, result: dict) -> None:
    totals["articles"] += result["articles"]
    totals["words"] += result["words"]
    totals["files"].extend(result["files"])
    for stage, seconds in result["stages"].items():
        totals["stages"][stage] += seconds


@flow(name="ingest-paths", log_prints=True)
def ingest_paths(paths: list[str], home: str | None = None, index: str | None = None,
                 es_url: str | None = None, options: dict | None = None, consolidate: bool = True) -> dict:
    """Ingest files or folders outside the inbox (they are not moved), then consolidate entities."""
    settings = _settings(home, index, es_url, options)
    result = ingest_paths_task(settings, paths)
    if consolidate and result["articles"]:
        result["consolidation"] = consolidate_task(settings)
    return result


@task(name="consolidate", cache_policy=NONE)
def consolidate_task(settings: Settings, full: bool = False) -> dict:
    logger = get_run_logger()
    report = presswatch(settings).consolidate(full=full)
    if report.skipped:
        logger.info("entities are up to date")
    else:
        logger.info("%d entities from %d names: %d names changed entity, %d of %d articles checked updated, "
                    "%d entities written, %d removed, in %.1fs", report.entities, report.surfaces,
                    report.changed_surfaces, report.articles_updated, report.articles_checked,
                    report.entities_written, report.entities_deleted, report.seconds)
    for doc_id, reason in list(report.failed.items())[:20]:
        logger.error("article %s was not updated: %s", doc_id, reason)
    return report.to_dict()


@flow(name="consolidate-entities", log_prints=True)
def consolidate_entities(home: str | None = None, index: str | None = None, es_url: str | None = None,
                         options: dict | None = None, full: bool = False) -> dict:
    """Re-resolve entities across the corpus and update the articles and entities that changed
    (incremental: only what was ingested or curated since the last run; `full` re-checks everything)."""
    return consolidate_task(_settings(home, index, es_url, options), full)


def _log_report(logger, report: IngestReport) -> None:
    logger.info("indexed %d article(s) from %d file(s) in %.1fs (parse %.1fs, nlp %.1fs, index %.1fs)",
                report.articles, len(report.files), report.seconds, report.stages["parse"],
                report.stages["nlp"], report.stages["index"])
    for outcome in report.files:
        if outcome.status == "failed":
            logger.warning("%s failed: %s", outcome.name, outcome.reason)
        elif outcome.errors:
            logger.warning("%s: %d record(s) failed, first: %s", outcome.name, len(outcome.errors),
                           outcome.errors[0]["reason"])
