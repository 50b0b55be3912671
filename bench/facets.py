"""Facet quality: the top values of the entity facets after a real ingest, checked for splits and junk.

    PYTHONPATH=. .venv/bin/python bench/facets.py [--n 3000] [--sizes 3000,20000] [--no-prefect]
        [--reuse-index NAME] [--keep] [--json] [--summary-only] [--no-consolidate | --consolidate]

1. Takes N real articles from ../shared/corpora. The sample is deterministic (seeded) and leans to modern
   news: Dai 2017 (2016-17, nine outlets) first, up to N, then BBC 2004-05, then Reuters 1987 (20,000
   needs Reuters), then PolNeAR. Only articles with text count, and a text seen before is skipped. When a
   corpus has more than is needed, a seeded sample of it is taken. The articles are written as .jsonl
   files of 500 into a temporary folder, never into the repository.
2. Ingests them with `presswatch ingest FOLDER` (the `ingest-paths` Prefect flow; `--no-prefect` runs
   the library directly) in a child process with a temporary PRESSWATCH_HOME and an index of its own
   (`bench-facets-N-XXXXXX`) on the running node. The node is reached as bench/throughput.py reaches it:
   the ES_* of `eval "$(presswatch es env)"`.
3. Runs `presswatch entities consolidate` (same env; `--no-prefect` when the ingest had it; the ingest
   itself runs with `--no-consolidate`) as a child process. It reports the command's wall
   time and the peak RSS of its process tree (throughput's TreeMemory sampler). Without that command
   (`--help` fails) it prints "consolidation: not available" and goes on.
4. For `persons`, `organizations`, `quote_speakers` and `cited_outlets` it takes the top 100 values by
   article count (a terms aggregation) and flags them. The flags are: split pairs (a lone surname beside
   the full name; two values equal once punctuation, particles, titles and middle initials are set
   aside; an acronym beside its expansion; "X Department" / "Department of X"), values with no capital
   letter, and values judged junk or duplicates in bench/data/facet_judgements.yaml, a list you extend
   as you read the output. The checks are in bench/facet_checks.py, and the module docs there say which
   side of a pair counts as bad.
5. Prints each field's top 100 with its flags, then a summary per field: split pairs, values with no
   capital, junk, duplicates, and the bad share. The bad share is the share of the top 100 that is
   flagged any way, also weighted by article count. When the consolidation ran, the summary before it
   is printed too.

`--sizes 3000,20000` runs all of it for each size and ends with a table of consolidation time and peak
memory against size, with the ratio between the largest and the smallest size. Memory must stay flat
as the size grows. `--reuse-index NAME` skips the ingest and analyses an existing index, and does not
consolidate it unless `--consolidate` is given. `--keep` keeps the index. `--json` ends with one JSON
line holding every summary figure. Exits 0 with a message when the corpora are missing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SOURCES = ("dai2017", "bbc2225", "reuters21578", "polnear-train", "polnear-dev")
JUDGEMENTS = REPO / "bench" / "data" / "facet_judgements.yaml"
FIELDS = ("persons", "organizations", "quote_speakers", "cited_outlets")
sys.path.insert(0, str(REPO))

from facet_checks import FieldReport, Judgements, analyse_field  # noqa: E402 - bench/ is on the path
from throughput import TreeMemory, drop_index  # noqa: E402 - the same sampler and clean-up as the throughput bench


# -- the sample ----------------------------------------------------------------------------------

def sample(n: int, corpora: Path = CORPORA, seed: int = 2017) -> list[dict]:
    """N articles, Dai 2017 first, then BBC, Reuters, PolNeAR (a seeded sample of the last one needed),
    shuffled with the same seed so that each file mixes outlets."""
    rng = random.Random(seed)
    chosen: list[dict] = []
    seen: set[bytes] = set()
    for name in SOURCES:
        if len(chosen) >= n:
            break
        path = corpora / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        usable = list(_usable(path, seen))
        needed = n - len(chosen)
        if len(usable) > needed:
            keep = set(rng.sample(range(len(usable)), needed))
            usable = [item for i, item in enumerate(usable) if i in keep]
        chosen.extend(usable)
    rng.shuffle(chosen)
    return chosen


def _usable(path: Path, seen: set[bytes]):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            text = (item.get("text") or "").strip()
            digest = hashlib.sha1(" ".join(text.split()).encode()).digest()
            if not text or digest in seen:
                continue
            seen.add(digest)
            yield {"id": item["id"], "title": item.get("title") or "", "body": item["text"],
                   "url": item.get("url"), "outlet": item.get("outlet"), "date": item.get("date")}


def write_articles(folder: Path, articles: list[dict], per_file: int = 500) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, len(articles), per_file):
        chunk = articles[start:start + per_file]
        path = folder / f"articles-{start // per_file:04d}.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in chunk), encoding="utf-8")
        files += 1
    old = time.time() - 60  # settled: not "still being written"
    for path in folder.iterdir():
        os.utime(path, (old, old))
    return files


# -- child processes -----------------------------------------------------------------------------

def presswatch_command(*args: str) -> list[str]:
    """The `presswatch` CLI of this checkout, under this interpreter."""
    return [sys.executable, "-c", "from indexer.cli import main; main(prog_name='presswatch')", *args]


def child_env(home: Path, index: str) -> dict:
    env = {**os.environ, "PRESSWATCH_HOME": str(home), "PRESSWATCH_INDEX": index,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           # a Prefect of its own: no `presswatch up` server answers on this port, so the flow runs
           # on Prefect's temporary server, its state under the temporary home
           "PRESSWATCH_PREFECT_PORT": str(_free_port()), "PREFECT_HOME": str(home / "prefect"),
           "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_measured(command: list[str], env: dict, log: Path) -> dict:
    """Run a child process; its wall time, the peak RSS of its tree, exit code and stdout."""
    with open(log, "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                 env=env, cwd=env["PRESSWATCH_HOME"])
        memory = TreeMemory(child.pid)
        try:
            out, _ = child.communicate()
        except BaseException:
            child.terminate()
            child.wait()
            raise
        finally:
            peak = memory.stop()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss": peak, "returncode": child.returncode,
            "stdout": out.decode("utf-8", "replace")}


def ingest(folder: Path, home: Path, index: str, *, prefect: bool) -> dict:
    # the consolidation is left out of the ingest, to be measured on its own
    command = presswatch_command("ingest", str(folder), "--json", "--no-consolidate",
                                 *(() if prefect else ("--no-prefect",)))
    run = run_measured(command, child_env(home, index), home / "ingest.log")
    report = _json_object(run["stdout"])
    if report is None:
        tail = (home / "ingest.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"ingest failed (exit {run['returncode']}), no report:\n{tail}")
    failed = [f for f in report.get("files", []) if f.get("status") == "failed"]
    return {"seconds": run["seconds"], "peak_rss": run["peak_rss"], "articles": report.get("articles"),
            "files": len(report.get("files", [])), "failed_files": len(failed),
            "failed_records": sum(f.get("failed_records") or 0 for f in report.get("files", []))}


def _json_object(text: str) -> dict | None:
    start = text.find("{")
    while start != -1:
        try:
            value = json.loads(text[start:])
            return value if isinstance(value, dict) else None
        except json.JSONDecodeError:
            start = text.find("\n{", start + 1)
            start = start + 1 if start != -1 else -1
    return None


def consolidation_available(env: dict) -> bool:
    try:
        done = subprocess.run(presswatch_command("entities", "consolidate", "--help"), check=False, env=env,
                              cwd=env["PRESSWATCH_HOME"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and "Usage" in done.stdout


def consolidate(home: Path, index: str, *, prefect: bool = True) -> dict:
    env = child_env(home, index)
    if not consolidation_available(env):
        return {"available": False}
    run = run_measured(presswatch_command("entities", "consolidate", *(() if prefect else ("--no-prefect",))),
                       env, home / "consolidate.log")
    return {"available": True, "seconds": run["seconds"], "peak_rss": run["peak_rss"],
            "returncode": run["returncode"], "output": run["stdout"].strip().splitlines()[-5:]}


# -- the facets ----------------------------------------------------------------------------------

def store_for(index: str):
    from indexer.config import Settings
    from indexer.store import Store

    return Store(Settings.from_env(index=index))


def facets(store, top: int) -> tuple[int, dict[str, list[tuple[str, int]]], dict[str, int]]:
    """Documents, the top values (value, article count) of each field and its distinct values."""
    aggs = {}
    for name in FIELDS:
        aggs[name] = {"terms": {"field": name, "size": top, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
        aggs[f"{name}__distinct"] = {"cardinality": {"field": name}}
    body = store.search({"size": 0, "track_total_hits": True, "aggs": aggs})
    top_values = {name: [(b["key"], b["doc_count"]) for b in body["aggregations"][name]["buckets"]]
                  for name in FIELDS}
    distinct = {name: body["aggregations"][f"{name}__distinct"]["value"] for name in FIELDS}
    return body["hits"]["total"]["value"], top_values, distinct


def analyse(store, judgements: Judgements, top: int) -> dict:
    documents, top_values, distinct = facets(store, top)
    reports = {name: analyse_field(name, top_values[name], judgements) for name in FIELDS}
    outside = {}  # judged duplicates whose target is not in the top: its article count
    for name, report in reports.items():
        present = {r.value for r in report.rows}
        for row in report.rows:
            if row.duplicate_of and row.duplicate_of not in present:
                outside[(name, row.duplicate_of)] = count = store.count({"term": {name: row.duplicate_of}})
                if count == 0:  # no second bucket: one entity under one (other) spelling, not a split
                    row.duplicate_of = None
    return {"documents": documents, "reports": reports, "distinct": distinct, "outside": outside}


# -- output --------------------------------------------------------------------------------------

def make_console():
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 170, soft_wrap=False)


def print_field(console, report: FieldReport, analysis: dict, top: int) -> None:
    from rich.table import Table

    table = Table(title=f"{report.field}: top {top} by article count "
                        f"({analysis['distinct'][report.field]:,} distinct values, "
                        f"{analysis['documents']:,} documents)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("value")
    table.add_column("articles", justify="right")
    table.add_column("flags", style="red")
    table.add_column("note", style="dim")
    for i, row in enumerate(report.rows, 1):
        flags = row.flags()
        if row.duplicate_of and (report.field, row.duplicate_of) in analysis["outside"]:
            flags[flags.index(f"duplicate of {row.duplicate_of!r}")] += \
                f" ({analysis['outside'][(report.field, row.duplicate_of)]} art., not in the top)"
        notes = [f"{p.value!r} split from it ({p.kind})" for p in row.partner_of]
        table.add_row(str(i), row.value, str(row.count), "; ".join(flags), "; ".join(notes))
    console.print(table)


def print_summary(console, summaries: dict[str, dict], title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("field", "values", "split pairs", "(kinds)", "no capital", "junk", "duplicates",
                   "bad values", "bad share", "bad share (by articles)"):
        table.add_column(column, justify="left" if column in ("field", "(kinds)") else "right")
    for name, s in summaries.items():
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["split_kinds"].items()))
        table.add_row(name, str(s["values"]), str(s["split_pairs"]), kinds, str(s["no_capital"]),
                      str(s["junk"]), str(s["duplicates"]), str(s["bad"]), f"{s['bad_share']:.1%}",
                      f"{s['bad_share_weighted']:.1%}")
    console.print(table)


def mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.0f}"


# -- one run -------------------------------------------------------------------------------------

def run_size(n: int | None, args, tmp: Path, judgements: Judgements, console) -> dict:
    """Ingest N articles (or reuse an index), consolidate, analyse. Returns the figures."""
    index = args.reuse_index or f"bench-facets-{n}-{uuid.uuid4().hex[:6]}"
    home = tmp / f"home-{n or 'reuse'}"
    home.mkdir(parents=True, exist_ok=True)
    result: dict = {"n": n, "index": index}
    store = store_for(index)
    try:
        if not args.reuse_index:
            articles = sample(n, args.corpora, args.seed)
            folder = tmp / f"articles-{n}"
            files = write_articles(folder, articles, args.per_file)
            mix: dict[str, int] = {}
            for a in articles:
                mix[a["id"].split("-")[0]] = mix.get(a["id"].split("-")[0], 0) + 1
            del articles
            how = "with --no-prefect" if args.no_prefect else "through the Prefect flow"
            console.print(f"[bold]{n:,} articles[/] ({', '.join(f'{k} {v:,}' for k, v in mix.items())}) "
                          f"in {files} .jsonl files; ingesting {how} into index {index} ...")
            run = ingest(folder, home, index, prefect=not args.no_prefect)
            store.refresh()
            result["ingest"] = {"seconds": round(run["seconds"], 1), "peak_rss_mb": round(run["peak_rss"] / 2**20),
                                "articles": run["articles"], "failed_files": run["failed_files"],
                                "failed_records": run["failed_records"],
                                "prefect": not args.no_prefect, "mix": mix}
            console.print(f"ingest: {run['articles']} articles in {run['seconds']:.0f} s "
                          f"(peak memory {mib(run['peak_rss'])} MiB), {run['failed_files']} failed files, "
                          f"{run['failed_records']} failed records")
        do_consolidate = args.consolidate if args.consolidate is not None else not args.reuse_index
        before = None
        if do_consolidate:
            before = analyse(store, judgements, args.top)
            run = consolidate(home, index, prefect=not args.no_prefect)
            if not run["available"]:
                console.print("consolidation: not available")
                result["consolidation"] = {"available": False}
            else:
                store.refresh()
                status = "" if run["returncode"] == 0 else f" [red]exit code {run['returncode']}[/] " \
                                                            f"(see the log below)"
                console.print(f"consolidation: {run['seconds']:.1f} s, peak memory {mib(run['peak_rss'])} MiB"
                              f"{status}")
                if run["returncode"] != 0:
                    console.print((home / "consolidate.log").read_text(errors="replace")[-2000:], markup=False)
                for line in run["output"]:
                    console.print(f"  {line}", markup=False)
                result["consolidation"] = {"available": True, "seconds": round(run["seconds"], 2),
                                           "peak_rss_mb": round(run["peak_rss"] / 2**20),
                                           "returncode": run["returncode"]}
        after = analyse(store, judgements, args.top)
        if before is not None and result.get("consolidation", {}).get("available"):
            result["summary_before"] = {k: r.summary() for k, r in before["reports"].items()}
        if not args.summary_only:
            for report in after["reports"].values():
                print_field(console, report, after, args.top)
        result["documents"] = after["documents"]
        result["summary"] = {k: r.summary() for k, r in after["reports"].items()}
        if "summary_before" in result:
            print_summary(console, result["summary_before"], f"before the consolidation ({index})")
        label = "after the consolidation" if "summary_before" in result else "summary"
        print_summary(console, result["summary"], f"{label}: top {args.top} of each field, "
                                                  f"{after['documents']:,} documents ({index})")
    finally:
        if args.keep or args.reuse_index:
            console.print(f"index kept: {index}")
        else:
            drop_index(index)
    return result


def connect() -> None:
    """Reach the node as bench/throughput.py does: ES_* when set, else the local node, whose connection
    is exported as ES_* for the child processes."""
    from indexer.app import PressWatch

    app = PressWatch()
    app.ensure_elasticsearch()
    for name, value in app.settings.connection().env().items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="articles to ingest (default 3000)")
    parser.add_argument("--sizes", help="run everything for each size, e.g. 3000,20000, and compare the "
                                         "consolidation's time and peak memory")
    parser.add_argument("--no-prefect", action="store_true", help="ingest without Prefect (faster)")
    parser.add_argument("--reuse-index", metavar="NAME", help="skip the ingest: analyse this existing index")
    parser.add_argument("--keep", action="store_true", help="keep the index (it is dropped by default)")
    parser.add_argument("--json", action="store_true", help="end with the summary as one JSON line")
    parser.add_argument("--summary-only", action="store_true", help="no top-100 tables, only the summaries")
    parser.add_argument("--consolidate", dest="consolidate", action="store_true", default=None,
                        help="run the consolidation (the default after an ingest, not with --reuse-index)")
    parser.add_argument("--no-consolidate", dest="consolidate", action="store_false")
    parser.add_argument("--top", type=int, default=100, help="values per field (default 100)")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS, help=f"default {JUDGEMENTS.relative_to(REPO)}")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="default ../shared/corpora")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--per-file", type=int, default=500, help="articles per .jsonl file (default 500)")
    args = parser.parse_args()
    if args.reuse_index and args.sizes:
        parser.error("--reuse-index and --sizes do not go together")
    if not args.reuse_index and not (args.corpora / "dai2017.jsonl.gz").exists():
        print(f"skipped: the corpora are not in {args.corpora}")
        return
    console = make_console()
    judgements = Judgements.load(args.judgements)
    connect()
    sizes = [None] if args.reuse_index else [int(s) for s in (args.sizes or str(args.n)).split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="presswatch-facets-") as tmp:
        for n in sizes:
            results.append(run_size(n, args, Path(tmp), judgements, console))
    figures: dict = {"runs": results}
    if len(results) > 1:
        figures["consolidation_ratio"] = print_sizes(console, results)
    if args.json:
        print(json.dumps(figures))


def print_sizes(console, results: list[dict]) -> dict:
    from rich.table import Table

    table = Table(title="consolidation against size", title_justify="left")
    for column in ("articles", "indexed", "ingest s", "consolidation s", "consolidation peak MiB"):
        table.add_column(column, justify="right")
    for r in results:
        c = r.get("consolidation") or {}
        available = c.get("available")
        table.add_row(f"{r['n']:,}", f"{r['documents']:,}", str(r.get("ingest", {}).get("seconds", "")),
                      f"{c['seconds']:.1f}" if available else "not available",
                      str(c["peak_rss_mb"]) if available else "not available")
    first, last = results[0].get("consolidation") or {}, results[-1].get("consolidation") or {}
    ratio = None
    if first.get("available") and last.get("available"):
        ratio = {"time": round(last["seconds"] / max(first["seconds"], 1e-9), 2),
                 "peak_memory": round(last["peak_rss_mb"] / max(first["peak_rss_mb"], 1), 2)}
        table.add_row(f"{results[-1]['n']:,} / {results[0]['n']:,}", "", "", f"{ratio['time']:.2f}x",
                      f"{ratio['peak_memory']:.2f}x")
    console.print(table)
    return ratio


if __name__ == "__main__":
    main()
