"""The supervised NLP workers: an article that hangs, grows or kills its worker fails alone, with the
reason, and the others are enriched as usual; nothing waits for a result that cannot come."""

import threading
import time

import pytest

from indexer.errors import Cancelled, EnrichmentError
from indexer.model import Article, Source
from indexer.workers import Budget, PipelineSpec, WorkerPool

from . import traps

pytestmark = pytest.mark.slow

TRAPPED = PipelineSpec(imports=("tests.traps",), components=("presswatch_test_trap",))


def article(n: int, body: str, title: str = "") -> Article:
    return Article(title=title, body=body, id=f"w{n}", source=Source("feed.jsonl", "jsonl", "0" * 64, 0, n))


@pytest.fixture(scope="module")
def trapped_pool():
    pool = WorkerPool(2, spec=TRAPPED, budget=Budget(seconds=10, memory_mb=1800))
    yield pool
    pool.close()


def run(pool, articles):
    """{record number: document id, or the failure's text}"""
    out = {}
    for result, n in pool.enrich_pairs((a, a.source.line) for a in articles):
        out[n] = str(result) if isinstance(result, EnrichmentError) else result["id"]
    return out


def test_an_earnings_table_with_a_co_of_headline_is_enriched(workers):
    # The shape of Reuters-21578's reuters-1108, which looped forever in the organisation scan.
    wire = article(1, "Shr 8.17 dlrs vs 55 cts\n    Net 67.7 mln vs 4.5 mln\n    Revs 3.67 billion vs 3.54 billion\n"
                      "    Year\n    Shr 11.02 dlrs vs 3.92 dlrs\n    Note: Ford Motor Co owns 90 pct",
                   "MAPLE MOTOR CO OF CANADA LTD <MMC> 4TH QTR NET")
    [(document, _)] = list(workers.enrich_pairs([(wire, None)]))
    assert document["id"] == "w1" and "Maple Motor Co" in document["organizations"]


def test_a_never_ending_article_fails_alone_and_the_rest_are_enriched(trapped_pool):
    articles = [article(n, f"Angela Merkel spoke in Berlin, item {n}.") for n in range(1, 7)]
    articles.insert(3, article(99, f"Olaf Scholz replied. {traps.NEVER_ENDING}"))
    started = time.monotonic()
    out = run(trapped_pool, articles)
    assert out.pop(99) == "feed.jsonl:99: enrichment took over 10 s; its worker was stopped"
    assert out == {n: f"w{n}" for n in range(1, 7)}
    assert time.monotonic() - started < 60


def test_an_article_over_the_memory_budget_fails_alone(trapped_pool):
    articles = [article(1, "Theresa May spoke."), article(2, f"A hoard. {traps.MEMORY_HOG}"),
                article(3, "Jeremy Corbyn replied.")]
    out = run(trapped_pool, articles)
    assert out[2].startswith("feed.jsonl:2: enrichment used over") or "killed by SIGKILL" in out[2]
    assert (out[1], out[3]) == ("w1", "w3")


def test_a_worker_that_dies_fails_only_its_article_with_the_signal(trapped_pool):
    articles = [article(1, "Theresa May spoke."), article(2, f"Crash. {traps.SEGFAULT}"),
                article(3, "Jeremy Corbyn replied.")]
    out = run(trapped_pool, articles)
    assert out[2] == "feed.jsonl:2: the NLP worker died (killed by SIGSEGV)"
    assert (out[1], out[3]) == ("w1", "w3")
    assert len(trapped_pool.worker_pids()) == 2  # replaced


def test_an_exception_in_a_component_fails_only_its_article(trapped_pool):
    articles = [article(n, "Nicola Sturgeon spoke.") for n in (1, 2)] + [article(3, f"No. {traps.RAISES}")]
    out = run(trapped_pool, articles)
    assert "ValueError: the trap component refused this article" in out[3]
    assert (out[1], out[2]) == ("w1", "w2")


def test_cancel_stops_a_run_that_waits_on_a_hung_worker_within_seconds():
    pool = WorkerPool(1, spec=TRAPPED, budget=Budget(seconds=300))
    try:
        pool.start()
        threading.Timer(3.0, pool.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            run(pool, [article(1, f"Hang. {traps.NEVER_ENDING}")])
        assert time.monotonic() - started < 10
    finally:
        pool.close()
    assert pool.worker_pids() == []


def test_worker_documents_equal_in_process_ones(workers, enricher):
    articles = [article(n, f"Angela Merkel met Emmanuel Macron in Paris, meeting {n}. \"We agree,\" Merkel said.",
                        f"Meeting {n}") for n in range(1, 30)]
    by_worker = {ctx: doc for doc, ctx in workers.enrich_pairs((a, a.id) for a in articles)}
    for a, expected in zip(articles, enricher.enrich(articles)):
        got = dict(by_worker[a.id])
        got.pop("ingested_at"), expected.pop("ingested_at")
        assert got == expected


def test_workers_are_recycled_between_jobs_and_lose_nothing():
    pool = WorkerPool(1, recycle_after=2)
    try:
        pool.start()
        first = pool.worker_pids()
        articles = [article(n, f"Boris Johnson spoke in London, item {n}.") for n in range(1, 100)]
        out = run(pool, articles)  # 5 jobs of at most 24 articles: the worker is replaced twice
        assert out == {n: f"w{n}" for n in range(1, 100)}
        assert pool.worker_pids() != first
    finally:
        pool.close()


def test_workers_never_import_prefect(trapped_pool):
    import prefect  # noqa: F401 - imported here, in the parent, as under `presswatch up`

    out = run(trapped_pool, [article(1, f"Report. {traps.REPORT_PREFECT}")])
    assert "prefect imported: False" in out[1]
