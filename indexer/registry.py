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
    split:                       # names never resolved to the entity (`presswatch entities split`)
      Barack Obama: [Obama]

``Registry.load(path)`` reads the shipped ``indexer/data/registry.yaml`` and, when ``path`` is given,
merges the user's file over it. The registry is applied inside the entity component at enrichment, and
the corpus-wide resolution (`indexer.identity`) applies it to already-indexed documents without NLP.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigurationError
from .model import Entity
from .names import name_key

DATA_FILE = Path(__file__).parent / "data" / "registry.yaml"
LABELS = ("PERSON", "ORG", "LOC")


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
    splits: dict[str, frozenset[str]] = field(default_factory=dict)  # entity key -> keys kept apart
    sources: list[str] = field(default_factory=list)

    # -- loading --------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, defaults: bool = True,
             user_sections: tuple[str, ...] | None = None) -> "Registry":
        """The shipped registry, merged with the user's file at ``path`` when given (only its
        `user_sections` when given: enrichment takes the user's label fixes, and leaves the user's
        merges, drops and splits to the corpus resolution, where they can be undone)."""
        registry = cls()
        if defaults and DATA_FILE.is_file():
            registry.update(_read_yaml(DATA_FILE), source=str(DATA_FILE))
        if path:
            path = Path(path)
            if not path.is_file():
                raise ConfigurationError(f"entity registry {str(path)!r} does not exist")
            data = _read_yaml(path)
            if user_sections is not None and isinstance(data, dict):
                data = {k: v for k, v in data.items() if k in (*user_sections, "version", "description")}
            registry.update(data, source=str(path))
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
        unknown = set(data) - {"version", "merge", "drop", "labels", "split", "description"}
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
        for name, aliases in (data.get("split") or {}).items():
            if not isinstance(aliases, (list, tuple)):
                raise ConfigurationError(f"{source}: split entry {name!r} must list the names to keep apart")
            key = name_key(str(name))
            self.splits[key] = self.splits.get(key, frozenset()) | {name_key(str(a)) for a in aliases}
        for name, label in (data.get("labels") or {}).items():
            key = name_key(str(name))
            if key:
                self.labels[key] = _check_label(label, source)
        self.sources.append(source)

    def __bool__(self) -> bool:
        return bool(self.merges or self.drops or self.labels or self.splits)

    # -- lookups (on names) ---------------------------------------------------------------------
    def is_dropped(self, name: str, label: str | None = None) -> bool:
        key = name_key(name)
        if key not in self.drops:
            return False
        labels = self.drops[key]
        return labels is None or label is None or label in labels

    def _place_kind(self, name: str, label: str) -> str | None:
        """A place the registry lists as one (shipped: the countries and territories) is a country."""
        return "country" if label == "LOC" and self.labels.get(name_key(name)) == "LOC" else None

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
                    kind=(rule.kind if rule and rule.kind else ent.kind) or self._place_kind(name, label),
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
