"""NLP worker processes, supervised: every article has a time and a memory budget.

    parent --job (<= 24 articles, <= 200k characters)--> worker: builds the pipeline once, enriches the
           <--------- a document or a reason, per article  job in one nlp.pipe pass (an exception fails
                                                           only its article: the job is redone one by one)

The parent waits on each worker's pipe *and* its process sentinel, a fraction of a second at a time,
so it never waits on a result that cannot come:
- a worker that dies (the kernel's OOM killer, a segfault), runs past `Budget.seconds` on a job, or
  grows past `Budget.memory_mb` is stopped and replaced;
- the job it held is redone one article at a time, so only the article that did it fails, with the
  reason (an `EnrichmentError`), and the others are enriched as usual.

Workers fork from a server process that has spaCy imported (the parent runs threads, so it never forks
itself), ignore SIGINT (the parent stops them), exit when the parent goes away, and import nothing of
Prefect. A worker is replaced once it has grown to `RECYCLE_AT` of its memory budget, or after
`recycle_after` jobs: spaCy's string store only grows, and a fresh worker keeps memory flat.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, TypeVar

from .config import Settings
from .enrich import Enricher, where
from .errors import Cancelled, ConfigurationError, EnrichmentError
from .model import Article

T = TypeVar("T")

JOB_ARTICLES = 24
JOB_CHARS = 200_000  # a job of long articles is cut short, so a job's time budget is an article's too
POLL_SECONDS = 0.25
RECYCLE_AT = 0.6  # of the memory budget: a worker this large is replaced between jobs
QUEUED_JOBS = 2  # per worker: the next job waits in its pipe, so a worker never idles between jobs
MAX_LOAD_FAILURES = 3  # workers that die while loading the model, in a row, before we give up
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Budget:
    """What one job (and so one article) may take before its worker is stopped."""

    seconds: float = 60.0
    memory_mb: int = 2048  # resident memory of the worker


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build its `Enricher`: plain values, sent to the worker process."""

    registry_path: str | None = None
    outlets_path: str | None = None
    ner: str = "wire"
    batch_size: int = 32
    # Your own spaCy components, added last: the modules that register them, and their factory names.
    imports: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    given_names_path: str | None = None
    aliases_path: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineSpec:
        """The pipeline `settings` configure: the user's files in the home, the recogniser, the batch size."""
        def path(value):
            return str(value) if value else None

        return cls(registry_path=path(settings.registry_path), outlets_path=path(settings.outlets_path),
                   given_names_path=path(settings.given_names_path), aliases_path=path(settings.aliases_path),
                   ner=settings.ner,
                   batch_size=min(settings.batch_size, 64))

    def enricher(self) -> Enricher:
        """An `Enricher` for this spec in this process (its own components are the worker's to add)."""
        return Enricher(registry_path=self.registry_path, outlets_path=self.outlets_path,
                        given_names_path=self.given_names_path, aliases_path=self.aliases_path, ner=self.ner,
                        batch_size=self.batch_size)


