"""Page furniture: how many words `indexer.boilerplate` removes, what, and that no article loses its text.

    PYTHONPATH=. .venv/bin/python bench/boilerplate.py [--min-articles 3] [--min-share 0.005] [--sweep 3:0,3:0.005] [--top 15]
        [--corpora ../shared/corpora] [--sample-out FILE]

For each corpus of ../shared/corpora (Dai 2017, BBC, PolNeAR, Reuters-21578; outlets as the corpus gives
them), the articles are learned as an ingest learns them (windows of 500, in file order, statistics in
memory), then each is stripped. Printed per outlet: articles, words, words removed (share), articles
with anything removed, the largest share one article lost, and the most frequent removed units with the
rule that removed them. Then:

- **real text kept**: the articles that lost more than 20% of their words (listed), and how many kept
  fewer than 40 words when they had more than 60;
- **the sweep**: for each MIN_ARTICLES:MIN_SHARE setting, words removed and the precision and recall of
  "furniture" on the judged units of `bench/data/boilerplate_judgements.jsonl` (640 units, judged by
  reading; stored as unit hashes, not text), on their tune half and their held-out half;
- **the HTML benchmark** (html/article-extraction-benchmark): the bodies trafilatura extracts, stripped,
  against the benchmark's hand-checked article text: the share of ground-truth words lost, i.e.
  real text removed as furniture (trafilatura's own misses are not counted).

`--sample-out FILE` writes a seeded sample of 200 removed units (with their article's id and outlet) as
JSON lines, to judge by hand. Exits 0 with a message when the corpora are missing.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import sys
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.boilerplate import EDGE, MIN_ARTICLES, MIN_SHARE, Boilerplate, UnitStats, learnable, units  # noqa: E402
from corpora import corpus_article, read_jsonl  # noqa: E402  (bench/corpora.py)
from indexer.model import Article, Source  # noqa: E402

JUDGEMENTS = REPO / "bench" / "data" / "boilerplate_judgements.jsonl"
CORPORA = ("dai2017", "bbc2225", "polnear-train", "polnear-dev", "reuters21578")


def read_articles(path: Path) -> list[tuple[str, Article]]:
    corpus = path.name.split(".")[0]
    return [(d["id"], corpus_article(d, corpus)) for d in read_jsonl(path, keep=lambda d: d.get("text"))]


def strip_all(articles: list[tuple[str, Article]], min_articles: int, min_share: float = 0.0, edge: float = 1.0):
    boilerplate = Boilerplate(stats=UnitStats(), min_articles=min_articles, min_share=min_share, edge=edge)
    records = ((article, aid) for aid, article in articles)
    return [(aid, stripped) for stripped, aid in boilerplate.strip_stream(records)]


def write_units(results, path: Path) -> None:
    """Each distinct unit removed as repeated, once per outlet, with how many articles it was removed from."""
    seen: Counter = Counter()
    outlets = Counter(s.article.outlet for _, s in results)
    example = {}
    for aid, s in results:
        for r in s.removed:
            if r.reason.startswith("repeated"):
                key = (s.article.outlet, " ".join(r.text.split()))
                seen[key] += 1
                example.setdefault(key, aid)
    with path.open("w", encoding="utf-8") as f:
        for (outlet, text), n in sorted(seen.items()):
            f.write(json.dumps({"outlet": outlet, "text": text, "articles": n, "outlet_articles": outlets[outlet],
                                "example": example[(outlet, text)]}, ensure_ascii=False) + "\n")


def judged_units(articles) -> list[dict]:
    return [json.loads(line) for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_judged(results, judged: list[dict]) -> dict:
    """Precision and recall of 'furniture' over the judged units, per split: a judged unit counts as
    removed when it was removed as repeated from any article of its outlet."""
    removed = set()
    for _, s in results:
        for r in s.removed:
            if r.reason.startswith("repeated"):
                removed.update((s.article.outlet, u.key) for u in units(r.text) if learnable(u, len(r.text)))
    out = {}
    for split in ("tune", "heldout"):
        rows = [j for j in judged if j["split"] == split]
        tp = sum(1 for j in rows if j["judgement"] == "furniture" and (j["outlet"], j["unit"]) in removed)
        fp = sum(1 for j in rows if j["judgement"] == "content" and (j["outlet"], j["unit"]) in removed)
        fn = sum(1 for j in rows if j["judgement"] == "furniture" and (j["outlet"], j["unit"]) not in removed)
        out[split] = {"p": tp / (tp + fp) if tp + fp else 1.0, "r": tp / (tp + fn) if tp + fn else 0.0, "n": len(rows)}
    return out


def report(results, top: int) -> dict:
    by_outlet = defaultdict(list)
    for aid, stripped in results:
        by_outlet[stripped.article.outlet].append((aid, stripped))
    totals = Counter()
    lost_a_lot, emptied = [], 0
    print(f"{'outlet':22} {'articles':>8} {'words':>9} {'removed':>8} {'share':>6} {'touched':>8} {'max':>5}")
    for outlet, rows in sorted(by_outlet.items()):
        words = sum(len(s.article.body.split()) + s.words_removed for _, s in rows)
        removed = sum(s.words_removed for _, s in rows)
        touched = sum(1 for _, s in rows if s.removed)
        shares = []
        for aid, s in rows:
            before = len(s.article.body.split()) + s.words_removed
            share = s.words_removed / before if before else 0
            shares.append(share)
            if share > 0.2:
                lost_a_lot.append((aid, outlet, share, [r.text[:80] for r in s.removed][:3]))
            if before > 60 and len(s.article.body.split()) < 40:
                emptied += 1
        totals.update(articles=len(rows), words=words, removed=removed, touched=touched)
        print(f"{outlet[:22]:22} {len(rows):>8} {words:>9} {removed:>8} {removed / max(words, 1):>6.1%}"
              f" {touched:>8} {max(shares, default=0):>5.0%}")
        units = Counter((r.text if len(r.text) < 70 else r.text[:67] + "...", r.reason.split(" in ")[0])
                        for _, s in rows for r in s.removed)
        for (text, why), n in units.most_common(top):
            print(f"    {n:>5}  {why:28} {text!r}")
    print(f"{'all':22} {totals['articles']:>8} {totals['words']:>9} {totals['removed']:>8}"
          f" {totals['removed'] / max(totals['words'], 1):>6.1%} {totals['touched']:>8}")
    print(f"\nreal text kept: {len(lost_a_lot)} articles lost more than 20% of their words;"
          f" {emptied} kept fewer than 40 words out of more than 60")
    for aid, outlet, share, texts in lost_a_lot[:20]:
        print(f"    {aid} ({outlet}) lost {share:.0%}: {texts}")
    return {"articles": totals["articles"], "words": totals["words"], "removed": totals["removed"],
            "touched": totals["touched"], "lost_over_20pct": len(lost_a_lot), "emptied": emptied}


def html_benchmark(corpora: Path, min_articles: int) -> dict | None:
    path = corpora / "html" / "article-extraction-benchmark.tar.gz"
    if not path.is_file():
        return None
    import trafilatura

    with tarfile.open(path) as tar:
        names = {m.name: m for m in tar.getmembers()}
        truth_name = next(n for n in names if n.endswith("ground-truth.json"))
        truth = json.load(tar.extractfile(names[truth_name]))
        pages = []
        for key, value in truth.items():
            member = next((m for n, m in names.items() if n.endswith(f"html/{key}.html.gz")), None)
            if member is None or not value.get("articleBody"):
                continue
            html = gzip.open(io.BytesIO(tar.extractfile(member).read())).read().decode("utf-8", "replace")
            body = trafilatura.extract(html) or ""
            pages.append((key, value["articleBody"], body, value.get("url") or key))
    boilerplate = Boilerplate(stats=UnitStats(), min_articles=min_articles)
    articles = [(key, Article(title="", body=body, source=Source("bench", "html", "0" * 64, 0),
                              outlet=(url.split("/")[2] if "//" in url else None)))
                for key, _, body, url in pages]
    stripped = dict((aid, s) for s, aid in boilerplate.strip_stream((a, k) for k, a in articles))
    lost = kept = 0
    for key, gold, body, _ in pages:
        gold_words = Counter(gold.split())
        before = Counter(body.split()) & gold_words
        after = Counter(stripped[key].article.body.split()) & gold_words
        kept += sum(after.values())
        lost += sum((before - after).values())
    share = lost / max(lost + kept, 1)
    print(f"\nHTML benchmark: {len(pages)} pages; ground-truth words removed as furniture: {lost}"
          f" of {lost + kept} ({share:.2%})")
    return {"pages": len(pages), "gold_words_lost": lost, "gold_words": lost + kept}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--min-articles", type=int, default=MIN_ARTICLES)
    ap.add_argument("--sweep", default="3:0.002,3:0.005,5:0.005,3:0.005:0.3,3:0.005:0.2,5:0.005:0.2",
                    help="MIN_ARTICLES:MIN_SHARE[:EDGE] settings scored against the judged units")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--sample-out", type=Path)
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    ap.add_argument("--edge", type=float, default=EDGE)
    ap.add_argument("--units-out", type=Path, help="write each distinct learned unit (outlet, text, articles) as JSON lines")
    args = ap.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"corpora not found at {args.corpora}: nothing to measure")
        return 0
    articles = [a for name in CORPORA if (args.corpora / f"{name}.jsonl.gz").is_file()
                for a in read_articles(args.corpora / f"{name}.jsonl.gz")]
    results = strip_all(articles, args.min_articles, args.min_share, args.edge)
    print(f"## furniture removed (min_articles={args.min_articles})")
    summary = report(results, args.top)
    if args.sample_out:
        removed = [(aid, s.article.outlet, r.text, r.reason) for aid, s in results for r in s.removed]
        random.Random(7).shuffle(removed)
        with args.sample_out.open("w", encoding="utf-8") as f:
            for aid, outlet, text, reason in removed[:200]:
                f.write(json.dumps({"id": aid, "outlet": outlet, "text": text, "reason": reason}) + "\n")
    if args.units_out:
        write_units(results, args.units_out)
    judged = judged_units(articles) if JUDGEMENTS.is_file() else []
    sweep = {}
    if judged:
        print(f"\n## judged units ({JUDGEMENTS.relative_to(REPO)}): furniture found / content removed,"
              " as precision and recall of 'furniture'; thresholds chosen on tune")
    for setting in [v for v in args.sweep.split(",") if v]:
        min_articles, min_share, *edge = setting.split(":")
        rows = strip_all(articles, int(min_articles), float(min_share), float(edge[0]) if edge else 1.0)
        removed = sum(s.words_removed for _, s in rows)
        scores = score_judged(rows, judged) if judged else {}
        sweep[setting] = {"removed": removed, **scores}
        figures = "  ".join(f"{split} P {v['p']:.3f} R {v['r']:.3f} ({v['n']} units)" for split, v in scores.items())
        print(f"  {setting:>10}  {removed:>8} words removed  {figures}")
    html = html_benchmark(args.corpora, args.min_articles)
    print(json.dumps({"bench": "boilerplate", "min_articles": args.min_articles, **summary,
                      "sweep": sweep, "html": html}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
