"""The curated entity registry: a YAML file users edit to merge aliases, drop names and fix types.

Format (every section optional; names are matched by :func:`indexer.names.name_key`, so case,
diacritics, hyphens, apostrophes and "al-" particles don't matter)::

    version: 1
    merge:                       # canonical name -> the names to fold into it
      United States: [U.S., US, USA, United States of America]
      Ali Khamenei:              # or a mapping with aliases and an optional label / kind
        aliases: [Ayatollah Khamenei, Sayyid Ali Khamenei]
        label: PERSON
    drop:                        # names that are never entities
      - Reuters Staff
      - {name: Jordan, label: PERSON}   # only when labelled PERSON
    labels:                      # type corrections: name -> PERSON | ORG | LOC
      Hamas: ORG

``Registry.load(path)`` reads the shipped ``indexer/data/registry.yaml`` and, when ``path`` is given,
merges the user's file over it. The registry is applied inside the entity component at enrichment, and
:meth:`Registry.apply_to_document` applies it to an already-indexed Elasticsearch ``_source`` without NLP.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigurationError
from .model import Entity
from .names import name_key

DATA_FILE = Path(__file__).parent / "data" / "registry.yaml"
LABELS = ("PERSON", "ORG", "LOC")
FACET_FIELDS = {"PERSON": "persons", "ORG": "organizations", "LOC": "locations"}
SPEAKER_TYPES = {"PERSON": "person", "ORG": "organization", "LOC": "unknown"}


@dataclass
class MergeRule:
    canonical: str
    label: str | None = None
    kind: str | None = None


@dataclass
class Registry:
    """Alias merges, drops and label corrections, keyed by normalised name."""

    merges: dict[str, MergeRule] = field(default_factory=dict)  # key -> rule
    drops: dict[str, set[str] | None] = field(default_factory=dict)  # key -> labels (None: any label)
    labels: dict[str, str] = field(default_factory=dict)  # key -> label
    sources: list[str] = field(default_factory=list)

    # -- loading --------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, defaults: bool = True) -> "Registry":
        """The shipped registry, merged with the user's file at ``path`` when given."""
        registry = cls()
        if defaults and DATA_FILE.is_file():
            registry.update(_read_yaml(DATA_FILE), source=str(DATA_FILE))
        if path:
            path = Path(path)
            if not path.is_file():
                raise ConfigurationError(f"entity registry {str(path)!r} does not exist")
            registry.update(_read_yaml(path), source=str(path))
        return registry

    @classmethod
    def from_dict(cls, data: dict) -> "Registry":
        registry = cls()
        registry.update(data)
        return registry

    def update(self, data: dict | None, *, source: str = "<dict>") -> None:
        """Add the rules of one registry file (later files win over earlier ones)."""
        data = data or {}
        if not isinstance(data, dict):
            raise ConfigurationError(f"{source}: the registry must be a mapping with merge/drop/labels")
        unknown = set(data) - {"version", "merge", "drop", "labels", "description"}
        if unknown:
            raise ConfigurationError(f"{source}: unknown registry section(s): {', '.join(sorted(unknown))}")
        for canonical, spec in (data.get("merge") or {}).items():
            label = kind = None
            if isinstance(spec, dict):
                aliases = spec.get("aliases") or []
                label = _check_label(spec.get("label"), source)
                kind = spec.get("kind")
            elif isinstance(spec, (list, tuple)):
                aliases = list(spec)
            elif isinstance(spec, str):
                aliases = [spec]
            elif spec is None:
                aliases = []
            else:
                raise ConfigurationError(f"{source}: merge entry {canonical!r} must list aliases")
            rule = MergeRule(str(canonical), label, kind)
            for name in [canonical, *aliases]:
                key = name_key(str(name))
                if key:
                    self.merges[key] = rule
            if label:
                self.labels[name_key(str(canonical))] = label
        for item in data.get("drop") or []:
            if isinstance(item, dict):
                name, label = item.get("name"), _check_label(item.get("label"), source)
            else:
                name, label = item, None
            key = name_key(str(name or ""))
            if not key:
                continue
            if label is None:
                self.drops[key] = None
            elif key not in self.drops or self.drops[key] is not None:
                self.drops.setdefault(key, set()).add(label)
        for name, label in (data.get("labels") or {}).items():
            key = name_key(str(name))
            if key:
                self.labels[key] = _check_label(label, source)
        self.sources.append(source)

    def __bool__(self) -> bool:
        return bool(self.merges or self.drops or self.labels)

    # -- lookups (on names) ---------------------------------------------------------------------
    def is_dropped(self, name: str, label: str | None = None) -> bool:
        key = name_key(name)
        if key not in self.drops:
            return False
        labels = self.drops[key]
        return labels is None or label is None or label in labels

    def rule_for(self, *names: str) -> MergeRule | None:
        for name in names:
            rule = self.merges.get(name_key(name))
            if rule is not None:
                return rule
        return None

    def canonical(self, name: str, label: str | None = None) -> str:
        rule = self.merges.get(name_key(name))
        return rule.canonical if rule else name

    def label_for(self, name: str, label: str) -> str:
        return self.labels.get(name_key(name), label)

    def resolve(self, name: str, label: str, aliases: list[str] | tuple[str, ...] = ()) -> tuple[str, str] | None:
        """(canonical name, label) for an entity, or None when it is dropped."""
        if self.is_dropped(name, label) or any(self.is_dropped(a, label) for a in aliases):
            return None
        rule = self.rule_for(name, *aliases)
        new_name = rule.canonical if rule else name
        new_label = self.labels.get(name_key(new_name)) or self.labels.get(name_key(name)) or (rule.label if rule else None) or label
        if self.is_dropped(new_name, new_label):
            return None
        return new_name, new_label

    # -- enrichment -----------------------------------------------------------------------------
    def apply_to_entities(self, entities: list[Entity]) -> tuple[list[Entity], dict[int, Entity | None]]:
        """Apply to canonical entities of one doc.

        Returns the new entity list and a map ``id(old entity) -> new entity`` (None when dropped),
        so callers can re-point their mentions.
        """
        result: list[Entity] = []
        by_key: dict[tuple[str, str], Entity] = {}
        mapping: dict[int, Entity | None] = {}
        for ent in entities:
            resolved = self.resolve(ent.name, ent.label, ent.aliases)
            if resolved is None:
                mapping[id(ent)] = None
                continue
            name, label = resolved
            rule = self.rule_for(ent.name, *ent.aliases)
            key = name_key(name, person=label == "PERSON")
            target = by_key.get((key, label))
            if target is None:
                target = Entity(
                    name=name,
                    label=label,
                    mentions=0,
                    aliases=[],
                    key=key,
                    kind=(rule.kind if rule and rule.kind else ent.kind),
                    role=ent.role,
                )
                by_key[(key, label)] = target
                result.append(target)
            target.mentions += ent.mentions
            for alias in [ent.name, *ent.aliases]:
                if alias != target.name and alias not in target.aliases:
                    target.aliases.append(alias)
            if target.role is None:
                target.role = ent.role
            mapping[id(ent)] = target
        return result, mapping

    # -- already-indexed documents --------------------------------------------------------------
    def apply_to_document(self, source: dict) -> dict | None:
        """The fields of an indexed document ``_source`` that change under this registry, or None.

        Handles ``entities``, ``persons``/``organizations``/``locations``, ``quotes[].speaker`` (and
        ``speaker_type``), ``quote_speakers`` and ``cited_outlets``. Pure: ``source`` is not modified.
        """
        changes: dict = {}
        name_map: dict[tuple[str, str], tuple[str, str] | None] = {}  # (old name, label) -> (new, label) or None

        # entities
        old_entities = source.get("entities") or []
        if old_entities:
            objs = [
                Entity(
                    name=e.get("name", ""),
                    label=e.get("label", "ORG"),
                    mentions=int(e.get("mentions") or 0),
                    aliases=list(e.get("aliases") or []),
                    key=e.get("key") or "",
                    kind=e.get("kind"),
                    role=e.get("role"),
                )
                for e in old_entities
            ]
            new_objs, mapping = self.apply_to_entities(objs)
            for obj in objs:
                target = mapping[id(obj)]
                name_map[(obj.name, obj.label)] = (target.name, target.label) if target else None
            new_entities = [e.to_dict() for e in new_objs]
            if new_entities != [_normalise_entity_dict(e) for e in old_entities]:
                changes["entities"] = new_entities

        def resolve_facet(value: str, label: str) -> tuple[str, str] | None:
            if (value, label) in name_map:
                return name_map[(value, label)]
            return self.resolve(value, label)

        # facets: rename / drop / move between fields
        facets = {f: list(source.get(f) or []) for f in FACET_FIELDS.values()}
        new_facets: dict[str, list[str]] = {f: [] for f in FACET_FIELDS.values()}
        moved: list[tuple[str, str]] = []
        for label, fname in FACET_FIELDS.items():
            for value in facets[fname]:
                resolved = resolve_facet(value, label)
                if resolved is None:
                    continue
                new_name, new_label = resolved
                if new_label != label:
                    moved.append(resolved)  # appended after the values that stay
                    continue
                dest = new_facets[fname]
                if new_name not in dest:
                    dest.append(new_name)
        for new_name, new_label in moved:
            dest = new_facets[FACET_FIELDS[new_label]]
            if new_name not in dest:
                dest.append(new_name)
        for fname in FACET_FIELDS.values():
            if fname in source or new_facets[fname]:
                if new_facets[fname] != facets[fname]:
                    changes[fname] = new_facets[fname]

        # quotes, quote speakers, cited outlets
        def rename(value: str | None, label: str | None = None) -> tuple[str | None, str | None]:
            if not value:
                return value, label
            for lab in [label] if label else ["PERSON", "ORG", "LOC"]:
                if (value, lab) in name_map:
                    hit = name_map[(value, lab)]
                    return (hit[0], hit[1]) if hit else (None, None)
            for lab in ([label] if label else []) + [None]:
                if self.is_dropped(value, lab):
                    return None, None
            rule = self.rule_for(value)
            new = rule.canonical if rule else value
            return new, self.labels.get(name_key(new)) or self.labels.get(name_key(value)) or label

        quotes = source.get("quotes")
        if quotes:
            new_quotes = []
            changed = False
            for q in quotes:
                q2 = dict(q)
                speaker = q.get("speaker")
                if speaker:
                    stype = q.get("speaker_type")
                    label = {"person": "PERSON", "organization": "ORG", "outlet": "ORG"}.get(stype or "")
                    new, new_label = rename(speaker, label)
                    if new != speaker:
                        q2["speaker"] = new
                        changed = True
                    if new is None:
                        q2["speaker_type"] = "unknown"
                        changed = True
                    elif new_label and stype != "outlet" and label and new_label != label:
                        q2["speaker_type"] = SPEAKER_TYPES[new_label]
                        changed = True
                new_quotes.append(q2)
            if changed:
                changes["quotes"] = new_quotes
        for fname in ("quote_speakers", "cited_outlets"):
            values = source.get(fname)
            if not values:
                continue
            out: list[str] = []
            for value in values:
                new, _ = rename(value)
                if new and new not in out:
                    out.append(new)
            if out != list(values):
                changes[fname] = out
        return changes or None


def _normalise_entity_dict(e: dict) -> dict:
    return {k: v for k, v in copy.deepcopy(e).items() if v not in (None, [])}


def _check_label(label, source: str) -> str | None:
    if label is None:
        return None
    label = str(label).upper()
    if label == "GPE":
        label = "LOC"
    if label not in LABELS:
        raise ConfigurationError(f"{source}: label must be one of {', '.join(LABELS)}, not {label!r}")
    return label


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path}: not valid YAML: {exc}") from exc
