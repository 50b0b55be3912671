"""The entity index: one Elasticsearch document per real-world entity, behind the alias `<index>-entities`.

Each document: ``id``, ``name`` (the canonical display name), ``label`` (PERSON | ORG | LOC),
``kind`` ("outlet" for news organisations), ``aliases`` (every form seen, with article counts),
``refs`` (the surfaces resolved to it: "PERSON|obama"), ``roles`` (with counts), ``article_count``,
``first_seen`` and ``last_seen``. The consolidation's state (when it last ran, over which knowledge)
is kept in the index mapping's ``_meta``, so Kibana and the ES API see only entities.

Corpus statistics are read from the article index with composite aggregations, page by page.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import elasticsearch
from elasticsearch import helpers

from .identity import Cluster, Resolution, Surface
from .store import KEYWORD_WITH_TEXT, Store, translate_errors

MAPPING_VERSION = 1
PAGE = 2000
LOCK_SECONDS = 1800.0
_DATES = {"first": {"min": {"field": "published_at"}}, "last": {"max": {"field": "published_at"}}}  # a consolidation that died leaves its lock for this long

_COUNTED = {"properties": {"name": {"type": "keyword"}, "count": {"type": "integer"}}}
MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "id": {"type": "keyword"},
        "name": KEYWORD_WITH_TEXT,
        "label": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "aliases": _COUNTED,
        "alias_names": KEYWORD_WITH_TEXT,
        "refs": {"type": "keyword"},
        "roles": _COUNTED,
        "article_count": {"type": "integer"},
        "first_seen": {"type": "date"},
        "last_seen": {"type": "date"},
        "updated_at": {"type": "date"},
        "digest": {"type": "keyword", "index": False, "doc_values": False},
    },
}


@dataclass
class State:
    consolidated_at: str | None = None  # ISO time the last consolidation started
    fingerprint: str | None = None  # of the knowledge files and code it used
    pending: list[str] = field(default_factory=list)  # article ids whose update failed: retried next time


@dataclass
class Stored:
    by_ref: dict[str, tuple]  # ref -> (id, name, label, kind)
    digests: dict[str, str]  # entity id -> digest of its document


@dataclass(frozen=True)
class Counts:
    articles: int
    first_seen: str | None
    last_seen: str | None


def entity_alias(alias: str) -> str:
    """The entity index's alias beside an article alias."""
    return f"{alias}-entities"


