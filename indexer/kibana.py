"""Kibana saved objects for PressWatch: data views on the article alias (time field `published_at`) and
on the entity index, and a dashboard (top persons, organisations, outlets and quote speakers, articles
over time, a quotes table). `kibana/presswatch.ndjson` is `saved_objects("articles")` written out;
`import_saved_objects` sends them to a Kibana's saved-objects import API."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from .entity_index import entity_alias
from .errors import KibanaError

KIBANA_VERSION = "8.19.7"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


def _ids(alias: str) -> dict[str, str]:
    """Stable ids per alias, so a second import overwrites the first instead of doubling it."""
    return {name: f"presswatch-{alias}-{name}" for name in
            ("articles", "entities", "persons", "organizations", "outlets", "speakers", "over-time", "quotes",
             "dashboard")}


def _search_source(query: str = "") -> dict:
    return {"kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
        {"query": {"query": query, "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF})}}


def _data_view(object_id: str, title: str, name: str, time_field: str | None) -> dict:
    attributes = {"title": title, "name": name}
    if time_field:
        attributes["timeFieldName"] = time_field
    return {"id": object_id, "type": "index-pattern", "attributes": attributes, "references": [],
            "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "8.0.0"}


def _visualization(object_id: str, title: str, vis_type: str, aggs: list[dict], params: dict,
                   data_view: str) -> dict:
    state = {"title": title, "type": vis_type, "params": params,
             "aggs": [{"id": "1", "enabled": True, "type": "count", "schema": "metric", "params": {}}, *aggs]}
    return {"id": object_id, "type": "visualization",
            "attributes": {"title": title, "visState": json.dumps(state), "uiStateJSON": "{}", "description": "",
                           "version": 1, **_search_source()},
            "references": [{"name": INDEX_REF, "type": "index-pattern", "id": data_view}],
            "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "8.5.0"}


def _top(object_id: str, title: str, field: str, data_view: str, size: int = 20) -> dict:
    terms = {"id": "2", "enabled": True, "type": "terms", "schema": "bucket",
             "params": {"field": field, "size": size, "order": "desc", "orderBy": "1", "otherBucket": False,
                        "missingBucket": False}}
    return _visualization(object_id, title, "table", [terms], {"perPage": size, "showTotal": False}, data_view)


def _over_time(object_id: str, data_view: str) -> dict:
    histogram = {"id": "2", "enabled": True, "type": "date_histogram", "schema": "segment",
                 "params": {"field": "published_at", "interval": "auto", "min_doc_count": 1,
                            "extended_bounds": {}}}
    params = {"type": "histogram", "addLegend": False, "addTooltip": True,
              "categoryAxes": [{"id": "CategoryAxis-1", "type": "category", "position": "bottom", "show": True}],
              "valueAxes": [{"id": "ValueAxis-1", "name": "LeftAxis-1", "type": "value", "position": "left",
                             "show": True}],
              "seriesParams": [{"show": True, "type": "histogram", "mode": "stacked", "data": {"id": "1"},
                                "valueAxis": "ValueAxis-1"}]}
    return _visualization(object_id, "PressWatch: articles over time", "histogram", [histogram], params, data_view)


QUOTE_COLUMNS = ["title", "outlet", "quote_speakers", "quotes.speaker", "quotes.text", "quotes.cue"]


def _quotes_table(object_id: str, data_view: str) -> dict:
    return {"id": object_id, "type": "search",
            "attributes": {"title": "PressWatch: quotes", "description": "Articles with attributed quotes",
                           "columns": QUOTE_COLUMNS, "sort": [["published_at", "desc"]], "grid": {},
                           "hideChart": True, **_search_source("quote_speakers:*")},
            "references": [{"name": INDEX_REF, "type": "index-pattern", "id": data_view}],
            "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "8.0.0"}


# (panel, x, y, w, h): a 48-column grid
LAYOUT = [("over-time", 0, 0, 48, 12), ("persons", 0, 12, 12, 16), ("organizations", 12, 12, 12, 16),
          ("outlets", 24, 12, 12, 16), ("speakers", 36, 12, 12, 16), ("quotes", 0, 28, 48, 20)]


def _dashboard(ids: dict[str, str], type_of: dict[str, str]) -> dict:
    """The dashboard over the objects of `ids`; `type_of` gives each object id's saved-object type."""
    panels, references = [], []
    for n, (name, x, y, w, h) in enumerate(LAYOUT, start=1):
        panels.append({"panelIndex": str(n), "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(n)},
                       "embeddableConfig": {}, "panelRefName": f"panel_{n}", "version": KIBANA_VERSION})
        references.append({"name": f"panel_{n}", "type": type_of[ids[name]], "id": ids[name]})
    return {"id": ids["dashboard"], "type": "dashboard",
            "attributes": {"title": "PressWatch", "description": "Who is mentioned and quoted, by which outlets",
                           "panelsJSON": json.dumps(panels), "optionsJSON": json.dumps({"useMargins": True}),
                           "timeRestore": True, "timeFrom": "now-15y", "timeTo": "now", "version": 1,
                           "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
                               {"query": {"query": "", "language": "kuery"}, "filter": []})}},
            "references": references, "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "8.9.0"}