@dataclass
class _Job:
    articles: list[Article]
    contexts: list[Any]
    started: float = 0.0


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    jobs: deque[_Job] = field(default_factory=deque)  # sent to it, oldest (the running one) first
    jobs_done: int = 0
    draining: bool = False  # to be replaced: takes no more jobs, retires once idle

    @property
    def job(self) -> _Job | None:
        """The job it is running."""
        return self.jobs[0] if self.jobs else None

    def resident_mb(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/statm") as f:
                return int(f.read().split()[1]) * PAGE_SIZE / 2**20
        except (OSError, ValueError, IndexError):
            return 0.0

    def stop(self) -> None:
        """Ask it to exit once idle; a busy or stuck worker is killed."""
        if not self.jobs and self.ready:
            try:
                self.conn.send(None)
                return
            except OSError:
                pass
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """`Enricher.enrich_pairs` across supervised worker processes: the same contract, each result a
    document or an `EnrichmentError`, in the order the jobs finish (each result carries its context)."""

    def __init__(self, processes: int, *, spec: PipelineSpec | None = None, budget: Budget | None = None,
                 recycle_after: int = 400):
        self.processes = max(1, processes)
        self.spec = spec or PipelineSpec()
        self.budget = budget or Budget()
        self.recycle_after = recycle_after
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["indexer.enrich"])
        self._workers: list[_Worker] = []
        self._retired: list[_Worker] = []
        self._load_failures = 0
        self._cancelled = threading.Event()

    # -- public ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers (they load the model in the background); idempotent."""
        self._check_cancelled()
        while len(self._workers) < self.processes:
            self._workers.append(self._spawn())

    def enrich_pairs(self, pairs: Iterable[tuple[Article, T]]) -> Iterator[tuple[dict | EnrichmentError, T]]:
        self.start()
        jobs = _jobs(pairs)
        todo: deque[_Job] = deque()
        exhausted = False
        try:
            while True:
                self._check_cancelled()
                while not exhausted and len(todo) < self.processes * QUEUED_JOBS:
                    job = next(jobs, None)
                    exhausted = job is None
                    if job is not None:
                        todo.append(job)
                self._dispatch(todo)
                if exhausted and not todo and not any(w.jobs for w in self._workers):
                    return
                yield from self._poll(todo)
        finally:
            self._abandon_jobs()

    def cancel(self) -> None:
        """Stop the current and any later `enrich_pairs` soon (it raises `Cancelled`); thread-safe."""
        self._cancelled.set()

    def close(self) -> None:
        """Stop every worker: idle ones exit, busy ones are killed."""
        for worker in self._workers:
            worker.stop()
        for worker in [*self._workers, *self._retired]:
            worker.process.join(timeout=2)
            worker.kill()
        self._workers, self._retired = [], []

    def worker_pids(self) -> list[int]:
        return [w.process.pid for w in self._workers]

    # -- running jobs ------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=serve, args=(child_end, self.spec), daemon=True,
                                        name="presswatch-nlp")
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _dispatch(self, todo: deque[_Job]) -> None:
        for depth in range(1, QUEUED_JOBS + 1):  # first an idle worker for each job, then queue
            for worker in self._workers:
                if not todo:
                    return
                if worker.ready and not worker.draining and len(worker.jobs) < depth:
                    job = todo.popleft()
                    job.started = time.monotonic()  # for a queued job, reset when it starts
                    worker.jobs.append(job)
                    try:
                        worker.conn.send(job.articles)
                    except OSError:
                        pass  # it died: its sentinel says so at the next poll

    def _poll(self, todo: deque[_Job]) -> Iterator[tuple[dict | EnrichmentError, Any]]:
        by_handle = {}
        for worker in self._workers:
            by_handle[worker.conn] = worker
            by_handle[worker.process.sentinel] = worker
        handled: set[int] = set()
        for handle in wait(list(by_handle), timeout=POLL_SECONDS):
            worker = by_handle[handle]
            if id(worker) in handled:
                continue
            handled.add(id(worker))
            yield from self._receive(worker, todo)
        for worker in list(self._workers):
            if id(worker) not in handled and worker.job is not None:
                yield from self._check_budget(worker, todo)
        self._reap_retired()

    def _receive(self, worker: _Worker, todo: deque[_Job]) -> Iterator[tuple[dict | EnrichmentError, Any]]:
        try:
            message = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            message = None
        if message is None:
            if not worker.process.is_alive() or worker.process.exitcode is not None:
                yield from self._lose(worker, todo, f"the NLP worker died ({_describe_exit(worker.process)})")
            return
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self._load_failures = 0
        elif kind == "fatal":
            self._replace(worker)
            raise ConfigurationError(f"the NLP worker could not build the pipeline: {message[1]}")
        elif kind == "done":
            job = worker.jobs.popleft()
            if worker.jobs:
                worker.jobs[0].started = time.monotonic()
            worker.jobs_done += 1
            yield from _results(job, message[1])
            worker.draining = worker.draining or worker.jobs_done >= self.recycle_after or \
                worker.resident_mb() > RECYCLE_AT * self.budget.memory_mb
            if worker.draining and not worker.jobs:
                self._retire(worker)

    def _check_budget(self, worker: _Worker, todo: deque[_Job]) -> Iterator[tuple[dict | EnrichmentError, Any]]:
        assert worker.job is not None
        if time.monotonic() - worker.job.started > self.budget.seconds:
            worker.kill()
            yield from self._lose(worker, todo, f"enrichment took over {self.budget.seconds:g} s; "
                                  "its worker was stopped")
        elif worker.resident_mb() > self.budget.memory_mb:
            worker.kill()
            yield from self._lose(worker, todo, f"enrichment used over {self.budget.memory_mb} MiB; "
                                  "its worker was stopped")

    def _lose(self, worker: _Worker, todo: deque[_Job], reason: str) -> Iterator[tuple[EnrichmentError, Any]]:
        """A worker is gone with its jobs: replace it; fail the running job's article, or redo its
        articles one by one; the jobs queued behind it go back to the front of the queue."""
        job = worker.job
        todo.extendleft(reversed(list(worker.jobs)[1:]))
        if not worker.ready:
            self._load_failures += 1
            if self._load_failures >= MAX_LOAD_FAILURES:
                self._replace(worker)
                raise ConfigurationError(f"NLP workers die while loading the model: {reason}")
        self._replace(worker)
        if job is None:
            return
        if len(job.articles) == 1:
            yield EnrichmentError(reason, where=where(job.articles[0])), job.contexts[0]
            return
        for article, context in reversed(list(zip(job.articles, job.contexts))):
            todo.appendleft(_Job([article], [context]))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)
        if not self._cancelled.is_set():
            self._workers.append(self._spawn())

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)
        self._retired.append(worker)
        self._workers.append(self._spawn())

    def _reap_retired(self) -> None:
        for worker in list(self._retired):
            if not worker.process.is_alive():
                worker.kill()
                self._retired.remove(worker)

    def _abandon_jobs(self) -> None:
        """A run that ends early (an error, a stop, a caller that stopped reading) leaves no worker
        holding a job whose result would reach the next run."""
        for worker in list(self._workers):
            if worker.jobs:
                worker.kill()
                self._workers.remove(worker)  # `start` brings the pool back to size when next used

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled("the ingest was stopped")


