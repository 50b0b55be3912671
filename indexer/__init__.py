"""PressWatch: news articles -> entities, speaker-attributed quotes and outlets, in Elasticsearch.

    from indexer import PressWatch, SearchQuery
    app = PressWatch()                       # settings from the environment
    app.ingest_paths([Path("seeds")])
    app.search(SearchQuery(persons=("Ismail Haniyeh",)))
"""

from .app import PressWatch
from .config import Settings
from .consolidate import ConsolidationReport
from .enrich import Enricher
from .errors import (ConfigurationError, NodeError, PressWatchError, SourceError, StoreError,
                     StoreUnavailable)
from .model import Article, Entity, Quote, Source
from .search import SearchQuery, SearchResult

__all__ = [
    "Article", "ConfigurationError", "ConsolidationReport", "Enricher", "Entity", "NodeError", "PressWatch", "PressWatchError",
    "Quote", "SearchQuery", "SearchResult", "Settings", "Source", "SourceError", "StoreError",
    "StoreUnavailable",
]
