"""Step 7, misc: laws, programmes, buildings, rooms, events and sections taken for a person or an
organisation get kind ``misc`` (their label stays): they are kept on the document, out of the facets
and of the quote speakers (``model.NOT_IN_FACETS``).

What is one is read from ``indexer/data/misc_names.yaml``: names ("Obamacare", "Capitol Hill", "Brexit",
"State of the Union") and, for organisations only, the last word of a longer name ("... Act",
"... Treaty", "... Tower", "... Summit"): a person may well be called Day or Law.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..model import MISC_KIND, Entity
from ..names import name_key

MISC_FILE = Path(__file__).resolve().parent.parent / "data" / "misc_names.yaml"


@dataclass(frozen=True)
class MiscNames:
    keys: frozenset[str]  # name keys
    heads: frozenset[str]  # last words (lower case) of organisations' names
    written: tuple[str, ...] = ()  # the names as written ("Air Force One")

    def covers(self, entity: Entity) -> bool:
        if any(name_key(n) in self.keys for n in (entity.name, *entity.aliases)):
            return True
        words = entity.name.split()
        return entity.label == "ORG" and len(words) >= 2 and words[-1].lower().strip(".,") in self.heads


@lru_cache(maxsize=2)
def load_misc_names(path: str | None = None) -> MiscNames:
    data = yaml.safe_load(Path(path or MISC_FILE).read_text(encoding="utf-8")) or {}
    written = tuple(str(n) for names in (data.get("names") or {}).values() for n in names or ())
    keys = {name_key(n) for n in written}
    heads = {str(h).lower() for words in (data.get("heads") or {}).values() for h in words or ()}
    return MiscNames(frozenset(k for k in keys if k), frozenset(heads), written)


def mark_misc(entities: list[Entity], misc: MiscNames, decided: frozenset[str] | dict = frozenset()) -> None:
    """Kind ``misc`` for the persons and organisations `misc` covers, unless the registry labels them."""
    for entity in entities:
        if entity.label in ("PERSON", "ORG") and not entity.kind and name_key(entity.name) not in decided \
                and misc.covers(entity):
            entity.kind = MISC_KIND
