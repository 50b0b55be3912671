"""`PressWatch`: the library's front door. Holds the settings and opens each stage on first use."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path

from . import curation
from .boilerplate import Boilerplate, UnitStats, load_patterns
from .config import Settings
from .consolidate import ConsolidationReport, ResolverCache, consolidate
from .enrich import Enricher
from .entity_index import EntityIndex
from .errors import ConfigurationError, RecordError, SourceError, StoreUnavailable
from .es_node import LocalNode
from .identity import Knowledge, Resolver, resolve_document
from .inbox import ClaimedFile, Inbox, InboxStatus
from .model import Article
from .names import name_key
from .outlets import OutletCatalog
from .pipeline import Ingestor, IngestReport, ProgressCallback
from .profiles import EntityProfile, entity_profile
from .search import SearchQuery, SearchResult, search
from .sources import format_of, read_file
from .store import Store
from .workers import Budget, PipelineSpec, WorkerPool



class PressWatch:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()

    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def inbox(self) -> Inbox:
        return Inbox(self.settings)

    @cached_property
    def node(self) -> LocalNode:
        return LocalNode(self.settings)

    @cached_property
    def enricher(self) -> Enricher:
        """Enrichment in this process (`presswatch enrich`); ingest uses `workers`."""
        return PipelineSpec.from_settings(self.settings).enricher()

    @cached_property
    def workers(self) -> WorkerPool:
        """The supervised NLP worker processes, each article within a time and memory budget."""
        settings = self.settings
        return WorkerPool(settings.workers, spec=PipelineSpec.from_settings(settings),
                          budget=Budget(settings.article_seconds, settings.worker_memory_mb))

    @cached_property
    def entity_index(self) -> EntityIndex:
        return EntityIndex(self.store)

    def knowledge(self) -> Knowledge:
        """The registry, curated alternate names and outlets, read afresh (curation edits them)."""
        s = self.settings
        return Knowledge.load(registry_path=s.registry_path, outlets_path=s.outlets_path,
                              aliases_path=s.aliases_path)

    @cached_property
    def resolvers(self) -> ResolverCache:
        return ResolverCache(self.store, self.knowledge, dominance=self.settings.entity_dominance)

    @cached_property
    def boilerplate(self) -> Boilerplate:
        """Page furniture: the shipped and user patterns, and what this home learned per outlet."""
        s = self.settings
        catalog = OutletCatalog.load(s.outlets_path)
        return Boilerplate(load_patterns(s.boilerplate_path), UnitStats(s.boilerplate_stats_file),
                           min_articles=s.boilerplate_min_articles, min_share=s.boilerplate_min_share,
                           outlet_of=lambda article: catalog.normalize(article.outlet, article.url))

    @cached_property
    def ingestor(self) -> Ingestor:
        # The model loads in the workers only: an ingest never loads it in this process.
        return Ingestor(self.store, lambda: self.workers, self.inbox, resolver=self.resolvers.current,
                        boilerplate=self.boilerplate)

    def cancel(self) -> None:
        """Ask a running ingest to stop soon (from another thread or a signal handler): it gives its
        unfinished files back to the inbox and raises `Cancelled`."""
        self.ingestor.cancel()
        if "workers" in self.__dict__:
            self.workers.cancel()

    def close(self) -> None:
        """Stop the worker processes, if any were started, and the inbox lease."""
        if "workers" in self.__dict__:
            self.workers.close()
            del self.__dict__["workers"]
        if "inbox" in self.__dict__:
            self.inbox.done()

    # -- Elasticsearch ---------------------------------------------------------------------
    def ensure_elasticsearch(self) -> None:
        """Start the embedded node when no ES_URL is configured and it isn't running."""
        if self.settings.embedded:
            self.node.start()

    def wait_for_store(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.store.ping():
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"Elasticsearch at {self.settings.url} did not answer in {timeout:.0f}s")
            time.sleep(1)

    # -- ingest ----------------------------------------------------------------------------
    def claim_inbox(self, *, max_files: int | None = None, max_bytes: int | None = None) -> list[ClaimedFile]:
        """Take what is ready in the inbox. What we will not read (an unsupported type, a FIFO, a
        symlink out of the inbox) goes straight to failed/ with the reason."""
        self.inbox.recover()
        scan = self.inbox.scan()
        for path, reason in scan.rejected:
            for claimed in self.inbox.claim([path]):
                self.inbox.fail(claimed, reason)
        return self.inbox.claim(scan.ready, max_files=max_files, max_bytes=max_bytes)

    def inbox_bytes(self) -> int:
        """Bytes of the files ready in the inbox now (a progress estimate's total)."""
        total = 0
        for path in self.inbox.scan().ready:
            try:
                total += path.stat().st_size
            except OSError:
                continue
        return total

    def ingest_inbox(self, *, max_files: int | None = None,
                     on_progress: ProgressCallback | None = None) -> IngestReport:
        """Claim what is ready in the inbox and ingest it."""
        try:
            return self.ingestor.ingest_claimed(self.claim_inbox(max_files=max_files), on_progress=on_progress)
        finally:
            self.inbox.done()

    def ingest_paths(self, paths: list[Path], *, on_progress: ProgressCallback | None = None) -> IngestReport:
        return self.ingestor.ingest_paths(expand_paths(paths), on_progress=on_progress)

    def enrich_paths(self, paths: list[Path], *, on_error: Callable[[RecordError], None]) -> Iterator[dict]:
        """The documents ingest would index for these files, streamed; records that cannot be read
        or enriched go to `on_error`."""

        # what the home learned strips furniture here too, but a dry run teaches it nothing
        s = self.settings
        furniture = self.boilerplate if s.boilerplate_stats_file.exists() else Boilerplate(load_patterns(s.boilerplate_path))

        def articles() -> Iterator[tuple[Article, None]]:
            for path in expand_paths(paths):
                try:
                    for record in read_file(path):
                        if isinstance(record, SourceError):
                            on_error(record)
                        else:
                            yield furniture.strip(record).article, None
                except SourceError as exc:
                    on_error(exc)

        resolver = Resolver.empty(self.knowledge())  # no corpus here: the registry and curated names only
        for result, _ in self.enricher.enrich_pairs(articles()):
            if isinstance(result, RecordError):
                on_error(result)
            else:
                result.update(resolve_document(result, resolver))
                yield result

    # -- search and curation ---------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        """Search; a person, organisation or speaker given by an alias ("UN", "Mr. Obama") is searched
        under its canonical name."""
        return search(self.store, self.canonical_query(query))

    def canonical_query(self, query: SearchQuery) -> SearchQuery:
        def canonical(names: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(self.canonical_name(name) for name in names)

        if not (query.persons or query.organizations or query.speakers or query.locations) \
                or not self.entity_index.exists():
            return query
        return dataclasses.replace(query, persons=canonical(query.persons), organizations=canonical(query.organizations),
                                   speakers=canonical(query.speakers), locations=canonical(query.locations))

    def article(self, doc_id: str) -> dict | None:
        """One indexed article's document, or None."""
        return self.store.get(doc_id)

    def entity(self, entity_id: str) -> dict | None:
        """The entity index's document of this id, or None."""
        return self.entity_index.get(entity_id) if self.entity_index.exists() else None

    def entity_profile(self, entity: dict, *, text: str | None = None, quotes: int = 50) -> EntityProfile:
        """What the index says of an entity: its quotes (matching `text`), by time and outlet, and
        who is mentioned alongside it."""
        return entity_profile(self.store, entity, text=text, quotes=quotes)

    # -- the inbox's state -------------------------------------------------------------------
    def inbox_status(self, *, reasons: bool = True) -> InboxStatus:
        """Files in each area of the inbox, and (with `reasons`) the failed ones and why."""
        return self.inbox.status(reasons=reasons)

    def retry_failed(self, relative: str) -> Path:
        """Move a failed file back to the inbox (the watcher takes it again); `NotFound` when there is
        no such failed file."""
        return self.inbox.retry(relative)

    # -- entities ---------------------------------------------------------------------------
    def consolidate(self, *, full: bool = False, **options) -> ConsolidationReport:
        """Re-resolve entities across the corpus and update what changed (see `indexer.consolidate`)."""
        return consolidate(self.store, self.knowledge(), full=full, dominance=self.settings.entity_dominance,
                           **options)

    def list_entities(self, *, label: str | None = None, text: str | None = None, top: int = 50) -> list[dict]:
        """Entities by article count, optionally of one label and matching a text in a name or alias."""
        filters: list[dict] = []
        if label:
            filters.append({"term": {"label": curation.check_label(label)}})
        if text:
            filters.append({"multi_match": {"query": text, "fields": ["name.text", "alias_names.text"],
                                            "operator": "and"}})
        if not self.entity_index.exists():
            return []
        body = {"query": {"bool": {"filter": filters}}, "size": top,
                "sort": [{"article_count": "desc"}, {"name": "asc"}]}
        return [hit["_source"] for hit in self.entity_index.search(body)["hits"]["hits"]]

    def find_entity(self, name: str, *, label: str | None = None) -> dict | None:
        """The entity with this canonical name, else the most common one with it as an alias."""
        if not self.entity_index.exists():
            return None
        for field in ("name", "alias_names"):
            must: list[dict] = [{"term": {field: name}}]
            if label:
                must.append({"term": {"label": curation.check_label(label)}})
            hits = self.entity_index.search({"query": {"bool": {"filter": must}}, "size": 1,
                                             "sort": [{"article_count": "desc"}]})["hits"]["hits"]
            if hits:
                return hits[0]["_source"]
        return None

    def canonical_name(self, name: str) -> str:
        """The canonical name of the one entity with this name or alias; the name itself when it is an
        entity's name, unknown, or an alias of several ("Bush")."""
        refs = [f"PERSON|{name_key(name, person=True)}", f"ORG|{name_key(name)}", f"LOC|{name_key(name)}"]
        hits = self.entity_index.search({"query": {"bool": {"should": [
            {"term": {"name": name}}, {"term": {"alias_names": name}}, {"terms": {"refs": refs}}]}}, "size": 2,
            "_source": ["name"]})["hits"]["hits"]
        names = {h["_source"]["name"] for h in hits}
        return names.pop() if len(names) == 1 and name not in names else name

    def _entity(self, name: str, label: str | None = None) -> dict:
        entity = self.find_entity(name, label=label)
        if entity is None:
            raise ConfigurationError(f"no entity named {name!r} in the entity index "
                                     f"(try `presswatch entities list {name}`)")
        return entity

    def _curate(self, edit: Callable[[dict], dict]) -> ConsolidationReport:
        path = self.settings.registry_file
        curation.write_registry(path, edit(curation.read_registry(path)))
        return self.consolidate()

    def merge_entities(self, names: list[str], into: str, *, label: str | None = None) -> ConsolidationReport:
        """Merge the entities of these names (of `label`, when given) into `into`: an entity of the same
        label by that name if there is one, else of any label, else a new canonical name."""
        sources = [self._entity(n, label) for n in names]
        target = self.find_entity(into, label=sources[0]["label"]) or self.find_entity(into)
        label = target["label"] if target else sources[0]["label"]
        return self._curate(lambda data: curation.merge(data, sources, target["name"] if target else into, label))

    def split_entity(self, name: str, aliases: list[str], *, label: str | None = None) -> ConsolidationReport:
        entity = self._entity(name, label)
        return self._curate(lambda data: curation.split(data, entity, entity["name"], aliases))

    def rename_entity(self, name: str, new_name: str, *, label: str | None = None) -> ConsolidationReport:
        entity = self._entity(name, label)
        return self._curate(lambda data: curation.rename(data, entity, new_name))

    def relabel_entity(self, name: str, label: str) -> ConsolidationReport:
        entity = self._entity(name)
        return self._curate(lambda data: curation.relabel(data, entity, label))

    def drop_entity(self, name: str, label: str | None = None) -> ConsolidationReport:
        entity = self.find_entity(name, label=label)
        return self._curate(lambda data: curation.drop(data, entity, name, label))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the readable files inside folders (hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*"))
                         if p.is_file() and format_of(p) and not any(
                             part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files
