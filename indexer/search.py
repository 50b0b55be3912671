"""Faceted search over the article index: the query PressWatch sends, and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .store import Store

FACET_SIZE = 10


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    persons: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    min_confidence: float | None = None  # quotes: only attributions at least this confident count
    size: int = 10
    offset: int = 0


@dataclass
class Hit:
    id: str
    score: float | None
    title: str
    outlet: str | None
    published_at: str | None
    url: str | None
    persons: list[str]
    quotes: list[dict] = field(default_factory=list)  # the quotes that matched a speaker filter
    highlights: list[str] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str
    count: int  # articles
    quotes: int | None = None  # for speakers: how many quotes


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: int


def _name_filter(field_name: str, name: str) -> dict:
    """An exact facet value, or the name as a phrase (so "Khamenei" finds "Ali Khamenei")."""
    return {"bool": {"should": [
        {"term": {field_name: name}},
        {"match_phrase": {f"{field_name}.text": name}},
    ], "minimum_should_match": 1}}


def _confident(query: SearchQuery) -> list[dict]:
    """Quotes at least as confident as asked; a quote indexed before quotes had a confidence counts as
    1, the confidence of the rules it came from."""
    if query.min_confidence is None:
        return []
    return [{"bool": {"should": [{"range": {"quotes.confidence": {"gte": query.min_confidence}}},
                                 {"bool": {"must_not": {"exists": {"field": "quotes.confidence"}}}}],
                      "minimum_should_match": 1}}]


def _speakers_facet(query: SearchQuery) -> dict:
    names = {"names": {"terms": {"field": "quotes.speaker", "size": FACET_SIZE},
                       "aggs": {"articles": {"reverse_nested": {}}}}}
    confident = _confident(query)
    if confident:
        names = {"confident": {"filter": {"bool": {"filter": confident}}, "aggs": names}}
    return {"nested": {"path": "quotes"}, "aggs": names}


def build_request(query: SearchQuery) -> dict[str, Any]:
    must: list[dict] = []
    filters: list[dict] = []
    for field_name, names in (("persons", query.persons), ("organizations", query.organizations),
                              ("outlet", query.outlets)):
        filters.extend(_name_filter(field_name, name) for name in names)
    if query.speakers:
        # Speaker and text in the same quote: one nested query per speaker.
        for speaker in query.speakers:
            quote_query: dict = {"bool": {"filter": [_name_filter("quotes.speaker", speaker), *_confident(query)]}}
            if query.text:
                quote_query["bool"]["must"] = [{"match": {"quotes.text": {"query": query.text,
                                                                          "operator": "and"}}}]
            must.append({"nested": {
                "path": "quotes", "query": quote_query, "score_mode": "sum",
                "inner_hits": {"size": 5, "_source": ["quotes.text", "quotes.speaker", "quotes.cue",
                                                      "quotes.kind", "quotes.speaker_mention",
                                                      "quotes.confidence"],
                               "highlight": {"fields": {"quotes.text": {"number_of_fragments": 0}}},
                               "name": f"quotes:{speaker}"},
            }})
    elif query.text:
        must.append({"multi_match": {"query": query.text, "fields": ["title^2", "body"],
                                     "type": "best_fields", "operator": "and"}})
    return {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "size": query.size,
        "from": query.offset,
        "track_total_hits": True,
        "_source": ["title", "outlet", "published_at", "url", "persons"],
        "highlight": {"fields": {"body": {"number_of_fragments": 2, "fragment_size": 160}}}
        if query.text and not query.speakers else None,
        "aggs": {
            "persons": {"terms": {"field": "persons", "size": FACET_SIZE}},
            "organizations": {"terms": {"field": "organizations", "size": FACET_SIZE}},
            "outlets": {"terms": {"field": "outlet", "size": FACET_SIZE}},
            "cited_outlets": {"terms": {"field": "cited_outlets", "size": FACET_SIZE}},
            "speakers": _speakers_facet(query),
        },
    }


def search(store: Store, query: SearchQuery) -> SearchResult:
    request = {k: v for k, v in build_request(query).items() if v is not None}
    response = store.search(request)
    hits = []
    for raw in response["hits"]["hits"]:
        source = raw.get("_source", {})
        quotes = [inner["_source"] | ({"highlight": inner["highlight"]["quotes.text"][0]}
                                      if "highlight" in inner else {})
                  for group in raw.get("inner_hits", {}).values()
                  for inner in group["hits"]["hits"]]
        hits.append(Hit(
            id=raw["_id"], score=raw.get("_score"), title=source.get("title", ""),
            outlet=source.get("outlet"), published_at=source.get("published_at"),
            url=source.get("url"), persons=source.get("persons", []), quotes=quotes,
            highlights=raw.get("highlight", {}).get("body", []),
        ))
    aggs = response.get("aggregations", {})
    facets = {
        name: [FacetValue(b["key"], b["doc_count"]) for b in aggs[name]["buckets"]]
        for name in ("persons", "organizations", "outlets", "cited_outlets")
    }
    speakers = aggs["speakers"].get("confident", aggs["speakers"])
    facets["speakers"] = [
        FacetValue(b["key"], b["articles"]["doc_count"], quotes=b["doc_count"])
        for b in speakers["names"]["buckets"]
    ]
    return SearchResult(response["hits"]["total"]["value"], hits, facets, response.get("took", 0))
