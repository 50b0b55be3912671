"""NLP worker engines for PressWatch, side by side: a plain process pool, Dask, indexer.workers.

    .venv/bin/python bench/engines.py [--n 1000] [--chunk 24] [--memory-limit 1GiB]
                                      [--failure-modes] [--no-bench] [--dask-log INFO]

Issue #11, item 0: should the NLP worker processes move onto Dask (`distributed`: per-worker memory
limits, nanny restarts, task retries) or stay on a small supervised process pool of our own?

Benchmark (one process tree, the same N articles, mixed from Dai 2017 + BBC + Reuters, in chunks of
24 with at most `--window` chunks in flight, results collected in order):

1. reference: concurrent.futures.ProcessPoolExecutor(2) on a forkserver that preloads
   indexer.enrich (the parent runs threads, so it never forks itself), each worker loading
   `Enricher()` once in its initializer and running `list(enricher.enrich(chunk))`.
2. dask: distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
   memory_limit=...), an `Enricher` per worker from a WorkerPlugin, the same chunks through
   `client.submit`.
3. workerpool: `indexer.workers.WorkerPool(processes=2).enrich_pairs(...)`, when that module exists
   with that API (skipped with a note otherwise). It yields as jobs finish; its documents are put
   back in input order before they are compared.
4. reference again, last: the spread of the two reference runs is the noise of the machine.

For each: articles/s (wall, start-up included, and steady: after the first result), the ratio to
the mean of the two reference runs, start-up seconds (pool/cluster start + model load until the
first result), peak RSS (and PSS) summed over the whole process tree, the processes it added, CPU
seconds of this process (where Dask's scheduler and nannies live) and of other tenants.

`--failure-modes` then tries Dask's failure semantics, and ProcessPoolExecutor's for comparison:
(a) a task that allocates memory until its worker passes memory_limit (beside 8 real chunks),
(b) a task that never ends, (c) a worker SIGKILLed in the middle of a task (8 real chunks); and (c)
for indexer.workers.WorkerPool, when it is there.

The last line printed is one JSON object with every figure. Skips (exit 0) without the corpora or
without dask/distributed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SOURCES = ("dai2017.jsonl.gz", "bbc2225.jsonl.gz", "reuters21578.jsonl.gz")
sys.path.insert(0, str(REPO))

MiB = 2**20
DASK_LOG_LEVEL = logging.ERROR  # --dask-log changes it


# -- the articles ---------------------------------------------------------------------------

def load_articles(n: int) -> list:
    """N `Article`s, interleaved across the three corpora, built as the jsonl reader builds them."""
    from indexer.model import Source
    from indexer.sources import article_from_mapping

    def read(name: str):
        path = CORPORA / name
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line_no, line in enumerate(f, start=1):
                item = json.loads(line)
                if (item.get("text") or "").strip():
                    yield article_from_mapping(item, Source(str(path), "jsonl", "0", 0, line_no))

    streams = [read(name) for name in SOURCES]
    mixed = (a for a in itertools.chain.from_iterable(itertools.zip_longest(*streams)) if a is not None)
    return list(itertools.islice(mixed, n))


def code_digest() -> str:
    """Digest of indexer/ as on disk: others edit the tree while this runs; a change shows."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "indexer").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def fingerprint(documents: list) -> str:
    """Digest of the documents, less the ingest time: equal digests, equal enrichment."""
    digest = hashlib.sha256()
    for doc in documents:
        if isinstance(doc, dict):
            doc = {k: v for k, v in doc.items() if k != "ingested_at"}
        digest.update(json.dumps(doc, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


# -- the process tree -----------------------------------------------------------------------

class TreeSampler:
    """Samples this process and all its descendants every `interval` s: summed RSS (PSS every 5th
    sample: it costs more), the processes that were not there at the start, and CPU seconds (ours,
    and other tenants'). Its own CPU time is measured and left out of ours."""

    def __init__(self, interval: float = 0.2):
        import psutil

        self.psutil = psutil
        self.me = psutil.Process()
        self.baseline = {p.pid for p in self.me.children(recursive=True)}
        self.interval = interval
        self.peak_rss = self.peak_pss = 0
        self.peak_snapshot: list[dict] = []
        self.max_new = 0
        self.new_seen: dict[int, str] = {}
        self.cpu: dict[int, float] = {}
        self.max_threads = 0
        self.samples = 0
        self.sampler_cpu = 0.0
        self._procs: dict[int, tuple] = {}
        self._stop = threading.Event()
        self._cpu0 = psutil.cpu_times()
        self._own_cpu0 = self._proc_cpu(self.me)
        self._wall0 = time.perf_counter()
        self.load0 = os.getloadavg()[0]
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _proc_cpu(p) -> float:
        t = p.cpu_times()  # own time only: reaped children are counted from their own samples
        return t.user + t.system

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            started = time.thread_time()
            self.sample()
            self.sampler_cpu += time.thread_time() - started

    def _known(self, p) -> tuple:
        """(Process, role), kept: the object's create_time guards against pid reuse."""
        known = self._procs.get(p.pid)
        if known is None:
            try:
                cmd, ppid = " ".join(p.cmdline()), p.ppid()
            except self.psutil.Error:
                cmd, ppid = "", 0
            role = "main" if p.pid == self.me.pid else _role(cmd, ppid, self.me.pid)
            known = self._procs[p.pid] = (p, role)
        return known

    def sample(self) -> None:
        psutil = self.psutil
        try:
            children = self.me.children(recursive=True)
        except psutil.Error:
            return
        with_pss = self.samples % 5 == 0
        self.samples += 1
        rss = pss = 0
        snapshot = []
        new = 0
        for p in [self.me, *children]:
            p, role = self._known(p)
            try:
                info = p.memory_full_info() if with_pss else p.memory_info()
                if p.pid != self.me.pid:
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            snapshot.append({"pid": p.pid, "role": role, "rss_mb": round(info.rss / MiB)})
            if p.pid != self.me.pid and p.pid not in self.baseline:
                new += 1
                self.new_seen[p.pid] = role
        self.max_new = max(self.max_new, new)
        try:
            self.max_threads = max(self.max_threads, self.me.num_threads())
        except psutil.Error:
            pass
        if rss > self.peak_rss:
            self.peak_rss, self.peak_snapshot = rss, snapshot
        if with_pss:
            self.peak_pss = max(self.peak_pss, pss)

    def stop(self) -> dict:
        self._stop.set()
        self.thread.join()
        self.sample()
        wall = time.perf_counter() - self._wall0
        cpu1 = self.psutil.cpu_times()
        busy = sum(getattr(cpu1, f) - getattr(self._cpu0, f)
                   for f in ("user", "nice", "system", "irq", "softirq", "steal") if hasattr(cpu1, f))
        own = self._proc_cpu(self.me) - self._own_cpu0 - self.sampler_cpu
        # Descendants still alive from before (a resource tracker) are left out: they are idle.
        tree = own + sum(v for pid, v in self.cpu.items() if pid not in self.baseline)
        roles: dict[str, int] = {}
        for role in self.new_seen.values():
            roles[role] = roles.get(role, 0) + 1
        return {
            "peak_rss_mb": round(self.peak_rss / MiB), "peak_pss_mb": round(self.peak_pss / MiB),
            "peak_breakdown": self.peak_snapshot, "new_processes": self.max_new,
            "new_process_roles": roles, "main_threads_max": self.max_threads,
            "main_cpu_s": round(own, 2), "tree_cpu_s": round(tree, 2),
            "sampler_cpu_s": round(self.sampler_cpu, 2),
            "others_cpu_s": round(max(0.0, busy - tree - self.sampler_cpu), 2), "wall_s": round(wall, 2),
            "load_before": round(self.load0, 2), "load_after": round(os.getloadavg()[0], 2),
        }


def _role(cmd: str, ppid: int, main_pid: int) -> str:
    if "resource_tracker" in cmd:
        return "resource-tracker"
    if "forkserver" in cmd and ppid == main_pid:
        return "forkserver"
    return "worker"


# -- engines --------------------------------------------------------------------------------

def windowed(chunks: list[list], submit, collect, window: int, timings: dict) -> list:
    """Submit chunks with at most `window` in flight; collect results in order."""
    results: list = []
    in_flight: deque = deque()

    def take():
        results.extend(collect(in_flight.popleft()))
        timings.setdefault("first", time.perf_counter())

    for chunk in chunks:
        in_flight.append(submit(chunk))
        if len(in_flight) >= window:
            take()
    while in_flight:
        take()
    return results


_enricher = None


def _init_enricher() -> None:
    global _enricher
    from indexer.enrich import Enricher

    _enricher = Enricher()


def _enrich_chunk(articles: list) -> list:
    return list(_enricher.enrich(articles))


def run_reference(chunks: list[list], processes: int, window: int) -> dict:
    _stop_forkserver()  # a fresh one with our preload, whoever used it before
    sampler = TreeSampler()
    timings: dict = {}
    started = time.perf_counter()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["indexer.enrich"])
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_init_enricher)
    try:
        results = windowed(chunks, lambda c: pool.submit(_enrich_chunk, c), lambda f: f.result(),
                           window, timings)
        timings["end"] = time.perf_counter()
    finally:
        pool.shutdown(wait=True)
        _stop_forkserver()  # the next engine starts without it; a second reference run pays it again
    timings["closed"] = time.perf_counter()
    return _figures(results, started, timings, sampler, chunks)


