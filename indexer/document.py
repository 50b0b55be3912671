"""The indexed document: one JSON object per article, exactly what `presswatch enrich` prints."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from .identity import prepare_document
from .model import FACET_FIELDS, NOT_IN_FACETS, Article, Entity, Quote


def article_id(article: Article) -> str:
    """Stable id: the input's own id, else the canonical URL, else the text itself."""
    if article.id:
        return article.id
    if article.url:
        basis = "url:" + canonical_url(article.url)
    else:
        basis = "text:" + " ".join(f"{article.title}\n{article.body}".split())
    return hashlib.sha256(basis.encode()).hexdigest()[:24]


def canonical_url(url: str) -> str:
    """Scheme, case of the host, a trailing slash and tracking parameters don't make a new article."""
    parts = urlsplit(url.strip())
    query = "&".join(
        p for p in parts.query.split("&") if p and not re.match(r"(utm_[a-z]+|fbclid|gclid)=", p)
    )
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))


def build_document(
    article: Article,
    *,
    outlet: str | None,
    entities: list[Entity],
    quotes: list[Quote],
    cited_outlets: list[str],
    ingested_at: datetime | None = None,
) -> dict:
    doc: dict = {
        "id": article_id(article),
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "outlet": outlet,
        "published_at": _iso(article.published_at),
        "ingested_at": _iso(ingested_at or datetime.now(timezone.utc)),
        "authors": article.authors,
        "language": article.language or "en",
        "furniture_words": article.furniture_words,
    }
    for field in FACET_FIELDS.values():
        doc[field] = []
    for entity in sorted(entities, key=lambda e: (-e.mentions, e.name)):
        if entity.kind not in NOT_IN_FACETS:  # "Iranian state media" is a source, "Obamacare" a law
            doc[FACET_FIELDS[entity.label]].append(entity.name)
    doc["entities"] = [entity.to_dict() for entity in entities]
    doc["quotes"] = [quote.to_dict() for quote in quotes]
    doc["quote_speakers"] = _distinct(q.speaker for q in quotes if q.speaker)
    doc["cited_outlets"] = _distinct(o for o in cited_outlets if o and o != outlet)
    source = article.source
    doc["source"] = {"path": source.path, "format": source.format, "sha256": source.sha256,
                     "bytes": source.bytes}
    if source.line is not None:
        doc["source"]["line"] = source.line
    return prepare_document(doc)


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(values))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
