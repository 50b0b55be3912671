"""Consolidation: re-resolve the corpus and bring documents and the entity index in line. No NLP.

1. Skip when nothing was ingested since the last run and the knowledge files are unchanged.
2. Read one `Surface` per entity ref from the article index (composite aggregations).
3. `resolve_corpus` decides the clusters (pure: the order articles came in does not matter).
4. Surfaces whose entity changed since the stored resolution, and articles ingested since the last run
   (resolved at ingest against an older state), are re-resolved; only the fields that change are
   written, as partial updates.
5. The entity index is rewritten where its documents changed; ids no longer used are deleted.
6. The state (start time, knowledge fingerprint) is recorded last. A run that stops early leaves the
   old state, so the next run does the same work again: it is idempotent and resumable.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import identity
from .entity_index import EntityIndex, State, Stored, cluster_doc, utc_now
from .identity import DOMINANCE, RESOLVED_FIELDS, Knowledge, Resolution, Resolver, changed_fields, resolve_corpus
from .store import Store

log = logging.getLogger(__name__)
TERMS_CHUNK = 10_000
# Articles resolved just before a run started may reach the index just after it read: look back this far.
LOOK_BACK_SECONDS = 120.0
SOURCE_FIELDS = [*RESOLVED_FIELDS, "published_at"]


@dataclass
class ConsolidationReport:
    skipped: bool = False
    surfaces: int = 0
    entities: int = 0
    changed_surfaces: int = 0
    articles_checked: int = 0
    articles_updated: int = 0
    entities_written: int = 0
    entities_deleted: int = 0
    seconds: float = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # article id -> reason

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Run:
    store: Store
    entities: EntityIndex
    knowledge: Knowledge
    dominance: float
    report: ConsolidationReport
    check_stop: Callable[[], None]


class ResolverCache:
    """The resolver an ingest uses: the entity index's resolution, reloaded after each consolidation."""

    def __init__(self, store: Store, knowledge: Callable[[], Knowledge], *, dominance: float = DOMINANCE):
        self.entities = EntityIndex(store)
        self.knowledge = knowledge
        self.dominance = dominance
        self._loaded: tuple[str | None, Resolver] | None = None

    def current(self) -> Resolver:
        state = self.entities.state()
        if self._loaded is None or self._loaded[0] != state.consolidated_at:
            resolver = Resolver(self.entities.load(), self.knowledge(), dominance=self.dominance)
            self._loaded = (state.consolidated_at, resolver)
        return self._loaded[1]


def fingerprint(knowledge: Knowledge, dominance: float) -> str:
    """What the resolution depends on besides the corpus: the knowledge files, the resolution code
    (so an upgrade re-resolves) and the dominance threshold."""
    digest = hashlib.sha256(f"{knowledge.fingerprint}|{dominance}".encode())
    for path in sorted(Path(identity.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def consolidate(store: Store, knowledge: Knowledge, *, full: bool = False, dominance: float = DOMINANCE,
                look_back: float = LOOK_BACK_SECONDS, check_stop: Callable[[], None] = lambda: None
                ) -> ConsolidationReport:
    started, t0 = utc_now(), time.perf_counter()
    run = _Run(store, EntityIndex(store), knowledge, dominance, ConsolidationReport(), check_stop)
    run.entities.ensure()
    state = run.entities.state()
    if not full and is_current(run, state):
        run.report.skipped = True
        return _done(run, t0)
    surfaces = run.entities.surfaces()
    run.report.surfaces = len(surfaces)
    resolution = resolve_corpus(surfaces.values(), knowledge, dominance=dominance)
    previous = run.entities.stored()
    changed = changed_refs(previous, resolution)
    run.report.changed_surfaces = len(changed)
    update_articles(run, Resolver(resolution, knowledge, dominance=dominance), changed,
                    None if full else state.consolidated_at, look_back)
    write_entities(run, resolution, previous)
    run.entities.set_state(State(started, fingerprint(knowledge, dominance)))
    return _done(run, t0)


def is_current(run: _Run, state: State) -> bool:
    """Nothing to do: consolidated before, with the same knowledge, and nothing ingested since."""
    if not state.consolidated_at or state.fingerprint != fingerprint(run.knowledge, run.dominance):
        return False
    return run.store.count({"range": {"ingested_at": {"gte": state.consolidated_at}}}) == 0


def changed_refs(previous: Stored, current: Resolution) -> set[str]:
    """Surfaces whose entity (id, name, label or kind) is not what the entity index says."""
    def signature(ref: str):
        cid = current.by_ref.get(ref)
        if cid is None:
            return None
        c = current.clusters[cid]
        return c.id, c.name, c.label, c.kind

    refs = set(previous.by_ref) | set(current.by_ref) | current.dropped
    return {ref for ref in refs if previous.by_ref.get(ref) != signature(ref)}


def update_articles(run: _Run, resolver: Resolver, changed: set[str], since: str | None, look_back: float) -> None:
    updates = _updates(run, resolver, changed, since, look_back)
    result = run.store.update_documents(updates)
    run.report.failed.update(result.errors)
    run.report.articles_updated = len(result.indexed)
    run.store.refresh()


def _updates(run: _Run, resolver: Resolver, changed: set[str], since: str | None, look_back: float
             ) -> Iterator[tuple[str, dict]]:
    seen: set[str] = set()
    for query in _affected_queries(changed, since, look_back):
        for hit in run.store.scan(query, source=SOURCE_FIELDS):
            run.check_stop()
            if hit["_id"] in seen:
                continue
            seen.add(hit["_id"])
            run.report.articles_checked += 1
            fields = changed_fields(hit["_source"], resolver)
            if fields:
                yield hit["_id"], fields


def _affected_queries(changed: set[str], since: str | None, look_back: float) -> Iterator[dict]:
    if since is None:  # a full run looks at every article
        yield {"match_all": {}}
        return
    yield {"range": {"ingested_at": {"gte": f"{since}||-{int(look_back)}s"}}}
    refs = sorted(changed)
    for i in range(0, len(refs), TERMS_CHUNK):
        yield {"terms": {"entities.ref": refs[i:i + TERMS_CHUNK]}}


def write_entities(run: _Run, resolution: Resolution, previous: Stored) -> None:
    counts = run.entities.counts()
    now = utc_now()
    docs = (doc for cid, cluster in resolution.clusters.items()
            if previous.digests.get(cid) != (doc := cluster_doc(cluster, counts.get(cid), now))["digest"])
    deleted = [cid for cid in previous.digests if cid not in resolution.clusters]
    written, removed = run.entities.write(docs, deleted)
    run.report.entities = len(resolution.clusters)
    run.report.entities_written = written
    run.report.entities_deleted = removed


def _done(run: _Run, t0: float) -> ConsolidationReport:
    run.report.seconds = round(time.perf_counter() - t0, 3)
    return run.report