class EntityIndex:
    """The entity index of one article store."""

    def __init__(self, store: Store):
        self.store = store
        self.client = store.client
        self.alias = entity_alias(store.alias)

    @property
    def concrete_index(self) -> str:
        return f"{self.alias}-v{MAPPING_VERSION}"

    def ensure(self) -> None:
        with translate_errors("create the entity index"):
            if self.client.indices.exists_alias(name=self.alias):
                return
            try:
                self.client.indices.create(
                    index=self.concrete_index, aliases={self.alias: {"is_write_index": True}},
                    settings={"number_of_shards": 1, "number_of_replicas": 0}, mappings=MAPPINGS)
            except elasticsearch.BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise

    def exists(self) -> bool:
        with translate_errors("look for the entity index"):
            return bool(self.client.indices.exists_alias(name=self.alias))

    # -- state ------------------------------------------------------------------------------------
    def state(self) -> State:
        if not self.exists():
            return State()
        with translate_errors("read the entity index state"):
            mapping = self.client.indices.get_mapping(index=self.alias).body
        meta = next(iter(mapping.values()))["mappings"].get("_meta") or {}
        return State(meta.get("consolidated_at"), meta.get("fingerprint"), list(meta.get("pending") or []))

    def set_state(self, state: State) -> None:
        with translate_errors("record the consolidation"):
            self.client.indices.put_mapping(index=self.alias, meta={
                "consolidated_at": state.consolidated_at, "fingerprint": state.fingerprint,
                "pending": state.pending})

    # -- one consolidation at a time ----------------------------------------------------------------
    @property
    def lock_index(self) -> str:
        return f"{self.alias}-lock"

    def lock(self, *, seconds: float = LOCK_SECONDS) -> bool:
        """Take the consolidation lock (a document created only if absent); an expired one is taken over."""
        now = time.time()
        body = {"holder": f"{socket.gethostname()}-{os.getpid()}", "expires": now + seconds}
        with translate_errors("take the consolidation lock"):
            try:
                self.client.create(index=self.lock_index, id="consolidation", document=body, refresh=True)
                return True
            except elasticsearch.ConflictError:
                held = self.client.get(index=self.lock_index, id="consolidation")
                if held["_source"].get("expires", 0) > now:
                    return False
                try:  # expired: take it over, unless another run just did
                    self.client.index(index=self.lock_index, id="consolidation", document=body, refresh=True,
                                      if_seq_no=held["_seq_no"], if_primary_term=held["_primary_term"])
                    return True
                except elasticsearch.ConflictError:
                    return False

    def unlock(self) -> None:
        with translate_errors("release the consolidation lock"):
            self.client.options(ignore_status=404).delete(index=self.lock_index, id="consolidation", refresh=True)

    # -- corpus statistics (composite aggregations over the article index) --------------------------
    def surfaces(self) -> dict[str, Surface]:
        """One `Surface` per entity ref of the article index, with its article count and dates."""
        surfaces: dict[str, Surface] = {}
        for bucket in self._composite("entities.ref", _DATES):
            label, _, key = bucket["key"]["v"].partition("|")
            surfaces[bucket["key"]["v"]] = Surface(label, key, bucket["doc_count"], Counter(), Counter(), None,
                                                   bucket["first"].get("value_as_string"),
                                                   bucket["last"].get("value_as_string"))
        for bucket in self._composite("speaker_refs", _DATES):  # speakers the articles have no entity for
            ref = bucket["key"]["v"]
            label, _, key = ref.partition("|")
            known = surfaces.setdefault(ref, Surface(label, key, 0, Counter(), Counter()))
            known.articles += bucket["doc_count"]
            for date in (bucket["first"].get("value_as_string"), bucket["last"].get("value_as_string")):
                if date:
                    known.first_seen = min(known.first_seen or date, date)
                    known.last_seen = max(known.last_seen or date, date)
        for name, attribute in (("entity_forms", "forms"), ("entity_roles", "roles")):
            for bucket in self._composite(name):
                ref, _, value = bucket["key"]["v"].partition("\t")
                if ref in surfaces:
                    getattr(surfaces[ref], attribute)[value] = bucket["doc_count"]
        for bucket in self._composite("entity_kinds"):
            ref, _, kind = bucket["key"]["v"].partition("\t")
            if ref in surfaces and bucket["doc_count"] * 2 >= surfaces[ref].articles:
                surfaces[ref].kind = kind
        return surfaces

    def counts(self) -> dict[str, Counts]:
        """Exact article counts and dates per entity id, from the articles' `entity_ids`."""
        return {b["key"]["v"]: Counts(b["doc_count"], b["first"].get("value_as_string"),
                                      b["last"].get("value_as_string"))
                for b in self._composite("entity_ids", _DATES)}

    def _composite(self, field: str, sub: dict | None = None) -> Iterator[dict]:
        with translate_errors("aggregate entities"):
            if not self.client.indices.exists_alias(name=self.store.alias):
                return
        after = None
        while True:
            composite: dict = {"size": PAGE, "sources": [{"v": {"terms": {"field": field}}}]}
            if after:
                composite["after"] = after
            agg: dict = {"composite": composite}
            if sub:
                agg["aggs"] = sub
            with translate_errors("aggregate entities"):
                page = self.client.search(index=self.store.alias, size=0, aggs={"page": agg})["aggregations"]["page"]
            yield from page["buckets"]
            after = page.get("after_key")
            if not after or not page["buckets"]:
                return

    # -- the stored resolution --------------------------------------------------------------------
    def load(self) -> Resolution:
        """The resolution the entity index holds (empty when there is none yet)."""
        clusters: dict[str, Cluster] = {}
        by_ref: dict[str, str] = {}
        for doc in self.scan():
            cluster = cluster_from_doc(doc)
            clusters[cluster.id] = cluster
            for ref in cluster.refs:
                by_ref[ref] = cluster.id
        return Resolution(clusters, by_ref, set())

    def stored(self) -> Stored:
        """What the consolidation compares against, without the aliases: each ref's entity, and each
        entity document's digest."""
        stored = Stored({}, {})
        for doc in self.scan(source=["id", "name", "label", "kind", "refs", "digest"]):
            signature = (doc["id"], doc["name"], doc["label"], doc.get("kind"))
            for ref in doc.get("refs") or []:
                stored.by_ref[ref] = signature
            stored.digests[doc["id"]] = doc.get("digest") or ""
        return stored

    def scan(self, query: dict | None = None, *, source: list[str] | None = None) -> Iterator[dict]:
        if not self.exists():
            return
        body: dict = {"query": query or {"match_all": {}}}
        if source is not None:
            body["_source"] = source
        with translate_errors("read the entity index"):
            for hit in helpers.scan(self.client, index=self.alias, query=body, size=1000):
                yield hit["_source"]

    def get(self, entity_id: str) -> dict | None:
        with translate_errors("get an entity"):
            try:
                return self.client.get(index=self.alias, id=entity_id)["_source"]
            except elasticsearch.NotFoundError:
                return None

    def search(self, body: dict) -> dict:
        with translate_errors("search entities"):
            return self.client.search(index=self.alias, **body).body

    def write(self, docs: Iterable[dict], deleted: Iterable[str] = ()) -> tuple[int, int, int]:
        """Index entity documents and delete the ids no longer in use, streamed.
        Returns (written, deleted, refused)."""
        done = {"index": 0, "delete": 0}
        refused = 0

        def actions():
            for d in docs:
                done["index"] += 1
                yield {"_op_type": "index", "_index": self.alias, "_id": d["id"], "_source": d}
            for i in deleted:
                done["delete"] += 1
                yield {"_op_type": "delete", "_index": self.alias, "_id": i}

        with translate_errors("write entities"):
            for ok, item in helpers.streaming_bulk(self.client, actions(), chunk_size=1000, raise_on_error=False):
                if not ok and item.get("delete", {}).get("status") != 404:
                    refused += 1
            self.client.indices.refresh(index=self.alias)
        return done["index"], done["delete"], refused

    def drop(self) -> None:
        with translate_errors("delete the entity index"):
            quiet = self.client.options(ignore_status=404)
            for name in quiet.indices.get(index=f"{self.alias}-v*", allow_no_indices=True).body:
                self.client.indices.delete(index=name)
            quiet.indices.delete(index=self.lock_index)


