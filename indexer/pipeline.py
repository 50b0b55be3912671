"""Ingest: files -> articles -> documents -> Elasticsearch, streamed, with per-file bookkeeping.

The parts, each small:
- `read_records`: the files' articles, in order; a file that cannot be read fails alone, and so does
  a bad record of a .jsonl or a .json list;
- the enricher (`WorkerPool`, or `Enricher` in this process): a document or an `EnrichmentError` per
  article, so an article that crashes a component or its worker fails alone;
- `BulkWriter`: documents into Elasticsearch from a background thread, overlapping the NLP;
- `FileTracker`: which file each article belongs to; a file is settled (moved to processed/ or failed/)
  once it is read and Elasticsearch has answered for every one of its articles;
- `indexer.policy`: what each failure means (retry, fail with the reason, or give the files back).

Elasticsearch going away is retried with backoff; past the cap, the unfinished files go back to the
inbox and `StoreUnavailable` is raised: work is delayed, never dropped. A stop (`cancel`, Ctrl-C) gives
the unfinished files back too.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from .boilerplate import Boilerplate
from .errors import Cancelled, EnrichmentError, SourceError, StoreError
from .identity import Resolver, resolve_document
from .inbox import ClaimedFile, Inbox, write_sidecar
from .model import Article
from .policy import Backoff, decide, with_retries
from .sources import printable_path, read_file
from .store import Store

log = logging.getLogger(__name__)

BULK_CHUNK = 200
MAX_LISTED_ERRORS = 1000  # per file; beyond that only the count (and the record numbers) are kept
T = TypeVar("T")


class PairEnricher(Protocol):
    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict | EnrichmentError, T]]:
        ...


@dataclass
class FileOutcome:
    """What became of one input file."""

    name: str  # path relative to the inbox, or as given
    size: int
    status: str = "pending"  # processed | failed | released | indexed (a file outside the inbox)
    articles: int = 0  # indexed
    errors: list[dict] = field(default_factory=list)  # {"record": n, "reason": ...}, the first 1,000
    failed_records: int = 0  # all of them
    warnings: list[dict] = field(default_factory=list)  # {"record": n, "warning": ...}: indexed anyway
    reason: str | None = None  # why the whole file failed, or was given back
    moved_to: str | None = None
    # bookkeeping while the file is in flight
    claimed: ClaimedFile | None = field(default=None, repr=False)
    path: Path | None = field(default=None, repr=False)
    read: int = field(default=0, repr=False)
    settled: int = field(default=0, repr=False)
    reading_done: bool = field(default=False, repr=False)
    failed_numbers: list[int] = field(default_factory=list, repr=False)
    ids: dict[str, int] = field(default_factory=dict, repr=False)  # document id -> record number


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
        return sum(f.failed_records for f in self.files)

    def by_status(self, status: str) -> list[FileOutcome]:
        return [f for f in self.files if f.status == status]

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "words": self.words, "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "files": [{"name": f.name, "status": f.status, "articles": f.articles, "reason": f.reason,
                       "errors": f.errors, "failed_records": f.failed_records, "warnings": f.warnings,
                       "moved_to": f.moved_to} for f in self.files],
        }


ProgressCallback = Callable[[Progress], None]


# -- the file tracker ------------------------------------------------------------------------------
class FileTracker:
    """Counts each file's articles read and answered for, and settles a file when both are done.
    Called from the ingest thread and the bulk writer's; `settle` runs under its lock."""

    def __init__(self, outcomes: list[FileOutcome], settle: Callable[[FileOutcome], None]):
        self.outcomes = outcomes
        self.settle = settle
        self.lock = threading.Lock()
        self.articles = self.words = self.files_done = self.bytes_done = 0
        self.bytes_total = sum(o.size for o in outcomes)
        self.started = time.perf_counter()

    def record_read(self, outcome: FileOutcome, article: Article) -> None:
        outcome.read += 1
        record = article.source.line
        outcome.warnings.extend({"record": record, "warning": w} for w in article.warnings)

    def document_ready(self, outcome: FileOutcome, document: dict) -> None:
        """Note its id: two records of one file with the same id are one document (the later wins)."""
        record = document["source"].get("line")
        earlier = outcome.ids.setdefault(document["id"], record)
        if earlier != record:
            outcome.warnings.append({"record": record, "warning": f"the same id as record {earlier} "
                                     f"({document['id'][:80]!r}): it replaces that one"})

    def unreadable_record(self, outcome: FileOutcome, error: SourceError) -> None:
        with self.lock:
            _add_error(outcome, _record_number(error.where), error.reason)

    def reading_done(self, outcome: FileOutcome, reason: str | None = None) -> None:
        with self.lock:
            outcome.reason = reason
            outcome.reading_done = True
            self._settle_if_done(outcome)

    def not_enriched(self, outcome: FileOutcome, error: EnrichmentError) -> None:
        with self.lock:
            outcome.settled += 1
            _add_error(outcome, _record_number(error.where), error.reason)
            self._settle_if_done(outcome)

    def answered(self, outcome: FileOutcome, document: dict, refusal: str | None) -> None:
        """Elasticsearch stored `document`, or refused it for `refusal`."""
        with self.lock:
            outcome.settled += 1
            if refusal:
                _add_error(outcome, document["source"].get("line"), refusal, id=document["id"])
            else:
                outcome.articles += 1
                self.articles += 1
                self.words += len(document["body"].split())
            self._settle_if_done(outcome)

    def unfinished(self) -> list[FileOutcome]:
        with self.lock:
            return [o for o in self.outcomes if o.status == "pending"]

    def progress(self) -> Progress:
        return Progress(self.articles, self.files_done, len(self.outcomes), self.bytes_done,
                        self.bytes_total, time.perf_counter() - self.started)

    def _settle_if_done(self, outcome: FileOutcome) -> None:
        if outcome.status != "pending" or not outcome.reading_done or outcome.settled < outcome.read:
            return
        try:
            self.settle(outcome)
        except Exception as exc:  # noqa: BLE001 - moving this file failed: it alone says so
            log.error("%s: could not be moved out of processing/: %s", outcome.name, exc)
            outcome.status = "failed"
            outcome.reason = f"{outcome.reason or 'done'}, but could not be moved out of processing/: {exc}"
        outcome.ids.clear()
        self.files_done += 1
        self.bytes_done += outcome.size


