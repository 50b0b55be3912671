"""Resolution applied to one indexed document.

An article document keeps what its own text said about each entity -- `surface` (the article's name for
it), `ref` (label and name key), `aliases`, `role` -- and carries what the corpus decided: `id`, `name`
and `label`. The facet fields `persons`, `organizations`, `locations` and `quote_speakers` hold the
canonical names. `entity_forms` and `entity_roles` ("ref<TAB>form") feed the consolidation's
aggregations; `entity_ids` lets Elasticsearch count articles per entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import AMBIGUOUS_KIND, FACET_FIELDS, NOT_IN_FACETS
from ..names import name_key
from ..quotes.lexicon import HONORIFIC_SEX
from .context import SurnameContext
from .knowledge import Knowledge
from .matching import Match, Resolver
from .person import parse_person
from .resolve import DOMINANCE, Surface, resolve_corpus, surface_ref

SPEAKER_LABELS = {"person": "PERSON", "organization": "ORG", "outlet": "ORG", "country": "LOC", "place": "LOC"}
RESOLVED_FIELDS = ("entities", "entity_ids", "quotes", "quote_speakers", "cited_outlets", *FACET_FIELDS.values())
PREPARED_FIELDS = ("speaker_refs", "entity_forms", "entity_roles", "entity_kinds")


def prepare_document(doc: dict) -> dict:
    """Record, once and before any corpus resolution, each entity's own `surface` and `ref`, each quote
    speaker's ref, and the per-ref forms, roles and kinds the consolidation aggregates. Idempotent."""
    entities = doc.get("entities") or []
    for entity in entities:
        if "ref" not in entity:
            entity["surface"] = entity.get("surface") or _fullest_name(entity)
            entity["ref"] = _own_ref(entity)
            entity["own_kind"] = entity.get("kind")
    for quote in doc.get("quotes") or []:
        if quote.get("speaker") and "speaker_ref" not in quote:
            quote["speaker_surface"] = quote["speaker"]
            quote["speaker_ref"] = _speaker_ref(quote, entities)
    doc["speaker_refs"] = sorted({q["speaker_ref"] for q in doc.get("quotes") or [] if q.get("speaker_ref")}
                                 - {e["ref"] for e in entities})
    doc["entity_forms"] = sorted({f"{e['ref']}\t{form}" for e in entities for form in [e["surface"], *(e.get("aliases") or [])]}
                                 | {f"{q['speaker_ref']}\t{q['speaker_surface']}" for q in doc.get("quotes") or []
                                    if q.get("speaker_ref") in doc["speaker_refs"]})
    doc["entity_roles"] = sorted({f"{e['ref']}\t{e['role']}" for e in entities if e.get("role")})
    doc["entity_kinds"] = sorted({f"{e['ref']}\t{kind}" for e in entities if (kind := _own_kind(e))})
    return doc


def _own_ref(entity: dict) -> str:
    if entity["surface"] == entity["name"] and entity.get("key"):
        return surface_ref(entity["label"], entity["key"])
    return surface_ref(entity["label"], name_key(entity["surface"], person=entity["label"] == "PERSON"))


def _speaker_ref(quote: dict, entities: list[dict]) -> str:
    """The ref of the article's entity the speaker names (by its name, surface or an alias, preferring
    the speaker's type), else a ref of the speaker's own ("Trump" only in a quote)."""
    speaker = quote["speaker"]
    label = SPEAKER_LABELS.get(quote.get("speaker_type"), "PERSON")
    named = [e for e in entities if speaker in (e["name"], e["surface"], *(e.get("aliases") or []))]
    named.sort(key=lambda e: (e["ref"].partition("|")[0] != label, -(e.get("mentions") or 0)))
    if named:
        return named[0]["ref"]
    return surface_ref(label, name_key(speaker, person=label == "PERSON"))


def _fullest_name(entity: dict) -> str:
    """The article's own name for an entity; for a person named by a lone surname whose article also
    gives the full name ("Fischer", alias "Sven Fischer"), the full name."""
    name = entity["name"]
    if entity["label"] != "PERSON" or " " in name.strip():
        return name
    fuller = [a for a in entity.get("aliases") or [] if parse_person(a).is_full
              and name_key(a).split()[-1:] == [name_key(name)]]
    return max(fuller, key=lambda a: (len(a.split()), a)) if fuller else name


def own_refs(doc: dict) -> list[str]:
    """The refs of a prepared document's entities: what its own text named, before any resolution."""
    return [e["ref"] for e in doc.get("entities") or [] if e.get("ref")]


def surfaces_of(doc: dict) -> list[Surface]:
    """The article's surfaces, as one article's worth of corpus statistics."""
    date = doc.get("published_at")
    out = []
    for entity in doc.get("entities") or []:
        label, _, key = entity["ref"].partition("|")
        forms = Counter(dict.fromkeys([entity["surface"], *(entity.get("aliases") or [])], 1))
        roles = Counter([entity["role"]]) if entity.get("role") else Counter()
        out.append(Surface(label, key, 1, forms, roles, _own_kind(entity), date, date))
    return out