def saved_objects(alias: str = "articles") -> list[dict]:
    """The saved objects for an article alias and its entity index (`<alias>-entities`)."""
    ids = _ids(alias)
    articles = ids["articles"]
    objects = [
        _data_view(articles, alias, f"PressWatch articles ({alias})", "published_at"),
        _data_view(ids["entities"], entity_alias(alias), f"PressWatch entities ({alias})", None),
        _top(ids["persons"], "PressWatch: top persons", "persons", articles),
        _top(ids["organizations"], "PressWatch: top organisations", "organizations", articles),
        _top(ids["outlets"], "PressWatch: top outlets", "outlet", articles),
        _top(ids["speakers"], "PressWatch: top quote speakers", "quote_speakers", articles),
        _over_time(ids["over-time"], articles),
        _quotes_table(ids["quotes"], articles),
    ]
    return [*objects, _dashboard(ids, {obj["id"]: obj["type"] for obj in objects})]


def to_ndjson(objects: list[dict]) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in objects)


@dataclass(frozen=True)
class ImportReport:
    success: bool
    count: int
    errors: list[dict]
    dashboard_url: str


def import_saved_objects(url: str, objects: list[dict], *, username: str | None = None,
                         password: str | None = None, timeout: float = 60) -> ImportReport:
    """POST the objects to `url`'s `/api/saved_objects/_import?overwrite=true` (a re-import replaces)."""
    base = url.rstrip("/")
    auth = (username, password or "") if username else None
    try:
        response = httpx.post(f"{base}/api/saved_objects/_import", params={"overwrite": "true"},
                              files={"file": ("presswatch.ndjson", to_ndjson(objects), "application/ndjson")},
                              headers={"kbn-xsrf": "presswatch"}, auth=auth, timeout=timeout)
    except httpx.HTTPError as exc:
        raise KibanaError(f"Kibana at {base} did not answer: {exc}") from None
    if response.status_code in (401, 403):
        raise KibanaError(f"Kibana at {base} refused the credentials ({response.status_code}): "
                                 f"pass --username/--password (PRESSWATCH_KIBANA_USERNAME/_PASSWORD; "
                          f"else ES_USERNAME/ES_PASSWORD are used)")
    if response.status_code >= 400:
        raise KibanaError(f"Kibana at {base} refused the import ({response.status_code}): {response.text[:300]}")
    body = response.json()
    dashboard = next(o["id"] for o in objects if o["type"] == "dashboard")
    return ImportReport(bool(body.get("success")), int(body.get("successCount", 0)), body.get("errors") or [],
                        f"{base}/app/dashboards#/view/{dashboard}")