def _add_error(outcome: FileOutcome, record: int | None, reason: str, **extra) -> None:
    outcome.failed_records += 1
    if record is not None:
        outcome.failed_numbers.append(record)
    if len(outcome.errors) < MAX_LISTED_ERRORS:
        outcome.errors.append({"record": record, "reason": reason, **extra})


def _record_number(where: str | None) -> int | None:
    tail = (where or "").rpartition(":")[2]
    return int(tail) if tail.isdigit() else None


# -- reading ---------------------------------------------------------------------------------------
def read_records(outcomes: list[FileOutcome], tracker: FileTracker, stages: dict[str, float],
                 stopped: Callable[[], None]) -> Iterator[tuple[Article, FileOutcome]]:
    """Every article of every file, with its file's outcome. A file that cannot be read fails alone."""
    for outcome in outcomes:
        reason = None
        t0 = time.perf_counter()
        try:
            for record in read_file(outcome.path):
                stopped()
                if isinstance(record, SourceError):
                    tracker.unreadable_record(outcome, record)
                    continue
                tracker.record_read(outcome, record)
                stages["parse"] += time.perf_counter() - t0
                yield record, outcome
                t0 = time.perf_counter()
        except SourceError as exc:
            reason = exc.reason
        stages["parse"] += time.perf_counter() - t0
        tracker.reading_done(outcome, reason)


def without_furniture(records: Iterator[tuple[Article, FileOutcome]], boilerplate: Boilerplate,
                      stages: dict[str, float]) -> Iterator[tuple[Article, FileOutcome]]:
    """The records with page furniture out of their bodies; each window of them is learned first."""
    stripped = boilerplate.strip_stream(records)
    while True:
        t0, parse_before = time.perf_counter(), stages["parse"]
        item = next(stripped, None)
        stages["parse"] += time.perf_counter() - t0 - (stages["parse"] - parse_before)
        if item is None:
            return
        yield item[0].article, item[1]


