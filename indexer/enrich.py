"""Enrichment: `Article`s -> documents, through one `nlp.pipe` pass (entities, outlets, quotes)."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from . import outlets
from .document import build_document
from .errors import EnrichmentError
from .model import Article
from .contract import make_doc
from .nlp import build_pipeline

T = TypeVar("T")

# Long enough for any news article; a 2 MB "article" is a data error and would only slow the parse.
MAX_CHARS = 100_000


class Enricher:
    """Turns articles into documents, in this process. One instance loads the model once; reuse it.

    `enrich` raises what a component raises; `enrich_each` and `enrich_pairs` give an
    `EnrichmentError` for that article alone instead (the batch is redone one article at a time)."""

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        registry_path: Path | str | None = None,
        outlets_path: Path | str | None = None,
        given_names_path: Path | str | None = None,
        aliases_path: Path | str | None = None,
        ner: str = "wire",
        batch_size: int = 32,
    ):
        """The user's files (None: the shipped data only) and the recogniser, as `Settings` give them."""
        self.nlp = nlp or build_pipeline(str(registry_path) if registry_path else None,
                                         str(outlets_path) if outlets_path else None, ner,
                                         str(given_names_path) if given_names_path else None,
                                         str(aliases_path) if aliases_path else None)
        self.outlets = outlets.OutletCatalog.load(Path(outlets_path) if outlets_path else None)
        self.batch_size = batch_size

    def enrich(self, articles: Iterable[Article]) -> Iterator[dict]:
        """Documents in the order of `articles`, streamed."""
        docs = ((self._make_doc(article), article) for article in articles)
        for doc, article in self.nlp.pipe(docs, as_tuples=True, batch_size=self.batch_size):
            yield self._document(doc, article)

    def enrich_one(self, article: Article) -> dict:
        return next(self.enrich([article]))

    def enrich_each(self, articles: list[Article]) -> list[dict | EnrichmentError]:
        """One result per article: its document, or why it could not be enriched."""
        try:
            return list(self.enrich(articles))
        except Exception:  # noqa: BLE001 - find the article that did it
            return [self._enrich_alone(article) for article in articles]

    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict | EnrichmentError, T]]:
        """`enrich_each` over a stream, carrying a context object along with each article."""
        for chunk in _chunks(pairs, self.batch_size):
            yield from zip(self.enrich_each([article for article, _ in chunk]), (c for _, c in chunk))

    def _enrich_alone(self, article: Article) -> dict | EnrichmentError:
        try:
            return self.enrich_one(article)
        except Exception as exc:  # noqa: BLE001 - the article fails alone, with the reason
            return EnrichmentError(f"enrichment failed: {describe(exc)}", where=where(article))

    def _document(self, doc, article: Article) -> dict:
        entities = doc._.entities or []
        mentioned_outlets = [e.name for e in entities if e.kind == "outlet"]
        return build_document(
            article,
            outlet=self.outlets.normalize(article.outlet, article.url),
            entities=entities,
            quotes=doc._.quotes or [],
            cited_outlets=self._named_outlets([*(doc._.cited_outlets or []), *mentioned_outlets], entities, doc),
        )

    def _named_outlets(self, names: list[str], entities: list, doc) -> list[str]:
        """Only outlets: a catalogue entry or a proper name with an outlet head, never a generic noun
        ("the paper"), a bare head ("Times"), a name the article has as a person or place, or a
        nationality ("a German news agency")."""
        not_outlets = outlets.not_outlet_keys(entities, (e.text for e in doc.ents if e.label_ == "NORP"))
        return [name for name in names if outlets.is_named_outlet(name, self.outlets, not_outlets)]

    def _make_doc(self, article: Article):
        return make_doc(self.nlp, article.title, article.body[:MAX_CHARS])


def describe(exc: BaseException) -> str:
    """'ValueError: bad span (indexer/quotes/linking.py:212)': the exception and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/indexer/" in f.filename] or frames
    place = f" ({Path(ours[-1].filename).name}:{ours[-1].lineno})" if ours else ""
    return f"{type(exc).__name__}: {exc}{place}"


def where(article: Article) -> str:
    """The file, and record, an article came from: 'feed.jsonl:12'."""
    source = article.source
    return f"{source.path}:{source.line}" if source.line else source.path


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