def _stop_forkserver() -> None:
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)  # private, there since 3.9
    if stop:
        stop()


def _dask_plugin_class():
    from distributed import WorkerPlugin

    class EnricherPlugin(WorkerPlugin):
        """Loads one Enricher per worker process (again after every nanny restart)."""

        name = "presswatch-enricher"

        def setup(self, worker):
            from indexer.enrich import Enricher

            self.enricher = Enricher()

    return EnricherPlugin


def _dask_enrich_chunk(articles: list) -> list:
    from distributed import get_worker

    return list(get_worker().plugins["presswatch-enricher"].enricher.enrich(articles))


def _logged_enrich_chunk(log: str, articles: list) -> list:
    """`_dask_enrich_chunk` that notes each time it runs (a run lost with its worker is run again)."""
    with open(log, "a") as f:
        f.write(f"{os.getpid()} {time.time():.3f} start\n")
    return _dask_enrich_chunk(articles)


def start_dask(processes: int, memory_limit: str):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                           memory_limit=memory_limit, silence_logs=DASK_LOG_LEVEL,
                           dashboard_address=None)
    client = Client(cluster)
    return cluster, client


def run_dask(chunks: list[list], processes: int, window: int, memory_limit: str) -> dict:
    sampler = TreeSampler()
    timings: dict = {}
    started = time.perf_counter()
    cluster, client = start_dask(processes, memory_limit)
    try:
        timings["cluster"] = time.perf_counter()
        client.register_plugin(_dask_plugin_class()())  # waits for setup() on every worker
        timings["ready"] = time.perf_counter()
        counter = itertools.count()
        results = windowed(
            chunks,
            lambda c: client.submit(_dask_enrich_chunk, c, pure=False, key=f"chunk-{next(counter)}"),
            lambda f: f.result(), window, timings)
        timings["end"] = time.perf_counter()
    finally:
        client.close()
        cluster.close()
    timings["closed"] = time.perf_counter()
    figures = _figures(results, started, timings, sampler, chunks)
    figures["cluster_start_s"] = round(timings["cluster"] - started, 2)
    figures["models_ready_s"] = round(timings["ready"] - started, 2)
    return figures