# -- the bulk writer -------------------------------------------------------------------------------
class BulkWriter:
    """Writes chunks of (document, outcome) to Elasticsearch from a background thread.

    A transient failure (Elasticsearch unreachable, 429, timeouts) is retried with `backoff`; past
    its cap the writer stops and `unavailable` holds the error. A terminal one (a mapping rejection,
    a bug) fails that chunk's documents with the reason, and the writer goes on."""

    def __init__(self, store: Store, tracker: FileTracker, stages: dict[str, float], *,
                 backoff: Backoff, stop: threading.Event):
        self.store, self.tracker, self.stages = store, tracker, stages
        self.backoff, self.stop = backoff, stop
        self.unavailable: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._thread = threading.Thread(target=self._loop, name="presswatch-bulk", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, chunk: list[tuple[dict, FileOutcome]]) -> None:
        while not self.unavailable:
            try:
                self._queue.put(chunk, timeout=0.25)
                return
            except queue.Full:
                if self.stop.is_set():
                    raise Cancelled("the ingest was stopped")

    def close(self) -> None:
        """Write what is queued, then stop."""
        self._queue.put(None)
        self._thread.join()

    def abort(self) -> None:
        """Stop soon: what is queued is not written (its files are given back)."""
        self.unavailable = self.unavailable or Cancelled("the ingest was stopped")
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass
        self._thread.join(timeout=10)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self.unavailable:
                continue
            try:
                self._write(chunk)
            except BaseException as exc:  # noqa: BLE001 - settling a file failed: handed to the ingest
                self.unavailable = exc

    def _write(self, chunk: list[tuple[dict, FileOutcome]]) -> None:
        t0 = time.perf_counter()
        refusals = self._store(chunk)
        if refusals is None:
            return  # unavailable
        self.stages["index"] += time.perf_counter() - t0
        for (document, outcome), refusal in zip(chunk, refusals):
            self.tracker.answered(outcome, document, refusal)

    def _store(self, chunk: list[tuple[dict, FileOutcome]]) -> list[str | None] | None:
        """Per document, None (stored) or why not; None for all when Elasticsearch stays away. A
        chunk that fails as a whole for a terminal reason is written again one document at a time,
        so only the document that caused it fails."""
        documents = [document for document, _ in chunk]
        try:
            # Acknowledged is durable; a single refresh at the end makes it all searchable.
            result = with_retries(lambda: self.store.index_documents(documents, refresh=False),
                                  backoff=self.backoff, stop=self.stop, on_retry=_log_retry)
        except Exception as exc:  # noqa: BLE001 - the policy decides
            decision = decide(exc)
            if decision.action == "retry":
                self.unavailable = exc
                return None
            if len(chunk) == 1:
                return [f"not indexed: {decision.reason}"]
            refusals: list[str | None] = []
            for item in chunk:
                alone = self._store([item])
                if alone is None:
                    return None
                refusals.extend(alone)
            return refusals
        return [error and f"Elasticsearch refused it: {error}" for _, error in result.items]


def _log_retry(exc: BaseException, delay: float) -> None:
    log.warning("%s; retrying in %.0fs", exc, delay)


