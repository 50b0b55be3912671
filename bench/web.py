"""How fast the web UI's search page is made, server-side, on an index of 20,000 documents.

    .venv/bin/python bench/web.py [--articles 1000] [--documents 20000] [--rounds 30] [--keep]

1. N real articles from ../shared/corpora (the facet bench's sample) go through the real ingest
   (`presswatch ingest`, NLP workers) and the consolidation, into a bench index.
2. Their documents are copied, with new ids and dates shifted by 30 days a copy, until the index holds
   `--documents` (NLP on 20,000 articles would take an hour here; the copies keep real facet values
   and real text, so every facet and the histogram have real work to do).
3. The UI is served by uvicorn as `presswatch serve` does. A set of pages a user makes (no filter, text,
   a person, an organisation and a place, a speaker, text and a period, a deep page) is asked for,
   round after round; the time is the server's own (`Server-Timing`: routing, two Elasticsearch
   requests, the template).
4. The reference, in the same process and the same run: the library's `PressWatch.search` for the same
   states (the Elasticsearch requests alone, with their round trips). The ratio says what the page
   adds to the search it shows.

Target (issue 14): p95 <= 150 ms at 20,000 documents. Skips cleanly without ../shared/corpora.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from facets import CORPORA, consolidate, ingest, sample, write_articles  # noqa: E402 - bench/ is on the path


def grow(store, documents: int) -> int:
    """Copy the indexed documents (new ids, dates a whole number of months later) until there are
    `documents` of them. Returns how many there are."""
    originals = [hit["_source"] | {"id": hit["_id"]} for hit in store.scan()]
    copies, round_ = [], 1
    have = len(originals)
    while have + len(copies) < documents:
        for source in originals:
            if have + len(copies) >= documents:
                break
            doc = dict(source)
            doc["id"] = f"{source['id']}~{round_}"
            if source.get("published_at"):
                when = datetime.fromisoformat(source["published_at"].replace("Z", "+00:00"))
                doc["published_at"] = (when + timedelta(days=30 * round_)).isoformat()
            copies.append(doc)
        round_ += 1
    for start in range(0, len(copies), 2000):
        result = store.index_documents(copies[start:start + 2000], refresh=False)
        if result.errors:
            raise SystemExit(f"copies refused: {list(result.errors.items())[:3]}")
    store.refresh()
    return store.count()


def page_states(app) -> list[str]:
    """The URLs measured: what a user clicks through, from the index's own top values."""
    from indexer.search import SearchQuery

    top = app.search(SearchQuery(size=0, histogram=True)).facets

    def first(name: str) -> str:
        return top[name][0].value if top[name] else ""

    return ["/", "/?" + urlencode({"q": "government"}), "/?" + urlencode({"person": first("persons")}),
            "/?" + urlencode({"org": first("organizations"), "place": first("locations")}),
            "/?" + urlencode({"speaker": first("speakers")}),
            "/?" + urlencode({"q": "minister", "from": "2017-01-01", "to": "2018-12-31"}),
            "/?" + urlencode({"outlet": first("outlets"), "page": 10})]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure_pages(url: str, states: list[str], rounds: int) -> tuple[list[float], dict[str, list[float]]]:
    import httpx

    times: list[float] = []
    per_state: dict[str, list[float]] = {state: [] for state in states}
    with httpx.Client(base_url=url, timeout=30) as client:
        for state in states:  # warm: caches, the template's first compile
            client.get(state).raise_for_status()
        for _ in range(rounds):
            for state in states:
                response = client.get(state)
                response.raise_for_status()
                server = float(response.headers["server-timing"].split("dur=")[1])
                times.append(server)
                per_state[state].append(server)
    return times, per_state


def measure_library(app, states: list[str], rounds: int) -> list[float]:
    from indexer.web.params import SearchState

    queries = [SearchState.from_params(parse_qs(urlsplit(s).query)).query() for s in states]
    for query in queries:
        app.search(query)
    times = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            app.search(query)
            times.append((time.perf_counter() - started) * 1000)
    return times


def build_index(scratch: Path, index: str, articles: int, documents: int):
    """A home and an index of `documents` documents grown from `articles` really ingested ones."""
    from indexer.app import PressWatch
    from indexer.config import Settings

    home, folder = scratch / "home", scratch / "articles"
    home.mkdir(parents=True)
    write_articles(folder, sample(articles))
    ingested = ingest(folder, home, index, prefect=False)
    consolidate(home, index, prefect=False)
    app = PressWatch(Settings.from_env(home=home, index=index))
    return app, ingested, grow(app.store, documents)


def measure(app, rounds: int) -> tuple[list[str], list[float], dict[str, list[float]], list[float]]:
    """The pages through the served UI, then the library's searches alone, in this process."""
    from indexer.web.server import web_server

    states = page_states(app)
    web = web_server(app, host="127.0.0.1", port=0).start()
    if not web.wait_started():
        raise SystemExit("the web UI did not start")
    try:
        pages, per_state = measure_pages(web.url, states, rounds)
    finally:
        web.stop()
    return states, pages, per_state, measure_library(app, states, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="real articles ingested (NLP)")
    parser.add_argument("--documents", type=int, default=20000, help="documents in the index when measured")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the bench index")
    args = parser.parse_args()
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} is not here")
        return
    index = f"bench-web-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="presswatch-web-bench-") as scratch:
        app, ingested, documents = build_index(Path(scratch), index, args.articles, args.documents)
        try:
            states, pages, per_state, library = measure(app, args.rounds)
        finally:
            if not args.keep:
                app.store.drop()
                app.entity_index.drop()
    report(ingested, documents, states, args.rounds, pages, per_state, library)


def report(ingested: dict, documents: int, states: list[str], rounds: int, pages: list[float],
           per_state: dict[str, list[float]], library: list[float]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"{ingested['articles']} real articles ingested in {ingested['seconds']:.0f} s; "
                  f"index of {documents} documents; {len(states)} pages x {rounds} rounds")
    table = Table(title="search page, server-side ms")
    for column in ("page", "p50", "p95"):
        table.add_column(column)
    for state, values in per_state.items():
        table.add_row(state[:70], f"{statistics.median(values):.1f}", f"{percentile(values, 95):.1f}")
    console.print(table)
    p50, p95 = statistics.median(pages), percentile(pages, 95)
    ref50, ref95 = statistics.median(library), percentile(library, 95)
    console.print(f"all pages: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= 150 ms: "
                  f"{'met' if p95 <= 150 else 'NOT met'})")
    console.print(f"reference, PressWatch.search alone (same states, same run): p50 {ref50:.1f} ms, p95 {ref95:.1f} ms")
    console.print(f"ratio page / search: p50 {p50 / ref50:.2f}x, p95 {p95 / ref95:.2f}x")
    print(json.dumps({"documents": documents, "page_p50_ms": round(p50, 1), "page_p95_ms": round(p95, 1),
                      "search_p50_ms": round(ref50, 1), "search_p95_ms": round(ref95, 1),
                      "ratio_p95": round(p95 / ref95, 2), "target_met": p95 <= 150}))


if __name__ == "__main__":
    main()
