"""PressWatch's exceptions.

PressWatchError
 ├── ConfigurationError    a setting, a dependency or a program is missing or wrong
 ├── RecordError           about one input file or record; `where` names it
 │    ├── SourceError      it cannot be read as an article (terminal: goes to failed/)
 │    └── EnrichmentError  it could not be enriched: a component raised, or its worker died or overran
 │                         its time or memory budget (terminal for that article alone)
 ├── StoreError            Elasticsearch refused something (terminal for the documents concerned)
 │    ├── StoreUnavailable Elasticsearch cannot be reached (transient: the work waits and is retried)
 │    └── StoreAuthError   Elasticsearch rejected the credentials, or its TLS certificate cannot be
 │                         verified (terminal until the configuration is fixed)
 ├── FurnitureStoreError   the page-furniture statistics (SQLite in the home) cannot be read or written
 │                         (transient: locked, full or read-only; the files are given back and retried)
 ├── Cancelled             the ingest was asked to stop (SIGINT/SIGTERM): unfinished files are given back
 └── NodeError             the embedded Elasticsearch node cannot be installed, started or stopped

`transient` says whether retrying the same work later can succeed; `indexer.policy` decides from it.
"""

from __future__ import annotations


class PressWatchError(Exception):
    """Base of every error PressWatch raises on purpose."""

    transient = False


class ConfigurationError(PressWatchError):
    pass


class QueryError(PressWatchError):
    """A search or page request the library cannot run as asked (a malformed date, a page out of range)."""


class NotFound(PressWatchError):
    """What was asked for is not there (an article, an entity, a failed file)."""


class KibanaError(PressWatchError):
    """Kibana did not answer, or refused what was sent."""


class RecordError(PressWatchError):
    """Base of the errors about one input: `where` names the file (and record) concerned."""

    def __init__(self, message: str, *, where: str | None = None):
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.where = where


class SourceError(RecordError):
    """An input cannot be read as an article."""


class EnrichmentError(RecordError):
    """One article could not be enriched."""


class StoreError(PressWatchError):
    pass


class StoreUnavailable(StoreError):
    """Elasticsearch did not answer; nothing was lost and the work can be retried."""

    transient = True


class FurnitureStoreError(PressWatchError):
    """The furniture statistics could not be read or written (a lock, a full disk, a read-only home)."""

    transient = True


class Cancelled(PressWatchError):
    """The ingest was stopped on request; what was not finished is given back, to be taken again."""

    transient = True


class NodeError(PressWatchError):
    pass


class StoreAuthError(StoreError):
    """Elasticsearch rejected our credentials (401), or its certificate is not trusted: retrying won't help."""