def resolve_document(doc: dict, resolver: Resolver) -> dict:
    """The resolution-dependent fields of a prepared document (only those that change are written)."""
    matches = _entity_matches(doc, resolver)
    entities = [_resolved_entity(entity, matches[entity["ref"]]) for entity in doc.get("entities") or []]
    fields: dict = {"entities": entities}
    fields.update(_facets(entities))
    for quote in doc.get("quotes") or []:
        ref = quote.get("speaker_ref")
        if ref and ref not in matches:
            label, _, key = ref.partition("|")
            matches[ref] = resolver.match(Surface(label, key, 1, Counter([quote.get("speaker_surface") or key])))
    quotes = [_resolved_quote(q, matches) for q in doc.get("quotes") or []]
    fields["quotes"] = quotes
    fields["entity_ids"] = sorted({e["id"] for e in entities if e.get("id")} |
                                  {q["speaker_id"] for q in quotes if q.get("speaker_id")})
    fields["quote_speakers"] = list(dict.fromkeys(q["speaker"] for q in quotes if q.get("speaker")))
    fields["cited_outlets"] = list(dict.fromkeys(
        name for o in doc.get("cited_outlets") or [] if (name := resolver.outlet_name(o)) != doc.get("outlet")))
    return fields


def _entity_matches(doc: dict, resolver: Resolver) -> dict[str, Match | None]:
    """Each entity ref's match; a lone surname the corpus left undecided ("Bush") takes the person the
    article's other entities point to, when they settle it."""
    matches: dict[str, Match | None] = {}
    entities = doc.get("entities") or []
    for entity, surface in zip(entities, surfaces_of(doc)):
        matches[entity["ref"]] = resolver.match(surface)
    if resolver.context is None:  # ingest: only a consolidation weighs the company
        return matches
    others = {m.id for m in matches.values() if m is not None}
    for entity in entities:
        match, sex = matches[entity["ref"]], _title_sex([entity["surface"], *(entity.get("aliases") or [])])
        if match is not None and (settled := resolver.in_company(entity["ref"], others - {match.id}, sex=sex)):
            matches[entity["ref"]] = settled
    return matches


def _title_sex(forms: list[str]) -> str | None:
    """"m" or "f" when the article writes the name after "Mr." or "Mrs."/"Ms." (and never both)."""
    sexes = {HONORIFIC_SEX.get(form.split()[0].lower().rstrip(".")) for form in forms if form.split()} - {None}
    return sexes.pop() if len(sexes) == 1 else None


def corpus_surfaces(docs: Iterable[dict]) -> list[Surface]:
    """The corpus statistics of a set of prepared documents: one `Surface` per ref, summed."""
    totals: dict[str, Surface] = {}
    for doc in docs:
        for surface in surfaces_of(doc):
            total = totals.setdefault(surface.ref, Surface(surface.label, surface.key))
            total.articles += 1
            total.forms.update(surface.forms)
            total.roles.update(surface.roles)
            total.kind = total.kind or surface.kind
    return list(totals.values())


def resolve_documents(docs: list[dict], knowledge: Knowledge, *, dominance: float = DOMINANCE) -> list[dict]:
    """A whole set of prepared documents resolved together in memory, as ingest and consolidation would
    index them (benchmarks, and anything without Elasticsearch). The documents are updated in place."""
    resolution = resolve_corpus(corpus_surfaces(docs), knowledge, dominance=dominance)
    context = SurnameContext.build(resolution, (own_refs(doc) for doc in docs))
    resolver = Resolver(resolution, knowledge, dominance=dominance, context=context)
    for doc in docs:
        doc.update(resolve_document(doc, resolver))
    return docs


def changed_fields(doc: dict, resolver: Resolver) -> dict:
    fields = resolve_document(doc, resolver)
    return {k: v for k, v in fields.items() if doc.get(k) != v}


def _resolved_entity(entity: dict, match: Match | None) -> dict:
    out = {k: v for k, v in entity.items() if k not in ("id", "name", "label", "dropped")}
    label = entity["ref"].partition("|")[0]
    if match is None:
        return {**out, "name": entity["surface"], "label": label, "dropped": True}
    out.update(id=match.id, name=match.name, label=match.label)
    out.pop("kind", None)  # the corpus's word of an earlier run is decided anew; the article's own stays
    if kind := _own_kind(entity) or match.kind:
        out["kind"] = kind
    return out


def _own_kind(entity: dict) -> str | None:
    """The article's own kind of an entity (`own_kind`, recorded before any resolution), never one the
    corpus gave it. A document prepared before `own_kind` was recorded: its kind, unless `ambiguous`."""
    if "own_kind" in entity:
        return entity["own_kind"]
    kind = entity.get("kind")
    return kind if kind != AMBIGUOUS_KIND else None


def _facets(entities: list[dict]) -> dict[str, list[str]]:
    mentions: Counter = Counter()
    labels: dict[str, str] = {}
    for e in entities:
        if e.get("dropped") or e.get("kind") in NOT_IN_FACETS:  # a source ("Iranian state media"), a law...
            continue
        mentions[e["name"]] += e.get("mentions") or 1
        labels.setdefault(e["name"], e["label"])
    facets: dict[str, list[str]] = {field: [] for field in FACET_FIELDS.values()}
    for name, _ in sorted(mentions.items(), key=lambda item: (-item[1], item[0])):
        facets[FACET_FIELDS[labels[name]]].append(name)
    return facets


def _resolved_quote(quote: dict, matches: dict[str, Match | None]) -> dict:
    ref = quote.get("speaker_ref")
    if not ref or ref not in matches:
        return quote
    match = matches[ref]
    out = {k: v for k, v in quote.items() if k != "speaker_id"}
    if match is None:  # the registry dropped the speaker's entity: no speaker ("speaker_surface" keeps it)
        out["speaker"] = None
        out["speaker_type"] = "unknown"
    else:
        out["speaker"] = match.name
        out["speaker_id"] = match.id
        if match.label != ref.partition("|")[0]:  # relabelled ("Hezbollah" was taken for a person)
            out["speaker_type"] = {"PERSON": "person", "ORG": "organization", "LOC": "place"}.get(match.label, "unknown")
    return out