def run_workerpool(chunks: list[list], processes: int) -> dict:
    try:
        from indexer.workers import WorkerPool
    except Exception as exc:  # noqa: BLE001 - being written by someone else: any failure is a skip
        return {"skipped": f"indexer.workers.WorkerPool not importable: {type(exc).__name__}: {exc}"}
    if not hasattr(WorkerPool, "enrich_pairs") or not hasattr(WorkerPool, "close"):
        return {"skipped": "indexer.workers.WorkerPool has no enrich_pairs/close: API differs"}
    _stop_forkserver()  # if it uses one, it starts its own, with its own preload
    sampler = TreeSampler()
    timings: dict = {}
    started = time.perf_counter()
    try:
        pool = WorkerPool(processes=processes)
    except TypeError as exc:
        sampler.stop()
        return {"skipped": f"WorkerPool(processes=...) failed, API differs: {exc}"}
    articles = [a for chunk in chunks for a in chunk]
    results: list = []
    contexts: list = []
    try:
        for result, context in pool.enrich_pairs((a, i) for i, a in enumerate(articles)):
            timings.setdefault("first", time.perf_counter())
            results.append(result)
            contexts.append(context)
        timings["end"] = time.perf_counter()
    except Exception as exc:  # noqa: BLE001
        sampler.stop()
        return {"skipped": f"enrich_pairs raised {type(exc).__name__}: {exc}"}
    finally:
        pool.close()
        _stop_forkserver()
    timings["closed"] = time.perf_counter()
    in_order = contexts == list(range(len(articles)))
    if sorted(contexts) == list(range(len(articles))):  # yielded as finished: compare in input order
        results = [r for _, r in sorted(zip(contexts, results), key=lambda pair: pair[0])]
    figures = _figures(results, started, timings, sampler, chunks)  # its jobs are chunks too
    figures["in_order"] = in_order
    figures["each_article_once"] = sorted(contexts) == list(range(len(articles)))
    figures["errors"] = sum(1 for r in results if not isinstance(r, dict))
    if figures["errors"]:
        figures["first_error"] = repr(next(r for r in results if not isinstance(r, dict)))[:300]
    return figures


def _figures(results: list, started: float, timings: dict, sampler: TreeSampler, chunks) -> dict:
    tree = sampler.stop()
    n = len(results)
    wall = timings["end"] - started
    steady = timings["end"] - timings["first"]
    first_chunk = len(chunks[0]) if chunks else 0
    return {
        "articles": n, "wall_s": round(wall, 2),
        "articles_per_s": round(n / wall, 2),
        # None when the run is too short to have a steady part (everything arrives at once).
        "steady_articles_per_s": round((n - first_chunk) / steady, 2) if steady > 1.0 else None,
        "startup_s": round(timings["first"] - started, 2),
        "close_s": round(timings["closed"] - timings["end"], 2),
        "fingerprint": fingerprint(results),
        **{k: v for k, v in tree.items() if k != "wall_s"},
        "tree_cpu_s_per_1000": round(tree["tree_cpu_s"] * 1000 / n, 1) if n else None,
    }


