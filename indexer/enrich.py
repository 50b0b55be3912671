"""Enrichment: `Article`s -> documents, through one `nlp.pipe` pass (entities, outlets, quotes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from . import outlets
from .document import build_document
from .model import Article
from .nlp import build_pipeline, compose_text

T = TypeVar("T")

# Long enough for any news article; a 2 MB "article" is a data error and would only slow the parse.
MAX_CHARS = 100_000


class Enricher:
    """Turns articles into documents. One instance loads the model once; reuse it."""

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        registry_path: Path | None = None,
        outlets_path: Path | None = None,
        batch_size: int = 32,
    ):
        self.nlp = nlp or build_pipeline(str(registry_path) if registry_path else None)
        self.outlets = outlets.OutletCatalog.load(outlets_path, user=False)
        self.batch_size = batch_size

    def enrich(self, articles: Iterable[Article]) -> Iterator[dict]:
        """Documents in the order of `articles`, streamed."""
        for document, _ in self.enrich_pairs((article, None) for article in articles):
            yield document

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
        text, body_start = compose_text(article.title, article.body[:MAX_CHARS])
        doc = self.nlp.make_doc(text)
        doc._.body_start = body_start
        return doc

