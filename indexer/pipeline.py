"""Ingest: files -> articles -> documents -> Elasticsearch, streamed, with per-file bookkeeping.

Parsing feeds `nlp.pipe` lazily; bulk indexing runs in a background thread so it overlaps the NLP.
A file is moved to processed/ only after Elasticsearch acknowledged every one of its articles.
When Elasticsearch goes away, the files not yet finished go back to the inbox and
`StoreUnavailable` is raised: work is delayed, never dropped.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .enrich import Enricher, ParallelEnricher
from .errors import SourceError
from .inbox import ClaimedFile, Inbox, write_sidecar
from .model import Article
from .sources import read_file
from .store import Store

BULK_CHUNK = 200
# Below this many bytes of input, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 256 * 1024


@dataclass
class FileOutcome:
    """What became of one input file."""

    name: str  # path relative to the inbox, or as given
    size: int
    status: str = "pending"  # processed | failed | released | indexed (a file outside the inbox)
    articles: int = 0  # indexed
    errors: list[dict] = field(default_factory=list)  # {"record": n, "reason": ...}
    reason: str | None = None  # why the whole file failed
    moved_to: str | None = None
    # bookkeeping while the file is in flight
    claimed: ClaimedFile | None = field(default=None, repr=False)
    path: Path | None = field(default=None, repr=False)
    read: int = field(default=0, repr=False)
    settled: int = field(default=0, repr=False)
    reading_done: bool = field(default=False, repr=False)


@dataclass
class Progress:
    articles: int
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    elapsed: float


@dataclass
class IngestReport:
    files: list[FileOutcome]
    articles: int
    words: int
    seconds: float
    stages: dict[str, float]  # parse, nlp, index: seconds spent in each (they overlap)

    @property
    def failed_records(self) -> int:
        return sum(len(f.errors) for f in self.files)

    def by_status(self, status: str) -> list[FileOutcome]:
        return [f for f in self.files if f.status == status]

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "words": self.words, "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "files": [{"name": f.name, "status": f.status, "articles": f.articles, "reason": f.reason,
                       "errors": f.errors, "moved_to": f.moved_to} for f in self.files],
        }


ProgressCallback = Callable[[Progress], None]


class Ingestor:
    """Runs files through enrichment into the store. Reusable across batches (the model stays loaded)."""

    def __init__(self, store: Store, enricher: Callable[[], Enricher], inbox: Inbox | None = None, *,
                 parallel: Callable[[], ParallelEnricher] | None = None):
        self.store = store
        self.enricher = enricher  # gives the in-process enricher, loaded on first use
        self.inbox = inbox
        self.parallel = parallel  # gives the worker pool, created on first use

    def ingest_claimed(self, claimed: list[ClaimedFile], *, on_progress: ProgressCallback | None = None
                       ) -> IngestReport:
        """Files claimed from the inbox: they end in processed/ or failed/ (or back in the inbox)."""
        outcomes = [FileOutcome(str(c.relative), c.size, claimed=c, path=c.path) for c in claimed]
        return self._run(outcomes, on_progress)

    def ingest_paths(self, paths: list[Path], *, on_progress: ProgressCallback | None = None
                     ) -> IngestReport:
        """Files anywhere: indexed in place, never moved."""
        outcomes = [FileOutcome(str(p), p.stat().st_size if p.exists() else 0, path=p) for p in paths]
        return self._run(outcomes, on_progress)

    # -------------------------------------------------------------------------------------
    def _run(self, outcomes: list[FileOutcome], on_progress: ProgressCallback | None) -> IngestReport:
        started = time.perf_counter()
        stages = {"parse": 0.0, "nlp": 0.0, "index": 0.0}
        lock = threading.Lock()
        counters = {"articles": 0, "words": 0, "files_done": 0, "bytes_done": 0}
        bytes_total = sum(o.size for o in outcomes)
        if outcomes:
            try:
                self.store.ensure_index()
            except BaseException:
                self._release_unfinished(outcomes)
                raise

        def report_progress() -> None:
            if on_progress:
                on_progress(Progress(counters["articles"], counters["files_done"], len(outcomes),
                                     counters["bytes_done"], bytes_total, time.perf_counter() - started))

        def settle(outcome: FileOutcome) -> None:
            """Finish a file once it is fully read and every article of it is acknowledged."""
            if outcome.status != "pending" or not outcome.reading_done or outcome.settled < outcome.read:
                return
            self._finish(outcome)
            counters["files_done"] += 1
            counters["bytes_done"] += outcome.size

        def records() -> Iterator[tuple[Article, FileOutcome]]:
            for outcome in outcomes:
                t0 = time.perf_counter()
                try:
                    for record in read_file(outcome.path):
                        if isinstance(record, SourceError):
                            outcome.errors.append({"record": _record_number(record), "reason": record.reason})
                            continue
                        outcome.read += 1
                        stages["parse"] += time.perf_counter() - t0
                        yield record, outcome
                        t0 = time.perf_counter()
                except SourceError as exc:
                    outcome.reason = exc.reason
                stages["parse"] += time.perf_counter() - t0
                with lock:
                    outcome.reading_done = True
                    settle(outcome)

        chunks: queue.Queue = queue.Queue(maxsize=4)
        failure: list[BaseException] = []

        def index_worker() -> None:
            while (chunk := chunks.get()) is not None:
                if failure:
                    continue
                t0 = time.perf_counter()
                try:
                    # Acknowledged is durable; a single refresh at the end makes it all searchable.
                    result = self.store.index_documents([doc for doc, _ in chunk], refresh=False)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    failure.append(exc)
                    continue
                stages["index"] += time.perf_counter() - t0
                with lock:
                    for (doc, outcome), (_, error) in zip(chunk, result.items):
                        outcome.settled += 1
                        if error:
                            outcome.errors.append({"record": doc["source"].get("line"), "id": doc["id"],
                                                   "reason": f"Elasticsearch refused it: {error}"})
                        else:
                            outcome.articles += 1
                            counters["articles"] += 1
                            counters["words"] += len(doc["body"].split())
                        settle(outcome)
                report_progress()

        worker = threading.Thread(target=index_worker, name="presswatch-bulk", daemon=True)
        worker.start()
        chunk: list = []
        try:  # KeyboardInterrupt and the like leave files in processing/: recover() gives them back
            enricher = (self.parallel() if self.parallel and bytes_total >= PARALLEL_MIN_BYTES
                        else self.enricher())
            documents = enricher.enrich_pairs(records())
            while True:
                t0 = time.perf_counter()
                parse_before = stages["parse"]
                try:
                    doc, outcome = next(documents)
                except StopIteration:
                    break
                finally:
                    stages["nlp"] += time.perf_counter() - t0 - (stages["parse"] - parse_before)
                chunk.append((doc, outcome))
                if len(chunk) >= BULK_CHUNK:
                    chunks.put(chunk)
                    chunk = []
                if failure:
                    break
            if chunk and not failure:
                chunks.put(chunk)
        except Exception as exc:
            # A bug, not bad luck: retrying would fail the same way, forever. The unfinished files go
            # to failed/ with the error, where nothing is lost and someone will see it.
            chunks.put(None)
            worker.join()
            self._fail_unfinished(outcomes, f"enrichment failed: {exc!r}")
            raise
        chunks.put(None)
        worker.join()
        if failure:
            self._release_unfinished(outcomes)
            raise failure[0]
        if counters["articles"]:
            self.store.refresh()
        report_progress()
        return IngestReport(outcomes, counters["articles"], counters["words"],
                            time.perf_counter() - started, stages)

    def _finish(self, outcome: FileOutcome) -> None:
        claimed = outcome.claimed
        whole_file_failed = outcome.reason is not None or (outcome.articles == 0 and outcome.errors)
        if whole_file_failed:
            outcome.reason = outcome.reason or _summary(outcome.errors)
            outcome.status = "failed"
            if claimed and self.inbox:
                outcome.moved_to = str(self.inbox.fail(claimed, outcome.reason, records=outcome.errors))
            return
        if claimed and self.inbox:
            outcome.status = "processed"
            outcome.moved_to = str(self.inbox.complete(claimed))
            if outcome.errors:
                _write_failed_records(Path(outcome.moved_to), self.inbox.failed / claimed.relative,
                                      outcome.errors)
        else:
            outcome.status = "indexed"

    def _fail_unfinished(self, outcomes: list[FileOutcome], reason: str) -> None:
        for outcome in outcomes:
            if outcome.status == "pending":
                outcome.status, outcome.reason = "failed", reason
                if outcome.claimed and self.inbox:
                    outcome.moved_to = str(self.inbox.fail(outcome.claimed, reason, records=outcome.errors))

    def _release_unfinished(self, outcomes: list[FileOutcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "pending":
                outcome.status = "released"
                if outcome.claimed and self.inbox:
                    outcome.moved_to = str(self.inbox.release(outcome.claimed))


def _record_number(error: SourceError) -> int | None:
    where = error.where or ""
    tail = where.rpartition(":")[2]
    return int(tail) if tail.isdigit() else None


def _summary(errors: list[dict]) -> str:
    if len(errors) == 1:
        return errors[0]["reason"]
    return f"none of its {len(errors)} records could be used; first: {errors[0]['reason']}"


def _write_failed_records(processed: Path, failed_target: Path, errors: list[dict]) -> None:
    """Copy the records that failed (jsonl lines, json list items) to failed/, with the reasons."""
    numbers = {e["record"] for e in errors if e.get("record")}
    failed_target.parent.mkdir(parents=True, exist_ok=True)
    if processed.suffix.lower() in (".jsonl", ".ndjson"):
        with processed.open("rb") as f:
            lines = [line for n, line in enumerate(f, start=1) if n in numbers]
        failed_target.write_bytes(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines))
    else:
        items = json.loads(processed.read_text(encoding="utf-8-sig"))
        if isinstance(items, dict):
            items = items.get("articles", [])
        failed_target.write_text(json.dumps([items[n - 1] for n in sorted(numbers)], indent=2,
                                            ensure_ascii=False))
    write_sidecar(failed_target, f"{len(errors)} record(s) of {processed.name} failed; "
                  "the others were indexed", records=errors)
