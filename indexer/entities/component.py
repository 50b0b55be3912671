"""The ``presswatch_entities`` spaCy component, its factory and ``install``.

The component is a plain sequence of steps (:func:`annotate`), each a function of the doc, its
candidates and, where the configuration matters, the pipeline's :class:`EntityContext`."""

from __future__ import annotations

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from ..identity.knowledge import curated_files, curated_org_forms
from ..outlets import OutletCatalog, default_catalog
from ..registry import Registry

# The user's registry sections the recogniser uses; merges, drops and splits are the resolution's
# (indexer.identity), so that curation can be undone and an article keeps the names it wrote.
ENRICHMENT_SECTIONS = ("labels",)
from .candidates import candidates, resolve_overlaps
from .context import EntityContext
from .given_names import given_name_candidates, load_given_names, relabel_given_names
from .judge import judge
from .misc import mark_misc
from .merge import merge
from .noise import filter_noise
from .people import fold_people_taken_for_organisations
from .relabel import is_sports
from .surnames import surname_mentions
from .titles import titles
from .trust import TABLE_LINE, trust, untrusted_mask


@Language.factory(
    "presswatch_entities",
    default_config={"registry_path": None, "outlets_path": None, "given_names_path": None, "aliases_path": None},
)
def make_entities(nlp: Language, name: str, registry_path: str | None, outlets_path: str | None,
                  given_names_path: str | None, aliases_path: str | None = None) -> "EntityComponent":
    """The component over the user's files, as `install` was given them (None: the shipped data only)."""
    return EntityComponent(nlp, registry=Registry.load(registry_path, user_sections=ENRICHMENT_SECTIONS), catalog=OutletCatalog.load(outlets_path),
                           given_names=load_given_names(given_names_path),
                           curated=curated_org_forms(curated_files(aliases_path)))


class EntityComponent:
    """Sets ``doc._.entities`` and ``doc._.mentions``: :func:`annotate` with this pipeline's context."""

    def __init__(self, nlp: Language, *, registry: Registry | None = None, catalog: OutletCatalog | None = None,
                 given_names: frozenset[str] | None = None, curated: dict[str, bool] | None = None):
        """None: the shipped registry, outlets, given names and curated organisation names
        (`curated`: written form -> marked ambiguous, `identity.knowledge.curated_org_forms`)."""
        self.context = EntityContext.build(
            nlp,
            registry if registry is not None else Registry.load(),
            catalog if catalog is not None else default_catalog(),
            given_names if given_names is not None else load_given_names(),
            curated if curated is not None else curated_org_forms(curated_files()),
        )

    @property
    def places(self) -> frozenset[str]:
        return self.context.places

    def __call__(self, doc: Doc) -> Doc:
        return annotate(self.context, doc)


def annotate(ctx: EntityContext, doc: Doc) -> Doc:
    """The steps of the component, in order (see the package's docstring)."""
    n = len(doc)
    if n == 0:
        doc._.entities, doc._.mentions = [], []
        return doc
    text = doc.text  # Doc.text joins every token: compute once
    starts = doc.to_array(IDX).tolist()
    untrusted = untrusted_mask(doc, text, starts)
    sports = is_sports(doc)
    cands = candidates(ctx, doc, text, sports)
    given = given_name_candidates(doc, cands, sports, ctx.given_names, ctx.places)
    cands = resolve_overlaps(cands + given)
    relabel_given_names(doc, cands, sports, ctx.given_names, ctx.places)
    roles_consumed: set[int] = set()
    cands = titles(doc, cands, roles_consumed)
    cands = [c for c in cands if id(c) not in roles_consumed]
    for c in cands:
        span_mask = untrusted[c.start : c.end]
        c.trusted = c.source == "results" or not any(span_mask)
        c.table = not c.trusted and all(m in (False, TABLE_LINE) for m in span_mask)
    cands = filter_noise(ctx, doc, cands, text, sports)
    cands = trust(ctx, doc, cands, untrusted)
    cands = sorted(cands + surname_mentions(doc, cands, untrusted), key=lambda c: c.start)
    entities, mentions = merge(ctx, doc, cands, sports)
    entities, mentions = fold_people_taken_for_organisations(doc, entities, mentions, given_names=ctx.given_names,
                                                             decided=ctx.registry.labels)
    mark_misc(entities, ctx.misc, ctx.registry.labels)
    entities, mentions = judge(doc, entities, mentions, judge_model=ctx.judge, given_names=ctx.given_names,
                               prior=ctx.prior, decided=ctx.registry.labels)
    doc._.entities = entities
    doc._.mentions = mentions
    return doc


def install(nlp: Language, *, registry_path: str | None = None, outlets_path: str | None = None,
            given_names_path: str | None = None, aliases_path: str | None = None) -> None:
    """Add the entity component after ``ner`` (and before quotes).

    ``registry_path``: the user's registry YAML, merged over the shipped one (None: shipped only).
    ``outlets_path``: the user's extra outlets for in-text recognition (None: the shipped list only).
    ``given_names_path``: the user's given names, added to the shipped list (None: shipped only).
    ``aliases_path``: the user's alternate names of organisations, added to the shipped ones (None: shipped only).
    """
    nlp.add_pipe(
        "presswatch_entities",
        last=True,
        config={
            "registry_path": str(registry_path) if registry_path else None,
            "outlets_path": str(outlets_path) if outlets_path else None,
            "given_names_path": str(given_names_path) if given_names_path else None,
            "aliases_path": str(aliases_path) if aliases_path else None,
        },
    )
