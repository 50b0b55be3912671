"""The fault suite: real processes, real Elasticsearch, faults injected; nothing may be lost or doubled.

    .venv/bin/python bench/faults.py [--quick] [--only SCENARIO[,SCENARIO...]] [--keep] [--port 9250]

Starts its own Elasticsearch (the embedded `LocalNode`, on another port, with its own home under a
temporary folder) and runs each scenario against `presswatch ingest --no-prefect` or `presswatch up`
subprocesses, each with its own PRESSWATCH_HOME and index, on articles from ../shared/corpora
(Dai 2017, BBC, Reuters-21578; written as .txt, .json, .jsonl and .html, each with an id of its own):

| scenario               | fault                                                                  |
|------------------------|------------------------------------------------------------------------|
| kill9-parsing          | kill -9 of the ingest while it parses its first files (HTML), restart  |
| kill9-nlp              | kill -9 of the ingest in the middle of the NLP, restart                |
| kill9-bulk             | kill -9 of the ingest while a bulk request is in flight, restart       |
| kill9-es               | kill -9 of Elasticsearch while a bulk request is in flight, restart it |
| es-down-60s            | `presswatch up` starts with Elasticsearch down; it comes up after 60 s |
| watchers-2, watchers-3 | two / three `presswatch up` on one inbox, files dropped in waves       |
| sigterm-2000           | SIGTERM during a 2,000-article parallel ingest, then a second ingest   |
| processed-full         | processed/ is a full 1 MB tmpfs (two ingests), then unmounted, ingest  |
| small-20000            | 20,000 small files dropped at once under `presswatch up`: peak memory  |
|                        | and the first claim's delay                                            |
| bad-inputs             | the corpus of tests/badinputs.py, through `presswatch ingest`          |
| bad-inputs-trapped     | the same with the trap component (a memory hog, a segfault, a raise)   |
|                        | and a file deleted right after its claim, in a PressWatch of its own   |

Per scenario, one row: files in, articles indexed exactly once, articles in failed/ with a reason,
lost (neither indexed nor in failed/ with a reason), duplicated (more than one document for one input
article), and seconds to recover (from the restart, or the drop, until every file is settled). The
bad-input rows count inbox entries (files) instead of articles. The last line printed is JSON:
{"rows": [{"scenario", "files", "indexed_once", "failed_with_reason", "lost", "duplicated",
"recover_s", ...}, ...]}. `--quick` uses smaller sizes. Skips (exit 0) without the corpora.
"""

from __future__ import annotations

import argparse
import gzip
import html
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SOURCES = ("dai2017.jsonl.gz", "bbc2225.jsonl.gz", "reuters21578.jsonl.gz")
PRESSWATCH = Path(sys.executable).parent / "presswatch"
sys.path.insert(0, str(REPO))

from indexer.processes import descendants, pid_alive  # noqa: E402 - after the path is set
from throughput import TreeMemory  # noqa: E402 - the same sampler as the throughput bench

SIZES = {  # full, quick
    # bulk requests carry 200 documents (pipeline.BULK_CHUNK): 400 and more make several
    "kill9": (1000, 400), "kill9-es": (1000, 400), "es-down": (200, 80), "watchers": (400, 160),
    "sigterm": (2000, 400), "processed-full": (300, 120), "small": (20000, 2000),
}


# -- the articles ----------------------------------------------------------------------------------
def corpus():
    """Articles with text, interleaved across the three corpora, read lazily, forever (cycling)."""
    def read(path: Path):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                if (item.get("text") or "").strip():
                    yield item

    while True:
        streams = [read(CORPORA / name) for name in SOURCES]
        for item in itertools.chain.from_iterable(itertools.zip_longest(*streams)):
            if item is not None:
                yield item


