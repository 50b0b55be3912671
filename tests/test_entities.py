"""The entity component on the real model: canonical names, merging, headlines, outlets, registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.names import display_name, name_key
from indexer.nlp import build_pipeline, make_doc

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parent.parent / "seeds" / "khamenei-hosts-hamas-delegation.txt"


def run(nlp, title: str, body: str):
    return nlp(make_doc(nlp, title, body))


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
    assert a.mentions == 3  # "Saleh al-Arouri" and "Hamas Deputy Chief Arouri" twice


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
    doc = run(nlp, "Banker Sees Strong Growth Ahead", "Growth in Brazil will be strong, John Reed of Citicorp said.")
    assert names(doc, "ORG") == {"Citicorp"}
    assert names(doc, "PERSON") == {"John Reed"}
    # the recogniser runs "...Ahead\n\nGrowth" together: the lone body word is not a name either
    doc = run(nlp, "Banker Sees Strong Growth Ahead", "Growth in Brazil will be strong, said John Reed.")
    assert {e.name for e in doc._.entities} == {"Brazil", "John Reed"}


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
def test_the_users_registry_labels_at_enrichment_and_merges_and_drops_at_resolution(tmp_path):
    from indexer.identity import Knowledge, Resolver, prepare_document, resolve_document
    from indexer.registry import Registry

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
    # the recogniser takes the label fix, and keeps the names the article wrote (so curation can be undone)
    assert "Strategic Council of Foreign Relations" in names(doc, "LOC")
    assert "Ali Khamenei" in names(doc, "PERSON") and "Tehran" in names(doc, "LOC")
    k = entity(doc, "Ali Khamenei")
    assert k.mentions == 6
    assert all(m.entity is k for m in doc._.mentions if doc[m.start : m.end].text == "Khamenei")
    # the document's facets take the merges and drops
    document = prepare_document({"entities": [e.to_dict() for e in doc._.entities], "quotes": []})
    fields = resolve_document(document, Resolver.empty(Knowledge(registry=Registry.load(path))))
    assert "Ayatollah Khamenei" in fields["persons"] and "Ali Khamenei" not in fields["persons"]
    assert "Maher Salah" not in fields["persons"] and "Tehran" not in fields["locations"]
    assert sorted(e["surface"] for e in fields["entities"] if e.get("dropped")) == ["Maher Salah", "Tehran"]


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


# -- facet quality: general fixes ------------------------------------------------------------------
def test_work_titles_are_not_entities(nlp):
    doc = run(nlp, "", 'Kate Winslet starred in the film Finding Neverland. She said the album called Hopes and Fears '
                       'was "Vera Drake" for her, and she won an Oscar for it.')
    everything = names(doc, "PERSON") | names(doc, "ORG")
    assert "Kate Winslet" in names(doc, "PERSON")
    assert not {"Finding Neverland", "Hopes and Fears", "Vera Drake", "Oscar"} & everything


def test_work_title_before_a_work_noun_or_star(nlp):
    doc = run(nlp, "", "Michael Howard spoke on the Breakfast with Frost programme. "
                       "The Office star Ricky Gervais was there.")
    assert names(doc, "PERSON") == {"Michael Howard", "Ricky Gervais"}
    assert "Office" not in names(doc, "ORG")


def test_club_suffix_makes_an_organisation(nlp):
    doc = run(nlp, "", "Mefin Davies took a semi-professional contract with Neath RFC last season.")
    assert "Neath RFC" in names(doc, "ORG") and "Neath RFC" not in names(doc, "PERSON")


def test_one_word_clubs_in_a_sports_report(nlp):
    doc = run(nlp, "", "Mefin Davies is likely to stay with Gloucester despite interest from the Ospreys. "
                       "The hooker played a match for Gloucester this season, and the coach said the team "
                       "needed him for the league. Everton boss David Moyes watched the game.")
    orgs, persons = names(doc, "ORG"), names(doc, "PERSON")
    assert {"Gloucester", "Ospreys", "Everton"} <= orgs
    assert not {"Gloucester", "Ospreys", "Everton"} & persons
    assert {"Mefin Davies", "David Moyes"} <= persons


def test_party_short_form_merges_into_the_full_name(nlp):
    doc = run(nlp, "", "Robert Jackson joined Labour on Saturday. He said the Labour party would win.")
    assert "Labour party" in names(doc, "ORG") and "Labour" not in names(doc, "ORG")


def test_parties_tagged_as_nationalities_are_organisations(nlp):
    doc = run(nlp, "", "The Conservatives and the Liberal Democrats attacked the plan on Monday.")
    assert {"Conservatives", "Liberal Democrats"} <= names(doc, "ORG")


def test_countries_are_places_not_organisations(nlp):
    doc = run(nlp, "", "Wales beat England in Cardiff, and the WRU praised Wales for the win.")
    assert not {"Wales", "England"} & names(doc, "ORG")
    assert "WRU" in names(doc, "ORG")


def test_coordinated_organisations_are_split(nlp):
    doc = run(nlp, "", "The IMF and World Bank met officials of Banque du Caire and Bank of Alexandria. "
                       "The Securities and Exchange Commission and the Justice and Development Party agreed.")
    orgs = names(doc, "ORG")
    assert {"IMF", "World Bank", "Banque du Caire", "Bank of Alexandria"} <= orgs
    assert {"Securities and Exchange Commission", "Justice and Development Party"} <= orgs


def test_outlet_channel_keeps_its_own_name(nlp):
    doc = run(nlp, "", "He spoke on BBC One on Sunday, and the Mail on Sunday reported it. Reuters and the "
                       "Tasnim news agency confirmed it.")
    outlets = {e.name for e in doc._.entities if e.kind == "outlet"}
    assert {"BBC One", "Mail on Sunday", "Reuters", "Tasnim News Agency"} <= outlets
    assert not {"BBC News", "Daily Mail"} & outlets


def test_outlet_short_form_not_renamed(nlp):
    doc = run(nlp, "", "The BBC's correspondent said it on Monday.")
    assert {e.name for e in doc._.entities if e.kind == "outlet"} == {"BBC"}


def test_acronym_alone_is_not_renamed_by_the_shipped_registry(nlp):
    doc = run(nlp, "", "The IMF said on Monday that the UN and NATO would help.")
    assert {"IMF", "UN", "NATO"} <= names(doc, "ORG")


def test_reuters_headline_company_with_suffix_is_kept(nlp):
    doc = run(nlp, "STANHOME INC <STH> SETS QUARTERLY", "Qtly div 12 cts vs 12 cts prior\n Pay April 1\n Reuter")
    assert "Stanhome Inc" in names(doc, "ORG")


def test_reuters_headline_bracketed_name_is_kept(nlp):
    doc = run(nlp, "<FRANKLIN NEW YORK TAX-FREE INCOME FUND> PAYOUT", "Mthly div 7.3 cts vs 7.3 cts prior\n Reuter")
    assert "Franklin New York Tax-Free Income Fund" in names(doc, "ORG")


def test_headline_and_body_names_are_split_at_the_blank_line(nlp):
    doc = run(nlp, "POSTMASTERS <POST> LISTED ON NASDAQ",
              "Postmasters Inc said its common\nstock has been listed on the NASDAQ system, effective today.\n Reuter")
    assert "Postmasters Inc" in names(doc, "ORG")


def test_firm_possessive_before_a_name_is_two_organisations(nlp):
    doc = run(nlp, "", "Gannett Co's USA Today said it carried 957 pages. Gannett also said the rate would rise.")
    assert "Gannett Co" in names(doc, "ORG") and "Gannett" not in names(doc, "PERSON")


def test_company_is_not_merged_into_its_unit(nlp):
    doc = run(nlp, "", "Allied-Signal Inc said its Allied-Signal Aerospace Co unit won a contract.")
    orgs = {name_key(n) for n in names(doc, "ORG")}
    assert {name_key("Allied-Signal Inc"), name_key("Allied-Signal Aerospace Co")} <= orgs


def test_person_name_not_split_at_a_place_named_only_there(nlp):
    doc = run(nlp, "", "Dr Steve Salisbury of the University of Queensland told CNN. Salisbury said the find was big.")
    assert "Steve Salisbury" in names(doc, "PERSON") and "Steve" not in names(doc, "PERSON")


def test_credit_lines_handles_and_hyphenated_words(nlp):
    doc = run(nlp, "", "The president met him at Mar-a-Lago on Friday.\n\n@ChrisSheridan34 Source:-Al Jazeera News")
    everything = names(doc, "PERSON") | names(doc, "ORG")
    assert not any("Source" in n or "@" in n for n in everything)
    assert "Mar" not in everything


def test_nationality_noun_and_company_noun_before_a_name(nlp):
    doc = run(nlp, "", "Jason Gardener finished ahead of Scot Nick Smith. The production company Tiger Aspect made "
                       "the show, and TfL said so.")
    persons = names(doc, "PERSON")
    assert "Nick Smith" in persons and "Scot Nick Smith" not in persons
    assert not {"Tiger Aspect", "TfL"} & persons


def test_ordinal_and_corporate_suffix_after_a_comma_stay_in_the_name(nlp):
    doc = run(nlp, "", "The 9th U.S. Circuit Court of Appeals ruled. Outokumpu sold its stake in Iberica del Cobre, S.A. "
                       "on Monday.")
    orgs = names(doc, "ORG")
    assert "9th U.S. Circuit Court of Appeals" in orgs
    assert any(name_key(o) == name_key("Iberica del Cobre, S.A.") for o in orgs)
    assert not any(name_key(p) == name_key("Iberica del Cobre") for p in names(doc, "PERSON"))


def test_company_named_only_in_a_product_name_is_out(nlp):
    doc = run(nlp, "", "Emirates flew the Boeing 777-200LR from Dubai on Monday.")
    assert "Boeing" not in names(doc, "ORG")


def test_short_forms_attach_to_the_full_organisation(nlp):
    doc = run(nlp, "", "The International Atomic Energy Agency said the IAEA would act.")
    assert names(doc, "ORG") == {"International Atomic Energy Agency"}
    doc = run(nlp, "", "Transport for London said the scheme works, and TfL will expand it.")
    assert "TfL" not in names(doc, "PERSON")
    doc = run(nlp, "", "Davies joined the Neath-Swansea Ospreys last season. The hooker played a match for the "
                       "Ospreys, and the coach said the team needed him in the league.")
    assert "Neath-Swansea Ospreys" in names(doc, "ORG")
    assert "Ospreys" not in names(doc, "ORG") | names(doc, "PERSON")


def test_members_of_parliament_are_not_an_organisation(nlp):
    doc = run(nlp, "", "MPs on the committee said Parliament should decide.")
    orgs = names(doc, "ORG")
    assert "MPs" not in orgs


def test_lone_one_word_name_without_title_is_not_a_person(nlp):
    doc = run(nlp, "", "Vladimir Putin flew from Moscow to Palmyra on Friday. Mr Blair welcomed it, and Putin "
                       "said it mattered.")
    persons = names(doc, "PERSON")
    assert "Palmyra" not in persons
    assert {"Vladimir Putin", "Blair"} <= persons


def test_company_short_form_merges_into_a_foreign_suffixed_name(nlp):
    doc = run(nlp, "", "Outokumpu Oy said in a statement it was entering Spanish markets. Outokumpu will acquire "
                       "21 pct of the shares.")
    orgs = names(doc, "ORG")
    assert "Outokumpu Oy" in orgs and "Outokumpu" not in orgs


def test_organisation_after_a_locative_preposition_is_a_place(nlp):
    doc = run(nlp, "", "Police in Anaheim said the suspect had lived in Mount Pleasant. Microsoft said nothing.")
    orgs = names(doc, "ORG")
    assert not {"Anaheim", "Mount Pleasant"} & orgs


def test_name_after_a_role_noun_is_a_person(nlp):
    doc = run(nlp, "", "In a DW interview, China expert Jan Gaspers says that ties will remain complicated.")
    assert "Jan Gaspers" in names(doc, "PERSON") and "Jan Gaspers" not in names(doc, "ORG")


def test_span_edges_cleaned(nlp):
    doc = run(nlp, "", "A Central Michigan University spokesman said the House and Senate would vote. "
                       "Cinematographer John Mathieson was nominated.")
    orgs, persons = names(doc, "ORG"), names(doc, "PERSON")
    assert not any(o.startswith(("A ", "and ")) for o in orgs)
    assert "Cinematographer John Mathieson" not in persons


def test_wire_signoff_is_not_glued_to_a_name(nlp):
    doc = run(nlp, "EX-CELL-O SETS DIVIDEND", "Ex-Cell-O Corp said its board declared a dividend, said Ex-Cell-O.\n Reuter")
    assert not any("Reuter" in o for o in names(doc, "ORG"))


def test_clipped_party_name_merges_into_the_full_name(nlp):
    doc = run(nlp, "", "The Liberal Democrats said the tax was unfair. The Lib Dems would scrap it, a Lib Dem "
                       "spokesman said.")
    assert names(doc, "ORG") == {"Liberal Democrats"}
    assert not names(doc, "PERSON")


def test_names_listed_with_work_titles_are_titles(nlp):
    doc = run(nlp, "", 'Nominated films include "Sideways", Vera Drake and Finding Neverland. The film and the '
                       'album were praised.')
    assert not names(doc, "PERSON") | names(doc, "ORG")
    doc = run(nlp, "", 'He said "No" and Microsoft agreed, and Reuters reported "Yes", John Smith said.')
    assert "Microsoft" in names(doc, "ORG") and "John Smith" in names(doc, "PERSON")


def test_channel_and_parent_in_one_article_are_two_outlets(nlp):
    doc = run(nlp, "", "The series ran on BBC Three in October. BBC Three controller Stuart Murphy said the BBC "
                       "was pleased.")
    outlets = {e.name for e in doc._.entities if e.kind == "outlet"}
    assert outlets == {"BBC Three", "BBC"}


def test_prisons_and_motels_are_not_persons(nlp):
    doc = run(nlp, "", "The dissident was moved to Insein Prison on Monday. Two guests died when the Lilac Falls "
                       "Motel exploded, and the trafficker was hanged at Changi Prison.")
    assert not {"Insein Prison", "Changi Prison", "Lilac Falls Motel"} & names(doc, "PERSON")


def test_one_word_place_tagged_person_once_stays_a_place(nlp):
    doc = run(nlp, "", "Attorneys for the state filed the lawsuit in federal court in Honolulu on Wednesday. "
                       "A federal judge in Honolulu said earlier that Hawaii can move forward with the case.")
    assert "Honolulu" in names(doc, "LOC") and "Honolulu" not in names(doc, "PERSON")
