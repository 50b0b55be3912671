"""The ``presswatch_entities`` spaCy component, its factory and ``install``."""

from __future__ import annotations

from spacy.attrs import IDX
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..outlets import OutletCatalog, default_catalog
from ..registry import Registry
from .candidates import CandidatesMixin
from .given_names import given_name_candidates, load_given_names, relabel_given_names
from .merge import MergeMixin
from .noise import NoiseMixin
from .relabel import is_sports
from .surnames import surname_mentions
from .text_outlets import OutletsMixin
from .titles import TitlesMixin
from .trust import TrustMixin


@Language.factory(
    "presswatch_entities",
    default_config={"registry_path": None, "outlets_path": None},
)
def make_entities(nlp: Language, name: str, registry_path: str | None, outlets_path: str | None) -> "EntityComponent":
    catalog = OutletCatalog.load(outlets_path)
    return EntityComponent(nlp, registry=Registry.load(registry_path), catalog=catalog)


class EntityComponent(CandidatesMixin, OutletsMixin, TitlesMixin, TrustMixin, NoiseMixin, MergeMixin):
    def __init__(self, nlp: Language, *, registry: Registry | None = None, catalog: OutletCatalog | None = None):
        self.registry = registry if registry is not None else Registry.load()
        self.catalog = catalog if catalog is not None else default_catalog()
        self.outlet_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._outlet_by_surface: dict[str, str] = {}
        patterns = []
        for surface, outlet in self.catalog.text_names().items():
            self._outlet_by_surface[surface] = outlet.name
            patterns.append(nlp.make_doc(surface))
        self.outlet_matcher.add("OUTLET", patterns)
        # registry names (canonical and aliases) that may be looked up in untrusted text
        self._registry_names = {k: r.canonical for k, r in self.registry.merges.items()}
        self.places = frozenset(k for k, label in self.registry.labels.items() if label == "LOC")

    # ------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc._.entities, doc._.mentions = [], []
            return doc
        text = doc.text  # Doc.text joins every token: compute once
        starts = doc.to_array(IDX).tolist()
        untrusted = self._untrusted_mask(doc, text, starts)
        sports = is_sports(doc)
        cands = self._candidates(doc, text, sports)
        given_names = load_given_names()  # cached; cleared when a test adds the user's file
        given = given_name_candidates(doc, cands, sports, given_names, self.places)
        cands = self._resolve_overlaps(cands + given)
        relabel_given_names(doc, cands, sports, given_names, self.places)
        roles_consumed: set[int] = set()
        cands = self._titles(doc, cands, roles_consumed)
        cands = [c for c in cands if id(c) not in roles_consumed]
        for c in cands:
            span_mask = untrusted[c.start : c.end]
            c.trusted = c.source == "results" or not any(span_mask)
            c.table = not c.trusted and all(m != 1 for m in span_mask)
        cands = self._filter_noise(doc, cands, text, sports)
        cands = self._trust(doc, cands, untrusted)
        cands = sorted(cands + surname_mentions(doc, cands, untrusted), key=lambda c: c.start)
        entities, mentions = self._merge(doc, cands, sports)
        doc._.entities = entities
        doc._.mentions = mentions
        return doc


def install(nlp: Language, *, registry_path: str | None = None, outlets_path: str | None = None) -> None:
    """Add the entity component after ``ner`` (and before quotes).

    ``registry_path``: the user's registry YAML, merged over the shipped one (None: shipped only).
    ``outlets_path``: the user's extra outlets for in-text recognition (None: the shipped list only).
    """
    nlp.add_pipe(
        "presswatch_entities",
        last=True,
        config={
            "registry_path": str(registry_path) if registry_path else None,
            "outlets_path": str(outlets_path) if outlets_path else None,
        },
    )
