"""Curation: the user's corrections to entities, written to their registry so they survive re-ingest.

Each edit is a plain function over the registry's YAML data (a dict) and the entity documents it
concerns (from the entity index), so it can be tested without Elasticsearch; `write_registry` saves the
result. The application then runs a consolidation, which updates the index at once.

- merge: the entities' names and forms become aliases of the target (`merge:` section);
- split: forms that must never resolve to an entity again (`split:` section);
- rename: a new canonical name for an entity (a `merge:` rule with the new name as canonical);
- relabel: a type correction for the entity and all its forms (`labels:` section);
- drop: the entity and its forms are no entity at all (`drop:` section).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ConfigurationError
from .names import name_key

LABELS = ("PERSON", "ORG", "LOC")
HEADER = ("# PressWatch entity registry: your corrections (presswatch entities merge/split/rename/relabel/drop\n"
          "# write here; you may edit it by hand). Merged over the shipped registry at ingest and consolidation.\n")


def read_registry(path: Path) -> dict:
    if not path.is_file():
        return {"version": 1}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"registry {str(path)!r} is not valid YAML: {exc}") from exc
    except OSError as exc:
        raise ConfigurationError(f"registry {str(path)!r} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"registry {str(path)!r} must be a mapping")
    return data


def write_registry(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise ConfigurationError(f"registry {str(path)!r} cannot be written: {exc}") from exc


def names_of(entity: dict) -> list[str]:
    """An entity document's canonical name and every form it was written in."""
    return _unique([entity["name"], *(a["name"] for a in entity.get("aliases") or [])])


def own_names(entity: dict) -> list[str]:
    """Its names that are its alone: a lone surname ("Trump" of Donald Trump) may be another's too,
    so a relabel or drop of the entity does not write it (a merge does: the user merges that form)."""
    multi_word = " " in entity["name"].strip()
    return [n for n in names_of(entity) if not multi_word or " " in n.strip()]


def merge(data: dict, sources: list[dict], target: str, label: str | None = None) -> dict:
    aliases = [n for entity in sources for n in names_of(entity) if name_key(n) != name_key(target)]
    rule = _merge_rule(data, target)
    rule["aliases"] = _unique([*rule.get("aliases", []), *aliases])
    if label:
        rule["label"] = label
    _unsplit(data, target, aliases)
    return data


def split(data: dict, entity: dict | None, name: str, aliases: list[str]) -> dict:
    keys = {name_key(a) for a in aliases}
    splits = data.setdefault("split", {}) or {}
    data["split"] = splits
    splits[name] = _unique([*(splits.get(name) or []), *aliases])
    for canonical, spec in (data.get("merge") or {}).items():  # an earlier merge of those forms is undone
        if name_key(canonical) == name_key(name) and isinstance(spec, dict):
            spec["aliases"] = [a for a in spec.get("aliases") or [] if name_key(a) not in keys]
    return data


def rename(data: dict, entity: dict, new_name: str) -> dict:
    label = entity.get("label")
    for canonical in list(data.get("merge") or {}):
        if name_key(canonical) == name_key(entity["name"]):
            old = data["merge"].pop(canonical)
            aliases = old.get("aliases", []) if isinstance(old, dict) else list(old or [])
            _merge_rule(data, new_name)["aliases"] = aliases
    return merge(data, [entity], new_name, label)


def relabel(data: dict, entity: dict, label: str) -> dict:
    label = check_label(label)
    labels = data.setdefault("labels", {}) or {}
    data["labels"] = labels
    for name in own_names(entity):
        labels[name] = label
    for canonical, spec in (data.get("merge") or {}).items():
        if name_key(canonical) == name_key(entity["name"]) and isinstance(spec, dict):
            spec["label"] = label
    return data


def drop(data: dict, entity: dict | None, name: str, label: str | None = None) -> dict:
    drops = data.setdefault("drop", []) or []
    data["drop"] = drops
    names = own_names(entity) if entity else [name]
    label = label or (entity or {}).get("label")
    known = {(name_key(d["name"]) if isinstance(d, dict) else name_key(str(d))) for d in drops}
    for n in names:
        if name_key(n) not in known:
            drops.append({"name": n, "label": label} if label else n)
    return data


def check_label(label: str) -> str:
    label = label.upper()
    aliases = {"PER": "PERSON", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "PLACE": "LOC", "GPE": "LOC"}
    label = aliases.get(label, label)
    if label not in LABELS:
        raise ConfigurationError(f"unknown label {label!r}: use one of {', '.join(LABELS)}")
    return label


def _merge_rule(data: dict, canonical: str) -> dict:
    merges = data.setdefault("merge", {}) or {}
    data["merge"] = merges
    for name in list(merges):
        if name_key(name) == name_key(canonical):
            spec = merges[name]
            if not isinstance(spec, dict):
                spec = merges[name] = {"aliases": list(spec or []) if not isinstance(spec, str) else [spec]}
            return spec
    merges[canonical] = {"aliases": []}
    return merges[canonical]


def _unsplit(data: dict, target: str, aliases: list[str]) -> None:
    keys = {name_key(a) for a in aliases}
    for name, kept_apart in (data.get("split") or {}).items():
        if name_key(name) == name_key(target):
            data["split"][name] = [a for a in kept_apart if name_key(a) not in keys]


def _unique(names) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(name_key(n), n)
    return [n for k, n in seen.items() if k]
