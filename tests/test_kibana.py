"""Kibana's saved objects: the shipped ndjson is what the code builds, every field it names exists in
the index mapping with a type its use needs, its references resolve, and docker-compose imports it.
Kibana cannot run here, so `presswatch kibana import` is checked against a recording HTTP server
that answers as Kibana's import API does (the request's shape: multipart file, kbn-xsrf, overwrite)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml
from click.testing import CliRunner

from indexer.cli import main
from indexer.entity_index import MAPPINGS as ENTITY_MAPPINGS
from indexer.kibana import saved_objects, to_ndjson
from indexer.store import MAPPINGS

from .conftest import REPO

NDJSON = REPO / "kibana" / "presswatch.ndjson"


def shipped() -> list[dict]:
    return [json.loads(line) for line in NDJSON.read_text().splitlines() if line.strip()]


def field_type(mapping: dict, path: str) -> tuple[str, bool]:
    """The type of a dotted field in a mapping, and whether it sits under a nested object."""
    properties, nested, parts = mapping["properties"], False, path.split(".")
    for i, part in enumerate(parts):
        if part not in properties:
            raise KeyError(path)
        spec = properties[part]
        if i == len(parts) - 1:
            return spec.get("type", "object"), nested
        if "fields" in spec and parts[i + 1] in spec["fields"]:
            return spec["fields"][parts[i + 1]]["type"], nested
        nested = nested or spec.get("type") == "nested"
        properties = spec["properties"]
    raise KeyError(path)


def test_the_shipped_file_is_what_the_code_builds():
    assert NDJSON.read_text() == to_ndjson(saved_objects("articles")), \
        "rewrite it: python -c \"from indexer.kibana import *; print(to_ndjson(saved_objects()), end='')\" > kibana/presswatch.ndjson"


def test_the_data_views_are_on_the_alias_and_the_entity_index_with_published_at_as_time():
    views = {o["attributes"]["title"]: o["attributes"] for o in shipped() if o["type"] == "index-pattern"}
    assert set(views) == {"articles", "articles-entities"}
    assert views["articles"]["timeFieldName"] == "published_at"
    assert field_type(MAPPINGS, "published_at") == ("date", False)


def test_every_field_exists_in_the_mapping_with_the_type_its_aggregation_needs():
    used = []
    for obj in shipped():
        if obj["type"] == "visualization":
            state = json.loads(obj["attributes"]["visState"])
            for agg in state["aggs"]:
                if "field" in agg["params"]:
                    kind, nested = field_type(MAPPINGS, agg["params"]["field"])
                    assert not nested, f"{state['title']}: Kibana's aggregation-based charts cannot use nested fields"
                    assert kind == {"terms": "keyword", "date_histogram": "date"}[agg["type"]], (state["title"], kind)
                    used.append(agg["params"]["field"])
        if obj["type"] == "search":
            for column in obj["attributes"]["columns"]:
                field_type(MAPPINGS, column)  # raises when the mapping has no such field
                used.append(column)
            assert field_type(MAPPINGS, obj["attributes"]["sort"][0][0])[0] == "date"
    assert {"persons", "organizations", "outlet", "quote_speakers", "published_at", "quotes.text"} <= set(used)


def test_references_resolve_within_the_file():
    objects = {o["id"]: o for o in shipped()}
    assert len(objects) == len(shipped())  # ids are unique
    dashboard = next(o for o in objects.values() if o["type"] == "dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    references = {r["name"]: r for r in dashboard["references"]}
    assert [p["panelRefName"] for p in panels] == list(references)
    titles = []
    for reference in references.values():
        target = objects[reference["id"]]
        assert target["type"] == reference["type"]
        titles.append(target["attributes"]["title"])
    assert titles == ["PressWatch: articles over time", "PressWatch: top persons", "PressWatch: top organisations",
                      "PressWatch: top outlets", "PressWatch: top quote speakers", "PressWatch: quotes"]
    for obj in objects.values():
        meta = obj["attributes"].get("kibanaSavedObjectMeta")
        if meta and "indexRefName" in meta["searchSourceJSON"]:
            ref = json.loads(meta["searchSourceJSON"])["indexRefName"]
            target = next(r for r in obj["references"] if r["name"] == ref)
            assert objects[target["id"]]["attributes"]["title"] == "articles"


def test_the_entity_data_view_fields_exist():
    for name in ("name", "label", "alias_names", "article_count", "first_seen", "last_seen"):
        field_type(ENTITY_MAPPINGS, name)


def test_another_alias_gets_its_own_objects():
    objects = saved_objects("news2017")
    assert {o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"} == {"news2017", "news2017-entities"}
    assert not {o["id"] for o in objects} & {o["id"] for o in saved_objects("articles")}


def test_docker_compose_imports_the_file_at_start():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    setup = compose["services"]["kibana-setup"]
    assert "./kibana/presswatch.ndjson:/presswatch.ndjson:ro" in setup["volumes"]
    script = setup["command"][0]
    assert "/api/saved_objects/_import?overwrite=true" in script and "file=@/presswatch.ndjson" in script
    assert "kbn-xsrf" in script and setup["restart"] == "no" and "kibana" in setup["depends_on"]


class RecordingKibana(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["content-length"]))
        RecordingKibana.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        count = body.count(b'{"attributes": ')  # one saved object per ndjson line
        answer = json.dumps({"success": True, "successCount": count, "successResults": []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def kibana_url():
    server = HTTPServer(("127.0.0.1", 0), RecordingKibana)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RecordingKibana.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_kibana_import_posts_the_objects_for_the_configured_alias(kibana_url, tmp_path):
    result = CliRunner().invoke(main, ["kibana", "import", "--url", kibana_url, "--username", "elastic",
                                       "--password", "pw", "--index", "news2017", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "imported 9 saved objects" in result.output and "/app/dashboards#/view/presswatch-news2017-dashboard" in result.output
    [request] = RecordingKibana.requests
    assert request["path"] == "/api/saved_objects/_import?overwrite=true"
    assert request["headers"]["kbn-xsrf"] and request["headers"]["Authorization"].startswith("Basic ")
    assert request["headers"]["Content-Type"].startswith("multipart/form-data")
    assert b'filename="presswatch.ndjson"' in request["body"]
    assert to_ndjson(saved_objects("news2017")).encode() in request["body"]


def test_kibana_import_says_when_kibana_does_not_answer(tmp_path):
    result = CliRunner().invoke(main, ["kibana", "import", "--url", "http://127.0.0.1:9", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "Kibana at http://127.0.0.1:9 did not answer" in result.output
