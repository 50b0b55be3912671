"""`presswatch up`: a local Prefect server (unless PREFECT_API_URL is set) and the inbox watcher.

File events trigger an `ingest-inbox` flow run within about a second of a file settling; a look at
the inbox every second catches what events miss (files moved in while it was down), and a sweep
gives back files a killed run left in processing/. Each run is a Prefect flow run in Prefect's UI.
"""

from __future__ import annotations

import contextvars
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import watchfiles

from indexer.config import Settings
from indexer.errors import Cancelled, NodeError, StoreUnavailable
from indexer.processes import interrupts_held

log = logging.getLogger("presswatch.watch")

@contextmanager
def prefect_server(settings: Settings, *, start: bool = True):
    """Use PREFECT_API_URL when set, else the local server when it runs, else start one (SQLite under
    PRESSWATCH_HOME). With start=False, yields None instead: Prefect then uses a temporary server."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    url = f"http://127.0.0.1:{settings.prefect_port}/api"
    if not start and not _healthy(url):
        yield None
        return
    home = settings.home / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_API_URL": url}
    log_file = open(home / "server.log", "ab")
    process = None
    try:
        if not _healthy(url):
            with interrupts_held():  # `process` is set before a Ctrl-C can land
                process = subprocess.Popen(
                    [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                     "--port", str(settings.prefect_port)],
                    env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            _wait_until_healthy(url, process, home / "server.log")
        yield from _use_server(url)
    finally:  # also when Ctrl-C lands while the server starts: its own session never sees the signal
        if process:
            _stop_server(process)
        log_file.close()


def _wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise NodeError(f"the Prefect server did not start; see {log_path}")
        time.sleep(0.5)


def _use_server(url: str) -> Iterator[str]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            os.environ["PREFECT_API_URL"] = url
            yield url
    finally:
        _drain_prefect_clients()  # logs and events queued for the server go now, not at exit
        os.environ.pop("PREFECT_API_URL", None)


def _stop_server(process: subprocess.Popen) -> None:
    """Stop the server and anything it started in its session; a second Ctrl-C kills it at once."""
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        _signal_group(process.pid, signal.SIGKILL)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("the Prefect server (pid %s) did not exit after SIGKILL", process.pid)
    _signal_group(process.pid, signal.SIGKILL)  # a child the server left behind


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _drain_prefect_clients(timeout: float = 5) -> None:
    """Send what Prefect's log and event workers still hold, while the server is up: after it is
    gone they would retry at interpreter exit for a minute."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - best effort on the way out
            log.debug("could not drain %s: %s", worker.__name__, exc)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def serve_and_watch(settings: Settings, *, sweep_seconds: float = 300.0, on_report=None) -> None:
    """Serve the `ingest-inbox/inbox-sweep` deployment (an interval schedule, and "Run" in Prefect's UI)
    and watch the inbox in a thread, until Ctrl-C. Both may run at once: claims are atomic renames."""
    from prefect import serve
    from prefect.deployments.runner import EntrypointType

    from .ingest import consolidate_entities, flow_parameters, ingest_inbox, presswatch

    stop = threading.Event()
    # The thread runs in a copy of this context, so it talks to the same Prefect server.
    watcher = threading.Thread(target=contextvars.copy_context().run, name="presswatch-watch", daemon=True,
                               args=(watch_inbox, settings),
                               kwargs={"stop": stop, "sweep_seconds": sweep_seconds, "on_report": on_report})
    watcher.start()
    deployment = ingest_inbox.to_deployment(
        name="inbox-sweep", interval=timedelta(seconds=sweep_seconds), parameters=flow_parameters(settings),
        description="Safety net: ingest whatever the file watcher missed.",
        entrypoint_type=EntrypointType.MODULE_PATH)
    consolidation = consolidate_entities.to_deployment(
        name="entities-schedule", interval=timedelta(minutes=settings.consolidate_minutes),
        parameters=flow_parameters(settings), entrypoint_type=EntrypointType.MODULE_PATH,
        description="Re-resolve entities across the corpus (also after a large inbox run and every `presswatch ingest`).")
    app = presswatch(settings)
    try:
        serve(deployment, consolidation, print_starting_message=False)
    finally:
        # A run in progress gives its unfinished files back and its workers are stopped: within seconds.
        stop.set()
        app.cancel()
        watcher.join(timeout=10)
        app.close()


def watch_inbox(settings: Settings, *, stop: threading.Event, sweep_seconds: float = 60.0,
                on_report=None) -> None:
    """Until `stop`: run `ingest-inbox` as soon as files are ready (file events, and a look every
    second for anything the events missed); every `sweep_seconds`, give back the files of claims
    whose lease expired (a killed watcher's, on any host). A run that fails (Elasticsearch down) is
    retried after 10 s."""
    from .ingest import flow_parameters, ingest_inbox, presswatch

    app = presswatch(settings)
    app.inbox.ensure()
    app.workers.start()  # the workers load the model before the first file arrives
    last_sweep = 0.0
    retry_at = 0.0
    recover_every = min(sweep_seconds, settings.lease_seconds / 2)
    for _ in watchfiles.watch(settings.inbox, stop_event=stop, yield_on_timeout=True,
                              rust_timeout=1000, debounce=200, recursive=True):
        now = time.monotonic()
        if now - last_sweep >= recover_every:
            last_sweep = now
            if recovered := app.inbox.recover():
                log.warning("gave back %d file(s) of an expired claim (a stopped watcher's)", recovered)
        if now < retry_at or not app.inbox.settled_files():  # nothing to read or to fail
            continue
        try:
            result = ingest_inbox(**flow_parameters(settings))
        except Cancelled:
            return
        except StoreUnavailable as exc:
            log.warning("Elasticsearch unavailable, files stay in the inbox; retrying in 10s: %s", exc)
            retry_at = time.monotonic() + 10
            continue
        except Exception:  # noqa: BLE001 - the watcher must outlive a failed run
            log.exception("ingest run failed; retrying in 10s")
            retry_at = time.monotonic() + 10
            continue
        if on_report and result.get("files"):
            on_report(result)
        if result.get("cancelled"):
            return
