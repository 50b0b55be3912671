"""`presswatch up` as a user runs it: Prefect server, scheduled deployment, watcher, clean stop."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.search import SearchQuery, search

from .conftest import SEED

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_up(settings, prefect_port: int, *args: str, **extra_env: str) -> subprocess.Popen:
    """`presswatch up ARGS` on the test's index, home and Elasticsearch, with its own Prefect port."""
    env = {**os.environ, "PRESSWATCH_HOME": str(settings.home), "PRESSWATCH_INDEX": settings.index,
           "PRESSWATCH_PREFECT_PORT": str(prefect_port), **extra_env}
    for name, value in settings.connection().env().items():  # ES_URL and its credentials, as `es env` prints
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env.pop("PREFECT_API_URL", None)
    presswatch = Path(sys.executable).parent / "presswatch"
    return subprocess.Popen([str(presswatch), "up", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_up_indexes_a_dropped_file_serves_the_sweep_and_the_web_ui_and_stops_cleanly(settings, store):
    port, web_port = free_port(), free_port()
    process = start_up(settings, port, "--sweep", "600", PRESSWATCH_WEB_PORT=str(web_port))
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not any("Watching" in line for line in output):
            assert process.poll() is None, "".join(output)
            assert time.monotonic() < deadline, "presswatch up did not start:\n" + "".join(output)
            time.sleep(0.5)
        time.sleep(2)
        shutil.copy(SEED, settings.inbox / SEED.name)
        dropped = time.monotonic()
        while not (settings.processed_dir / SEED.name).exists():
            assert time.monotonic() - dropped < 30, "not indexed within 30 s:\n" + "".join(output)
            time.sleep(0.2)
        # the file moves once Elasticsearch acknowledged it; searchable after the run's refresh
        while search(store, SearchQuery(persons=("Ismail Haniyeh",))).total != 1:
            assert time.monotonic() - dropped < 40, "indexed but not searchable:\n" + "".join(output)
            time.sleep(0.2)

        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/deployments/filter", method="POST",
            data=json.dumps({"deployments": {"name": {"any_": ["inbox-sweep"]}}}).encode(),
            headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            deployments = json.loads(response.read())
        assert [d["name"] for d in deployments] == ["inbox-sweep"]
        assert deployments[0]["parameters"]["index"] == settings.index
        assert "password" not in json.dumps(deployments[0]["parameters"])

        web = f"http://127.0.0.1:{web_port}"
        assert f"Web UI: {web}" in "".join(output)  # printed at start
        with urllib.request.urlopen(f"{web}/?person=Ismail+Haniyeh", timeout=10) as response:
            page = response.read().decode()
        assert 'id="total">1<' in page and "Khamenei Hosts Hamas Delegation in Tehran" in page
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    reader.join(timeout=5)
    assert process.returncode == 0, "".join(output)
    assert "stopped" in "".join(output)


def _prefect_servers_on(port: int) -> list[int]:
    """Pids of `prefect server start --port PORT` processes (and uvicorn children naming the port)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"prefect" in b" ".join(argv) and str(port).encode() in argv:
            pids.append(int(entry.name))
    return pids


def test_ctrl_c_while_the_prefect_server_starts_stops_it_too(settings, store):
    port = free_port()
    process = start_up(settings, port, "--no-web")
    try:
        deadline = time.monotonic() + 60
        while not _prefect_servers_on(port):  # the server process exists; it takes seconds to answer
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "no Prefect server was started"
            time.sleep(0.05)
        started = _prefect_servers_on(port)
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends to `up` (the server has its own session)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    output = process.stdout.read()
    assert process.returncode == 0, output
    assert "Watching" not in output and "did not start" not in output  # Ctrl-C landed while it started
    assert "stopped" in output
    gone = time.monotonic() + 10
    while _prefect_servers_on(port) and time.monotonic() < gone:
        time.sleep(0.2)
    left = _prefect_servers_on(port)
    for pid in left:
        os.kill(pid, signal.SIGKILL)  # what a failed run leaves must not outlive the test
    assert started and left == [], output