# -- failure modes: dask --------------------------------------------------------------------

def _hog(log: str, step_mb: int, pause: float, cap_mb: int) -> str:
    """Allocate (and touch) `step_mb` every `pause` s, logging pid and RSS, up to `cap_mb`."""
    import psutil

    me = psutil.Process()
    held = []
    with open(log, "a") as f:
        while len(held) * step_mb < cap_mb:
            held.append(b"\x01" * (step_mb * MiB))
            f.write(f"{os.getpid()} {time.time():.3f} {me.memory_info().rss / MiB:.0f}\n")
            f.flush()
            time.sleep(pause)
    return f"survived with {len(held) * step_mb} MiB"


def _forever(log: str) -> None:
    with open(log, "a") as f:
        while True:
            f.write(f"{os.getpid()} {time.time():.3f}\n")
            f.flush()
            time.sleep(0.5)


def _sleep_then(log: str, seconds: float, value):
    with open(log, "a") as f:
        f.write(f"{os.getpid()} {time.time():.3f} start\n")
    time.sleep(seconds)
    return value


def _where() -> str:
    from distributed import get_worker

    time.sleep(0.2)
    return get_worker().address


def _read_log(path: str) -> list[list[str]]:
    try:
        return [line.split() for line in Path(path).read_text().splitlines() if line.strip()]
    except OSError:
        return []


def _wait_workers(client, count: int, timeout: float, exclude_pids: set | None = None) -> float | None:
    """Seconds until `count` workers answer `client.run` (none of them in `exclude_pids`), or None.
    A worker answers once it has registered, which is after its plugins' setup()."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            pids = set(_worker_pids(client).values())
        except Exception:  # noqa: BLE001 - a worker going away under the call
            pids = set()
        if len(pids) >= count and not (exclude_pids and pids & exclude_pids):
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def _worker_pids(client) -> dict[str, int]:
    return client.run(os.getpid)


def _attempts(log: str) -> list[dict]:
    """Per worker pid in a task's log, in order: first and last line time, peak RSS (if logged)."""
    attempts: dict[str, dict] = {}
    for fields in _read_log(log):
        pid, at = fields[0], float(fields[1])
        a = attempts.setdefault(pid, {"pid": int(pid), "first": at, "last": at, "rss_mb": 0.0})
        a["last"] = at
        if len(fields) > 2 and fields[2].replace(".", "").isdigit():
            a["rss_mb"] = max(a["rss_mb"], float(fields[2]))
    return list(attempts.values())


