"""The entity component on the real model: canonical names, merging, headlines, outlets, registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.names import display_name, name_key
from indexer.nlp import build_pipeline, compose_text

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parent.parent / "seeds" / "khamenei-hosts-hamas-delegation.txt"


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def run(nlp, title: str, body: str):
    text, body_start = compose_text(title, body)
    doc = nlp.make_doc(text)
    doc._.body_start = body_start
    return nlp(doc)


def names(doc, label: str) -> set[str]:
    return {e.name for e in doc._.entities if e.label == label and e.kind != "generic_outlet"}


def entity(doc, name: str):
    matches = [e for e in doc._.entities if e.name == name]
    assert matches, f"{name!r} not in {[e.name for e in doc._.entities]}"
    return matches[0]


@pytest.fixture(scope="module")
def seed_doc(nlp):
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return run(nlp, title.strip(), body.strip())


# -- the seed -------------------------------------------------------------------------------------
def test_seed_persons_are_exactly_the_ten_people(seed_doc):
    assert names(seed_doc, "PERSON") == {
        "Ali Khamenei", "Ismail Haniyeh", "Saleh al-Arouri", "Moussa Abu Marzouk", "Maher Salah",
        "Husam Badran", "Osama Hamdan", "Ezzat al-Rishq", "Ismail Radwan", "Kamal Kharazi",
    }


def test_seed_organizations_whole_and_without_junk(seed_doc):
    orgs = names(seed_doc, "ORG")
    assert {"Hamas", "Izz ad-Din al-Qassam Brigades", "Strategic Council of Foreign Relations"} <= orgs
    junk = {"Khamenei Hosts Hamas Delegation", "Supreme", "Izz", "Islam", "Ayatollah", "Council of Foreign Relations"}
    assert not junk & (orgs | names(seed_doc, "PERSON"))


def test_seed_outlets(seed_doc):
    outlets = {e.name: e for e in seed_doc._.entities if e.kind == "outlet"}
    assert set(outlets) == {"Tasnim News Agency", "Fars News Agency"}
    assert all(e.label == "ORG" for e in outlets.values())
    generic = [e for e in seed_doc._.entities if e.kind == "generic_outlet"]
    assert [e.name for e in generic] == ["Iranian state media"]


def test_seed_khamenei_merged_with_role_and_aliases(seed_doc):
    k = entity(seed_doc, "Ali Khamenei")
    assert k.role == "Supreme Leader"
    assert "Khamenei" in k.aliases and "Ayatollah Ali Khamenei" in k.aliases
    assert k.key == "ali khamenei"
    # headline "Khamenei", "Ayatollah Ali Khamenei", 3x "Khamenei", "The Ayatollah"
    assert k.mentions == 6
    spans = [seed_doc[m.start : m.end].text for m in seed_doc._.mentions if m.entity is k]
    assert spans == ["Khamenei", "Ali Khamenei", "Khamenei", "Ayatollah", "Khamenei", "Khamenei"]


def test_seed_arouri_partial_name_attaches(seed_doc):
    a = entity(seed_doc, "Saleh al-Arouri")
    assert a.aliases == ["Arouri"]
    assert a.role == "Deputy Chief"
    assert a.mentions == 2


def test_mentions_sorted_and_consistent_with_entities(seed_doc):
    mentions = seed_doc._.mentions
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    ents = seed_doc._.entities
    assert {id(m.entity) for m in mentions} == {id(e) for e in ents}
    for e in ents:
        assert e.mentions == sum(1 for m in mentions if m.entity is e)
    # no two mentions overlap
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start


def test_headline_mentions_resolve_to_body_entities(seed_doc):
    head = [m for m in seed_doc._.mentions if seed_doc[m.start].idx < seed_doc._.body_start]
    assert {m.entity.name for m in head} == {"Ali Khamenei", "Hamas", "Tehran"}


# -- honorifics, partial names ------------------------------------------------------------------
def test_honorifics_become_roles_and_surnames_attach(nlp):
    doc = run(nlp, "", "Prime Minister Theresa May met Dr. Angela Merkel in Berlin. Merkel said Mrs May was right, "
                       "and Ms. May agreed with the German leader.")
    persons = names(doc, "PERSON")
    assert persons == {"Theresa May", "Angela Merkel"}
    assert entity(doc, "Theresa May").role == "Prime Minister"
    assert entity(doc, "Angela Merkel").mentions == 2


def test_title_words_tagged_as_org_become_the_role(nlp):
    doc = run(nlp, "", "Transport Minister Mustafa Nyang'anyi said the line would reopen. "
                       "Foreign Ministry spokesman Wang Wenbin declined to comment.")
    assert names(doc, "PERSON") == {"Mustafa Nyang'anyi", "Wang Wenbin"}
    assert entity(doc, "Mustafa Nyang'anyi").role == "Transport Minister"
    assert entity(doc, "Wang Wenbin").role == "Foreign Ministry spokesman"
    assert "Transport" not in names(doc, "ORG")
    assert "Foreign Ministry" in names(doc, "ORG")


def test_first_name_reference_attaches_to_nearest_full_name(nlp):
    doc = run(nlp, "", "Ismail Haniyeh spoke first. Ismail Radwan spoke next. Later, Ismail said the talks went well.")
    persons = names(doc, "PERSON")
    assert persons == {"Ismail Haniyeh", "Ismail Radwan"}


def test_bare_title_refers_back_to_its_carrier(nlp):
    doc = run(nlp, "", "Pope Francis visited Iraq on Friday. The Pope met Grand Ayatollah Ali al-Sistani in Najaf.")
    francis = entity(doc, "Francis")
    spans = [doc[m.start : m.end].text for m in doc._.mentions if m.entity is francis]
    assert spans == ["Francis", "Pope"]
    assert "Pope" not in names(doc, "PERSON")


# -- cross-article keys and display names --------------------------------------------------------
@pytest.mark.parametrize("variant", ["Saleh al-Arouri", "Saleh Al Arouri", "Saleh al Arouri", "SALEH AL-AROURI", "Saleh Al-Arouri"])
def test_particle_variants_share_key_and_display(variant):
    assert name_key(variant, person=True) == "saleh arouri"
    assert display_name(variant, person=True) == "Saleh al-Arouri"


def test_diacritics_and_apostrophes_fold_in_keys():
    assert name_key("José Barroso") == name_key("Jose Barroso") == "jose barroso"
    assert name_key("O’Brien") == name_key("O'Brien") == name_key("OBrien")
    assert name_key("Jean‐Claude Juncker") == name_key("Jean-Claude Juncker") == "jean claude juncker"


def test_particle_variants_in_text_converge(nlp):
    a = run(nlp, "", "Hamas official Saleh Al Arouri arrived in Beirut on Monday, his aides said.")
    b = run(nlp, "", "Hamas official Saleh al-Arouri arrived in Beirut on Monday, his aides said.")
    ea = [e for e in a._.entities if e.label == "PERSON"]
    eb = [e for e in b._.entities if e.label == "PERSON"]
    assert [(e.name, e.key) for e in ea] == [(e.name, e.key) for e in eb] == [("Saleh al-Arouri", "saleh arouri")]


# -- headlines and wire text -----------------------------------------------------------------------
def test_all_caps_headline_produces_no_junk(nlp):
    doc = run(
        nlp,
        "U.S. SENATE PANEL BACKS DOLE GRAIN PLAN FOR SOVIETS",
        "The Senate Agriculture Committee approved a plan by Senator Robert Dole to sell grain to the\n"
        "Soviet Union, committee aides said.\n Reuter\n\x03",
    )
    assert names(doc, "PERSON") == {"Robert Dole"}
    orgs = names(doc, "ORG")
    assert "Senate Agriculture Committee" in orgs
    assert not any(o.isupper() and len(o) > 5 for o in orgs)
    assert "Reuters" not in orgs  # the sign-off is not a mention
    # the headline's DOLE is a mention of the body's Robert Dole
    dole = entity(doc, "Robert Dole")
    assert any(doc[m.start].text == "DOLE" for m in doc._.mentions if m.entity is dole)


def test_title_case_headline_junk_dropped(nlp):
    doc = run(nlp, "Banker Sees Strong Growth Ahead", "Growth in Brazil will be strong, said John Reed of Citicorp.")
    assert names(doc, "ORG") == {"Citicorp"}
    assert names(doc, "PERSON") == {"John Reed"}


def test_tables_and_results_lines(nlp):
    doc = run(
        nlp,
        "",
        "Results of English premier league matches on Saturday:\n"
        "Arsenal 2 West Ham 0\nChelsea 1 Southampton 0\n"
        "    Shr 3.07 dlrs vs 2.95 dlrs\n    Avg shrs 51.7 mln vs 43.4 mln\n",
    )
    assert {"Arsenal", "West Ham", "Chelsea", "Southampton"} <= names(doc, "ORG")
    assert not {"Shr", "Avg", "Shr 3.07"} & (names(doc, "ORG") | names(doc, "PERSON"))


def test_noise_filter_drops_pronouns_numbers_single_characters(nlp):
    doc = run(nlp, "", "He said it. A 1996 report by the agency, X, and 42 others; Islam was discussed.")
    assert names(doc, "PERSON") == set()
    assert not {"He", "X", "42", "Islam", "A"} & names(doc, "ORG")


# -- organisations and outlets ------------------------------------------------------------------
def test_acronym_attaches_to_the_organisation(nlp):
    doc = run(nlp, "", "The International Atomic Energy Agency (IAEA) said on Monday that the IAEA would inspect the site.")
    iaea = entity(doc, "International Atomic Energy Agency")
    assert "IAEA" in iaea.aliases and iaea.mentions == 3


def test_outlets_named_in_text(nlp):
    doc = run(nlp, "", "The Kommersant daily reported the deal, and Reuters and the Associated Press confirmed it, "
                       "Syrian state television said.")
    outlets = {e.name for e in doc._.entities if e.kind == "outlet"}
    assert outlets == {"Kommersant", "Reuters", "Associated Press"}
    assert [e.name for e in doc._.entities if e.kind == "generic_outlet"] == ["Syrian state television"]


def test_person_named_like_an_outlet_stays_a_person(nlp):
    doc = run(nlp, "", "Michael Bloomberg told reporters in New York that Bloomberg would run.")
    assert names(doc, "PERSON") == {"Michael Bloomberg"}
    assert not [e for e in doc._.entities if e.kind == "outlet"]


def test_entities_consistent_with_labels(seed_doc):
    for e in seed_doc._.entities:
        assert e.label in ("PERSON", "ORG", "LOC")
        assert e.key == name_key(e.name, person=e.label == "PERSON")
        assert e.name not in e.aliases


# -- registry at enrichment -------------------------------------------------------------------------
def test_registry_applied_at_enrichment(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(
        "merge:\n  Ayatollah Khamenei: [Ali Khamenei]\n"
        "drop: [Tehran, {name: Maher Salah, label: PERSON}]\n"
        "labels:\n  Strategic Council of Foreign Relations: LOC\n",
        encoding="utf-8",
    )
    nlp = build_pipeline(registry_path=str(path))
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    doc = run(nlp, title.strip(), body.strip())
    persons = names(doc, "PERSON")
    assert "Ayatollah Khamenei" in persons and "Ali Khamenei" not in persons and "Maher Salah" not in persons
    assert "Tehran" not in names(doc, "LOC")
    assert "Strategic Council of Foreign Relations" in names(doc, "LOC")
    k = entity(doc, "Ayatollah Khamenei")
    assert "Ali Khamenei" in k.aliases and k.mentions == 6
    assert all(m.entity is k for m in doc._.mentions if doc[m.start : m.end].text == "Khamenei")
    assert not [m for m in doc._.mentions if doc[m.start : m.end].text in ("Tehran", "Maher Salah")]


def test_user_outlets_recognised_in_text(tmp_path):
    import spacy

    from indexer import entities
    from indexer.nlp import load_base_model

    path = tmp_path / "outlets.json"
    path.write_text('{"outlets": [{"name": "Gotham Gazette", "domains": ["gotham.example"]}]}', encoding="utf-8")
    nlp = load_base_model(exclude=("lemmatizer",))
    entities.install(nlp, outlets_path=str(path))
    assert isinstance(nlp, spacy.language.Language)
    doc = run(nlp, "", "The mayor told the Gotham Gazette on Monday that the budget would pass.")
    assert [(e.name, e.kind) for e in doc._.entities if e.label == "ORG"] == [("Gotham Gazette", "outlet")]
