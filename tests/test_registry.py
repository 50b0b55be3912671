"""The entity registry: loading, and its application to indexed documents (no NLP)."""

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


def resolve(registry, source):
    from indexer.identity import Knowledge, Resolver, prepare_document, resolve_document

    return resolve_document(prepare_document(source), Resolver.empty(Knowledge(registry=registry)))


def test_registry_applies_to_an_indexed_document(registry):
    changes = resolve(registry, doc_source())
    assert changes["persons"] == ["Ali Khamenei", "Saleh al-Arouri", "Kamal Kharazi"]  # by mentions
    assert changes["organizations"] == ["Hamas", "Hezbollah"]
    assert changes["locations"] == ["Jordan", "United States"]
    live = {(e["name"], e["label"]): e for e in changes["entities"] if not e.get("dropped")}
    assert set(live) == {
        ("Saleh al-Arouri", "PERSON"), ("Ali Khamenei", "PERSON"), ("Kamal Kharazi", "PERSON"),
        ("Hezbollah", "ORG"), ("Hamas", "ORG"), ("Jordan", "LOC"), ("United States", "LOC"),
    }
    # dropped entities stay in the document, marked, so that a later registry can bring them back
    assert {(e["surface"], e["label"]) for e in changes["entities"] if e.get("dropped")} == {
        ("Jordan", "PERSON"), ("Islam", "ORG")}
    arouri = live[("Saleh al-Arouri", "PERSON")]
    assert arouri["surface"] == "Saleh Arouri" and arouri["aliases"] == ["Arouri"] and arouri["mentions"] == 2
    assert arouri["ref"] == "PERSON|saleh arouri" and len(arouri["id"]) == 16
    assert live[("Ali Khamenei", "PERSON")]["role"] == "Supreme Leader"
    assert [q["speaker"] for q in changes["quotes"]] == ["Saleh al-Arouri", None, "Hezbollah", None]
    assert [q["speaker_surface"] for q in changes["quotes"][:3]] == ["Saleh Arouri", "Jordan", "Hezbollah"]
    assert changes["quote_speakers"] == ["Saleh al-Arouri", "Hezbollah"]
    assert changes["cited_outlets"] == ["Tasnim News Agency"]
    # the entities and the facets agree
    for label, fname in (("PERSON", "persons"), ("ORG", "organizations"), ("LOC", "locations")):
        assert sorted(e["name"] for e in live.values() if e["label"] == label) == sorted(changes[fname])


def test_two_entities_of_one_article_with_one_canonical_name_are_one_facet_value(registry):
    source = {
        "persons": ["Saleh Arouri", "Saleh al-Arouri"],
        "entities": [
            {"name": "Saleh Arouri", "label": "PERSON", "mentions": 1, "key": "saleh arouri"},
            {"name": "Sheikh Saleh al-Aruri", "label": "PERSON", "mentions": 2, "key": "sheikh saleh aruri"},
        ],
    }
    changes = resolve(registry, source)
    assert changes["persons"] == ["Saleh al-Arouri"]
    assert len({e["id"] for e in changes["entities"]}) == 1
    assert changes["entity_ids"] == [changes["entities"][0]["id"]]


def test_resolving_a_resolved_document_changes_nothing(registry):
    from indexer.identity import Knowledge, Resolver, changed_fields

    source = prepare_document_copy(doc_source())
    source.update(resolve(registry, source))
    assert changed_fields(source, Resolver.empty(Knowledge(registry=registry))) == {}
    assert changed_fields(source, Resolver.empty(Knowledge())) != {}  # without the registry it would change


def prepare_document_copy(source):
    from indexer.identity import prepare_document

    return prepare_document(copy.deepcopy(source))


def test_apply_to_entities_maps_old_to_new(registry):
    a = Entity(name="Saleh Arouri", label="PERSON", mentions=1, key="saleh arouri")
    b = Entity(name="Islam", label="ORG", mentions=1, key="islam")
    new, mapping = registry.apply_to_entities([a, b])
    assert [e.name for e in new] == ["Saleh al-Arouri"]
    assert mapping[id(a)] is new[0] and mapping[id(b)] is None
