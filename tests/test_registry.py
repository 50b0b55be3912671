"""The entity registry: loading, and apply_to_document on indexed documents (no NLP)."""

from __future__ import annotations

import copy

import pytest

from indexer.errors import ConfigurationError
from indexer.model import Entity
from indexer.registry import Registry

USER = """
merge:
  Saleh al-Arouri: [Saleh Arouri, Sheikh Saleh al-Aruri]
  Ali Khamenei:
    aliases: [Ayatollah Khamenei]
    label: PERSON
drop:
  - Islam
  - {name: Jordan, label: PERSON}
labels:
  Hezbollah: ORG
"""


@pytest.fixture()
def registry(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(USER, encoding="utf-8")
    return Registry.load(path)


def doc_source() -> dict:
    return {
        "persons": ["Saleh Arouri", "Ayatollah Khamenei", "Jordan", "Kamal Kharazi", "Hezbollah"],
        "organizations": ["Hamas", "Islam"],
        "locations": ["Jordan", "U.S."],
        "entities": [
            {"name": "Saleh Arouri", "label": "PERSON", "mentions": 2, "aliases": ["Arouri"], "key": "saleh arouri"},
            {"name": "Ayatollah Khamenei", "label": "PERSON", "mentions": 3, "key": "khamenei", "role": "Supreme Leader"},
            {"name": "Jordan", "label": "PERSON", "mentions": 1, "key": "jordan"},
            {"name": "Kamal Kharazi", "label": "PERSON", "mentions": 1, "key": "kamal kharazi"},
            {"name": "Hezbollah", "label": "PERSON", "mentions": 1, "key": "hezbollah"},
            {"name": "Hamas", "label": "ORG", "mentions": 4, "key": "hamas"},
            {"name": "Islam", "label": "ORG", "mentions": 1, "key": "islam"},
            {"name": "Jordan", "label": "LOC", "mentions": 1, "key": "jordan"},
            {"name": "U.S.", "label": "LOC", "mentions": 1, "key": "us"},
        ],
        "quotes": [
            {"text": "x", "speaker": "Saleh Arouri", "speaker_type": "person", "cue": "said"},
            {"text": "y", "speaker": "Jordan", "speaker_type": "person", "cue": "said"},
            {"text": "z", "speaker": "Hezbollah", "speaker_type": "person", "cue": "said"},
            {"text": "w", "speaker": None, "speaker_type": "unknown", "cue": None},
        ],
        "quote_speakers": ["Saleh Arouri", "Jordan", "Hezbollah"],
        "cited_outlets": ["Tasnim News Agency"],
    }


def test_load_merges_shipped_defaults_with_user_file(registry):
    assert registry.resolve("U.S.", "LOC") == ("United States", "LOC")  # shipped
    assert registry.resolve("Sheikh Saleh al Aruri", "PERSON") == ("Saleh al-Arouri", "PERSON")  # user, folded
    assert registry.resolve("Jordan", "PERSON") is None
    assert registry.resolve("Jordan", "LOC") == ("Jordan", "LOC")
    assert registry.resolve("Hezbollah", "PERSON") == ("Hezbollah", "ORG")
    assert len(registry.sources) == 2


def test_load_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels:\n  Hamas: PLANET\n", encoding="utf-8")
    with pytest.raises(ConfigurationError):
        Registry.load(bad)
    bad.write_text("aliases: {}\n", encoding="utf-8")
    with pytest.raises(ConfigurationError):
        Registry.load(bad)
    with pytest.raises(ConfigurationError):
        Registry.load(tmp_path / "missing.yaml")


def test_apply_to_document(registry):
    source = doc_source()
    before = copy.deepcopy(source)
    changes = registry.apply_to_document(source)
    assert source == before  # pure
    assert changes["persons"] == ["Saleh al-Arouri", "Ali Khamenei", "Kamal Kharazi"]
    assert changes["organizations"] == ["Hamas", "Hezbollah"]
    assert changes["locations"] == ["Jordan", "United States"]
    by_name = {(e["name"], e["label"]): e for e in changes["entities"]}
    assert set(by_name) == {
        ("Saleh al-Arouri", "PERSON"), ("Ali Khamenei", "PERSON"), ("Kamal Kharazi", "PERSON"),
        ("Hezbollah", "ORG"), ("Hamas", "ORG"), ("Jordan", "LOC"), ("United States", "LOC"),
    }
    arouri = by_name[("Saleh al-Arouri", "PERSON")]
    assert arouri["aliases"] == ["Saleh Arouri", "Arouri"] and arouri["mentions"] == 2
    assert arouri["key"] == "saleh arouri"
    assert by_name[("Ali Khamenei", "PERSON")]["role"] == "Supreme Leader"
    assert [q["speaker"] for q in changes["quotes"]] == ["Saleh al-Arouri", None, "Hezbollah", None]
    assert [q["speaker_type"] for q in changes["quotes"]] == ["person", "unknown", "organization", "unknown"]
    assert changes["quote_speakers"] == ["Saleh al-Arouri", "Hezbollah"]
    assert "cited_outlets" not in changes
    # the entities and the facets agree
    for label, fname in (("PERSON", "persons"), ("ORG", "organizations"), ("LOC", "locations")):
        assert sorted(e["name"] for e in changes["entities"] if e["label"] == label) == sorted(changes[fname])


def test_apply_to_document_merges_two_entities_into_one(registry):
    source = {
        "persons": ["Saleh Arouri", "Saleh al-Arouri"],
        "entities": [
            {"name": "Saleh Arouri", "label": "PERSON", "mentions": 1, "key": "saleh arouri"},
            {"name": "Saleh al-Arouri", "label": "PERSON", "mentions": 2, "key": "saleh arouri"},
        ],
    }
    changes = registry.apply_to_document(source)
    assert changes["persons"] == ["Saleh al-Arouri"]
    assert changes["entities"] == [
        {"name": "Saleh al-Arouri", "label": "PERSON", "mentions": 3, "aliases": ["Saleh Arouri"], "key": "saleh arouri"}
    ]


def test_apply_to_document_returns_none_when_nothing_changes(registry):
    source = {
        "persons": ["Kamal Kharazi"],
        "organizations": ["Hamas"],
        "locations": [],
        "entities": [
            {"name": "Kamal Kharazi", "label": "PERSON", "mentions": 1, "key": "kamal kharazi"},
            {"name": "Hamas", "label": "ORG", "mentions": 4, "key": "hamas"},
        ],
        "quotes": [{"text": "x", "speaker": "Kamal Kharazi", "speaker_type": "person"}],
        "quote_speakers": ["Kamal Kharazi"],
    }
    assert registry.apply_to_document(source) is None
    assert Registry().apply_to_document(doc_source()) is None


def test_apply_to_entities_maps_old_to_new(registry):
    a = Entity(name="Saleh Arouri", label="PERSON", mentions=1, key="saleh arouri")
    b = Entity(name="Islam", label="ORG", mentions=1, key="islam")
    new, mapping = registry.apply_to_entities([a, b])
    assert [e.name for e in new] == ["Saleh al-Arouri"]
    assert mapping[id(a)] is new[0] and mapping[id(b)] is None
