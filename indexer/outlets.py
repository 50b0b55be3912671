"""News outlets: a curated, versioned catalogue (``indexer/data/outlets.json``) users can extend.

- :func:`normalize_outlet` maps a metadata outlet name and/or an article URL to the canonical outlet
  name ("bbc.co.uk" -> "BBC News"); unknown outlets fall back to the cleaned name, then to the URL's
  registrable domain ("news.example.co.uk" -> "example.co.uk").
- :class:`OutletCatalog` holds the catalogue; :meth:`OutletCatalog.load` merges the shipped list with
  user files (``$PRESSWATCH_HOME/outlets.json``, passed in by the caller), JSON or YAML, in the same
  format as the shipped file::

      {"version": "...", "outlets": [
          {"name": "Tasnim News Agency", "domains": ["tasnimnews.com"], "aliases": ["Tasnim"],
           "country": "IR", "type": "agency", "ambiguous": false}]}

  A user entry whose ``name`` (or an alias) matches a shipped outlet extends it (domains and aliases
  are added); otherwise it is a new outlet. ``ambiguous: true`` means its one-word names ("Time",
  "The Sun") are only recognised in article text next to an outlet noun ("the Sun newspaper").
"""

from __future__ import annotations

import json
import re
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .names import clean_surface, name_key

DATA_FILE = Path(__file__).parent / "data" / "outlets.json"
USER_FILE_NAME = "outlets.json"

# Second-level public suffixes under which the registrable domain has three labels.
_SECOND_LEVEL = frozenset(
    """
    co.uk org.uk ac.uk gov.uk ltd.uk me.uk net.uk com.au net.au org.au gov.au edu.au co.nz org.nz govt.nz
    co.jp or.jp ne.jp go.jp ac.jp co.kr or.kr go.kr com.cn net.cn org.cn gov.cn com.hk org.hk com.tw org.tw
    com.sg com.my com.ph com.pk com.bd com.np com.lk co.in net.in org.in gov.in co.id or.id go.id co.th or.th
    co.za org.za gov.za co.ke or.ke co.tz co.ug com.ng com.gh com.eg gov.eg org.eg com.sa gov.sa com.qa org.qa
    net.kw com.kw com.lb gov.lb com.jo gov.jo com.tr gov.tr org.tr co.il org.il gov.il ac.il com.ir gov.ir
    com.br gov.br org.br com.ar gob.ar com.mx gob.mx com.co com.pe com.ve com.uy com.ec com.bo com.py com.cu
    co.at or.at com.ua org.ua com.ru org.ru com.pl com.gr com.cy com.mt gov.om com.om gov.bh com.bh
    gov.ph gov.sg gov.my gov.ps gob.es com.es
    """.split()
)

# Outlet acronyms that are as often something else (parties, associations, places).
RISKY_ACRONYMS = frozenset(
    "SPA CNS ANI NAN ENA APA PAP ANP SDA MTI PNA VNA CNA APP INA ONA BNA NNA RFA TAP MAP ERR LSM RTS RBC"
    " SBS NOS KAN MEE WAM AAP TRT ABC NBC CBS PBS SABC FAO".split()
)

OUTLET_TYPES = ("agency", "newspaper", "broadcaster", "magazine", "online", "photo")  # photo: credits only


