"""Enrichment: `Article`s -> documents, through one `nlp.pipe` pass (entities, outlets, quotes)."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from . import outlets
from .document import build_document
from .model import Article
from .nlp import build_pipeline, make_doc

T = TypeVar("T")

# Long enough for any news article; a 2 MB "article" is a data error and would only slow the parse.
MAX_CHARS = 100_000


class _PairEnricher:
    """`enrich` in terms of `enrich_pairs`, for both enrichers."""

    def enrich(self, articles: Iterable[Article]) -> Iterator[dict]:
        """Documents in the order of `articles`, streamed."""
        for document, _ in self.enrich_pairs((article, None) for article in articles):
            yield document

    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict, T]]:
        raise NotImplementedError


class Enricher(_PairEnricher):
    """Turns articles into documents. One instance loads the model once; reuse it."""

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        registry_path: Path | None = None,
        outlets_path: Path | None = None,
        batch_size: int = 32,
    ):
        self.nlp = nlp or build_pipeline(str(registry_path) if registry_path else None,
                                         str(outlets_path) if outlets_path else None)
        self.outlets = outlets.OutletCatalog.load(outlets_path)
        self.batch_size = batch_size

    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict, T]]:
        """Like `enrich`, carrying a context object along with each article."""
        docs = ((self._make_doc(article), (article, context)) for article, context in pairs)
        for doc, (article, context) in self.nlp.pipe(docs, as_tuples=True, batch_size=self.batch_size):
            yield self._document(doc, article), context

    def _document(self, doc, article: Article) -> dict:
        entities = doc._.entities or []
        mentioned_outlets = [e.name for e in entities if e.kind == "outlet"]
        return build_document(
            article,
            outlet=self.outlets.normalize(article.outlet, article.url),
            entities=entities,
            quotes=doc._.quotes or [],
            cited_outlets=[*(doc._.cited_outlets or []), *mentioned_outlets],
        )

    def enrich_one(self, article: Article) -> dict:
        return next(self.enrich([article]))

    def _make_doc(self, article: Article):
        return make_doc(self.nlp, article.title, article.body[:MAX_CHARS])


class ParallelEnricher(_PairEnricher):
    """`Enricher` across worker processes, for large ingests: same `enrich_pairs` contract.

    Workers come from a fork server (the parent runs threads, so it never forks itself) and each
    loads the model once.
    At most `window` chunks are in flight, so memory stays flat however long the stream.
    """

    def __init__(self, processes: int, *, registry_path: Path | None = None,
                 outlets_path: Path | None = None, chunk_size: int = 24, window: int | None = None,
                 recycle_after: int = 40):
        self.processes = processes
        self.chunk_size = chunk_size
        self.window = window or processes * 3
        # Small chunks keep both workers busy to the end of a batch. Workers fork from a server
        # process that has spaCy and PressWatch imported already, not from this threaded one.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["indexer.enrich"])
        # Workers are replaced after `recycle_after` chunks: spaCy's string store only grows, and a
        # fresh worker keeps memory flat over an archive of any size.
        self.pool = context.Pool(processes, initializer=_init_worker, maxtasksperchild=recycle_after,
                                 initargs=(str(registry_path) if registry_path else None,
                                           str(outlets_path) if outlets_path else None))

    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict, T]]:
        in_flight: deque = deque()
        for chunk in _chunks(pairs, self.chunk_size):
            articles = [article for article, _ in chunk]
            in_flight.append(([context for _, context in chunk],
                              self.pool.apply_async(_enrich_chunk, (articles,))))
            if len(in_flight) >= self.window:
                yield from _collect(in_flight.popleft())
        while in_flight:
            yield from _collect(in_flight.popleft())

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


_worker: Enricher | None = None


def _init_worker(registry_path: str | None, outlets_path: str | None) -> None:
    global _worker
    _worker = Enricher(registry_path=Path(registry_path) if registry_path else None,
                       outlets_path=Path(outlets_path) if outlets_path else None)


def _enrich_chunk(articles: list[Article]) -> list[dict]:
    assert _worker is not None
    return list(_worker.enrich(articles))


def _collect(item) -> Iterator[tuple[dict, object]]:
    contexts, result = item
    yield from zip(result.get(), contexts)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