def dask_failures(articles: list, chunk_size: int, processes: int, memory_limit: str,
                  tmp: Path) -> dict:
    import dask
    from dask.utils import parse_bytes
    from distributed import KilledWorker
    from distributed import TimeoutError as DaskTimeout

    limit = parse_bytes(memory_limit)
    out: dict = {
        "memory_limit_mb": round(limit / MiB),
        "allowed_failures": dask.config.get("distributed.scheduler.allowed-failures"),
        "terminate_fraction": dask.config.get("distributed.worker.memory.terminate"),
        "pause_fraction": dask.config.get("distributed.worker.memory.pause"),
        "monitor_interval": dask.config.get("distributed.worker.memory.monitor-interval"),
        "worker_ttl": dask.config.get("distributed.scheduler.worker-ttl"),
        "no_workers_timeout": dask.config.get("distributed.scheduler.no-workers-timeout"),
        "config_keys_with_timeout_or_ttl": sorted(_find_timeout_keys(dask.config.get("distributed"))),
    }
    cluster, client = start_dask(processes, memory_limit)
    try:
        client.register_plugin(_dask_plugin_class()())
        sample = articles[:chunk_size * 8]
        chunks = chunked(sample, chunk_size)

        # (a) a memory hog beside innocent chunks -----------------------------------------------
        print("  dask (a): a task that allocates until its worker passes memory_limit ...", flush=True)
        log = str(tmp / "hog.log")
        innocent_log = str(tmp / "innocent.log")
        innocent = [client.submit(_logged_enrich_chunk, innocent_log, c, pure=False, key=f"innocent-{i}")
                    for i, c in enumerate(chunks)]
        submitted = time.time()
        hog = client.submit(_hog, log, 50, 0.02, 6 * limit // MiB, pure=False, key="hog")
        outcome, message = "returned", None
        try:
            message = hog.result(timeout=300)
        except KilledWorker as exc:
            outcome, message = "KilledWorker", str(exc)[:200]
        except DaskTimeout:
            outcome = "no answer within 300 s"
        except Exception as exc:  # noqa: BLE001
            outcome, message = type(exc).__name__, str(exc)[:200]
        heard = time.time()
        attempts = _attempts(log)
        innocent_status = _settle(innocent, 300)
        recovered = _wait_workers(client, processes, 60, exclude_pids={a["pid"] for a in attempts})
        out["a_memory_hog"] = {
            "outcome": outcome, "message": message,
            "attempts": len(attempts),
            "peak_rss_per_attempt_mb": [round(a["rss_mb"]) for a in attempts],
            "terminate_at_mb": round(limit * out["terminate_fraction"] / MiB),
            "seconds_per_attempt": [round(a["last"] - a["first"], 2) for a in attempts],
            "gaps_between_attempts_s": [round(b["first"] - a["last"], 2)
                                        for a, b in zip(attempts, attempts[1:])],
            "client_heard_after_first_attempt_s": round(heard - attempts[0]["first"], 2) if attempts else None,
            "client_heard_after_submit_s": round(heard - submitted, 2),
            "innocent_chunks": innocent_status,
            "innocent_chunk_runs": len(_read_log(innocent_log)),  # > chunks: results lost with a worker
            "all_workers_back_after_s": None if recovered is None else round(recovered, 2),
        }
        del innocent, hog

        # (b) a task that never ends ------------------------------------------------------------
        print("  dask (b): a task that never ends ...", flush=True)
        log = str(tmp / "forever.log")
        stuck = client.submit(_forever, log, pure=False, key="forever")
        timeout_s = 15
        try:
            stuck.result(timeout=timeout_s)
            timed = "returned?!"
        except DaskTimeout:
            timed = f"client-side TimeoutError after {timeout_s} s; the future is still {stuck.status!r}"
        processing = client.processing()
        stuck_worker = next((a for a, keys in processing.items() if "forever" in keys), None)
        stuck.cancel()
        time.sleep(1)
        lines_at_cancel = len(_read_log(log))
        quick = [client.submit(_where, pure=False, key=f"where-{i}") for i in range(6)]
        quick_status = _settle(quick, 20)
        ran_on = [f.result() for f in quick if f.status == "finished"]
        waiting_on = {a: [k for k in keys if str(k).startswith("where-")]
                      for a, keys in client.processing().items()}
        statuses = sorted(str(w.get("status")) for w in client.scheduler_info()["workers"].values())
        still_running = len(_read_log(log)) > lines_at_cancel + 3
        restart_started = time.perf_counter()
        restart_error = None
        if stuck_worker:
            try:
                client.restart_workers([stuck_worker], timeout=120)
            except Exception as exc:  # noqa: BLE001
                restart_error = f"{type(exc).__name__}: {exc}"[:200]
        restart_s = time.perf_counter() - restart_started
        time.sleep(1.5)
        lines_after_restart = len(_read_log(log))
        after_restart = _settle(quick, 30)
        out["b_never_ends"] = {
            "result_with_timeout": timed,
            "still_running_after_cancel": still_running,
            "quick_tasks_after_cancel": quick_status,
            "quick_tasks_ran_on_stuck_worker": sum(1 for a in ran_on if a == stuck_worker),
            "quick_tasks_ran_on_other_worker": sum(1 for a in ran_on if a != stuck_worker),
            "quick_tasks_waiting_on_stuck_worker": len(waiting_on.get(stuck_worker, [])),
            "worker_statuses": statuses,
            "restart_workers_s": round(restart_s, 2), "restart_error": restart_error,
            "stopped_by_restart_workers": len(_read_log(log)) == lines_after_restart,
            "quick_tasks_after_restart": after_restart,
        }
        del stuck, quick

        # (c) SIGKILL mid-task ------------------------------------------------------------------
        print("  dask (c): a worker SIGKILLed in the middle of a chunk ...", flush=True)
        _wait_workers(client, processes, 60)
        started = time.perf_counter()
        futures = [client.submit(_dask_enrich_chunk, c, pure=False, key=f"nokill-{i}")
                   for i, c in enumerate(chunks)]
        _settle(futures, 300)
        baseline = time.perf_counter() - started
        nokill = fingerprint([d for f in futures if f.status == "finished" for d in f.result()])
        del futures
        pids_before = _worker_pids(client)
        started = time.perf_counter()
        futures = [client.submit(_dask_enrich_chunk, c, pure=False, key=f"kill-{i}")
                   for i, c in enumerate(chunks)]
        time.sleep(3)  # both workers inside a chunk
        busy = None
        while busy is None and time.perf_counter() - started < 60:
            busy = next((a for a, keys in client.processing().items() if keys and a in pids_before), None)
            time.sleep(0.05)
        if busy is None:
            raise RuntimeError("no worker was busy to be killed")
        victim = pids_before[busy]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.perf_counter()
        back = _wait_workers(client, processes, 120, exclude_pids={victim})
        status = _settle(futures, 300)
        total = time.perf_counter() - started
        results = [d for f in futures if f.status == "finished" for d in f.result()]
        out["c_sigkill"] = {
            "chunks": len(chunks), "results": status, "articles_back": len(results),
            "all_articles_back": len(results) == len(sample),
            "same_documents_as_without_kill": fingerprint(results) == nokill,
            "killed_after_s": round(killed_at - started, 2),
            "worker_replaced_with_model_after_s": None if back is None else round(back, 2),
            "total_s": round(total, 2), "same_chunks_without_kill_s": round(baseline, 2),
        }
    finally:
        client.close()
        cluster.close()
    return out


def _settle(futures: list, timeout: float) -> dict:
    """Wait for futures up to `timeout` s; count them by final status."""
    from distributed import wait

    if futures:
        try:
            wait(futures, timeout=timeout)
        except Exception:  # noqa: BLE001 - a timeout leaves some pending; counted below
            pass
    counts: dict[str, int] = {}
    for f in futures:
        status = f.status
        if status == "error":
            status = f"error:{type(f.exception()).__name__}"
        counts[status] = counts.get(status, 0) + 1
    return counts


def _find_timeout_keys(config: dict, prefix: str = "distributed") -> set[str]:
    """Config keys that could bound a task's run time (there is none: shown, not assumed)."""
    found = set()
    for key, value in config.items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict):
            found |= _find_timeout_keys(value, path)
        elif any(w in key for w in ("timeout", "ttl", "lifetime", "deadline")):
            found.add(path)
    return found


