"""The shipped alias data (indexer/data/aliases.yaml): format, size and that every alias is unambiguous.

No network, no Elasticsearch, no spaCy model: the YAML file is read and checked on its own.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from indexer.names import name_key

DATA = Path(__file__).resolve().parent.parent / "indexer" / "data"
ALIASES = DATA / "aliases.yaml"
OUTLETS = DATA / "outlets.json"

_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
_DROP = str.maketrans("", "", "." + "-" + _APOSTROPHES)


def normalise(name: str) -> str:
    """Diacritics stripped (NFKD), lower-cased, dots, hyphens and apostrophes removed, whitespace collapsed."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(text.lower().translate(_DROP).split())


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load(ALIASES.read_text(encoding="utf-8"))


def entries(data: dict):
    for section in ("organizations", "people"):
        for entry in data[section]:
            yield section, entry


@pytest.fixture(scope="module")
def owner(data: dict) -> dict[str, str]:
    """Normalised name or alias -> the name of the one entry it belongs to."""
    table: dict[str, str] = {}
    for _, entry in entries(data):
        for form in [entry["name"], *entry["aliases"]]:
            table.setdefault(normalise(form), entry["name"])
    return table


def test_version_and_sections(data):
    assert isinstance(data["version"], str) and re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", data["version"])
    assert set(data) == {"version", "organizations", "people"}
    assert len(data["organizations"]) >= 300
    assert len(data["people"]) >= 10


def test_entry_format(data):
    allowed = {"name", "display", "aliases", "ambiguous", "country"}
    for section, entry in entries(data):
        assert isinstance(entry, dict) and set(entry) <= allowed, entry
        name = entry.get("name")
        assert isinstance(name, str) and name.strip() == name and name, entry
        aliases = entry.get("aliases")
        assert isinstance(aliases, list) and aliases, entry
        for alias in aliases:
            assert isinstance(alias, str) and alias.strip() == alias and alias, (name, alias)
            assert normalise(alias) != normalise(name), f"{name}: alias {alias!r} is the name itself"
        if "display" in entry:
            assert isinstance(entry["display"], str) and entry["display"] in entry["aliases"], entry
        if "country" in entry:
            assert section == "organizations", name
            assert isinstance(entry["country"], str) and re.fullmatch(r"[A-Z]{2}", entry["country"]), name


def test_ambiguous_is_a_subset_of_aliases(data):
    for _, entry in entries(data):
        if "ambiguous" not in entry:
            continue
        ambiguous = entry["ambiguous"]
        assert isinstance(ambiguous, list) and ambiguous, entry["name"]
        assert set(ambiguous) <= set(entry["aliases"]), entry["name"]


@pytest.mark.parametrize("key", [normalise, name_key], ids=["normalise", "name_key"])
def test_each_form_belongs_to_one_entry(data, key):
    """No alias is shared by two entries or equals another entry's name (also under PressWatch's name_key)."""
    seen: dict[str, str] = {}
    clashes = []
    for _, entry in entries(data):
        for form in {key(f) for f in [entry["name"], *entry["aliases"]]}:
            assert form, (entry["name"], "empty key")
            if form in seen and seen[form] != entry["name"]:
                clashes.append((form, seen[form], entry["name"]))
            seen.setdefault(form, entry["name"])
    assert not clashes, clashes


def test_no_outlets_and_outlet_names_only_as_ambiguous(data):
    """Outlets live in outlets.json; a form that is also an outlet's name is listed as ambiguous."""
    catalogue = json.loads(OUTLETS.read_text(encoding="utf-8"))["outlets"]
    outlet_keys = {name_key(n) for o in catalogue for n in [o["name"], *o.get("aliases", [])]}
    problems = []
    for _, entry in entries(data):
        if name_key(entry["name"]) in outlet_keys:
            problems.append((entry["name"], "name is an outlet"))
        for alias in entry["aliases"]:
            if name_key(alias) in outlet_keys and alias not in entry.get("ambiguous", []):
                problems.append((entry["name"], alias))
    assert not problems, problems


def test_no_groupings(owner):
    for grouping in ("G7", "G20", "BRICS", "Group of Seven", "Five Eyes"):
        assert normalise(grouping) not in owner, grouping


@pytest.mark.parametrize(
    "form, name",
    [
        ("isil", "Islamic State"),
        ("ISIS", "Islamic State"),
        ("Daesh", "Islamic State"),
        ("Islamic State of Iraq", "Islamic State"),
        ("doj", "Department of Justice"),
        ("Justice Department", "Department of Justice"),
        ("un", "United Nations"),
        ("U.N.", "United Nations"),
        ("fbi", "Federal Bureau of Investigation"),
        ("F.B.I.", "Federal Bureau of Investigation"),
        ("State Department", "Department of State"),
        ("Pentagon", "Department of Defense"),
        ("Defense Department", "Department of Defense"),
        ("Fed", "Federal Reserve"),
        ("GOP", "Republican Party (United States)"),
        ("Hizbollah", "Hezbollah"),
        ("Hizballah", "Hezbollah"),
        ("al-Qaida", "Al-Qaeda"),
        ("Al Qaeda", "Al-Qaeda"),
        ("Revolutionary Guards", "Islamic Revolutionary Guard Corps"),
        ("IRGC", "Islamic Revolutionary Guard Corps"),
        ("Doctors Without Borders", "Médecins Sans Frontières"),
        ("Medecins Sans Frontieres", "Médecins Sans Frontières"),
        ("MSF", "Médecins Sans Frontières"),
        ("Exxon Mobil", "ExxonMobil"),
        ("Royal Dutch Shell", "Shell plc"),
        ("Facebook Inc.", "Facebook"),
        ("HRW", "Human Rights Watch"),
        ("ICRC", "International Committee of the Red Cross"),
        ("World Health Organisation", "World Health Organization"),
        ("MI6", "Secret Intelligence Service"),
        ("Foreign Office", "Foreign, Commonwealth and Development Office"),
        ("MIT", "Massachusetts Institute of Technology"),
        ("Bibi", "Benjamin Netanyahu"),
    ],
)
def test_known_forms(owner, form, name):
    assert owner.get(normalise(form)) == name


def test_known_ambiguous_forms(data):
    ambiguous = {entry["name"]: set(entry.get("ambiguous", [])) for _, entry in entries(data)}
    assert "IS" in ambiguous["Islamic State"]
    assert "WHO" in ambiguous["World Health Organization"]
    assert "Fed" in ambiguous["Federal Reserve"]


def test_google_and_alphabet_are_separate(owner):
    assert owner[normalise("Google")] == "Google"
    assert owner[normalise("Alphabet")] == "Alphabet Inc."


def test_ambiguous_words_are_not_plain_aliases(owner):
    """Forms that mean several things in news are absent, whatever the spelling."""
    for word in ("Labour", "Democrats", "Republicans", "Treasury", "AP", "ABC", "Reuters", "BBC"):
        assert normalise(word) not in owner, word
