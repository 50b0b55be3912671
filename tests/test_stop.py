"""Clean stops: SIGTERM during a large parallel ingest under `presswatch up` stops it within 10 s,
gives the unfinished files back, leaves no child process, and a later ingest finishes the rest."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.errors import StoreUnavailable
from indexer.processes import descendants, interrupts_held, pid_alive

from .test_up import free_port

pytestmark = pytest.mark.slow

NAMES = ["Angela Merkel", "Emmanuel Macron", "Theresa May", "Jeremy Corbyn", "Nicola Sturgeon",
         "Olaf Scholz", "Boris Johnson", "Pedro Sanchez", "Mark Rutte", "Giorgia Meloni"]
PLACES = ["Berlin", "Paris", "London", "Madrid", "Rome", "Brussels", "Edinburgh", "The Hague"]


def synthetic_article(n: int, rng: random.Random) -> dict:
    sentences = []
    for _ in range(8):
        a, b = rng.sample(NAMES, 2)
        sentences.append(f'{a} met {b} in {rng.choice(PLACES)} on Monday. "We agreed on item {rng.randint(1, 99)},"'
                         f" {a.split()[-1]} told reporters, according to Reuters.")
    return {"id": f"stop-{n}", "title": f"Talks, day {n}", "body": " ".join(sentences)}


def indexed(store) -> int:
    try:
        return store.count()
    except StoreUnavailable:  # the index is being created
        return 0


def test_sigterm_during_a_parallel_ingest_stops_within_10s_and_loses_nothing(settings, store, app):
    env = {**os.environ, "PRESSWATCH_HOME": str(settings.home), "PRESSWATCH_INDEX": settings.index,
           "PRESSWATCH_PREFECT_PORT": str(free_port()), "PRESSWATCH_WORKERS": "2"}
    for name, value in settings.connection().env().items():
        env.pop(name, None) if value is None else env.__setitem__(name, value)
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen([str(Path(sys.executable).parent / "presswatch"), "up", "--sweep", "600"],
                               env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
    rng = random.Random(11)
    articles = [synthetic_article(n, rng) for n in range(400)]
    try:
        deadline = time.monotonic() + 180
        while not any("Watching" in line for line in output):
            assert process.poll() is None and time.monotonic() < deadline, "".join(output)
            time.sleep(0.5)
        inbox = settings.inbox
        for k in range(4):  # 4 files of 100 articles, written elsewhere and moved in whole
            part = settings.home / f"part-{k}.jsonl"
            part.write_text("".join(json.dumps(a) + "\n" for a in articles[k * 100:(k + 1) * 100]))
            os.rename(part, inbox / part.name)
        tree: set[int] = set()
        while indexed(store) < 30:
            assert process.poll() is None and time.monotonic() < deadline, "".join(output)
            tree |= {process.pid, *descendants(process.pid)}
            time.sleep(0.2)
        tree |= {process.pid, *descendants(process.pid)}
        assert len(tree) >= 4, tree  # the watcher, the Prefect server and two NLP workers at least
        process.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        process.wait(timeout=30)
        took = time.monotonic() - stopped
    finally:
        if process.poll() is None:
            process.kill()
    text = "".join(output)
    assert took < 10, text
    assert process.returncode == 0, text
    # No child left behind: the workers are gone with the watcher; the fork server (idle, it forks the
    # workers) notices its parent is gone and exits by itself within moments.
    grace = time.monotonic() + 5
    while any(pid_alive(pid) for pid in tree) and time.monotonic() < grace:
        time.sleep(0.1)
    left = {pid: open(f"/proc/{pid}/cmdline", "rb").read()[:120] for pid in tree if pid_alive(pid)}
    assert left == {}
    assert "Starting temporary server" not in text and "Traceback" not in text, text
    names = {p.name for folder in (settings.inbox, settings.processed_dir) for p in folder.glob("*.jsonl")}
    assert names == {f"part-{k}.jsonl" for k in range(4)}
    assert not any(p.is_file() and p.name != ".lease" for p in settings.processing_dir.rglob("*"))

    report = app.ingest_inbox()  # the files given back are taken again: every article once
    assert all(f.status == "processed" for f in report.files)
    store.refresh()
    assert store.count() == 400
    assert {h["_id"] for h in store.scan()} == {a["id"] for a in articles}


def test_a_ctrl_c_held_while_a_child_starts_lands_after_it():
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of starting a child
            reached.append("recorded")  # the child's pid is recorded before it lands
    assert reached == ["recorded"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is back
