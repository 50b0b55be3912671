"""Lone surnames decided by the article's company (`indexer.identity.context`), scored by leaving the
name out: how often would an article that says only "Bush" get the right Bush?

    .venv/bin/python bench/surname_context.py [--corpus polnear-train,polnear-dev] [--limit N] [--index NAME]

1. Ingests the corpora's articles into a fresh index through the product CLI (`presswatch ingest
   --no-prefect`), or reads `--index` as it is (e.g. one `bench/facets.py --keep` left).
2. Resolves the corpus in memory from the articles' own entity refs, as a consolidation does, and finds
   the surnames it leaves undecided ("bush": George W., George H. W., Jeb) with their candidates.
3. Every article that names exactly one candidate of such a surname by its own name is a test case: the
   candidate's profile is rebuilt without that article, and `SurnameContext.choose` is asked who the
   surname is, given the article's other entities. Leave-one-out, so no case scores its own evidence.
4. Prints, per posterior threshold, the share of cases decided (coverage) and the share of decided cases
   that are right (accuracy), the shipped threshold marked, and the most frequent surnames.

A hidden full name stands in for an article that writes only the surname; such articles are shorter
and lean more on context, so the figures are a proxy. The last line is one JSON object with every figure.
Skips (exit 0) without the corpora.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import read_jsonl  # noqa: E402
from same_event import CORPORA, REPO, Product, client_for, connection_env, drop_index  # noqa: E402

from indexer.identity import Knowledge, SurnameContext, corpus_surfaces, own_refs, resolve_corpus  # noqa: E402
from indexer.identity.context import MIN_POSTERIOR, Profile  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99)


def write_corpora(folder: Path, corpora: list[str], limit: int | None) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as f:
        for name in corpora:
            for d in read_jsonl(CORPORA / f"{name}.jsonl.gz", limit, keep=lambda d: d.get("text")):
                record = {k: d.get(k) for k in ("id", "outlet", "url", "date", "title", "text")}
                record["id"] = f"{name}-{record['id']}"
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    old = time.time() - 60
    os.utime(folder / "articles.jsonl", (old, old))
    return n


def read_entities(client, index: str) -> list[dict]:
    from elasticsearch import helpers

    return [hit["_source"] for hit in helpers.scan(client, index=index, query={"_source": ["entities", "published_at"]},
                                                  size=500)]


def corpus_resolution(docs: list[dict]):
    return resolve_corpus(corpus_surfaces(docs), Knowledge.load())


def leave_one_out(docs: list[dict], resolution) -> tuple[list[tuple[str, str, dict[float, str | None]]], int]:
    """(surname ref, the true candidate, {threshold: the candidate chosen or None}) per test case."""
    context = SurnameContext.build(resolution, (own_refs(d) for d in docs))
    cases = []
    for doc in docs:
        ids = {cid for ref in own_refs(doc) if (cid := resolution.by_ref.get(ref)) is not None}
        for ref, candidates in context.candidates.items():
            named = ids & set(candidates)
            if len(named) != 1:
                continue
            truth = next(iter(named))
            others = ids - {truth}
            posteriors = _posteriors_without(context, ref, truth, ids, others)
            best = max(posteriors, key=lambda c: (posteriors[c], c)) if posteriors else None
            chosen = {t: best if best is not None and posteriors[best] >= t else None for t in THRESHOLDS}
            cases.append((ref, truth, chosen))
    return cases, len(context.candidates)


def _posteriors_without(context: SurnameContext, ref: str, truth: str, ids: set[str], others: set[str]
                        ) -> dict[str, float]:
    """`context.posteriors` with the test article taken out of the true candidate's profile."""
    profile = context.profiles[truth]
    held = Profile(profile.articles - 1, profile.beside - collections.Counter(ids - {truth}))
    trial = SurnameContext(context.candidates, {**context.profiles, truth: held}, context.resolution)
    return trial.posteriors(ref, others)


def report(cases, resolution, undecided: int) -> dict:
    figures: dict = {"cases": len(cases), "undecided_surnames": undecided, "by_threshold": {}}
    print(f"{undecided} lone surnames left undecided by the corpus; {len(cases)} leave-one-out cases")
    print("threshold  decided   right    coverage  accuracy")
    for t in THRESHOLDS:
        decided = [(truth, chosen[t]) for _, truth, chosen in cases if chosen[t] is not None]
        right = sum(1 for truth, pick in decided if truth == pick)
        coverage = len(decided) / len(cases) if cases else 0.0
        accuracy = right / len(decided) if decided else 0.0
        mark = "  <- shipped" if t == MIN_POSTERIOR else ""
        print(f"{t:>9}  {len(decided):>7}  {right:>6}    {coverage:7.1%}  {accuracy:8.1%}{mark}")
        figures["by_threshold"][str(t)] = {"decided": len(decided), "right": right,
                                           "coverage": round(coverage, 4), "accuracy": round(accuracy, 4)}
    by_ref = collections.Counter(ref for ref, _, _ in cases)
    print("most frequent surnames (cases; right / decided at the shipped threshold):")
    for ref, n in by_ref.most_common(12):
        decided = [(truth, c[MIN_POSTERIOR]) for r, truth, c in cases if r == ref and c[MIN_POSTERIOR] is not None]
        right = sum(1 for truth, pick in decided if truth == pick)
        names = sorted({resolution.clusters[truth].name for r, truth, _ in cases if r == ref})
        print(f"  {ref:<24} {n:>4}  {right}/{len(decided)}  {', '.join(names[:5])}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="polnear-train,polnear-dev", help="comma-separated corpora to ingest")
    parser.add_argument("--limit", type=int, help="articles per corpus")
    parser.add_argument("--index", help="score this existing index instead of ingesting")
    parser.add_argument("--keep", action="store_true", help="leave the ingested index in Elasticsearch")
    args = parser.parse_args(argv)
    corpora = [c for c in args.corpus.split(",") if c]
    if not args.index and not all((CORPORA / f"{c}.jsonl.gz").exists() for c in corpora):
        print(f"skipped: {CORPORA} does not hold {', '.join(corpora)}")
        return 0
    es_env = connection_env()
    client = client_for(es_env)
    index = args.index or f"bench-surname-context-{os.getpid()}-{int(time.time())}"
    try:
        if not args.index:
            with tempfile.TemporaryDirectory(prefix="presswatch-surnames-") as tmp:
                n = write_corpora(Path(tmp) / "input", corpora, args.limit)
                print(f"ingesting {n} articles into {index} ...", flush=True)
                done = Product(REPO, index, Path(tmp) / "home", es_env).run("ingest", "--no-prefect", "--json",
                                                                         str(Path(tmp) / "input"))
                if done.returncode != 0:
                    print(done.stdout[-2000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
                    raise SystemExit(f"presswatch ingest failed (exit {done.returncode})")
        client.indices.refresh(index=index)
        docs = [d for d in read_entities(client, index) if all("ref" in e for e in d.get("entities") or [])]
    finally:
        if not args.index and not args.keep:
            drop_index(client, index)
    resolution = corpus_resolution(docs)
    cases, undecided = leave_one_out(docs, resolution)
    figures = {"articles": len(docs), **report(cases, resolution, undecided)}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