@dataclass
class Manifest:
    """What was dropped: every article's id, with its file (relative to the inbox) and record."""

    files: list[str] = field(default_factory=list)
    articles: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def write_articles(folder: Path, n: int, prefix: str, *, html_first: int = 0, small: bool = False,
                   start: int = 0) -> Manifest:
    """n articles into `folder`: 40% .txt, 20% .json, 38% in .jsonl files of 50, 2% .html
    (`html_first`: that many .html files first, sorted before the rest); `small`: one short .txt each."""
    from indexer.document import article_id
    from indexer.model import Article, Source

    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest()
    lines: list[str] = []
    items = corpus()
    for _ in range(start):
        next(items)
    for i in range(n):
        item = next(items)
        aid = f"{prefix}-{i:05d}"
        record = {"id": aid, "title": (item.get("title") or "").strip(), "body": item["text"].strip(),
                  "url": item.get("url"), "outlet": item.get("outlet"), "date": item.get("date")}
        if small:
            record["body"] = _first_sentences(record["body"], 300)
            kind = "txt"
        elif i < html_first or (i % 50 == 49):
            kind = "html"
        else:
            kind = ("txt", "txt", "json", "jsonl", "jsonl")[i % 5]
        if kind == "html":
            name = f"{'0' if i < html_first else '1'}-{prefix}-{i:05d}.html"
            url = f"https://faults.example/{prefix}/{i}"
            _write_html(folder / name, record, url)
            aid = article_id(Article(title="", body="", source=Source(name, "html", "", 0), url=url))
            manifest.files.append(name)
            manifest.articles[aid] = (name, None)
        elif kind == "txt":
            name = f"1-{prefix}-{i:05d}.txt"
            front = {k: record[k] for k in ("id", "url", "outlet", "date") if record[k]}
            (folder / name).write_text("---\n" + json.dumps(front) + "\n---\n" + record["title"] + "\n\n"
                                       + record["body"])
            manifest.files.append(name)
            manifest.articles[aid] = (name, None)
        elif kind == "json":
            name = f"1-{prefix}-{i:05d}.json"
            (folder / name).write_text(json.dumps(record))
            manifest.files.append(name)
            manifest.articles[aid] = (name, None)
        else:
            lines.append(json.dumps(record))
            manifest.articles[aid] = ("", len(lines))  # the file's name is known once it is full
            if len(lines) == 50:
                _flush_jsonl(folder / f"1-{prefix}-{i:05d}.jsonl", lines, manifest)
                lines = []
    if lines:
        _flush_jsonl(folder / f"1-{prefix}-rest.jsonl", lines, manifest)
    old = time.time() - 60  # settled: not "still being written"
    for path in folder.iterdir():
        os.utime(path, (old, old))
    return manifest


def _flush_jsonl(path: Path, lines: list[str], manifest: Manifest) -> None:
    path.write_text("\n".join(lines) + "\n")
    manifest.files.append(path.name)
    for key, (rel, line) in manifest.articles.items():
        if rel == "" and line is not None:
            manifest.articles[key] = (path.name, line)


def _first_sentences(text: str, chars: int) -> str:
    cut = text[:chars]
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    return cut[:end + 1] if end > 40 else cut


def _write_html(path: Path, record: dict, url: str) -> None:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["body"].split("\n") if p.strip())
    title = html.escape(record["title"])
    path.write_text(
        f"<html><head><title>{title}</title><link rel='canonical' href='{url}'>"
        f"<meta property='og:url' content='{url}'><meta property='og:title' content='{html.escape(record['title'], quote=True)}'>"
        f"<meta property='og:site_name' content='{html.escape(record['outlet'] or '', quote=True)}'>"
        f"</head><body><nav>Home | News | Sport</nav><article><h1>{title}</h1>"
        f"{paragraphs}</article><footer>Contact us</footer></body></html>")


# -- processes -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A presswatch subprocess, its output in a log file."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = open(log, "ab")
        self.args = args
        self.popen = subprocess.Popen([str(PRESSWATCH), *args], env=env, stdout=self.log,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO)
        self.pid = self.popen.pid
        self.children: set[int] = set()
        STARTED.append(self)

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, n: int = 15) -> str:
        return "\n".join(self.output().splitlines()[-n:])

    def note_children(self) -> set[int]:
        self.children |= descendants(self.pid)
        return self.children

    def wait(self, timeout: float) -> int | None:
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 30) -> tuple[int | None, float]:
        """SIGTERM; (exit code, seconds it took)."""
        self.note_children()
        started = time.monotonic()
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        code = self.wait(timeout)
        took = time.monotonic() - started
        if code is None:
            self.kill()
        return code, took

    def kill(self) -> None:
        self.note_children()
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()

    def orphans(self, grace: float = 15) -> list[int]:
        """Its child processes still alive `grace` seconds after it ended."""
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(pid_alive(p) for p in self.children):
            time.sleep(0.2)
        return sorted(p for p in self.children if pid_alive(p))

    def cleanup(self) -> None:
        self.kill()
        for pid in self.children:
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        self.log.close()


STARTED: list[Proc] = []


