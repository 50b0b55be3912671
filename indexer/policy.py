"""The error policy, in one place: what happens to work when something fails.

| what failed                                   | decision | what happens                                  |
|-----------------------------------------------|----------|-----------------------------------------------|
| `StoreUnavailable` (connection, timeout, 429, | retry    | the same call again after a backoff, up to a  |
| 502/503/504), `Cancelled`                     |          | cap; then the files go back to the inbox      |
| `SourceError`, `EnrichmentError`              | fail     | that file or record fails alone, with reason  |
| `StoreError` (a mapping rejection, a 400)     | fail     | the records concerned fail with the reason    |
| any other exception (a bug)                   | fail     | the same, so a bug is seen, not retried forever|
| `ConfigurationError` (a missing model, bad    | give back| unfinished files go back to the inbox: the    |
| settings), `KeyboardInterrupt`, `SystemExit`  |          | files are fine, the set-up is not             |
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar

from .errors import ConfigurationError, PressWatchError

T = TypeVar("T")
Action = Literal["retry", "fail", "give_back"]


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str


def decide(exc: BaseException) -> Decision:
    """What to do about `exc`: retry it, fail the work it concerns, or give the work back."""
    if not isinstance(exc, Exception):
        return Decision("give_back", f"stopped ({type(exc).__name__})")
    if isinstance(exc, ConfigurationError):
        return Decision("give_back", str(exc))
    if isinstance(exc, PressWatchError):
        return Decision("retry" if exc.transient else "fail", str(exc))
    return Decision("fail", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class Backoff:
    """Exponential delays between attempts: initial, initial*factor, ... capped at `cap` seconds."""

    initial: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    attempts: int = 6  # calls in all, the first included

    def delays(self) -> Iterator[float]:
        delay = self.initial
        for _ in range(self.attempts - 1):
            yield min(delay, self.cap)
            delay *= self.factor


def with_retries(call: Callable[[], T], *, backoff: Backoff, stop: threading.Event | None = None,
                 on_retry: Callable[[BaseException, float], None] | None = None) -> T:
    """`call()`, retried after transient failures as `backoff` says. The last failure, or a
    terminal one, is raised. A set `stop` event ends the waiting early (the failure is raised)."""
    delays = backoff.delays()
    while True:
        try:
            return call()
        except Exception as exc:
            if decide(exc).action != "retry":
                raise
            delay = next(delays, None)
            if delay is None:
                raise
            if on_retry:
                on_retry(exc, delay)
            if stop is not None:
                if stop.wait(delay):
                    raise
            else:
                time.sleep(delay)