@dataclass
class Outlet:
    name: str
    domains: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    type: str | None = None
    ambiguous: bool = False

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def _host(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    for prefix in ("www.", "www1.", "www2.", "www3.", "m.", "amp.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    return host


def registrable_domain(url_or_host: str) -> str | None:
    """'https://news.example.co.uk/x' -> 'example.co.uk'; 'edition.cnn.com' -> 'cnn.com'."""
    host = _host(url_or_host)
    if not host:
        return None
    labels = host.split(".")
    if len(labels) <= 2 or all(p.isdigit() for p in labels):
        return host
    n = 3 if ".".join(labels[-2:]) in _SECOND_LEVEL else 2
    return ".".join(labels[-n:])


class OutletCatalog:
    """The outlet list, indexed by domain and by normalised name/alias."""

    def __init__(self, outlets: list[Outlet] | None = None, version: str | None = None):
        self.version = version
        self.outlets: list[Outlet] = []
        self._by_domain: dict[str, Outlet] = {}
        self._by_key: dict[str, Outlet] = {}
        for outlet in outlets or []:
            self.add(outlet)

    # -- building -------------------------------------------------------------------------------
    def add(self, outlet: Outlet) -> Outlet:
        """Add an outlet, or extend the known one with the same name/alias."""
        existing = self._by_key.get(name_key(outlet.name))
        if existing is None:
            self.outlets.append(outlet)
            target = outlet
        else:
            target = existing
            for alias in outlet.aliases:
                if alias not in target.aliases and alias != target.name:
                    target.aliases.append(alias)
            for domain in outlet.domains:
                if domain not in target.domains:
                    target.domains.append(domain)
            target.country = outlet.country or target.country
            target.type = outlet.type or target.type
        for domain in target.domains:
            self._by_domain[domain.lower().removeprefix("www.")] = target
        for alias in target.names():
            key = name_key(alias)
            if key:
                self._by_key.setdefault(key, target)
        return target

    @classmethod
    def from_data(cls, data: dict | list) -> "OutletCatalog":
        catalog = cls()
        catalog.extend(data)
        return catalog

    def extend(self, data: dict | list) -> None:
        if isinstance(data, dict):
            self.version = self.version or data.get("version")
            entries = data.get("outlets", [])
        else:
            entries = data
        for entry in entries or []:
            if isinstance(entry, str):
                entry = {"name": entry}
            if not isinstance(entry, dict) or not entry.get("name"):
                raise ValueError(f"outlet entry needs a 'name': {entry!r}")
            self.add(
                Outlet(
                    name=str(entry["name"]),
                    domains=[str(d).lower() for d in entry.get("domains") or []],
                    aliases=[str(a) for a in entry.get("aliases") or []],
                    country=entry.get("country"),
                    type=entry.get("type"),
                    ambiguous=bool(entry.get("ambiguous", False)),
                )
            )

    @classmethod
    def load(cls, *paths: str | os.PathLike | None) -> "OutletCatalog":
        """The shipped catalogue, extended with each file in ``paths`` (None entries are skipped)."""
        catalog = cls.from_data(json.loads(DATA_FILE.read_text(encoding="utf-8")))
        for path in paths:
            if path:
                catalog.extend(_read_data_file(Path(path)))
        return catalog

    # -- lookups --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.outlets)

    def by_name(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        return self._by_key.get(name_key(name))

    def by_url(self, url: str | None) -> Outlet | None:
        host = _host(url) if url else None
        if not host:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):  # longest suffix first: abcnews.go.com before go.com
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet is not None:
                return outlet
        return None

    def normalize(self, name: str | None, url: str | None) -> str | None:
        """Canonical outlet name from a metadata name and/or URL (see module docs)."""
        outlet = self.by_name(name)
        if outlet is None:
            outlet = self.by_url(url)
        if outlet is None and name and " " not in name.strip() and "." in name:
            outlet = self.by_url(name)  # a site name given as a domain: "bbc.co.uk"
        if outlet is not None:
            return outlet.name
        if name and clean_surface(name):
            cleaned = " ".join(name.split())
            # "example.com" given as a name -> treat like a URL
            if " " not in cleaned and "." in cleaned and (dom := registrable_domain(cleaned)):
                return dom
            return cleaned
        if url:
            return registrable_domain(url)
        return None

    def text_names(self) -> dict[str, Outlet]:
        """Surface names safe to look for in article text (case-sensitive) -> outlet.

        Multi-word names always; single words only for unambiguous outlets and when they are not
        plain lower-case words ("Reuters", "Xinhua", "AFP"; not "Time" of an ambiguous outlet).
        """
        out: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for alias in outlet.names():
                words = alias.split()
                if not words:
                    continue
                if len(words) == 1:
                    # one word: the outlet's own name ("Reuters") or a distinctive acronym ("AFP");
                    # not a word alias ("Sky", "Guardian", "Express"): those need "the X newspaper"
                    if outlet.ambiguous or alias.islower():
                        continue
                    if alias != outlet.name and not (alias.isupper() and len(alias) >= 3 and alias not in RISKY_ACRONYMS):
                        if alias not in {"AP", "FT", "DW"}:
                            continue
                if len(words) == 2 and words[0].lower() == "the" and outlet.ambiguous:
                    continue  # "The Sun", "The Hill" at a sentence start
                out.setdefault(alias, outlet)
                if words[0] == "The" and len(words) > 2:
                    out.setdefault(alias[4:], outlet)  # "The New York Times" -> "New York Times"
        return out


def _read_data_file(path: Path) -> dict | list:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load(text) or {}
    return json.loads(text)


@lru_cache(maxsize=1)
def default_catalog() -> OutletCatalog:
    """The shipped catalogue (cached per process). The user's outlets are the caller's to add:
    ``OutletCatalog.load(settings.outlets_path)``."""
    return OutletCatalog.load(None)


def normalize_outlet(name: str | None, url: str | None, catalog: OutletCatalog | None = None) -> str | None:
    """Canonical outlet name for an article's outlet metadata and/or URL; None when both are empty.
    ``catalog``: None for the shipped catalogue."""
    return (catalog or default_catalog()).normalize(name, url)


# -- what may be a cited outlet -------------------------------------------------------------------
# The last word of an outlet's own name ("Irish Times", "Associated Press", "Fox News", "Kyodo News
# Agency"); "agency" and "service" only after news/press/wire ("European Space Agency" is no outlet).
OUTLET_NAME_HEADS = frozenset(
    "times post news journal tribune herald gazette telegraph guardian chronicle observer press network"
    " wire review star sun mail express mirror standard independent monitor record register inquirer"
    " examiner dispatch courier bulletin broadcasting television tv radio channel magazine daily weekly"
    " newspaper tabloid broadcaster today online".split()
)
AGENCY_HEADS = frozenset({"agency", "service"})
STATE_MEDIA_TAILS = [["state", "media"], ["state", "television"], ["state", "tv"], ["state", "radio"],
                     ["state", "news", "agency"], ["state", "broadcaster"]]
AGENCY_FIRST = frozenset({"news", "press", "wire"})
# Words that name no one: generic outlet nouns and their qualifiers ("local media", "state news agency").
GENERIC_OUTLET_WORDS = frozenset(
    "the a an its his her their our this that state local national official government public private"
    " foreign international regional media news press outlet outlets newspaper newspapers paper papers"
    " agency agencies website site tv television radio channel network broadcaster daily weekly tabloid"
    " magazine wire service online".split()
)


def not_outlet_keys(entities, nationalities=()) -> frozenset[str]:
    """The name keys an article rules out as a cited outlet's own name (`is_named_outlet`'s
    `not_outlets`): its people and places (their names and aliases) and its `nationalities` ("German")."""
    keys = {name_key(n) for e in entities if e.label in ("PERSON", "LOC") for n in (e.name, *e.aliases)}
    return frozenset(keys | {name_key(n) for n in nationalities})


def is_named_outlet(name: str, catalog: OutletCatalog | None = None, not_outlets: frozenset[str] = frozenset()) -> bool:
    """Whether `name` can be a cited outlet: a catalogue outlet, or a proper name ending in an outlet
    head ("Irish Times", "Tasnim news agency") or a named state's media ("Iranian state media"), never a
    generic noun ("paper", "local media"), a bare
    head ("Times"), or a name the article has as a person or place (`not_outlets`: their `name_key`)."""
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    lowered = [w.lower().strip(".,'’") for w in words]
    if len(words) == 1 and (lowered[0] in OUTLET_NAME_HEADS or lowered[0] in GENERIC_OUTLET_WORDS):
        return False  # "Times", "Post", "Journal": which one?
    known = catalog.by_name(name) if catalog is not None else None
    if known is not None:
        if known.ambiguous:  # "Foreign Affairs", "The Hill": as a name with an outlet head only
            return any(low in OUTLET_NAME_HEADS for low in lowered)
        return known.type != "photo"  # a photo agency is credited, never cited
    if name_key(name) in not_outlets:
        return False
    proper = [w for w, low in zip(words, lowered)
              if w[:1].isupper() and low not in GENERIC_OUTLET_WORDS and low not in OUTLET_NAME_HEADS]
    if not proper or len(words) < 2:
        return False
    if any(lowered[i:] in STATE_MEDIA_TAILS for i in range(1, len(lowered))):
        return True  # "Iranian state media": whose state media is named
    if name_key(" ".join(proper)) in not_outlets:
        return False  # "the Iowa newspaper", "a German news agency": a place's or a nation's, no name
    last = lowered[-1]
    if last in AGENCY_HEADS:
        return len(lowered) >= 3 and lowered[-2] in AGENCY_FIRST
    return last in OUTLET_NAME_HEADS
