"""Elasticsearch: the index (template, versioned index behind an alias), bulk writes, updates.

Client errors are translated to `StoreUnavailable` (transient), `StoreAuthError` (credentials or
certificate refused) or `StoreError` here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch, helpers

from .config import Settings
from .errors import StoreAuthError, StoreError, StoreUnavailable

MAPPING_VERSION = 1

KEYWORD_WITH_TEXT = {"type": "keyword", "fields": {"text": {"type": "text"}}}

MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "id": {"type": "keyword"},
        "title": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 512}}},
        "body": {"type": "text"},
        "url": {"type": "keyword"},
        "outlet": KEYWORD_WITH_TEXT,
        "published_at": {"type": "date"},
        "ingested_at": {"type": "date"},
        "indexed_at": {"type": "date"},  # when the document was sent to Elasticsearch (each attempt)
        "authors": KEYWORD_WITH_TEXT,
        "language": {"type": "keyword"},
        "furniture_words": {"type": "integer"},  # words of page furniture taken out of the body
        "persons": KEYWORD_WITH_TEXT,
        "organizations": KEYWORD_WITH_TEXT,
        "locations": KEYWORD_WITH_TEXT,
        "entities": {
            "properties": {
                "name": {"type": "keyword"},
                "label": {"type": "keyword"},
                "mentions": {"type": "integer"},
                "aliases": {"type": "keyword"},
                "key": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "role": {"type": "keyword"},
                "id": {"type": "keyword"},
                "surface": {"type": "keyword"},
                "ref": {"type": "keyword"},
                "dropped": {"type": "boolean"},
            }
        },
        "entity_ids": {"type": "keyword"},
        "entity_forms": {"type": "keyword"},
        "entity_roles": {"type": "keyword"},
        "entity_kinds": {"type": "keyword"},
        "speaker_refs": {"type": "keyword"},
        "quotes": {
            "type": "nested",
            "properties": {
                "text": {"type": "text"},
                "speaker": KEYWORD_WITH_TEXT,
                "speaker_mention": {"type": "keyword"},
                "speaker_type": {"type": "keyword"},
                "cue": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "field": {"type": "keyword"},
                "speaker_ref": {"type": "keyword"},
                "speaker_surface": {"type": "keyword"},
                "speaker_id": {"type": "keyword"},
                "confidence": {"type": "float"},
            },
        },
        "quote_speakers": KEYWORD_WITH_TEXT,
        "cited_outlets": KEYWORD_WITH_TEXT,
        "source": {
            "properties": {
                "path": {"type": "keyword"},
                "format": {"type": "keyword"},
                "sha256": {"type": "keyword"},
                "bytes": {"type": "long"},
                "line": {"type": "integer"},
                "inbox_path": {"type": "keyword"},
            }
        },
    },
}


@dataclass
class BulkResult:
    """Per document, in the order given: (id, None) when stored, (id, reason) when refused."""

    items: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def indexed(self) -> list[str]:
        return [doc_id for doc_id, error in self.items if error is None]

    @property
    def errors(self) -> dict[str, str]:
        return {doc_id: error for doc_id, error in self.items if error is not None}


def make_client(settings: Settings) -> Elasticsearch:
    """A client for the configured Elasticsearch: API key, else basic auth; CA certificates for https."""
    connection = settings.connection()
    options: dict[str, Any] = {"request_timeout": 60, "retry_on_timeout": True, "max_retries": 2}
    if connection.api_key:
        options["api_key"] = connection.api_key
    elif connection.username:
        options["basic_auth"] = (connection.username, connection.password or "")
    if connection.ca_certs and connection.url.startswith("https:"):
        options["ca_certs"] = connection.ca_certs
    return Elasticsearch(connection.url, **options)


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    try:
        yield
    except elasticsearch.SSLError as exc:
        raise StoreAuthError(f"TLS with Elasticsearch failed while trying to {action} (is its certificate "
                             f"signed by the CA of ES_CA_CERTS? is the URL's scheme right?): {exc}") from exc
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
        raise StoreUnavailable(f"Elasticsearch is unreachable while trying to {action}: {exc}") from exc
    except elasticsearch.AuthenticationException as exc:
        raise StoreAuthError(_refused_credentials(action, exc)) from exc
    except elasticsearch.ApiError as exc:
        if exc.status_code in (429, 502, 503, 504):
            raise StoreUnavailable(f"Elasticsearch is busy or unavailable ({exc.status_code}) "
                                   f"while trying to {action}") from exc
        raise StoreError(f"Elasticsearch refused to {action}: {exc}") from exc
    except elasticsearch.TransportError as exc:
        raise StoreUnavailable(f"Elasticsearch transport error while trying to {action}: {exc}") from exc


class Store:
    """The article index, reached through its alias `settings.index`."""

    def __init__(self, settings: Settings, client: Elasticsearch | None = None):
        self.settings = settings
        self.alias = settings.index
        self.client = client or make_client(settings)

    @property
    def concrete_index(self) -> str:
        return f"{self.alias}-v{MAPPING_VERSION}"

    def ping(self) -> bool:
        """True when Elasticsearch answers; StoreAuthError when it refuses the credentials or certificate."""
        # Cluster health, not `HEAD /`: the minimal distribution of the embedded node has no root endpoint.
        try:
            with translate_errors("check its health"):
                self.client.options(request_timeout=5, max_retries=0).cluster.health()
            return True
        except StoreAuthError:
            raise
        except StoreError:
            return False

    def ensure_index(self) -> str:
        """Create the template and the index behind the alias, once. Returns the concrete index."""
        with translate_errors("create the index"):
            self.client.indices.put_index_template(
                name=f"presswatch-{self.alias}",
                index_patterns=[f"{self.alias}-v*"],
                priority=200,
                template={
                    "settings": {"number_of_shards": 1, "number_of_replicas": 0,
                                 "refresh_interval": "1s"},
                    "mappings": MAPPINGS,
                },
                meta={"description": "PressWatch articles", "mapping_version": MAPPING_VERSION},
            )
            if not self.client.indices.exists_alias(name=self.alias):
                try:
                    self.client.indices.create(
                        index=self.concrete_index, aliases={self.alias: {"is_write_index": True}}
                    )
                except elasticsearch.BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
            else:  # an index made by an earlier release gets the fields added since (additive only)
                self.client.indices.put_mapping(index=self.alias, properties=MAPPINGS["properties"])
            self.client.cluster.health(index=self.alias, wait_for_status="yellow", timeout="30s")
        return self.concrete_index

    def index_documents(self, documents: Iterable[dict], *, refresh: bool = True) -> BulkResult:
        """Bulk-index documents (id = document["id"]); per-document failures are reported, not raised."""
        result = BulkResult()
        # stamped as each chunk is sent, on every attempt: what a consolidation's "indexed since" reads
        actions = ({"_op_type": "index", "_index": self.alias, "_id": doc["id"],
                    "_source": {**doc, "indexed_at": datetime.now(timezone.utc).isoformat()}} for doc in documents)
        with translate_errors("index documents"):
            for ok, item in helpers.streaming_bulk(
                self.client, actions, chunk_size=500, max_chunk_bytes=20 * 1024 * 1024,
                raise_on_error=False, raise_on_exception=True, max_retries=5, initial_backoff=1,
                refresh="wait_for" if refresh else False,
            ):
                info = item["index"]
                if not ok and info.get("status") in (429, 503):
                    raise StoreUnavailable(f"Elasticsearch rejected writes: {info.get('error')}")
                result.items.append((info["_id"], None if ok else _reason(info.get("error"))))
        return result

    def update_documents(self, updates: Iterable[tuple], *, refresh: bool = True) -> BulkResult:
        """Partial updates: (id, fields) pairs, or (id, fields, (seq_no, primary_term)) to update only the
        version that was read (a conflict is reported as the document's error)."""
        result = BulkResult()

        def actions():
            for doc_id, fields, *version in updates:
                action = {"_op_type": "update", "_index": self.alias, "_id": doc_id, "doc": fields}
                if version:
                    action["if_seq_no"], action["if_primary_term"] = version[0]
                yield action

        with translate_errors("update documents"):
            for ok, item in helpers.streaming_bulk(
                self.client, actions(), raise_on_error=False, max_retries=5, refresh="wait_for" if refresh else False
            ):
                info = item["update"]
                result.items.append((info["_id"], None if ok else _reason(info.get("error"))))
        return result

    def scan(self, query: dict | None = None, *, source: list[str] | None = None,
             versions: bool = False) -> Iterator[dict]:
        body: dict = {"query": query or {"match_all": {}}}
        if source is not None:
            body["_source"] = source
        if versions:
            body["seq_no_primary_term"] = True
        with translate_errors("read documents"):
            yield from helpers.scan(self.client, index=self.alias, query=body, size=500)

    def get(self, doc_id: str) -> dict | None:
        with translate_errors("get a document"):
            try:
                return self.client.get(index=self.alias, id=doc_id)["_source"]
            except elasticsearch.NotFoundError:
                return None

    def exists(self) -> bool:
        """Whether the alias exists (false before the first ingest)."""
        with translate_errors("look for the index"):
            return bool(self.client.indices.exists_alias(name=self.alias))

    def count(self, query: dict | None = None) -> int:
        if not self.exists():
            return 0
        with translate_errors("count documents"):
            return self.client.count(index=self.alias, query=query or {"match_all": {}})["count"]

    def search(self, body: dict) -> dict:
        with translate_errors("search"):
            return self.client.search(index=self.alias, **body).body

    def refresh(self) -> None:
        with translate_errors("refresh the index"):
            self.client.indices.refresh(index=self.alias)

    def drop(self) -> None:
        """Delete the index and its template (tests, `presswatch reset`)."""
        with translate_errors("delete the index"):
            quiet = self.client.options(ignore_status=404)
            indices = quiet.indices.get(index=f"{self.alias}-v*,{self.alias}-entities-v*,{self.alias}-entities-lock*",
                                        allow_no_indices=True).body
            for name in indices:
                self.client.indices.delete(index=name)
            quiet.indices.delete_index_template(name=f"presswatch-{self.alias}")


def _refused_credentials(action: str, exc: elasticsearch.ApiError) -> str:
    said = _reason(exc.body.get("error") if isinstance(exc.body, dict) else exc.body)
    return (f"Elasticsearch rejected the credentials (401 Unauthorized) while trying to {action}: check "
            f"ES_USERNAME/ES_PASSWORD or ES_API_KEY (the local node's are in its credentials.json); it said {said}")


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        reason = f"{error.get('type')}: {error.get('reason')}"
        caused = error.get("caused_by")
        return f"{reason} ({_reason(caused)})" if caused else reason
    return str(error)
