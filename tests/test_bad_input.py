"""Bad input, all at once, and watchers that share an inbox or are stopped: nothing lost, nothing
indexed twice, every failure in failed/ with its reason (the corpus: tests/badinputs.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.app import PressWatch
from indexer.processes import descendants, pid_alive
from indexer.workers import Budget, PipelineSpec, WorkerPool

from .badinputs import DELETE_AFTER_CLAIM, delete_right_after_claim, documents, leftovers, verify, write_bad_inputs
from .conftest import age

pytestmark = pytest.mark.slow

TRAPPED = PipelineSpec(imports=("tests.traps",), components=("presswatch_test_trap",))
PRESSWATCH = Path(sys.executable).parent / "presswatch"


@pytest.fixture(scope="module")
def trapped_pool():
    # 30 s per article: the slowest good article here takes about 12 s alone.
    pool = WorkerPool(2, spec=TRAPPED, budget=Budget(seconds=30, memory_mb=1800))
    yield pool
    pool.close()


@pytest.fixture
def trapped_app(settings, store, trapped_pool) -> PressWatch:
    app = PressWatch(settings)
    app.__dict__["store"] = store
    app.__dict__["workers"] = trapped_pool
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    return app


def snapshot(folder: Path, *, without: Path) -> dict[str, tuple[int, float]]:
    """Every entry below `folder` except `without`'s: (size, mtime)."""
    seen = {}
    for base, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(base, d) != without]
        for name in [*dirs, *files]:
            info = os.lstat(os.path.join(base, name))
            seen[os.path.join(base, name)] = (info.st_size, info.st_mtime)
    return seen


def test_the_whole_bad_input_corpus_dropped_at_once(trapped_app, tmp_path):
    app, settings = trapped_app, trapped_app.settings
    expect = write_bad_inputs(settings.inbox)
    assert len(expect) >= 30
    before = snapshot(tmp_path, without=settings.home)
    passwd = os.stat("/etc/passwd")
    hooked = {rel for rel, e in expect.items() if e.hook == DELETE_AFTER_CLAIM}
    deleted = delete_right_after_claim(app, hooked)

    started = time.monotonic()
    reports = []
    for _ in range(5):  # until nothing is left to take
        reports.append(app.ingest_inbox())
        if not app.inbox.settled_files():
            break
    seconds = time.monotonic() - started

    assert deleted == sorted(hooked)
    verdict = verify(expect, settings, app.store, reports)
    assert not verdict.report(), f"{verdict.count('lost')} lost, {verdict.count('duplicated')} duplicated:\n" \
                                 + verdict.report()
    # nothing written outside PRESSWATCH_HOME
    assert snapshot(tmp_path, without=settings.home) == before
    assert os.stat("/etc/passwd").st_mtime == passwd.st_mtime
    assert not Path("/tmp/presswatch-escape").exists()
    assert not [p for p in settings.home.rglob("passwd")]
    assert app.store.count({"match_phrase": {"body": "pwtoksecret"}}) == 0  # the link out was not read
    assert seconds < 180, f"the corpus took {seconds:.0f} s"


def test_a_failing_file_with_a_long_name_gets_its_sidecar_and_the_others_are_unharmed(trapped_app):
    """Names up to 255 bytes are legal; FILE.error.json adds 11 characters."""
    app, settings = trapped_app, trapped_app.settings
    names = {"a-good.txt": "Angela Merkel spoke in Berlin. pwtoklonga", "b" * 246 + ".json": None,
             "c" * 244 + ".jsonl": None, "z-good.txt": "Olaf Scholz spoke in Bonn. pwtoklongz"}
    for name, text in names.items():
        path = settings.inbox / name
        if text:
            path.write_text(f"Headline\n\n{text}")
        elif name.endswith(".jsonl"):
            path.write_text(json.dumps({"id": "long-c1", "body": "Emmanuel Macron spoke."}) + "\nnot json\n")
        else:
            path.write_text("{not json")
        age(path)
    error = None
    try:
        app.ingest_inbox()
    except Exception as exc:  # noqa: BLE001 - reported below, with where every file went
        error = exc
    where = {area: leftovers(settings.home / area) for area in ("inbox", "processing", "processed", "failed")}
    assert error is None, f"ingest raised {type(error).__name__}: {error}; files: {where}"
    assert sorted(where["processed"]) == sorted(["a-good.txt", "c" * 244 + ".jsonl", "z-good.txt"])
    assert where["inbox"] == [] and where["processing"] == []
    assert {d["id"] for d in documents(app.store)} >= {"long-c1"}
    assert app.store.count({"match_phrase": {"body": "pwtoklonga"}}) == 1
    assert app.store.count({"match_phrase": {"body": "pwtoklongz"}}) == 1
    # each failure is told somewhere in failed/, under a name the file system takes
    told = [p for p in where["failed"] if p.endswith(".error.json")]
    assert len(told) == 2, where["failed"]


