"""Consolidation: re-resolve the corpus and bring documents and the entity index in line. No NLP.

1. Take the consolidation lock (one run at a time per index), refresh the article index, note the time.
2. Skip when nothing was indexed since the last run, no update is pending, and neither the knowledge
   files nor the resolution code changed. A change there makes the run full: every article is looked at.
3. Read one `Surface` per entity ref (and per quote-speaker ref) from the article index, with
   composite aggregations.
4. `resolve_corpus` decides the clusters (pure: the order articles came in does not matter).
5. Articles are re-resolved where a surface's entity changed since the stored resolution, where they
   were indexed since the last run (resolved at ingest against an older state), or where an update
   failed before; only the fields that change are written, as partial updates guarded by the
   document's sequence number (an article re-ingested meanwhile is left to the next run).
6. The entity index is rewritten where a document's digest changed; ids no longer used are deleted.
7. The state (start time, fingerprint, updates still pending) is recorded last. A run that stops early
   leaves the old state, so the next run does the same work again: idempotent and resumable.

Articles indexed before this version (no `ref` on their entities) are prepared on the way; a run that
prepares any runs once more, so their names count in the statistics.
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
from .errors import StoreError
from .identity import (DOMINANCE, PREPARED_FIELDS, RESOLVED_FIELDS, Knowledge, Resolution, Resolver, SurnameContext,
                       ambiguous_surnames, candidate_refs, changed_fields, own_refs, prepare_document, resolve_corpus)
from .store import Store

log = logging.getLogger(__name__)
TERMS_CHUNK = 10_000
# Articles indexed just before a run started may become searchable just after it read: look back this far
# (also the clock difference allowed between this machine and a remote Elasticsearch).
LOOK_BACK_SECONDS = 120.0
MAX_PENDING = 10_000
SOURCE_FIELDS = [*RESOLVED_FIELDS, *PREPARED_FIELDS, "published_at", "outlet"]


@dataclass
class ConsolidationReport:
    skipped: bool = False
    surfaces: int = 0
    entities: int = 0
    changed_surfaces: int = 0
    articles_checked: int = 0
    articles_updated: int = 0
    articles_prepared: int = 0  # indexed before entity refs existed, brought up to date
    entities_written: int = 0
    entities_deleted: int = 0
    seconds: float = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # article id -> reason (retried by the next run)
    reason: str | None = None  # why it was skipped

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
    """What the resolution depends on besides the corpus: the knowledge files, the resolution code and
    shipped data (so an upgrade re-resolves every article) and the dominance threshold."""
    digest = hashlib.sha256(f"{knowledge.fingerprint}|{dominance}".encode())
    for path in _code_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _code_files() -> Iterator[Path]:
    here = Path(__file__).parent
    yield from sorted(Path(identity.__file__).parent.glob("*.py"))
    yield here / "names.py"
    yield from sorted(p for p in (here / "data").iterdir() if p.suffix in (".json", ".yaml"))


def consolidate(store: Store, knowledge: Knowledge, *, full: bool = False, dominance: float = DOMINANCE,
                look_back: float = LOOK_BACK_SECONDS, check_stop: Callable[[], None] = lambda: None
                ) -> ConsolidationReport:
    t0 = time.perf_counter()
    run = _Run(store, EntityIndex(store), knowledge, dominance, ConsolidationReport(), check_stop)
    run.entities.ensure()
    if not run.entities.lock():
        run.report.skipped, run.report.reason = True, "another consolidation is running"
        return _done(run, t0)
    try:
        for _ in range(2):  # a second pass when articles of an older version were prepared
            _consolidate_once(run, full=full, look_back=look_back)
            if not run.report.articles_prepared or run.report.skipped:
                break
            full = True
    finally:
        run.entities.unlock()
    return _done(run, t0)


def _consolidate_once(run: _Run, *, full: bool, look_back: float) -> None:
    run.store.refresh()  # everything indexed before `started` is searchable now
    started = utc_now()
    state = run.entities.state()
    current = fingerprint(run.knowledge, run.dominance)
    full = full or state.fingerprint != current
    if not full and is_current(run, state, look_back):
        run.report.skipped, run.report.reason = True, "nothing indexed or edited since the last consolidation"
        return
    run.report.skipped = False
    surfaces = run.entities.surfaces()
    run.report.surfaces = len(surfaces)
    resolution = resolve_corpus(surfaces.values(), run.knowledge, dominance=run.dominance)
    del surfaces
    previous = run.entities.stored()
    changed = changed_refs(previous, resolution)
    run.report.changed_surfaces = len(changed)
    context = surname_context(run, resolution)
    resolver = Resolver(resolution, run.knowledge, dominance=run.dominance, context=context)
    # the articles of an undecided lone surname are looked at on every run: their company may have changed
    changed |= set(context.candidates)
    queries = affected_queries(changed, None if full else state.consolidated_at, look_back, state.pending)
    update_articles(run, resolver, queries)
    write_entities(run, resolution, previous)
    pending = sorted(run.report.failed)[:MAX_PENDING]
    run.entities.set_state(State(started, current, pending))


def surname_context(run: _Run, resolution: Resolution) -> SurnameContext:
    """The profiles of the people an undecided lone surname may be, read from the articles naming them
    (one streamed pass over those articles, their entity refs only)."""
    candidates = ambiguous_surnames(resolution)
    refs = candidate_refs(resolution, candidates)
    if not refs:
        return SurnameContext.build(resolution, (), candidates=candidates)
    query = {"bool": {"should": [{"terms": {"entities.ref": refs[i:i + TERMS_CHUNK]}}
                                 for i in range(0, len(refs), TERMS_CHUNK)], "minimum_should_match": 1}}
    articles = (own_refs(hit["_source"]) for hit in run.store.scan(query, source=["entities.ref"]))
    return SurnameContext.build(resolution, articles, candidates=candidates)


def is_current(run: _Run, state: State, look_back: float) -> bool:
    """Nothing to do: consolidated before, nothing indexed since (or in the look-back before it: a write
    in flight then may have become searchable only after that run read), no update pending."""
    if not state.consolidated_at or state.pending:
        return False
    since = f"{state.consolidated_at}||-{int(look_back)}s"
    return run.store.count({"range": {"indexed_at": {"gte": since}}}) == 0


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


def affected_queries(changed: set[str], since: str | None, look_back: float, pending: list[str]) -> list[dict]:
    """The articles to look at: all (a full run), else those indexed since the last run, those naming a
    changed surface (as an entity or a quote's speaker), and those whose update failed before."""
    if since is None:
        return [{"match_all": {}}]
    queries: list[dict] = [{"range": {"indexed_at": {"gte": f"{since}||-{int(look_back)}s"}}}]
    if pending:
        queries.append({"ids": {"values": pending}})
    refs = sorted(changed)
    for i in range(0, len(refs), TERMS_CHUNK):
        chunk = refs[i:i + TERMS_CHUNK]
        queries.append({"bool": {"should": [{"terms": {"entities.ref": chunk}}, {"terms": {"speaker_refs": chunk}}],
                                 "minimum_should_match": 1}})
    return queries


def update_articles(run: _Run, resolver: Resolver, queries: list[dict]) -> None:
    result = run.store.update_documents(_updates(run, resolver, queries), refresh=False)
    conflicts = {i for i, reason in result.errors.items() if "version_conflict" in reason}
    run.report.failed.update({i: r for i, r in result.errors.items() if i not in conflicts})
    run.report.articles_updated = len(result.indexed)
    run.store.refresh()


def _updates(run: _Run, resolver: Resolver, queries: list[dict]) -> Iterator[tuple[str, dict, tuple[int, int]]]:
    seen: set[str] = set()
    for query in queries:
        for hit in run.store.scan(query, source=SOURCE_FIELDS, versions=True):
            run.check_stop()
            if hit["_id"] in seen:
                continue
            seen.add(hit["_id"])
            run.report.articles_checked += 1
            fields = _fields_to_write(run, hit["_source"], resolver)
            if fields:
                yield hit["_id"], fields, (hit["_seq_no"], hit["_primary_term"])


def _fields_to_write(run: _Run, source: dict, resolver: Resolver) -> dict:
    prepared: dict = {}
    if any("ref" not in e for e in source.get("entities") or []) or "speaker_refs" not in source:
        prepare_document(source)  # indexed by an earlier version
        prepared = {k: source[k] for k in PREPARED_FIELDS}
        prepared.update(entities=source["entities"], quotes=source.get("quotes") or [])
        run.report.articles_prepared += 1
    return {**prepared, **changed_fields(source, resolver)}


def write_entities(run: _Run, resolution: Resolution, previous: Stored) -> None:
    counts = run.entities.counts()
    now = utc_now()
    docs = (doc for cid, cluster in resolution.clusters.items()
            if previous.digests.get(cid) != (doc := cluster_doc(cluster, counts.get(cid), now))["digest"])
    deleted = [cid for cid in previous.digests if cid not in resolution.clusters]
    written, removed, errors = run.entities.write(docs, deleted)
    if errors:  # the state is not recorded: the next run compares digests again and rewrites them
        raise StoreError(f"{errors} entity document(s) could not be written")
    run.report.entities = len(resolution.clusters)
    run.report.entities_written = written
    run.report.entities_deleted = removed


def _done(run: _Run, t0: float) -> ConsolidationReport:
    run.report.seconds = round(time.perf_counter() - t0, 3)
    return run.report
