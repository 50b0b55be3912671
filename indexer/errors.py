"""PressWatch's exceptions.

PressWatchError
 ├── ConfigurationError    a setting, a dependency or a program is missing or wrong
 ├── SourceError           an input file or record cannot be read as an article (terminal: goes to failed/)
 ├── StoreError            Elasticsearch refused something (terminal for the documents concerned)
 │    └── StoreUnavailable Elasticsearch cannot be reached (transient: the work waits and is retried)
 └── NodeError             the embedded Elasticsearch node cannot be installed, started or stopped
"""

from __future__ import annotations


class PressWatchError(Exception):
    """Base of every error PressWatch raises on purpose."""


class ConfigurationError(PressWatchError):
    pass


class SourceError(PressWatchError):
    """An input cannot be read as an article. `where` names the file (and line) concerned."""

    def __init__(self, message: str, *, where: str | None = None):
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.where = where


class StoreError(PressWatchError):
    pass


class StoreUnavailable(StoreError):
    """Elasticsearch did not answer; nothing was lost and the work can be retried."""


class NodeError(PressWatchError):
    pass