# -- the ingest ------------------------------------------------------------------------------------
class Ingestor:
    """Runs files through enrichment into the store. Reusable across batches (the workers stay up)."""

    def __init__(self, store: Store, enricher: Callable[[], PairEnricher], inbox: Inbox | None = None, *,
                 backoff: Backoff | None = None, resolver: Callable[[], Resolver] | None = None,
                 boilerplate: Boilerplate | None = None):
        self.store = store
        self.enricher = enricher  # gives the enricher (the worker pool), created on first use
        self.resolver = resolver  # gives the corpus's entity resolver (None: names as each article has them)
        self.inbox = inbox
        self.boilerplate = boilerplate  # page furniture, learned per outlet (None: bodies as read)
        self.backoff = backoff or Backoff()
        self._stop = threading.Event()

    def ingest_claimed(self, claimed: list[ClaimedFile], *, on_progress: ProgressCallback | None = None
                       ) -> IngestReport:
        """Files claimed from the inbox: they end in processed/ or failed/ (or back in the inbox)."""
        outcomes = [FileOutcome(str(c.relative), c.size, claimed=c, path=c.path) for c in claimed]
        return self._run(outcomes, on_progress)

    def ingest_paths(self, paths: list[Path], *, on_progress: ProgressCallback | None = None
                     ) -> IngestReport:
        """Files anywhere: indexed in place, never moved."""
        outcomes = [FileOutcome(str(p), _size(p), path=p) for p in paths]
        return self._run(outcomes, on_progress)

    def cancel(self) -> None:
        """Make the running ingest, and any later one, stop soon and give its files back."""
        self._stop.set()

    # -------------------------------------------------------------------------------------------
    def _run(self, outcomes: list[FileOutcome], on_progress: ProgressCallback | None) -> IngestReport:
        stages = {"parse": 0.0, "nlp": 0.0, "index": 0.0}
        tracker = FileTracker(outcomes, self._finish)
        if outcomes:
            self._ingest(outcomes, tracker, stages, on_progress)
        if on_progress:
            on_progress(tracker.progress())
        return IngestReport(outcomes, tracker.articles, tracker.words, time.perf_counter() - tracker.started,
                            stages)

    def _ingest(self, outcomes: list[FileOutcome], tracker: FileTracker, stages: dict[str, float],
                on_progress: ProgressCallback | None) -> None:
        writer = BulkWriter(self.store, tracker, stages, backoff=self.backoff, stop=self._stop)
        try:
            self._check_stop()
            with_retries(self.store.ensure_index, backoff=self.backoff, stop=self._stop, on_retry=_log_retry)
            resolver = (with_retries(self.resolver, backoff=self.backoff, stop=self._stop, on_retry=_log_retry)
                        if self.resolver else None)
            writer.start()
            records = read_records(outcomes, tracker, stages, self._check_stop)
            if self.boilerplate is not None:
                records = without_furniture(records, self.boilerplate, stages)
            self._enrich_into(writer, records, tracker, stages, on_progress, resolver)
            writer.close()
        except BaseException as exc:
            if writer.running:
                writer.abort()
            self._settle_unfinished(tracker, exc)
            raise
        if writer.unavailable:
            self._settle_unfinished(tracker, writer.unavailable)
            raise writer.unavailable
        if tracker.articles:
            self._refresh()

    def _enrich_into(self, writer: BulkWriter, records: Iterator[tuple[Article, FileOutcome]],
                     tracker: FileTracker, stages: dict[str, float], on_progress: ProgressCallback | None,
                     resolver: Resolver | None = None) -> None:
        results = iter(self.enricher().enrich_pairs(records))
        chunk: list[tuple[dict, FileOutcome]] = []
        while not writer.unavailable:
            t0, parse_before = time.perf_counter(), stages["parse"]
            item = next(results, None)
            stages["nlp"] += time.perf_counter() - t0 - (stages["parse"] - parse_before)
            if item is None:
                break
            result, outcome = item
            if resolver is not None and not isinstance(result, EnrichmentError):
                result = _resolved(result, resolver)
            if isinstance(result, EnrichmentError):
                tracker.not_enriched(outcome, result)
            else:
                tracker.document_ready(outcome, result)
                chunk.append((_with_final_source(result, outcome), outcome))
            if len(chunk) >= BULK_CHUNK:
                writer.put(chunk)
                chunk = []
            if on_progress:
                on_progress(tracker.progress())  # from this thread, the one that owns the run
        if chunk:
            writer.put(chunk)

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise Cancelled("the ingest was stopped")

    def _refresh(self) -> None:
        try:
            self.store.refresh()
        except StoreError as exc:  # stored already; Elasticsearch refreshes by itself within a second
            log.warning("refresh after the ingest failed: %s", exc)

    # -- settling files --------------------------------------------------------------------------
    def _finish(self, outcome: FileOutcome) -> None:
        claimed = outcome.claimed
        if outcome.reason is not None or (outcome.articles == 0 and outcome.failed_records):
            outcome.reason = outcome.reason or _summary(outcome)
            outcome.status = "failed"
            if claimed and self.inbox:
                outcome.moved_to = str(self.inbox.fail(claimed, outcome.reason, records=outcome.errors))
            return
        if not (claimed and self.inbox):
            outcome.status = "indexed"
            return
        try:
            outcome.moved_to = str(self.inbox.complete(claimed))
        except OSError as exc:  # processed/ full or gone: indexed already, so it is taken again later
            self._give_back([outcome], f"indexed, but could not be moved to processed/: {exc.strerror or exc}")
            return
        outcome.status = "processed"
        if outcome.failed_records:
            _write_failed_records(Path(outcome.moved_to), self.inbox.failed / claimed.relative, outcome)

    def _settle_unfinished(self, tracker: FileTracker, exc: BaseException) -> None:
        decision = decide(exc)
        if decision.action == "fail":
            for outcome in tracker.unfinished():
                outcome.status, outcome.reason = "failed", f"ingest failed: {decision.reason}"
                if outcome.claimed and self.inbox:
                    outcome.moved_to = str(self.inbox.fail(outcome.claimed, outcome.reason,
                                                           records=outcome.errors))
        else:
            self._give_back(tracker.unfinished(), decision.reason)

    def _give_back(self, outcomes: list[FileOutcome], reason: str) -> None:
        for outcome in outcomes:
            outcome.status, outcome.reason = "released", reason
            if outcome.claimed and self.inbox:
                try:
                    outcome.moved_to = str(self.inbox.release(outcome.claimed))
                except OSError as exc:  # left in processing/: its lease expires and it is given back
                    log.warning("could not give %s back: %s", outcome.name, exc)