# -- failure modes: ProcessPoolExecutor -----------------------------------------------------

def _limit_memory(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _plain_pool(processes: int, limit: int | None = None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    if limit:
        return ProcessPoolExecutor(processes, mp_context=context, initializer=_limit_memory,
                                   initargs=(limit,))
    return ProcessPoolExecutor(processes, mp_context=context)


def pool_failures(processes: int, memory_limit: int, tmp: Path) -> dict:
    from concurrent.futures import TimeoutError as FuturesTimeout
    from concurrent.futures import wait
    from concurrent.futures.process import BrokenProcessPool

    def count(futures) -> dict:
        wait(futures, timeout=60)
        counts: dict[str, int] = {}
        for f in futures:
            if not f.done():
                key = "pending"
            elif f.exception() is not None:
                key = f"error:{type(f.exception()).__name__}"
            else:
                key = "finished"
            counts[key] = counts.get(key, 0) + 1
        return counts

    out: dict = {}

    # (a) no memory limit at all; the nearest thing is an rlimit set by an initializer.
    print("  pool (a): memory hog under RLIMIT_AS ...", flush=True)
    pool = _plain_pool(processes, memory_limit)
    log = str(tmp / "pool-hog.log")
    others = [pool.submit(_sleep_then, str(tmp / "pool-a.log"), 1.0, i) for i in range(6)]
    hog = pool.submit(_hog, log, 50, 0.02, 6 * memory_limit // MiB)
    try:
        hog.result(timeout=120)
        outcome = "returned"
    except MemoryError:
        outcome = "MemoryError raised in the task, in that future only"
    except BrokenProcessPool:
        outcome = "BrokenProcessPool"
    heard = time.time()
    lines = _read_log(log)
    rss = [float(r) for _, _, r in lines]
    out["a_memory_hog_rlimit_as"] = {
        "outcome": outcome,
        "client_heard_after_task_start_s": round(heard - float(lines[0][1]), 2) if lines else None,
        "peak_rss_mb": round(max(rss)) if rss else None, "other_tasks": count(others),
        "pool_usable_after": _usable(pool),
        "note": "no memory limit of its own; without an rlimit the kernel's OOM killer decides, "
                "and a SIGKILLed worker breaks the pool as in (c)",
    }
    pool.shutdown(wait=True)

    # (b) a task that never ends.
    print("  pool (b): a task that never ends ...", flush=True)
    pool = _plain_pool(processes)
    log = str(tmp / "pool-forever.log")
    stuck = pool.submit(_forever, log)
    time.sleep(1)
    stuck_pid = int(_read_log(log)[0][0])
    try:
        stuck.result(timeout=5)
        timed = "returned?!"
    except FuturesTimeout:
        timed = "client-side TimeoutError; the worker keeps running it"
    cancelled = stuck.cancel()
    quick = [pool.submit(_sleep_then, str(tmp / "pool-b.log"), 0.2, i) for i in range(6)]
    quick_status = count(quick)
    pending = [pool.submit(_sleep_then, str(tmp / "pool-b.log"), 2.0, i) for i in range(4)]
    time.sleep(0.5)
    os.kill(stuck_pid, signal.SIGKILL)  # the only way to stop it: kill the worker
    pending_status = count(pending)
    out["b_never_ends"] = {
        "result_with_timeout": timed, "cancel_returned": cancelled,
        "quick_tasks_meanwhile": quick_status,
        "after_killing_the_stuck_worker": pending_status,
        "pool_usable_after": _usable(pool),
    }
    pool.shutdown(wait=True)

    # (c) SIGKILL mid-task.
    print("  pool (c): a worker SIGKILLed in the middle of a task ...", flush=True)
    pool = _plain_pool(processes)
    log = str(tmp / "pool-c.log")
    futures = [pool.submit(_sleep_then, log, 2.0, i) for i in range(8)]
    time.sleep(1.0)
    victim = int(_read_log(log)[0][0])
    started = time.perf_counter()
    os.kill(victim, signal.SIGKILL)
    status = count(futures)
    heard = time.perf_counter() - started
    out["c_sigkill"] = {"futures": status, "all_heard_after_s": round(heard, 2),
                        "pool_usable_after": _usable(pool)}
    pool.shutdown(wait=True)
    return out


def workerpool_failures(articles: list, processes: int) -> dict:
    """indexer.workers.WorkerPool with one worker SIGKILLed after the first result, if it exists."""
    try:
        from indexer.workers import WorkerPool
    except Exception as exc:  # noqa: BLE001
        return {"skipped": f"not importable: {type(exc).__name__}: {exc}"}
    if not all(hasattr(WorkerPool, a) for a in ("enrich_pairs", "close", "worker_pids")):
        return {"skipped": "WorkerPool has no enrich_pairs/close/worker_pids: API differs"}
    print("  workerpool (c): a worker SIGKILLed in the middle of a job ...", flush=True)
    _stop_forkserver()
    pool = WorkerPool(processes=processes)
    hung = threading.Event()

    def watchdog():
        hung.set()
        for pid in pool.worker_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if hasattr(pool, "cancel"):
            pool.cancel()

    timer = threading.Timer(300, watchdog)
    timer.start()
    results, contexts, killed = [], [], None
    started = time.perf_counter()
    try:
        for result, context in pool.enrich_pairs((a, i) for i, a in enumerate(articles)):
            results.append(result)
            contexts.append(context)
            if killed is None:
                killed = pool.worker_pids()[0]
                os.kill(killed, signal.SIGKILL)
        outcome = "completed"
    except Exception as exc:  # noqa: BLE001
        outcome = f"raised {type(exc).__name__}: {exc}"[:200]
    finally:
        timer.cancel()
        total = time.perf_counter() - started
        pids_after = pool.worker_pids()
        pool.close()
    errors = [r for r in results if not isinstance(r, dict)]
    return {
        "outcome": "hung (watchdog)" if hung.is_set() else outcome,
        "articles": len(articles), "results": len(results), "in_order": contexts == list(range(len(articles))),
        "documents": len(results) - len(errors), "errors": len(errors),
        "first_error": repr(errors[0])[:200] if errors else None,
        "killed_worker_replaced": killed not in pids_after and len(pids_after) == processes,
        "total_s": round(total, 2),
    }


def _usable(pool: ProcessPoolExecutor) -> str:
    try:
        return "yes" if pool.submit(int, 1).result(timeout=30) == 1 else "wrong answer"
    except Exception as exc:  # noqa: BLE001
        return f"no: {type(exc).__name__}"


# -- main -----------------------------------------------------------------------------------

def _num(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--chunk", type=int, default=24, help="articles a task (default 24)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--window", type=int, help="chunks in flight (default processes * 3)")
    parser.add_argument("--memory-limit", default="1GiB", help="Dask memory_limit per worker (default 1GiB)")
    parser.add_argument("--failure-modes", action="store_true", help="also try the failure semantics")
    parser.add_argument("--no-bench", action="store_true", help="only the failure modes")
    parser.add_argument("--dask-log", default="ERROR", help="log level of Dask's own loggers (default ERROR)")
    args = parser.parse_args()
    global DASK_LOG_LEVEL
    DASK_LOG_LEVEL = getattr(logging, args.dask_log.upper())
    if not all((CORPORA / name).exists() for name in SOURCES):
        print(f"skipped: the corpora are not in {CORPORA}")
        return
    try:
        import dask
        import distributed
        import psutil  # noqa: F401 - a dependency of distributed
    except ImportError as exc:
        print(f"skipped: dask/distributed not installed ({exc}); "
              f"`.venv/bin/pip install dask distributed` (not a PressWatch dependency)")
        return
    window = args.window or args.processes * 3
    code_at_start = code_digest()

    print(f"reading {args.n} articles ...", flush=True)
    # The failure modes use 8 chunks of them, whatever --n.
    pool = load_articles(max(args.n, args.chunk * 8) if args.failure_modes else args.n)
    articles = pool[:args.n]
    chunks = chunked(articles, args.chunk)
    words = sum(len(a.body.split()) for a in articles)
    figures: dict = {"articles": len(articles), "words": words, "chunk": args.chunk, "window": window,
                     "processes": args.processes, "memory_limit": args.memory_limit,
                     "cores": os.cpu_count(), "dask": dask.__version__,
                     "distributed": distributed.__version__, "python": sys.version.split()[0]}
    engines: dict = {}
    if not args.no_bench:
        plan = [
            ("reference", lambda: run_reference(chunks, args.processes, window)),
            ("dask", lambda: run_dask(chunks, args.processes, window, args.memory_limit)),
            ("workerpool", lambda: run_workerpool(chunks, args.processes)),
            ("reference_again", lambda: run_reference(chunks, args.processes, window)),
        ]
        for name, run in plan:
            print(f"{name} ...", flush=True)
            engines[name] = result = run()
            if "skipped" in result:
                print(f"  skipped: {result['skipped']}", flush=True)
            else:
                print(f"  {result['articles']} articles in {result['wall_s']:.1f}s: "
                      f"{result['articles_per_s']:.2f}/s ({_num(result['steady_articles_per_s'])}/s after "
                      f"the first result), start-up {result['startup_s']:.1f}s, "
                      f"peak RSS {result['peak_rss_mb']} MiB (PSS {result['peak_pss_mb']}), "
                      f"+{result['new_processes']} processes {result['new_process_roles']}, "
                      f"other tenants {result['others_cpu_s']:.0f} CPU-s", flush=True)
        refs = [engines[k] for k in ("reference", "reference_again")]
        ref_rate = sum(r["articles_per_s"] for r in refs) / 2
        ref_steady = sum(r["steady_articles_per_s"] or 0 for r in refs) / 2
        figures["reference_spread"] = round(abs(refs[0]["articles_per_s"] - refs[1]["articles_per_s"])
                                            / ref_rate, 3)
        for name, result in engines.items():
            if "skipped" in result:
                continue
            result["ratio"] = round(result["articles_per_s"] / ref_rate, 3)
            result["steady_ratio"] = (round(result["steady_articles_per_s"] / ref_steady, 3)
                                      if result["steady_articles_per_s"] and ref_steady else None)
            result["same_documents_as_reference"] = result["fingerprint"] == refs[0]["fingerprint"]
        figures["engines"] = engines

        print()
        print(f"{'engine':<16}{'art/s':>8}{'ratio':>7}{'steady/s':>10}{'ratio':>7}{'start s':>9}"
              f"{'RSS MiB':>9}{'PSS MiB':>9}{'+procs':>8}{'main CPU s':>12}{'CPU s/1000':>12}"
              f"{'others CPU s':>14}")
        for name, r in engines.items():
            if "skipped" in r:
                print(f"{name:<16}skipped: {r['skipped']}")
                continue
            print(f"{name:<16}{r['articles_per_s']:>8.2f}{r['ratio']:>7.2f}{_num(r['steady_articles_per_s']):>10}"
                  f"{_num(r['steady_ratio']):>7}{r['startup_s']:>9.1f}{r['peak_rss_mb']:>9}{r['peak_pss_mb']:>9}"
                  f"{r['new_processes']:>8}{r['main_cpu_s']:>12.1f}{r['tree_cpu_s_per_1000']:>12.1f}"
                  f"{r['others_cpu_s']:>14.0f}")
        print(f"noise: the two reference runs differ by {figures['reference_spread'] * 100:.1f}%; "
              "documents identical across engines: "
              f"{all(r.get('same_documents_as_reference', True) for r in engines.values())}")

    if args.failure_modes:
        print("failure modes ...", flush=True)
        from dask.utils import parse_bytes

        with tempfile.TemporaryDirectory(prefix="presswatch-engines-") as tmp:
            figures["failures"] = {
                "dask": dask_failures(pool, args.chunk, args.processes, args.memory_limit, Path(tmp)),
                "process_pool": pool_failures(args.processes, parse_bytes(args.memory_limit), Path(tmp)),
                "workerpool": {"c_sigkill": workerpool_failures(pool[:args.chunk * 8], args.processes)},
            }
        for engine, modes in figures["failures"].items():
            for mode, found in modes.items():
                print(f"  {engine} {mode}: {found}")
    figures["code_digest"] = code_at_start
    figures["code_changed_during_run"] = code_digest() != code_at_start
    if figures["code_changed_during_run"]:
        print("warning: indexer/ changed on disk during the run (others are editing the tree)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
