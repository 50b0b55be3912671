"""Entity identity across the corpus: one id and one canonical name per real-world entity.

Stages (data flows one way): an article document's entities -> `Surface` statistics of the corpus ->
`resolve_corpus` -> `Resolution` (clusters) -> `Resolver` -> each document's canonical fields.

- `knowledge`: the registry, curated alternate names and outlets, known before the corpus says anything;
- `person`, `org`: what makes two names one person or one organisation;
- `resolve`: the corpus-wide decision (pure, order-independent);
- `context`: a lone surname the corpus leaves undecided ("Bush"), settled per article by the entities
  named beside it (consolidation);
- `matching`: one article's surfaces against a resolution (ingest time);
- `document`: resolution applied to an indexed document.
"""

from .context import SurnameContext, ambiguous_surnames, candidate_refs
from .document import (PREPARED_FIELDS, RESOLVED_FIELDS, changed_fields, corpus_surfaces, own_refs, prepare_document,
                       resolve_document, resolve_documents, surfaces_of)
from .knowledge import Knowledge
from .matching import Match, Resolver
from .resolve import DOMINANCE, Cluster, Resolution, Surface, entity_id, resolve_corpus, surface_ref

__all__ = [
    "DOMINANCE", "PREPARED_FIELDS", "RESOLVED_FIELDS", "Cluster", "Knowledge", "Match", "Resolution", "Resolver", "Surface",
    "SurnameContext", "ambiguous_surnames", "candidate_refs", "changed_fields", "corpus_surfaces", "entity_id",
    "own_refs", "prepare_document", "resolve_corpus", "resolve_document", "resolve_documents", "surface_ref", "surfaces_of",
]