def _resolved(document: dict, resolver: Resolver) -> dict | EnrichmentError:
    """The document with the corpus's canonical entities; a failure fails this article alone."""
    try:
        document.update(resolve_document(document, resolver))
        return document
    except Exception as exc:  # noqa: BLE001 - a bug on one article must not stop the ingest
        source = document.get("source") or {}
        where = f"{source.get('path')}" + (f":{source['line']}" if source.get("line") else "")
        return EnrichmentError(f"entity resolution failed: {type(exc).__name__}: {exc}", where=where)


def _with_final_source(document: dict, outcome: FileOutcome) -> dict:
    """`source.path` is where the file will be once done (processed/...), not its claim folder;
    `source.inbox_path` is where it was dropped."""
    claimed = outcome.claimed
    if claimed is not None:
        document["source"]["path"] = printable_path(claimed.destination or claimed.path)
        document["source"]["inbox_path"] = printable_path(claimed.relative)
    return document


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _summary(outcome: FileOutcome) -> str:
    first = outcome.errors[0]["reason"] if outcome.errors else "unknown"
    if outcome.failed_records == 1:
        return first
    return f"none of its {outcome.failed_records} records could be used; first: {first}"


def _write_failed_records(processed: Path, failed_target: Path, outcome: FileOutcome) -> None:
    """Copy the records that failed (jsonl lines, json list items) to failed/, with the reasons."""
    numbers = set(outcome.failed_numbers)
    failed_target.parent.mkdir(parents=True, exist_ok=True)
    if processed.suffix.lower() in (".jsonl", ".ndjson"):
        with processed.open("rb") as f:
            lines = [line for n, line in enumerate(f, start=1) if n in numbers]
        failed_target.write_bytes(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines))
    elif processed.suffix.lower() == ".json":
        items = json.loads(processed.read_text(encoding="utf-8-sig"))
        if isinstance(items, dict):
            items = items.get("articles", [items])
        failed_target.write_text(json.dumps([items[n - 1] for n in sorted(numbers)], indent=2,
                                            ensure_ascii=False))
    else:
        return
    listed = "" if outcome.failed_records <= len(outcome.errors) else \
        f" (the first {len(outcome.errors)} are listed)"
    write_sidecar(failed_target, f"{outcome.failed_records} record(s) of {processed.name} failed; "
                  f"the others were indexed{listed}", records=outcome.errors)