def wait_for(condition, timeout: float, poll: float = 0.2, what: str = "") -> float:
    """Seconds until `condition()` held; raises TimeoutError after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what or 'condition'} not reached in {timeout:.0f} s")
        time.sleep(poll)
    return time.monotonic() - started


# -- the bench -------------------------------------------------------------------------------------
class Bench:
    def __init__(self, tmp: Path, port: int, quick: bool):
        from indexer.config import Settings
        from indexer.es_node import LocalNode

        self.tmp, self.quick = tmp, quick
        # Its own node whatever the shell has: no ES_URL, no credentials but the node's own.
        settings = replace(Settings.from_env(home=tmp / "es-home"), es_url=None, es_username=None,
                           es_password=None, es_api_key=None, es_ca_certs=None, es_port=port, es_heap="1g",
                           es_tls=False)
        self.node = LocalNode(settings)
        self.connection = None

    def size(self, name: str) -> int:
        return SIZES[name][1 if self.quick else 0]

    def start_es(self) -> float:
        started = time.monotonic()
        self.node.start(timeout=180)
        self.connection = self.node.connection()
        return time.monotonic() - started

    def kill_es(self) -> None:
        pid = int(self.node.pid_file.read_text().strip())
        os.killpg(pid, signal.SIGKILL)
        wait_for(lambda: not pid_alive(pid), 30, what="Elasticsearch gone")

    def es_running(self) -> bool:
        try:
            return self.node.status().running
        except Exception:  # noqa: BLE001
            return False

    def settings(self, name: str):
        from indexer.config import Settings

        c = self.connection
        home = self.tmp / name
        return Settings.from_env(home=home, index=f"faults-{name}", es_url=c.url, es_username=c.username,
                                 es_password=c.password, es_api_key=c.api_key, es_ca_certs=c.ca_certs)

    def env(self, settings, **extra) -> dict:
        env = {**os.environ, "PRESSWATCH_HOME": str(settings.home), "PRESSWATCH_INDEX": settings.index,
               "PREFECT_HOME": str(settings.home / "prefect-client"), "PREFECT_LOGGING_LEVEL": "INFO",
               "PYTHONUNBUFFERED": "1", **{k: str(v) for k, v in extra.items()}}
        for name, value in self.connection.env().items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        env.pop("PREFECT_API_URL", None)
        return env

    def store(self, settings):
        from indexer.store import Store

        return Store(settings)

    def ingest(self, settings, log: str, **extra) -> Proc:
        return Proc(["ingest", "--no-prefect", "--json"], self.env(settings, **extra), settings.home / log)

    def up(self, settings, log: str, **extra) -> Proc:
        extra.setdefault("PRESSWATCH_PREFECT_PORT", free_port())
        return Proc(["up", "--sweep", "600"], self.env(settings, **extra), settings.home / log)


def count(store) -> int:
    try:
        return store.count()
    except Exception:  # noqa: BLE001 - Elasticsearch down, or the index being created
        return -1


def bulk_in_flight(store) -> bool:
    import warnings

    warnings.filterwarnings("ignore", message="This API is in technical preview")
    try:
        tasks = store.client.options(request_timeout=2).tasks.list(actions="indices:data/write/bulk*")
    except Exception:  # noqa: BLE001
        return False
    return any(node.get("tasks") for node in tasks.get("nodes", {}).values())


def files_in(folder: Path) -> list[str]:
    from tests.badinputs import leftovers

    return leftovers(folder) if folder.exists() else []


def settled(settings) -> bool:
    return not files_in(settings.inbox) and not files_in(settings.processing_dir)


@dataclass
class Row:
    scenario: str
    files: int = 0
    articles: int = 0
    indexed_once: int = 0
    failed_with_reason: int = 0
    lost: int = 0
    duplicated: int = 0
    recover_s: float | None = None
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "files": self.files, "articles": self.articles,
                "indexed_once": self.indexed_once, "failed_with_reason": self.failed_with_reason,
                "lost": self.lost, "duplicated": self.duplicated,
                "recover_s": None if self.recover_s is None else round(self.recover_s, 1),
                **self.extra, "notes": self.notes}


def account(row: Row, manifest: Manifest, settings, store) -> Row:
    """Every dropped article: indexed once, in failed/ with a reason, lost or duplicated."""
    from tests.badinputs import documents

    docs = documents(store)
    by_id: dict[str, int] = {}
    by_place: dict[tuple[str | None, int | None], list[str]] = {}
    for doc in docs:
        by_id[doc["id"]] = by_id.get(doc["id"], 0) + 1
        by_place.setdefault((doc["source"].get("inbox_path"), doc["source"].get("line")), []).append(doc["id"])
    failed_all: set[str] = set()
    failed_records: dict[str, set] = {}
    reasons: dict[str, str] = {}
    for sidecar in settings.failed_dir.rglob("*.error.json") if settings.failed_dir.exists() else []:
        rel = sidecar.relative_to(settings.failed_dir).as_posix().removesuffix(".error.json")
        try:
            data = json.loads(sidecar.read_text())
        except (OSError, ValueError):
            continue
        if not data.get("reason"):
            continue
        reasons[rel] = data["reason"]
        if os.path.lexists(settings.processed_dir / rel):
            failed_records[rel] = {r.get("record") for r in data.get("records", [])}
        else:
            failed_all.add(rel)
    place_of = {place: aid for aid, place in manifest.articles.items()}
    lost, failed_examples = [], []
    row.files, row.articles = len(manifest.files), len(manifest.articles)
    row.indexed_once = row.failed_with_reason = row.lost = row.duplicated = 0
    for aid, (rel, line) in manifest.articles.items():
        n = by_id.get(aid, 0)
        other = [i for i in by_place.get((rel, line), []) if i != aid]  # indexed under another id
        if n + len(other) > 1:
            row.duplicated += 1
        elif n + len(other) == 1:
            row.indexed_once += 1
        elif rel in failed_all or line in failed_records.get(rel, ()):
            row.failed_with_reason += 1
            failed_examples.append(f"{rel}{':' + str(line) if line else ''}: {reasons.get(rel, '')[:120]}")
        else:
            row.lost += 1
            lost.append(f"{rel}{':' + str(line) if line else ''}")
    unknown = [d["id"] for d in docs if d["id"] not in manifest.articles
               and place_of.get((d["source"].get("inbox_path"), d["source"].get("line"))) is None]
    if unknown:
        row.notes.append(f"{len(unknown)} document(s) of no input article: {unknown[:5]}")
        row.duplicated += len(unknown)
    if lost:
        row.notes.append(f"lost: {lost[:8]}{' ...' if len(lost) > 8 else ''}")
    if failed_examples:
        row.notes.append(f"failed with a reason: {failed_examples[:3]}{' ...' if len(failed_examples) > 3 else ''}")
    for area, folder in (("inbox", settings.inbox), ("processing/", settings.processing_dir)):
        if left := files_in(folder):
            row.notes.append(f"{len(left)} file(s) left in {area}: {left[:5]}")
    return row


def finish(bench: Bench, settings, proc_factory, *, timeout: float, runs: int = 3) -> tuple[float, list[Proc]]:
    """Run ingests until every file is settled; the seconds it took."""
    started = time.monotonic()
    procs = []
    for n in range(runs):
        proc = proc_factory(f"finish-{n}.log")
        procs.append(proc)
        proc.wait(timeout)
        if proc.popen.poll() is None:
            proc.kill()
        if settled(settings):
            break
    return time.monotonic() - started, procs


# -- scenarios -------------------------------------------------------------------------------------
def kill9_ingest(bench: Bench, phase: str) -> Row:
    name = f"kill9-{phase}"
    settings = bench.settings(name)
    store = bench.store(settings)
    n = bench.size("kill9")
    manifest = write_articles(settings.inbox, n, name, html_first=40 if phase == "parsing" else 0)
    row = Row(name)
    proc = bench.ingest(settings, "first.log", PRESSWATCH_WORKERS=2)
    if phase == "parsing":
        wait_for(lambda: files_in(settings.processing_dir), 60, 0.02, "a claim")
        time.sleep(1.5)  # trafilatura imported, the first HTML pages being read; no NLP done yet
        what = f"{count(store)} documents indexed, {len(files_in(settings.processed_dir))} files done"
    elif phase == "nlp":
        # Documents reach Elasticsearch 200 at a time: after the first bulk, the NLP of the next ones.
        wait_for(lambda: count(store) >= 200 or proc.popen.poll() is not None, 600, 0.1, "a first bulk")
        time.sleep(3)
        what = f"{count(store)} of {n} indexed, the NLP of the next ones under way"
    else:
        wait_for(lambda: count(store) >= 200 or proc.popen.poll() is not None, 600, 0.1, "a first bulk")
        caught = False
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.popen.poll() is None:
            if bulk_in_flight(store):
                caught = True
                break
            time.sleep(0.005)
        what = f"{'a bulk request in flight' if caught else 'NO bulk request caught'}, {count(store)} of {n} indexed"
    proc.note_children()
    if proc.popen.poll() is not None:
        row.notes.append(f"the ingest ended before the kill ({what})")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    row.notes.append(f"killed with {what}; {len(files_in(settings.processing_dir))} file(s) in processing/")
    if orphans := proc.orphans(15):
        row.notes.append(f"{len(orphans)} child process(es) still alive 15 s after the kill: {orphans}")
    seconds, procs = finish(bench, settings, lambda log: bench.ingest(settings, log, PRESSWATCH_WORKERS=2),
                            timeout=900)
    row.recover_s = seconds
    _note_exit(row, procs)
    return account(row, manifest, settings, store)


def _note_exit(row: Row, procs: list[Proc]) -> None:
    for proc in procs:
        if proc.popen.returncode not in (0, None):
            row.notes.append(f"{' '.join(proc.args[:2])} exited {proc.popen.returncode}: "
                             + proc.tail(4).replace("\n", " | ")[-400:])


def kill9_es(bench: Bench) -> Row:
    name = "kill9-es"
    settings = bench.settings(name)
    store = bench.store(settings)
    n = bench.size("kill9-es")
    manifest = write_articles(settings.inbox, n, name)
    row = Row(name)
    proc = bench.ingest(settings, "first.log", PRESSWATCH_WORKERS=2)
    wait_for(lambda: count(store) >= 200 or proc.popen.poll() is not None, 600, 0.1, "a first bulk")
    caught = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.popen.poll() is None:
        if bulk_in_flight(store):
            caught = True
            break
        time.sleep(0.005)
    before = count(store)
    killed = time.monotonic()
    bench.kill_es()
    row.notes.append(f"Elasticsearch killed with {'a bulk request in flight' if caught else 'NO bulk caught'}, "
                     f"{before} of {n} indexed")
    took = bench.start_es()
    row.notes.append(f"Elasticsearch restarted in {took:.0f} s")
    proc.wait(900)
    procs = [proc]
    if not settled(settings):
        _, more = finish(bench, settings, lambda log: bench.ingest(settings, log, PRESSWATCH_WORKERS=2),
                         timeout=900)
        procs += more
    row.recover_s = time.monotonic() - killed
    row.notes.append(f"{len(procs)} ingest run(s) in all")
    _note_exit(row, procs)
    return account(row, manifest, settings, store)


def es_down_at_start(bench: Bench) -> Row:
    name = "es-down-60s"
    settings = bench.settings(name)
    store = bench.store(settings)
    n = bench.size("es-down")
    staging = settings.home / "staging"
    manifest = write_articles(staging, n, name)
    row = Row(name)
    bench.node.stop()
    down = time.monotonic()
    up = bench.up(settings, "up.log", PRESSWATCH_WORKERS=2)
    try:
        wait_for(lambda: "Watching" in up.output() or up.popen.poll() is not None, 180, 0.5, "the watcher")
        if up.popen.poll() is not None:
            raise RuntimeError(f"presswatch up exited {up.popen.returncode}: {up.tail()}")
        settings.inbox.mkdir(parents=True, exist_ok=True)
        for name_ in manifest.files:
            os.rename(staging / name_, settings.inbox / name_)
        time.sleep(max(0.0, 60 - (time.monotonic() - down)))
        during = {"inbox": len(files_in(settings.inbox)), "processing": len(files_in(settings.processing_dir)),
                  "failed": len(files_in(settings.failed_dir)), "processed": len(files_in(settings.processed_dir))}
        row.notes.append(f"after 60 s with Elasticsearch down: {during}")
        took = bench.start_es()
        back = time.monotonic()
        row.notes.append(f"Elasticsearch started in {took:.0f} s")
        wait_for(lambda: settled(settings) and count(store) >= 0, 900, 0.5, "every file settled")
        row.recover_s = time.monotonic() - back
        code, seconds = up.stop()
        row.notes.append(f"SIGTERM: exit {code} in {seconds:.1f} s")
    finally:
        up.kill()
        if not bench.es_running():
            bench.start_es()
    return account(row, manifest, settings, store)


def watchers(bench: Bench, k: int) -> Row:
    name = f"watchers-{k}"
    settings = bench.settings(name)
    store = bench.store(settings)
    n = bench.size("watchers")
    staging = settings.home / "staging"
    manifest = write_articles(staging, n, name)
    row = Row(name)
    # One Prefect server for all, the first watcher's: started together, each would migrate the same
    # SQLite database ($PRESSWATCH_HOME/prefect) and all but one die ("the Prefect server did not start").
    port = free_port()
    procs = [bench.up(settings, "up-0.log", PRESSWATCH_WORKERS=1, PRESSWATCH_PREFECT_PORT=port)]
    try:
        wait_for(lambda: "Watching" in procs[0].output() or procs[0].popen.poll() is not None, 300, 0.5,
                 "the first watcher")
        procs += [bench.up(settings, f"up-{i}.log", PRESSWATCH_WORKERS=1, PRESSWATCH_PREFECT_PORT=port)
                  for i in range(1, k)]
        wait_for(lambda: all("Watching" in p.output() or p.popen.poll() is not None for p in procs), 300, 0.5,
                 "the watchers")
        if dead := [p for p in procs if p.popen.poll() is not None]:
            raise RuntimeError(f"a watcher exited: {dead[0].tail()}")
        time.sleep(15)  # their workers load the model
        settings.inbox.mkdir(parents=True, exist_ok=True)
        waves = 10
        dropped = time.monotonic()
        for w in range(waves):
            for name_ in manifest.files[w::waves]:
                os.rename(staging / name_, settings.inbox / name_)
            time.sleep(1.0)
        wait_for(lambda: settled(settings), 1200, 0.5, "every file settled")
        row.recover_s = time.monotonic() - dropped
        claims = [sum(int(m) for m in re.findall(r"claimed (\d+) file\(s\)", p.output())) for p in procs]
        row.notes.append(f"files claimed per watcher: {claims}")
        for i, p in reversed(list(enumerate(procs))):  # the server's owner last
            code, seconds = p.stop()
            row.notes.append(f"watcher {i}: SIGTERM, exit {code} in {seconds:.1f} s")
    finally:
        for p in procs:
            p.kill()
    return account(row, manifest, settings, store)


def sigterm_parallel(bench: Bench) -> Row:
    n = bench.size("sigterm")
    name = f"sigterm-{n}"
    settings = bench.settings(name)
    store = bench.store(settings)
    manifest = write_articles(settings.inbox, n, name)
    row = Row(name)
    proc = bench.ingest(settings, "first.log", PRESSWATCH_WORKERS=2)
    wait_for(lambda: count(store) >= n // 5 or proc.popen.poll() is not None, 1200, 0.2, "a fifth indexed")
    proc.note_children()
    at = count(store)
    code, took = proc.stop(timeout=60)
    orphans = proc.orphans(3)
    row.extra["exit_s"] = round(took, 1)
    row.notes.append(f"SIGTERM with {at} of {n} indexed: exit {code} in {took:.1f} s"
                     + (" (OVER 10 s)" if took > 10 else "")
                     + (f"; {len(orphans)} child process(es) alive 3 s later: {orphans}" if orphans else
                        "; no child process left"))
    stuck = files_in(settings.processing_dir)
    row.notes.append(f"after the stop: {len(files_in(settings.processed_dir))} processed, "
                     f"{len(files_in(settings.inbox))} back in the inbox, {len(stuck)} in processing/")
    seconds, procs = finish(bench, settings, lambda log: bench.ingest(settings, log, PRESSWATCH_WORKERS=2),
                            timeout=1800)
    row.recover_s = seconds
    _note_exit(row, procs)
    return account(row, manifest, settings, store)


def processed_full(bench: Bench) -> Row:
    name = "processed-full"
    settings = bench.settings(name)
    store = bench.store(settings)
    n = bench.size("processed-full")
    manifest = write_articles(settings.inbox, n, name)
    row = Row(name)
    processed = settings.processed_dir
    processed.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(processed)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        row.notes.append(f"skipped: cannot mount a tmpfs: {result.stderr.strip()}")
        return row
    rescued = settings.home / "rescued"
    try:
        with open(processed / "filler", "wb") as f:  # full
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        for run in (1, 2):
            proc = bench.ingest(settings, f"full-{run}.log", PRESSWATCH_WORKERS=2)
            proc.wait(900)
            report = _json_report(proc)
            statuses: dict[str, int] = {}
            for f in report.get("files", []):
                statuses[f["status"]] = statuses.get(f["status"], 0) + 1
            reasons = sorted({(f.get("reason") or "")[:110] for f in report.get("files", []) if f.get("reason")})
            row.notes.append(f"ingest {run} with processed/ full: exit {proc.popen.returncode}, "
                             f"{report.get('articles', '?')} articles indexed, files {statuses}, "
                             f"{len(files_in(settings.inbox))} in the inbox; reasons {reasons[:2]}")
        # a watcher meanwhile: how often does it take the same files again?
        up = bench.up(settings, "full-up.log", PRESSWATCH_WORKERS=2)
        try:
            wait_for(lambda: "Watching" in up.output() or up.popen.poll() is not None, 180, 0.5, "the watcher")
            time.sleep(45)
            runs = [int(m) for m in re.findall(r"indexed (\d+) article\(s\) from \d+ file\(s\) in ", up.output())]
            row.notes.append(f"presswatch up for 45 s with processed/ full: {len(runs)} ingest runs, "
                             f"{sum(runs)} articles indexed (of {n} distinct), "
                             f"{len(files_in(settings.inbox)) + len(files_in(settings.processing_dir))} files "
                             "in the inbox or processing/")
        finally:
            code, seconds = up.stop()
        # keep what did reach the tmpfs, then unmount
        rescued.mkdir(parents=True, exist_ok=True)
        for path in processed.rglob("*"):
            if path.is_file() and path.name != "filler":
                target = rescued / path.relative_to(processed)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    finally:
        subprocess.run(["umount", str(processed)], capture_output=True)
    for path in rescued.rglob("*") if rescued.exists() else []:
        if path.is_file():
            target = processed / path.relative_to(rescued)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    shutil.rmtree(rescued, ignore_errors=True)
    seconds, procs = finish(bench, settings, lambda log: bench.ingest(settings, log, PRESSWATCH_WORKERS=2),
                            timeout=900)
    row.recover_s = seconds
    row.notes.append(f"after the unmount: {len(files_in(processed))} file(s) in processed/")
    _note_exit(row, procs)
    return account(row, manifest, settings, store)


def _json_report(proc: Proc) -> dict:
    text = proc.output()
    decoder = json.JSONDecoder()
    start = text.find("{\n")
    while start != -1:
        try:
            return decoder.raw_decode(text, start)[0]
        except ValueError:
            start = text.find("{\n", start + 1)
    return {}


def small_files(bench: Bench) -> Row:
    n = bench.size("small")
    name = f"small-{n}"
    settings = bench.settings(name)
    store = bench.store(settings)
    staging = settings.home / "staging" / "drop"
    manifest = write_articles(staging, n, name, small=True)
    manifest.files = [f"drop/{f}" for f in manifest.files]
    manifest.articles = {k: (f"drop/{rel}", line) for k, (rel, line) in manifest.articles.items()}
    row = Row(name)
    up = bench.up(settings, "up.log")
    memory = None
    try:
        wait_for(lambda: "Watching" in up.output() or up.popen.poll() is not None, 180, 0.5, "the watcher")
        if up.popen.poll() is not None:
            raise RuntimeError(f"presswatch up exited {up.popen.returncode}: {up.tail()}")
        time.sleep(15)  # the workers load the model
        memory = TreeMemory(up.pid)
        settings.inbox.mkdir(parents=True, exist_ok=True)
        dropped = time.monotonic()
        os.rename(staging, settings.inbox / "drop")  # 20,000 files at once
        first = wait_for(lambda: bool(files_in(settings.processing_dir)) or bool(files_in(settings.processed_dir)),
                         120, 0.02, "the first claim")
        row.extra["first_claim_s"] = round(first, 2)
        row.notes.append(f"first claim {first:.2f} s after the drop" + (" (OVER 5 s)" if first > 5 else ""))
        wait_for(lambda: settled(settings), 7200, 1.0, "every file settled")
        row.recover_s = time.monotonic() - dropped
        peak = memory.stop()
        memory = None
        row.extra["peak_mb"] = round(peak / 2**20)
        row.notes.append(f"peak memory of the watcher and its workers: {peak / 2**20:.0f} MiB; "
                         f"{n / row.recover_s:.1f} files/s")
        code, seconds = up.stop()
        row.notes.append(f"SIGTERM: exit {code} in {seconds:.1f} s")
    finally:
        if memory:
            memory.stop()
        up.kill()
    return account(row, manifest, settings, store)


def bad_inputs(bench: Bench, *, trapped: bool) -> Row:
    from tests.badinputs import verify, write_bad_inputs

    name = "bad-inputs-trapped" if trapped else "bad-inputs"
    settings = bench.settings(name)
    store = bench.store(settings)
    expect = write_bad_inputs(settings.inbox, traps_on=trapped, hooks=trapped, big=not bench.quick)
    row = Row(name, files=len(expect), articles=len(expect))
    started = time.monotonic()
    if trapped:
        log = open(settings.home / "child.log", "ab")
        child = subprocess.run([sys.executable, __file__, "--child-bad-inputs", str(settings.home), settings.index],
                               env=bench.env(settings), stdout=log, stderr=subprocess.STDOUT, timeout=1800, cwd=REPO)
        log.close()
        if child.returncode != 0:
            row.notes.append(f"the child exited {child.returncode}: "
                             + (settings.home / "child.log").read_text(errors="replace")[-600:])
    else:
        _, procs = finish(bench, settings, lambda log: bench.ingest(settings, log), timeout=1800)
        codes = [p.popen.returncode for p in procs]
        row.notes.append(f"{len(procs)} ingest run(s), exit codes {codes} (1: some file failed)")
    row.recover_s = time.monotonic() - started
    verdict = verify(expect, settings, store)
    row.indexed_once = verdict.count("indexed_once")
    row.failed_with_reason = verdict.count("failed_with_reason")
    row.lost = verdict.count("lost")
    row.duplicated = verdict.count("duplicated")
    wrong = {e: p for e, p in verdict.problems.items() if p}
    row.extra["unexpected"] = len([e for e in wrong if e != "*"])
    for entry, items in wrong.items():
        row.notes.append(f"{entry!r}: {'; '.join(items)}"[:400])
    return row


def child_bad_inputs(home: str, index: str) -> None:
    """A PressWatch with the trap component in its workers, and a claim that deletes one file."""
    from indexer.app import PressWatch
    from indexer.config import Settings
    from indexer.workers import Budget, PipelineSpec, WorkerPool
    from tests.badinputs import DELETE_AFTER_CLAIM, delete_right_after_claim

    settings = Settings.from_env(home=Path(home), index=index)
    app = PressWatch(settings)
    pool = WorkerPool(2, spec=PipelineSpec(imports=("tests.traps",), components=("presswatch_test_trap",)),
                      budget=Budget(seconds=30, memory_mb=1800))
    app.__dict__["workers"] = pool
    app.inbox.settle_seconds = 0
    assert DELETE_AFTER_CLAIM
    delete_right_after_claim(app, {"deleted.txt"})
    try:
        for _ in range(5):
            report = app.ingest_inbox()
            print(json.dumps(report.to_dict())[:2000], flush=True)
            if not app.inbox.settled_files():
                break
    finally:
        app.close()


SCENARIOS = {
    "kill9-parsing": lambda b: kill9_ingest(b, "parsing"),
    "kill9-nlp": lambda b: kill9_ingest(b, "nlp"),
    "kill9-bulk": lambda b: kill9_ingest(b, "bulk"),
    "kill9-es": kill9_es,
    "es-down-60s": es_down_at_start,
    "watchers-2": lambda b: watchers(b, 2),
    "watchers-3": lambda b: watchers(b, 3),
    "sigterm-2000": sigterm_parallel,
    "processed-full": processed_full,
    "small-20000": small_files,
    "bad-inputs": lambda b: bad_inputs(b, trapped=False),
    "bad-inputs-trapped": lambda b: bad_inputs(b, trapped=True),
}


def print_table(rows: list[Row]) -> None:
    print("| scenario | files in | indexed exactly once | in failed/ with a reason | lost | duplicated "
          "| seconds to recover |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        files = f"{r.files}" if r.articles in (0, r.files) else f"{r.files} ({r.articles} articles)"
        recover = "-" if r.recover_s is None else f"{r.recover_s:.1f}"
        print(f"| {r.scenario} | {files} | {r.indexed_once} | {r.failed_with_reason} | {r.lost} | "
              f"{r.duplicated} | {recover} |")
    print()
    for r in rows:
        for note in r.notes:
            print(f"- {r.scenario}: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (minutes, not most of an hour)")
    parser.add_argument("--only", help=f"comma-separated scenarios: {', '.join(SCENARIOS)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (homes, logs)")
    parser.add_argument("--port", type=int, default=9250, help="HTTP port of the bench's Elasticsearch")
    parser.add_argument("--child-bad-inputs", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_bad_inputs:
        child_bad_inputs(*args.child_bad_inputs)
        return
    if not all((CORPORA / name).exists() for name in SOURCES):
        print(f"skipped: the corpora are not in {CORPORA}")
        return
    names = list(SCENARIOS)
    if args.only:
        names = [s.strip() for s in args.only.split(",") if s.strip()]
        if unknown := [s for s in names if s not in SCENARIOS]:
            parser.error(f"unknown scenario(s) {unknown}; choose from {', '.join(SCENARIOS)}")
    if os.geteuid() != 0:
        print("note: not root: processed-full cannot mount its tmpfs", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="presswatch-faults-"))
    bench = Bench(tmp, args.port, args.quick)
    rows: list[Row] = []
    try:
        print(f"starting Elasticsearch on port {args.port} under {tmp} ...", flush=True)
        took = bench.start_es()
        print(f"  ready in {took:.0f} s", flush=True)
        for name in names:
            print(f"[{time.strftime('%H:%M:%S')}] {name} ...", flush=True)
            started = time.monotonic()
            try:
                row = SCENARIOS[name](bench)
            except Exception as exc:  # noqa: BLE001 - the row says so; the next scenario runs
                row = Row(name, notes=[f"ERROR {type(exc).__name__}: {exc}",
                                       traceback.format_exc().splitlines()[-3].strip()])
                if not bench.es_running():
                    bench.start_es()
            for proc in list(STARTED):
                proc.cleanup()
            STARTED.clear()
            row.extra["scenario_s"] = round(time.monotonic() - started, 1)
            rows.append(row)
            print(f"  {json.dumps(row.to_dict())[:1500]}", flush=True)
    finally:
        for proc in STARTED:
            proc.cleanup()
        try:
            bench.node.stop()
        except Exception:  # noqa: BLE001
            pass
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table(rows)
    print(json.dumps({"rows": [r.to_dict() for r in rows]}))


if __name__ == "__main__":
    main()
