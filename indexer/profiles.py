"""What the index says about one entity: its quotes (over time, by outlet, searchable), the articles
that mention it and the entities mentioned alongside it. Read-only: the web UI's entity page."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import FACET_FIELDS
from .search import DateBucket, FacetValue, choose_interval, date_span, histogram_aggregation
from .store import Store

QUOTE_FIELDS = ["quotes.text", "quotes.speaker", "quotes.cue", "quotes.kind", "quotes.speaker_mention",
                "quotes.confidence", "quotes.speaker_id"]


@dataclass
class QuoteHit:
    text: str
    article_id: str
    title: str
    outlet: str | None
    published_at: str | None
    cue: str | None
    kind: str | None
    confidence: float | None
    speaker_mention: str | None


@dataclass
class EntityProfile:
    entity: dict  # the entity index's document
    articles: int  # articles that mention it
    quoted_articles: int  # articles that quote it
    quotes: list[QuoteHit] = field(default_factory=list)  # newest first, matching the text if one was given
    quotes_total: int = 0  # quotes of it (matching the text)
    quotes_over_time: list[DateBucket] = field(default_factory=list)  # quotes per period
    interval: str | None = None  # the period ("1w", "1M"...)
    quotes_by_outlet: list[FacetValue] = field(default_factory=list)  # outlets, by quotes carried
    co_mentioned: dict[str, list[FacetValue]] = field(default_factory=dict)  # persons, organizations, locations
    mentioned_by: list[FacetValue] = field(default_factory=list)  # the outlets of the articles that mention it


def _mentions(entity: dict) -> dict:
    return {"bool": {"should": [{"term": {"entity_ids": entity["id"]}},
                                {"term": {FACET_FIELDS.get(entity["label"], "persons"): entity["name"]}}],
                      "minimum_should_match": 1}}


def _speaker_is(entity: dict, text: str | None) -> dict:
    query: dict = {"bool": {"should": [{"term": {"quotes.speaker_id": entity["id"]}},
                                       {"term": {"quotes.speaker": entity["name"]}}], "minimum_should_match": 1}}
    if text:
        query["bool"]["must"] = [{"match": {"quotes.text": {"query": text, "operator": "and"}}}]
    return query


def profile_request(entity: dict, *, text: str | None = None, quotes: int = 50, facet_size: int = 10,
                    span: tuple[float, float] | None = None) -> dict:
    """One search: the articles quoting the entity, newest first, with its quotes as inner hits; quotes
    per period and per outlet; and, over all the articles that mention it (a global aggregation), the
    entities mentioned alongside."""
    quoted = _speaker_is(entity, text)
    quote_count = {"quotes": {"nested": {"path": "quotes"}, "aggs": {"of": {"filter": quoted}}}}
    co_mentioned = {name: {"terms": {"field": name, "size": facet_size + 1}} for name in FACET_FIELDS.values()}
    co_mentioned["outlets"] = {"terms": {"field": "outlet", "size": facet_size}}
    request = {
        "query": {"nested": {"path": "quotes", "query": quoted, "score_mode": "none",
                             "inner_hits": {"size": 20, "_source": QUOTE_FIELDS}}},
        "size": quotes,
        "sort": [{"published_at": {"order": "desc", "missing": "_last"}}],
        "_source": ["title", "outlet", "published_at"],
        "track_total_hits": True,
        "aggs": {
            **quote_count,
            "by_outlet": {"terms": {"field": "outlet", "size": facet_size}, "aggs": quote_count},
            "all": {"global": {}, "aggs": {"mentioning": {"filter": _mentions(entity), "aggs": co_mentioned}}},
        },
    }
    if span is not None:
        request["aggs"]["over_time"] = histogram_aggregation(span, buckets=40)[0] | {"aggs": quote_count}
    return request


def _quote_hits(response: dict) -> list[QuoteHit]:
    hits = []
    for raw in response["hits"]["hits"]:
        source = raw.get("_source", {})
        for inner in raw.get("inner_hits", {}).get("quotes", {}).get("hits", {}).get("hits", []):
            quote = inner["_source"]
            hits.append(QuoteHit(quote.get("text", ""), raw["_id"], source.get("title", ""), source.get("outlet"),
                                 source.get("published_at"), quote.get("cue"), quote.get("kind"),
                                 quote.get("confidence"), quote.get("speaker_mention")))
    return hits


def entity_profile(store: Store, entity: dict, *, text: str | None = None, quotes: int = 50,
                   facet_size: int = 10) -> EntityProfile:
    span = date_span(store, {"nested": {"path": "quotes", "query": _speaker_is(entity, text)}})
    response = store.search(profile_request(entity, text=text, quotes=quotes, facet_size=facet_size, span=span))
    aggs = response["aggregations"]
    mentioning = aggs["all"]["mentioning"]
    return EntityProfile(
        entity=entity,
        articles=mentioning["doc_count"],
        quoted_articles=response["hits"]["total"]["value"],
        quotes=_quote_hits(response),
        quotes_total=aggs["quotes"]["of"]["doc_count"],
        quotes_over_time=[DateBucket(b["key_as_string"], b["quotes"]["of"]["doc_count"])
                          for b in aggs.get("over_time", {}).get("buckets", [])],
        interval=choose_interval(*span, buckets=40)[1] if span else None,
        quotes_by_outlet=[FacetValue(b["key"], b["doc_count"], quotes=b["quotes"]["of"]["doc_count"])
                          for b in aggs["by_outlet"]["buckets"]],
        co_mentioned={name: [FacetValue(b["key"], b["doc_count"]) for b in mentioning[name]["buckets"]
                             if b["key"] != entity["name"]][:facet_size]
                      for name in FACET_FIELDS.values()},
        mentioned_by=[FacetValue(b["key"], b["doc_count"]) for b in mentioning["outlets"]["buckets"]],
    )
