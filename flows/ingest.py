"""Prefect flows: the inbox is claimed in batches of files, one task per batch.

The tasks are thin: each calls `indexer`. The model and the Elasticsearch client live in one
`PressWatch` per process, so consecutive runs (the watcher's) reuse the loaded model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.errors import StoreUnavailable
from indexer.inbox import ClaimedFile
from indexer.pipeline import IngestReport, Progress

FILES_PER_BATCH = 500
BYTES_PER_BATCH = 64 * 1024 * 1024


@lru_cache(maxsize=4)
def presswatch(settings: Settings) -> PressWatch:
    return PressWatch(settings)


def batches(claimed: list[ClaimedFile]) -> list[list[ClaimedFile]]:
    """Groups of files, bounded in count and bytes."""
    groups: list[list[ClaimedFile]] = [[]]
    size = 0
    for item in claimed:
        if groups[-1] and (len(groups[-1]) >= FILES_PER_BATCH or size + item.size > BYTES_PER_BATCH):
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += item.size
    return [g for g in groups if g]


class ProgressLog:
    """Logs articles done, rate and ETA (by bytes) at most every `every` seconds."""

    def __init__(self, logger, every: float = 5.0):
        self.logger, self.every, self.last = logger, every, 0.0

    def __call__(self, p: Progress) -> None:
        if p.elapsed - self.last < self.every:
            return
        self.last = p.elapsed
        rate = p.articles / p.elapsed if p.elapsed else 0.0
        eta = (p.elapsed / p.bytes_done * (p.bytes_total - p.bytes_done)) if p.bytes_done else None
        self.logger.info("%d articles, %d/%d files of this batch, %.1f articles/s%s",
                         p.articles, p.files_done, p.files_total, rate,
                         f", batch ETA {eta:.0f}s" if eta is not None else "")


@task(name="ingest-batch", cache_policy=NONE)
def ingest_batch(settings: Settings, claimed: list[ClaimedFile]) -> dict:
    logger = get_run_logger()
    app = presswatch(settings)
    report = app.ingestor.ingest_claimed(claimed, on_progress=ProgressLog(logger))
    _log_report(logger, report)
    return report.to_dict()


@task(name="ingest-paths", cache_policy=NONE)
def ingest_paths_task(settings: Settings, paths: list[str]) -> dict:
    logger = get_run_logger()
    report = presswatch(settings).ingest_paths([Path(p) for p in paths], on_progress=ProgressLog(logger))
    _log_report(logger, report)
    return report.to_dict()


@flow(name="ingest-inbox", log_prints=True)
def ingest_inbox(settings: Settings | None = None, max_files: int | None = None) -> dict:
    """Claim the ready files of the inbox and ingest them, one task per batch of files."""
    settings = settings or Settings.from_env()
    logger = get_run_logger()
    app = presswatch(settings)
    claimed = app.claim_inbox(max_files=max_files)
    if not claimed:
        return {"articles": 0, "words": 0, "files": [], "stages": {}}
    logger.info("claimed %d file(s) from %s", len(claimed), settings.inbox)
    app.wait_for_store(timeout=30)
    totals: dict = {"articles": 0, "words": 0, "files": [], "stages": {"parse": 0.0, "nlp": 0.0, "index": 0.0}}
    groups = batches(claimed)
    for n, group in enumerate(groups):
        try:
            result = ingest_batch(settings, group)
        except StoreUnavailable:
            # The batch put its files back; put back the batches not started, then fail the run.
            for later in groups[n + 1:]:
                for item in later:
                    app.inbox.release(item)
            raise
        totals["articles"] += result["articles"]
        totals["words"] += result["words"]
        totals["files"].extend(result["files"])
        for stage, seconds in result["stages"].items():
            totals["stages"][stage] += seconds
    return totals


@flow(name="ingest-paths", log_prints=True)
def ingest_paths(paths: list[str], settings: Settings | None = None) -> dict:
    """Ingest files or folders outside the inbox (they are not moved)."""
    return ingest_paths_task(settings or Settings.from_env(), paths)


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