def cluster_doc(cluster: Cluster, counts: Counts | None, now: str) -> dict:
    """The entity document, with a digest of its content (the consolidation rewrites it only when that
    changes)."""
    aliases = [{"name": n, "count": c} for n, c in sorted(cluster.forms.items(), key=lambda i: (-i[1], i[0]))]
    doc = {
        "id": cluster.id, "name": cluster.name, "label": cluster.label, "kind": cluster.kind,
        "aliases": aliases, "alias_names": [a["name"] for a in aliases], "refs": cluster.refs,
        "roles": [{"name": n, "count": c} for n, c in cluster.roles.most_common()],
        "article_count": counts.articles if counts else cluster.articles,
        "first_seen": counts.first_seen if counts else cluster.first_seen,
        "last_seen": counts.last_seen if counts else cluster.last_seen,
    }
    doc["digest"] = hashlib.sha1(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]
    doc["updated_at"] = now
    return doc


def cluster_from_doc(doc: dict) -> Cluster:
    return Cluster(doc["id"], doc["name"], doc["label"], list(doc.get("refs") or []), doc.get("article_count") or 0,
                   Counter({a["name"]: a["count"] for a in doc.get("aliases") or []}),
                   Counter({r["name"]: r["count"] for r in doc.get("roles") or []}),
                   doc.get("kind"), doc.get("first_seen"), doc.get("last_seen"))


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat()
