"""Reading ../shared/corpora for the bench scripts: records, articles and texts, one way for all of them.

Each corpus is ``NAME.jsonl.gz``, one JSON article a line (``id, outlet, url, date, title, text``...;
see the corpora's README). Nothing here is copied into the repository.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from indexer.model import Article, Source


def read_jsonl(path: Path, limit: int | None = None, keep: Callable[[dict], object] = lambda d: True) -> Iterator[dict]:
    """The records of one corpus file that `keep` accepts, at most `limit` of them."""
    n = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if not keep(d):
                continue
            yield d
            n += 1
            if limit and n >= limit:
                return


def corpus_article(record: dict, corpus: str) -> Article:
    """A record as the article an ingest would read (the corpus name stands in for a missing outlet)."""
    return Article(title=record.get("title") or "", body=record.get("text") or "",
                   source=Source(f"{corpus}.jsonl.gz", "jsonl", "0" * 64, 0), outlet=record.get("outlet") or corpus)


def corpus_texts(corpora: Path, names: Iterable[str], *, max_chars: int, skip: frozenset = frozenset(),
                 with_text_only: bool = True) -> Iterator[str]:
    """``title + "\\n\\n" + text`` of every record of the named corpora that exist, cut at `max_chars`;
    records with an empty text are left out unless `with_text_only` is false, those whose (corpus, id) is
    in `skip` always."""
    for name in names:
        path = corpora / f"{name}.jsonl.gz"
        if not path.is_file():
            continue
        for d in read_jsonl(path):
            if (with_text_only and not d.get("text")) or (name, d.get("id")) in skip:
                continue
            yield f"{d.get('title') or ''}\n\n{d.get('text') or ''}"[:max_chars]
