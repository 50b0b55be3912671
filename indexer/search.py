"""Faceted search over the article index: the query PressWatch sends, and its result."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .store import Store

FACET_SIZE = 10
EXPANDED_FACET_SIZE = 50


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    persons: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    cited_outlets: tuple[str, ...] = ()
    date_from: str | None = None  # published on or after this date (YYYY-MM-DD, or any ES date)
    date_to: str | None = None  # published on or before it (the whole day)
    min_confidence: float | None = None  # quotes: only attributions at least this confident count
    size: int = 10
    offset: int = 0
    facet_size: int = FACET_SIZE
    expanded: tuple[str, ...] = ()  # facets (persons, speakers...) to list EXPANDED_FACET_SIZE values of
    histogram: bool = False  # articles over time (published_at) in `SearchResult.histogram`
    exact: bool = False  # names are facet values (the web UI's links): no phrase match beside the term
    snippets: bool = False  # every hit gets a snippet (its first lines when no word matched), the title too


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
    highlights: list[str] = field(default_factory=list)  # the body's, as HTML (see HIGHLIGHT_TAGS)
    title_highlight: str | None = None  # the title, its matching words marked, when it matched


@dataclass
class FacetValue:
    value: str
    count: int  # articles
    quotes: int | None = None  # for speakers: how many quotes


@dataclass
class DateBucket:
    start: str  # ISO date of the bucket's first day
    count: int


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: int
    histogram: list[DateBucket] = field(default_factory=list)
    interval: str | None = None  # the histogram's bucket width, as ES names it ("1d", "1M"...)

# facet name -> (document field, SearchQuery attribute); the speakers facet is nested and apart
FACET_FIELDS = {"persons": ("persons", "persons"), "organizations": ("organizations", "organizations"),
                "locations": ("locations", "locations"), "outlets": ("outlet", "outlets"),
                "cited_outlets": ("cited_outlets", "cited_outlets")}
HISTOGRAM_BUCKETS = 60


# Highlights are HTML: the article's text in them is escaped by Elasticsearch (its html encoder), and
# only the matched words are in <em>...</em>. `highlight_parts` reads one back as plain text pieces.
HIGHLIGHT_TAGS = {"encoder": "html", "pre_tags": ["<em>"], "post_tags": ["</em>"]}
_EM = re.compile(r"(</?em>)")


def highlight_parts(fragment: str) -> list[tuple[str, bool]]:
    """A highlight as (plain text, matched) pieces, in order."""
    parts, marked = [], False
    for piece in _EM.split(fragment):
        if piece in ("<em>", "</em>"):
            marked = piece == "<em>"
        elif piece:
            parts.append((html.unescape(piece), marked))
    return parts


def highlight_text(fragment: str, start: str = "<em>", end: str = "</em>") -> str:
    """A highlight as plain text, its matched words between `start` and `end`."""
    return "".join(f"{start}{text}{end}" if marked else text for text, marked in highlight_parts(fragment))


def _name_filter(field_name: str, name: str, *, exact: bool = False) -> dict:
    """An exact facet value, or (unless `exact`) the name as a phrase too ("Khamenei" finds "Ali Khamenei")."""
    if exact:
        return {"term": {field_name: name}}
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


def _date_filter(query: SearchQuery) -> list[dict]:
    bounds = {}
    if query.date_from:
        bounds["gte"] = query.date_from
    if query.date_to:  # a day counts whole: lte rounds `||/d` up to its last millisecond
        bounds["lte"] = query.date_to + ("||/d" if len(query.date_to) == 10 else "")
    return [{"range": {"published_at": bounds | {"format": "strict_date_optional_time||epoch_millis"}}}] \
        if bounds else []


def _size(query: SearchQuery, facet: str) -> int:
    return EXPANDED_FACET_SIZE if facet in query.expanded else query.facet_size


def _speakers_facet(query: SearchQuery) -> dict:
    names = {"names": {"terms": {"field": "quotes.speaker", "size": _size(query, "speakers")},
                       "aggs": {"articles": {"reverse_nested": {}}}}}
    confident = _confident(query)
    if confident:
        names = {"confident": {"filter": {"bool": {"filter": confident}}, "aggs": names}}
    return {"nested": {"path": "quotes"}, "aggs": names}


QUOTE_SOURCE = ["quotes.text", "quotes.speaker", "quotes.cue", "quotes.kind", "quotes.speaker_mention",
                "quotes.confidence"]


def _facet_filters(query: SearchQuery, *, outlets: bool = True) -> list[dict]:
    """The facet and date filters: all the values of a field, except outlets (an article has one):
    any of them. Without `outlets`, for the outlets facet itself, which stays multi-select."""
    filters: list[dict] = []
    for field_name, attribute in FACET_FIELDS.values():
        names = getattr(query, attribute)
        if field_name != "outlet":
            filters.extend(_name_filter(field_name, name, exact=query.exact) for name in names)
        elif names and outlets:
            filters.append({"bool": {"should": [_name_filter(field_name, n, exact=query.exact) for n in names],
                                     "minimum_should_match": 1}})
    return filters + _date_filter(query)


def _speaker_query(query: SearchQuery, speaker: str) -> dict:
    """Speaker and text in the same quote, its matching quotes as inner hits."""
    quote_query: dict = {"bool": {"filter": [_name_filter("quotes.speaker", speaker, exact=query.exact),
                                             *_confident(query)]}}
    if query.text:
        quote_query["bool"]["must"] = [{"match": {"quotes.text": {"query": query.text, "operator": "and"}}}]
    return {"nested": {
        "path": "quotes", "query": quote_query, "score_mode": "sum",
        "inner_hits": {"size": 5, "_source": QUOTE_SOURCE, "name": f"quotes:{speaker}",
                       "highlight": {"fields": {"quotes.text": {"number_of_fragments": 0}}, **HIGHLIGHT_TAGS}},
    }}


def _text_query(query: SearchQuery) -> list[dict]:
    if query.speakers:
        return [_speaker_query(query, speaker) for speaker in query.speakers]
    if query.text:
        return [{"multi_match": {"query": query.text, "fields": ["title^2", "body"], "type": "best_fields",
                                 "operator": "and"}}]
    return []


def _highlight(query: SearchQuery) -> dict | None:
    """The body's matching words; with `snippets`, the title's too, and without a match the body's
    first lines."""
    if query.speakers or not (query.text or query.snippets):
        return None
    body = {"number_of_fragments": 2, "fragment_size": 160}
    if not query.snippets:
        return {"fields": {"body": body}, **HIGHLIGHT_TAGS}
    return {"fields": {"title": {"number_of_fragments": 0}, "body": body | {"no_match_size": 160}}, **HIGHLIGHT_TAGS}


def build_request(query: SearchQuery) -> dict[str, Any]:
    return {
        "query": {"bool": {"must": _text_query(query) or [{"match_all": {}}], "filter": _facet_filters(query)}},
        "size": query.size,
        "from": query.offset,
        "track_total_hits": True,
        "_source": ["title", "outlet", "published_at", "url", "persons"],
        "highlight": _highlight(query),
        "aggs": _aggregations(query),
    }


def _aggregations(query: SearchQuery) -> dict:
    aggs: dict = {name: {"terms": {"field": field_name, "size": _size(query, name)}}
                  for name, (field_name, _) in FACET_FIELDS.items()}
    if query.outlets:  # counted as if no outlet were chosen, so another can be added
        aggs["outlets"] = {"global": {}, "aggs": {"chosen": {
            "filter": {"bool": {"must": _text_query(query) or [{"match_all": {}}],
                                "filter": _facet_filters(query, outlets=False)}},
            "aggs": {"values": aggs["outlets"]}}}}
    aggs["speakers"] = _speakers_facet(query)
    return aggs


# calendar intervals, finest first, with their length in days (a month and up: about)
INTERVALS = (("day", "1d", 1), ("week", "1w", 7), ("month", "1M", 30.44), ("quarter", "1q", 91.3),
             ("year", "1y", 365.25))


def choose_interval(first_ms: float, last_ms: float, buckets: int = HISTOGRAM_BUCKETS) -> tuple[str, str]:
    """The finest calendar interval that covers [first, last] in at most `buckets` bars: (ES name, short)."""
    days = (last_ms - first_ms) / 86_400_000 + 1
    for name, short, length in INTERVALS:
        if days / length <= buckets:
            return name, short
    return INTERVALS[-1][:2]


def date_span(store: Store, query: dict) -> tuple[float, float] | None:
    """The first and last publication time (epoch ms) of the documents `query` matches, or None."""
    response = store.search({"query": query, "size": 0, "track_total_hits": False,
                             "aggs": {"first": {"min": {"field": "published_at"}},
                                      "last": {"max": {"field": "published_at"}}}})
    first, last = (response["aggregations"][k]["value"] for k in ("first", "last"))
    return None if first is None or last is None else (first, last)


def histogram_aggregation(span: tuple[float, float], buckets: int = HISTOGRAM_BUCKETS) -> tuple[dict, str]:
    """A date histogram of `published_at` over `span`, in the interval `choose_interval` picks."""
    name, short = choose_interval(*span, buckets=buckets)
    return {"date_histogram": {"field": "published_at", "calendar_interval": name, "format": "yyyy-MM-dd",
                               "min_doc_count": 0, "extended_bounds": {"min": int(span[0]), "max": int(span[1])}}}, short


def _hit(raw: dict) -> Hit:
    source = raw.get("_source", {})
    quotes = [inner["_source"] | ({"highlight": inner["highlight"]["quotes.text"][0]} if "highlight" in inner else {})
              for group in raw.get("inner_hits", {}).values() for inner in group["hits"]["hits"]]
    highlight = raw.get("highlight", {})
    return Hit(id=raw["_id"], score=raw.get("_score"), title=source.get("title", ""), outlet=source.get("outlet"),
               published_at=source.get("published_at"), url=source.get("url"), persons=source.get("persons", []),
               quotes=quotes, highlights=highlight.get("body", []), title_highlight=(highlight.get("title") or [None])[0])


def _facets(aggs: dict) -> dict[str, list[FacetValue]]:
    facets = {}
    for name in FACET_FIELDS:
        agg = aggs[name]
        if "chosen" in agg:  # the multi-select outlets facet
            agg = agg["chosen"]["values"]
        facets[name] = [FacetValue(b["key"], b["doc_count"]) for b in agg["buckets"]]
    speakers = aggs["speakers"].get("confident", aggs["speakers"])
    facets["speakers"] = [FacetValue(b["key"], b["articles"]["doc_count"], quotes=b["doc_count"])
                          for b in speakers["names"]["buckets"]]
    return facets


def search(store: Store, query: SearchQuery) -> SearchResult:
    request = {k: v for k, v in build_request(query).items() if v is not None}
    interval = None
    if query.histogram:  # the span first (a small request), so the bars fit whatever period is searched
        span = date_span(store, request["query"])
        if span is not None:
            request["aggs"]["histogram"], interval = histogram_aggregation(span)
    response = store.search(request)
    aggs = response.get("aggregations", {})
    histogram = [DateBucket(b["key_as_string"], b["doc_count"]) for b in aggs.get("histogram", {}).get("buckets", [])]
    return SearchResult(response["hits"]["total"]["value"], [_hit(raw) for raw in response["hits"]["hits"]],
                        _facets(aggs), response.get("took", 0), histogram=histogram, interval=interval)
