"""How well `.html` files become articles: body text and metadata against hand-made expectations.

    .venv/bin/python bench/html_extraction.py [--limit N]

- article-extraction-benchmark (181 pages, ground-truth `articleBody`): word-bag precision, recall, F1.
- Mozilla Readability's test pages (130, `expected.html` + `expected-metadata.json`): body F1, and how
  often title, byline, site name and published date match where the expectation has one.

Reads ../shared/corpora/html; skips cleanly (exit 0) when it is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HTML = REPO.parent / "shared" / "corpora" / "html"
sys.path.insert(0, str(REPO))

from indexer.errors import SourceError  # noqa: E402
from indexer.sources import read_file  # noqa: E402

WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text or ""))


def prf(got: str, expected: str) -> tuple[float, float, float]:
    g, e = words(got), words(expected)
    common = sum((g & e).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(e.values()) if e else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def extract(html: str, folder: Path):
    path = folder / "page.html"
    path.write_text(html, encoding="utf-8")
    try:
        return next(read_file(path))
    except SourceError:
        return None


def same(a: str | None, b: str | None) -> bool:
    norm = lambda s: " ".join(WORD.findall((s or "").lower()))  # noqa: E731
    return bool(norm(a)) and (norm(a) == norm(b) or norm(b) in norm(a) or norm(a) in norm(b))


def aeb(root: Path, limit: int | None, tmp: Path) -> dict:
    truth = json.loads((root / "ground-truth.json").read_text())
    scores = []
    for n, (key, item) in enumerate(truth.items()):
        if limit and n >= limit:
            break
        html = gzip.open(root / "html" / f"{key}.html.gz", "rt", encoding="utf-8", errors="replace").read()
        article = extract(html, tmp)
        scores.append(prf(article.body if article else "", item["articleBody"]))
    return _mean(scores) | {"pages": len(scores)}


def readability(root: Path, limit: int | None, tmp: Path) -> dict:
    pages = sorted(p for p in root.iterdir() if (p / "source.html").exists())[:limit]
    scores, fields = [], {k: [0, 0] for k in ("title", "byline", "siteName", "publishedTime")}
    for page in pages:
        meta = json.loads((page / "expected-metadata.json").read_text())
        expected_body = re.sub(r"<[^>]+>", " ", (page / "expected.html").read_text(errors="replace"))
        article = extract((page / "source.html").read_text(errors="replace"), tmp)
        scores.append(prf(article.body if article else "", expected_body))
        got = {"title": article and article.title, "byline": article and ", ".join(article.authors),
               "siteName": article and article.outlet,
               "publishedTime": article and article.published_at and article.published_at.date().isoformat()}
        for key, counts in fields.items():
            if meta.get(key):
                counts[1] += 1
                expected = meta[key][:10] if key == "publishedTime" else meta[key]
                counts[0] += same(got[key], expected)
    return _mean(scores) | {"pages": len(scores)} | {
        f"{k}_accuracy": round(hit / total, 3) if total else None for k, (hit, total) in fields.items()}


def _mean(scores: list[tuple[float, float, float]]) -> dict:
    n = len(scores) or 1
    return {name: round(sum(s[i] for s in scores) / n, 3) for i, name in enumerate(("precision", "recall", "f1"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="pages per set")
    args = parser.parse_args()
    archives = [HTML / "article-extraction-benchmark.tar.gz", HTML / "readability-testpages.tar.gz"]
    if not all(a.exists() for a in archives):
        print(f"skipped: the HTML corpora are not in {HTML}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for archive in archives:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp / "data", filter="data")
        results = {
            "article_extraction_benchmark": aeb(tmp / "data" / "scrapinghub_aeb", args.limit, tmp),
            "readability_testpages": readability(tmp / "data" / "readability_testpages", args.limit, tmp),
        }
    for name, figures in results.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
