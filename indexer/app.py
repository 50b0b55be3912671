"""`PressWatch`: the library's front door. Holds the settings and opens each stage on first use."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .enrich import Enricher
from .errors import RecordError, SourceError, StoreUnavailable
from .es_node import LocalNode
from .inbox import ClaimedFile, Inbox
from .model import Article
from .pipeline import Ingestor, IngestReport, ProgressCallback
from .search import SearchQuery, SearchResult, search
from .sources import format_of, read_file
from .store import BulkResult, Store
from .workers import Budget, PipelineSpec, WorkerPool

if TYPE_CHECKING:
    from .registry import Registry


class PressWatch:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()

    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def inbox(self) -> Inbox:
        return Inbox(self.settings)

    @cached_property
    def node(self) -> LocalNode:
        return LocalNode(self.settings)

    @cached_property
    def enricher(self) -> Enricher:
        """Enrichment in this process (`presswatch enrich`); ingest uses `workers`."""
        return PipelineSpec.from_settings(self.settings).enricher()

    @cached_property
    def workers(self) -> WorkerPool:
        """The supervised NLP worker processes, each article within a time and memory budget."""
        settings = self.settings
        return WorkerPool(settings.workers, spec=PipelineSpec.from_settings(settings),
                          budget=Budget(settings.article_seconds, settings.worker_memory_mb))

    @cached_property
    def ingestor(self) -> Ingestor:
        # The model loads in the workers only: an ingest never loads it in this process.
        return Ingestor(self.store, lambda: self.workers, self.inbox)

    def cancel(self) -> None:
        """Ask a running ingest to stop soon (from another thread or a signal handler): it gives its
        unfinished files back to the inbox and raises `Cancelled`."""
        self.ingestor.cancel()
        if "workers" in self.__dict__:
            self.workers.cancel()

    def close(self) -> None:
        """Stop the worker processes, if any were started, and the inbox lease."""
        if "workers" in self.__dict__:
            self.workers.close()
            del self.__dict__["workers"]
        if "inbox" in self.__dict__:
            self.inbox.done()

    # -- Elasticsearch ---------------------------------------------------------------------
    def ensure_elasticsearch(self) -> None:
        """Start the embedded node when no ES_URL is configured and it isn't running."""
        if self.settings.embedded:
            self.node.start()

    def wait_for_store(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.store.ping():
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"Elasticsearch at {self.settings.url} did not answer in {timeout:.0f}s")
            time.sleep(1)

    # -- ingest ----------------------------------------------------------------------------
    def claim_inbox(self, *, max_files: int | None = None, max_bytes: int | None = None) -> list[ClaimedFile]:
        """Take what is ready in the inbox. What we will not read (an unsupported type, a FIFO, a
        symlink out of the inbox) goes straight to failed/ with the reason."""
        self.inbox.recover()
        scan = self.inbox.scan()
        for path, reason in scan.rejected:
            for claimed in self.inbox.claim([path]):
                self.inbox.fail(claimed, reason)
        return self.inbox.claim(scan.ready, max_files=max_files, max_bytes=max_bytes)

    def inbox_bytes(self) -> int:
        """Bytes of the files ready in the inbox now (a progress estimate's total)."""
        total = 0
        for path in self.inbox.scan().ready:
            try:
                total += path.stat().st_size
            except OSError:
                continue
        return total

    def ingest_inbox(self, *, max_files: int | None = None,
                     on_progress: ProgressCallback | None = None) -> IngestReport:
        """Claim what is ready in the inbox and ingest it."""
        try:
            return self.ingestor.ingest_claimed(self.claim_inbox(max_files=max_files), on_progress=on_progress)
        finally:
            self.inbox.done()

    def ingest_paths(self, paths: list[Path], *, on_progress: ProgressCallback | None = None) -> IngestReport:
        return self.ingestor.ingest_paths(expand_paths(paths), on_progress=on_progress)

    def enrich_paths(self, paths: list[Path], *, on_error: Callable[[RecordError], None]) -> Iterator[dict]:
        """The documents ingest would index for these files, streamed; records that cannot be read
        or enriched go to `on_error`."""

        def articles() -> Iterator[tuple[Article, None]]:
            for path in expand_paths(paths):
                try:
                    for record in read_file(path):
                        if isinstance(record, SourceError):
                            on_error(record)
                        else:
                            yield record, None
                except SourceError as exc:
                    on_error(exc)

        for result, _ in self.enricher.enrich_pairs(articles()):
            if isinstance(result, RecordError):
                on_error(result)
            else:
                yield result

    # -- search and curation ---------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        return search(self.store, query)

    def apply_registry(self, registry: Registry | None = None) -> BulkResult:
        """Apply the entity registry to documents already indexed, without re-running NLP."""
        from .registry import Registry

        registry = registry or Registry.load(self.settings.registry_path)
        updates = ((hit["_id"], changes) for hit in self.store.scan()
                   if (changes := registry.apply_to_document(hit["_source"])))
        return self.store.update_documents(updates)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the readable files inside folders (hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*"))
                         if p.is_file() and format_of(p) and not any(
                             part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files