def _jobs(pairs: Iterable[tuple[Article, T]]) -> Iterator[_Job]:
    job = _Job([], [])
    chars = 0
    for article, context in pairs:
        job.articles.append(article)
        job.contexts.append(context)
        chars += len(article.title) + len(article.body)
        if len(job.articles) >= JOB_ARTICLES or chars >= JOB_CHARS:
            yield job
            job, chars = _Job([], []), 0
    if job.articles:
        yield job


def _results(job: _Job, results: list[tuple[str, Any]]) -> Iterator[tuple[dict | EnrichmentError, Any]]:
    for article, context, (kind, value) in zip(job.articles, job.contexts, results):
        yield (value if kind == "ok" else EnrichmentError(value, where=where(article))), context


def _describe_exit(process) -> str:
    code = process.exitcode
    if code is None:
        return "its pipe closed"
    if code < 0:
        name = signal.Signals(-code).name
        hint = ", probably by the kernel's out-of-memory killer" if name == "SIGKILL" else ""
        return f"killed by {name}{hint}"
    return f"exit code {code}"


# -- the worker process ------------------------------------------------------------------------
def _build_enricher(spec: PipelineSpec) -> Enricher:
    for module in spec.imports:
        importlib.import_module(module)
    enricher = spec.enricher()
    for name in spec.components:  # this process's pipeline is the worker's alone
        enricher.nlp.add_pipe(name, last=True)
    return enricher


def serve(conn, spec: PipelineSpec) -> None:
    """A worker's life: build the pipeline, then enrich each job sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    try:
        enricher = _build_enricher(spec)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            articles = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if articles is None:
            return
        results = [("error", item.reason) if isinstance(item, EnrichmentError) else ("ok", item)
                   for item in enricher.enrich_each(articles)]
        conn.send(("done", results))