# -- separate processes ---------------------------------------------------------------------------
def cli_env(settings, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PRESSWATCH_HOME": str(settings.home), "PRESSWATCH_INDEX": settings.index,
           "PRESSWATCH_LEASE_SECONDS": "30", **extra}
    for name, value in settings.connection().env().items():  # ES_URL and its credentials
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env.pop("PREFECT_API_URL", None)
    return env


def write_articles(inbox: Path, n: int, *, sentences: int = 3, prefix: str = "art") -> list[str]:
    """n .txt files, one article each, with an id of its own in the front matter; returns the ids."""
    people = ["Angela Merkel", "Emmanuel Macron", "Olaf Scholz", "Nicola Sturgeon", "Pedro Sanchez",
              "Mark Rutte", "Giorgia Meloni", "Donald Tusk"]
    places = ["Berlin", "Paris", "Madrid", "Rome", "Warsaw", "Brussels", "The Hague", "Lisbon"]
    ids = []
    inbox.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(f"{people[(i + k) % 8]} met {people[(i + 3 * k + 1) % 8]} in {places[(i + k) % 8]} "
                        f"on day {k} of the talks, and \"we agreed on item {i}\", {people[i % 8]} said."
                        for k in range(sentences))
        ids.append(f"{prefix}-{i:04d}")
        path = inbox / f"{prefix}-{i:04d}.txt"
        path.write_text(f"---\nid: {ids[-1]}\n---\nTalks, part {i}\n\n{body}")
        age(path)
    return ids


def ids_indexed(store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc in documents(store):
        counts[doc["id"]] = counts.get(doc["id"], 0) + 1
    return counts


def test_two_watchers_in_separate_processes_share_one_inbox(settings, store):
    ids = write_articles(settings.inbox, 40)
    env = cli_env(settings, PRESSWATCH_WORKERS="1")
    processes = [subprocess.Popen([str(PRESSWATCH), "ingest", "--no-prefect", "--json"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (stdout, stderr) in zip(processes, outputs):
        assert process.returncode == 0, stderr[-3000:]
    taken = [len(json.loads(stdout)["files"]) for stdout, _ in outputs]
    assert sum(taken) == 40, taken
    assert ids_indexed(store) == {i: 1 for i in ids}
    assert sorted(leftovers(settings.processed_dir)) == [f"{i}.txt" for i in ids]
    assert leftovers(settings.inbox) == [] and leftovers(settings.processing_dir) == []
    assert leftovers(settings.failed_dir) == []


def test_sigterm_during_a_parallel_ingest_gives_the_rest_back_and_a_second_run_finishes(settings, store):
    ids = write_articles(settings.inbox, 300, sentences=8)
    env = cli_env(settings, PRESSWATCH_WORKERS="2")
    process = subprocess.Popen([str(PRESSWATCH), "ingest", "--no-prefect"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while len(leftovers(settings.processed_dir)) < 20:
            assert process.poll() is None, process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "nothing indexed in 240 s"
            time.sleep(0.2)
        children = descendants(process.pid)
        assert children, "the ingest has no worker processes"
        process.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        _, stderr = process.communicate(timeout=10)
        took = time.monotonic() - stopped
    finally:
        if process.poll() is None:
            process.kill()
    grace = time.monotonic() + 5  # the idle fork server notices its parent is gone and exits by itself
    while any(pid_alive(pid) for pid in children) and time.monotonic() < grace:
        time.sleep(0.1)
    assert [pid for pid in children if pid_alive(pid)] == [], "child processes left after the ingest exited"
    assert took < 10
    assert process.returncode == 130, stderr[-3000:]
    done = leftovers(settings.processed_dir)
    back = leftovers(settings.inbox)
    assert 20 <= len(done) < 300, f"{len(done)} processed before the stop"
    assert leftovers(settings.processing_dir) == [] and leftovers(settings.failed_dir) == []
    assert sorted(done + back) == [f"{i}.txt" for i in ids]
    indexed = ids_indexed(store)
    assert all(indexed.get(Path(name).stem) == 1 for name in done)

    second = subprocess.run([str(PRESSWATCH), "ingest", "--no-prefect", "--json"], env=env,
                            capture_output=True, text=True, timeout=400)
    assert second.returncode == 0, second.stderr[-3000:]
    assert ids_indexed(store) == {i: 1 for i in ids}
    assert sorted(leftovers(settings.processed_dir)) == [f"{i}.txt" for i in ids]
    assert leftovers(settings.inbox) == [] and leftovers(settings.processing_dir) == []
