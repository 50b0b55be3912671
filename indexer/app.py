"""`PressWatch`: the library's front door. Holds the settings and opens each stage on first use."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .enrich import Enricher, ParallelEnricher
from .errors import SourceError, StoreUnavailable
from .es_node import LocalNode
from .inbox import ClaimedFile, Inbox
from .model import Article
from .pipeline import Ingestor, IngestReport, ProgressCallback
from .search import SearchQuery, SearchResult, search
from .sources import format_of, read_file
from .store import BulkResult, Store

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
        return Enricher(registry_path=self.settings.registry_path,
                        outlets_path=self.settings.outlets_path,
                        batch_size=min(self.settings.batch_size, 64))

    @cached_property
    def parallel_enricher(self) -> ParallelEnricher:
        return ParallelEnricher(self.settings.workers, registry_path=self.settings.registry_path,
                                outlets_path=self.settings.outlets_path)

    @cached_property
    def ingestor(self) -> Ingestor:
        parallel = (lambda: self.parallel_enricher) if self.settings.workers > 1 else None
        # Both enrichers load lazily: a large ingest never loads the model in this process.
        return Ingestor(self.store, lambda: self.enricher, self.inbox, parallel=parallel)

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if "parallel_enricher" in self.__dict__:
            self.parallel_enricher.close()
            del self.__dict__["parallel_enricher"]

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
    def claim_inbox(self, *, max_files: int | None = None) -> list[ClaimedFile]:
        """Take what is ready in the inbox. Files of a type we don't read go straight to failed/."""
        self.inbox.recover()
        for path in self.inbox.unsupported_files():
            for claimed in self.inbox.claim([path]):
                self.inbox.fail(claimed, f"unsupported file type {path.suffix or '(none)'!r}")
        return self.inbox.claim(max_files=max_files)

    def ingest_inbox(self, *, max_files: int | None = None,
                     on_progress: ProgressCallback | None = None) -> IngestReport:
        """Claim what is ready in the inbox and ingest it."""
        return self.ingestor.ingest_claimed(self.claim_inbox(max_files=max_files), on_progress=on_progress)

    def ingest_paths(self, paths: list[Path], *, on_progress: ProgressCallback | None = None) -> IngestReport:
        return self.ingestor.ingest_paths(expand_paths(paths), on_progress=on_progress)

    def enrich_paths(self, paths: list[Path], *, on_error: Callable[[SourceError], None]) -> Iterator[dict]:
        """The documents ingest would index for these files, streamed; unreadable records go to `on_error`."""

        def articles() -> Iterator[Article]:
            for path in expand_paths(paths):
                try:
                    for record in read_file(path):
                        if isinstance(record, SourceError):
                            on_error(record)
                        else:
                            yield record
                except SourceError as exc:
                    on_error(exc)

        yield from self.enricher.enrich(articles())

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
