"""What resolution knows before the corpus says anything: the registry, curated alternate names, outlets.

- the entity registry (`indexer.registry.Registry`): the user's merges, drops, label fixes and splits;
- the curated alternate names (`indexer/data/aliases.yaml`, extended by `$PRESSWATCH_HOME/aliases.yaml`):
  acronyms and other names of major organisations ("DOJ", "Justice Department" -> "Department of
  Justice") and a few people's by-names ("Bibi" -> "Benjamin Netanyahu");
- the outlet catalogue: an organisation named like a known outlet ("DW") is that outlet ("Deutsche Welle").
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigurationError
from ..names import name_key
from ..outlets import RISKY_ACRONYMS, OutletCatalog
from ..registry import Registry

ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "aliases.yaml"
CURATED_LABELS = {"organizations": "ORG", "people": "PERSON"}


@dataclass(frozen=True)
class Canonical:
    name: str
    label: str | None = None  # None: keep the surface's label
    kind: str | None = None
    ambiguous: bool = False  # only when the article or corpus has other evidence (not used alone)


@dataclass
class Knowledge:
    registry: Registry = field(default_factory=Registry)
    curated: dict[str, Canonical] = field(default_factory=dict)  # name key -> canonical
    outlets: OutletCatalog | None = None
    fingerprint: str = ""  # changes when any of the files behind it changes

    @classmethod
    def load(cls, *, registry_path: str | os.PathLike | None = None, outlets_path: str | os.PathLike | None = None,
             aliases_path: str | os.PathLike | None = None) -> "Knowledge":
        registry = Registry.load(registry_path)
        curated: dict[str, Canonical] = {}
        for path in curated_files(aliases_path):
            curated.update(read_aliases(path))
        paths = [p for p in (ALIASES_FILE, aliases_path, registry_path, outlets_path) if p]
        return cls(registry, curated, OutletCatalog.load(outlets_path), fingerprint=_fingerprint(paths))

    # -- lookups on a surface (label, key) ---------------------------------------------------------
    def dropped(self, label: str, *keys: str) -> bool:
        return any(self.registry.is_dropped(key, label) for key in keys)

    def label_for(self, label: str, *keys: str) -> str:
        return next((self.registry.labels[k] for k in keys if k in self.registry.labels), label)

    def canonical_for(self, label: str, *keys: str) -> Canonical | None:
        """The registry's merge rule, else the curated alternate name, else a known outlet."""
        rule = self.registry.rule_for(*keys)
        if rule is not None:
            return Canonical(rule.canonical, rule.label or self.registry.labels.get(name_key(rule.canonical)),
                             rule.kind)
        for key in keys:
            curated = self.curated.get(key)
            if curated is not None and not curated.ambiguous and curated.label in (None, label):
                return curated
        if label == "ORG" and self.outlets is not None:
            for key in keys:
                if key in self.curated:  # "EPA": the curated organisation, not the photo agency
                    continue
                outlet = self.outlets.by_name(key)
                if outlet is not None and _names_outlet(key, outlet):
                    return Canonical(outlet.name, "ORG", "outlet")
        return None

    def ambiguous(self, key: str) -> bool:
        """A curated alias that also means other things ("IS"): never resolved on its letters alone."""
        curated = self.curated.get(key)
        return curated is not None and curated.ambiguous

    def split_from(self, key: str) -> frozenset[str]:
        """Name keys the user split off the entity named `key` (`presswatch entities split`)."""
        return self.registry.splits.get(key, frozenset())


def _names_outlet(key: str, outlet) -> bool:
    """An organisation's name is an outlet's when it is the outlet's name, a name of two words or more,
    or one of its acronyms that is not often something else ("DW" is; "Standard" alone is not "The
    Standard", nor "ABC" the broadcaster of one country)."""
    if name_key(outlet.name) == key:
        return True
    if " " in key:
        return True
    return key.upper() not in RISKY_ACRONYMS and any(a.replace(".", "").upper() == key.upper()
                                                     for a in outlet.aliases if a.replace(".", "").isupper())


def read_aliases(path: Path) -> dict[str, Canonical]:
    """A curated alternate-names file: ``organizations:`` and ``people:`` lists of
    ``{name, display?, aliases, ambiguous?}`` (see indexer/data/aliases.yaml). The facet value is
    `display`, else the name without a Wikipedia-style disambiguator when no other entry has that bare
    name ("Free Democratic Party (Germany)" -> "Free Democratic Party")."""
    entries = read_entries(path)
    bare = Counter(name_key(_DISAMBIGUATOR.sub("", str(e["name"]))) for _, e in entries)
    bare.update(name_key(str(e["display"])) for _, e in entries if e.get("display"))
    out: dict[str, Canonical] = {}
    for label, entry in entries:
        name = str(entry["name"])
        stripped = _DISAMBIGUATOR.sub("", name)
        display = str(entry.get("display") or (stripped if bare[name_key(stripped)] == 1 else name))
        ambiguous = {name_key(str(a)) for a in entry.get("ambiguous") or []}
        for alias in [display, name, *(entry.get("aliases") or [])]:
            key = name_key(str(alias))
            if key:
                out[key] = Canonical(display, label, None, key in ambiguous)
    return out


def read_entries(path: Path) -> list[tuple[str, dict]]:
    """The (label, entry) pairs of a curated alternate-names file, each checked to have a name."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"alternate names {str(path)!r} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: expected a mapping with 'organizations' and 'people'")
    entries = [(label, entry) for section, label in CURATED_LABELS.items() for entry in data.get(section) or []]
    for _, entry in entries:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigurationError(f"{path}: every entry needs a name: {entry!r}")
    return entries


def curated_files(user_path: str | os.PathLike | None = None) -> list[Path]:
    """The shipped alternate-names file, then the user's when it exists (its entries win)."""
    return [p for p in (ALIASES_FILE, Path(user_path) if user_path else None) if p is not None and p.is_file()]


def curated_org_forms(paths: list[Path]) -> dict[str, bool]:
    """The organisation names of curated files as they are written (names without a disambiguator,
    display names and aliases), each with whether the file calls it ambiguous: for finding them in text."""
    forms: dict[str, bool] = {}
    for path in paths:
        for label, entry in read_entries(path):
            if label != "ORG":
                continue
            ambiguous = {str(a) for a in entry.get("ambiguous") or []}
            for form in [_DISAMBIGUATOR.sub("", str(entry["name"])), entry.get("display"), *(entry.get("aliases") or [])]:
                if form:
                    forms[str(form)] = str(form) in ambiguous
    return forms


_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)$")


def _fingerprint(paths: list) -> str:
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        digest.update(str(path).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
