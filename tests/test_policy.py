"""The error policy: each failure's decision, and retries with backoff."""

import threading
import time

import pytest

from indexer.errors import (Cancelled, ConfigurationError, EnrichmentError, SourceError, StoreError,
                            StoreUnavailable)
from indexer.policy import Backoff, decide, with_retries


@pytest.mark.parametrize("exc, action", [
    (StoreUnavailable("connection refused"), "retry"),
    (Cancelled("stopped"), "retry"),
    (StoreError("mapper_parsing_exception"), "fail"),
    (SourceError("invalid JSON", where="a.json"), "fail"),
    (EnrichmentError("took over 60 s", where="a.jsonl:3"), "fail"),
    (RuntimeError("a bug"), "fail"),
    (ConfigurationError("no model"), "give_back"),
    (KeyboardInterrupt(), "give_back"),
])
def test_each_failure_has_one_decision(exc, action):
    decision = decide(exc)
    assert decision.action == action
    assert decision.reason  # always says why


def test_backoff_doubles_up_to_its_cap():
    assert list(Backoff(initial=1, factor=2, cap=5, attempts=6).delays()) == [1, 2, 4, 5, 5]


def test_transient_failures_are_retried_until_success():
    calls = []

    def flaky():
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise StoreUnavailable("busy (429)")
        return "stored"

    assert with_retries(flaky, backoff=Backoff(initial=0.05, attempts=4)) == "stored"
    assert len(calls) == 3 and calls[2] - calls[0] >= 0.05 + 0.1


def test_terminal_failures_are_not_retried_and_the_cap_is_kept():
    calls = []

    def refused():
        calls.append(1)
        raise StoreError("mapping rejected")

    with pytest.raises(StoreError):
        with_retries(refused, backoff=Backoff(initial=0.01, attempts=5))
    assert len(calls) == 1

    def down():
        calls.append(1)
        raise StoreUnavailable("down")

    calls.clear()
    with pytest.raises(StoreUnavailable):
        with_retries(down, backoff=Backoff(initial=0.01, attempts=3))
    assert len(calls) == 3


def test_a_stop_ends_the_wait_between_retries():
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        with_retries(lambda: (_ for _ in ()).throw(StoreUnavailable("down")),
                     backoff=Backoff(initial=30, attempts=3), stop=stop)
    assert time.monotonic() - started < 5
