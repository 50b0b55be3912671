"""Only real names in the facets: people taken for organisations, laws and buildings, titles, cited outlets."""

import pytest

from indexer.model import Article, Source

pytestmark = pytest.mark.slow


def document(enricher, body: str, title: str = "") -> dict:
    return enricher.enrich_one(Article(title=title, body=body, source=Source("t.txt", "txt", "0" * 64, 0)))


def test_a_surname_taken_for_an_organisation_is_the_person(enricher):
    doc = document(enricher, "Wang Yi said China would respond. Wang told reporters the plan was bad. "
                             "The Trump administration said Donald Trump would act.")
    assert {"Wang Yi", "Donald Trump"} <= set(doc["persons"])
    assert "Wang" not in doc["organizations"] and "Trump" not in doc["organizations"]
    assert "Wang Yi" in doc["quote_speakers"] and "Wang" not in doc["quote_speakers"]


def test_a_company_named_after_a_person_stays_a_company(enricher):
    doc = document(enricher, "Gerald Ford visited the Ford Motor plant in Detroit on Tuesday.")
    assert "Gerald Ford" in doc["persons"] and "Ford Motor" in doc["organizations"]


def test_laws_buildings_and_programmes_are_kept_out_of_the_facets(enricher):
    doc = document(enricher, "Republicans want to repeal Obamacare and cut Medicaid. Lawmakers on Capitol Hill "
                             "met in the Oval Office, and Siemens said its profit rose.")
    kinds = {e["name"]: e.get("kind") for e in doc["entities"]}
    assert kinds["Obamacare"] == kinds["Medicaid"] == kinds["Capitol Hill"] == "misc"
    assert doc["organizations"] == ["Siemens"]


def test_a_title_alone_is_not_a_person(enricher):
    doc = document(enricher, "The Taoiseach said the talks would go on. Enda Kenny met union leaders later.")
    assert doc["persons"] == ["Enda Kenny"]


def test_cited_outlets_are_named_outlets_only(enricher):
    doc = document(enricher, "The Kommersant daily reported that prices rose. The paper said the banks had no "
                             "money left, local media reported. [Getty Images] According to the Iowa newspaper, "
                             "farmers lost money.")
    assert doc["cited_outlets"] == ["Kommersant"]


def test_a_lowercase_common_word_is_never_a_person_or_organisation(enricher):
    doc = document(enricher, "Unless the landscape changes, homeopathy and islamophobia will remain topics, said "
                             "the emeritus professor Dean Kamen. The volunteer said inspiration came late.")
    assert doc["persons"] == ["Dean Kamen"]
    assert all(any(ch.isupper() for ch in e["name"]) for e in doc["entities"])


def test_a_nations_state_media_is_cited_whole_and_a_nations_agency_is_no_name(enricher):
    doc = document(enricher, "North Korean state media said the missile flew 500 km. Prices fell, a German "
                             "news agency reported, citing sources.")
    assert doc["cited_outlets"] == ["North Korean state media"]


def test_an_ambiguous_outlet_name_used_as_a_modifier_is_not_the_outlet(enricher):
    doc = document(enricher, "Kenya, the East African country, held elections on Tuesday.")
    assert "The East African" not in doc["organizations"] and doc["cited_outlets"] == []


def test_a_lone_head_word_is_the_article_s_one_qualified_name_of_it(enricher):
    doc = document(enricher, "The US Congress passed the bill. Congress will vote again next week. "
                             "The European Parliament met in Brussels, and Parliament will meet again in May.")
    orgs = {e["name"]: e.get("aliases") or [] for e in doc["entities"] if e["label"] == "ORG"}
    assert "Congress" in orgs["US Congress"] and "Parliament" in orgs["European Parliament"]
    assert sorted(doc["organizations"]) == ["European Parliament", "US Congress"]


def test_the_house_is_never_the_white_house(enricher):
    doc = document(enricher, "The White House said the House of Representatives would vote on Friday. "
                             "The House is split.")
    orgs = {e["name"]: e.get("aliases") or [] for e in doc["entities"] if e["label"] == "ORG"}
    assert "House" in orgs["House of Representatives"] and "House" not in orgs["White House"]
    alone = document(enricher, "The White House said that the House would vote on the bill this week.")
    assert sorted(alone["organizations"]) == ["House", "White House"]


def test_a_span_inside_a_curated_name_grows_to_it(enricher):
    doc = document(enricher, "Agents of Immigration and Customs Enforcement arrested him on Monday. "
                             "Trump flew to Florida on Air Force One.")
    assert "Immigration and Customs Enforcement" in doc["organizations"]
    assert "Customs Enforcement" not in doc["organizations"] and "Air Force" not in doc["organizations"]
    kinds = {e["name"]: e.get("kind") for e in doc["entities"]}
    assert kinds["Air Force One"] == "misc"


def test_a_sentence_s_first_common_word_is_no_organisation(enricher):
    doc = document(enricher, "Time to tackle the problem, said John Smith. Time is running out for the talks.")
    assert doc["organizations"] == [] and doc["persons"] == ["John Smith"]
    labour = document(enricher, "Labour said it would vote against the plan. Voters backed Labour in 2015.")
    assert labour["organizations"] == ["Labour"]


def test_competitions_are_kept_out_of_the_organisations(enricher):
    doc = document(enricher, "Real Madrid beat Juventus to win the Champions League final in Cardiff.")
    kinds = {e["name"]: e.get("kind") for e in doc["entities"]}
    assert kinds["Champions League"] == "misc" and "Real Madrid" in doc["organizations"]


def test_an_irish_county_is_a_place_not_a_company(enricher):
    doc = document(enricher, "The crash happened near Castlebar, Co Mayo, on Sunday night. "
                             "Ford Motor Co said its sales rose.")
    assert {"Co Mayo", "Castlebar"} <= set(doc["locations"])
    assert doc["organizations"] == ["Ford Motor Co"]


RELATED_STORIES = """Marco Rubio argued with Rand Paul on Tuesday night. Paul said the plan was not conservative.

"Related:"

Rand Paul Scores Direct Hit On Donald Trump.

Marco Rubio Responds To Question About Minimum Wage By Saying We Need Fewer Philosophers.

Mike Huckabee Makes Sexist Wife Joke To Bash Fed Chair Janet Yellen"""


def test_headlines_listed_in_the_body_give_no_run_on_names(enricher):
    doc = document(enricher, RELATED_STORIES, title="Rubio and Paul clash")
    # the names in the headlines join the body's people, and a full name keeps without the headline's verb
    assert sorted(doc["persons"]) == ["Janet Yellen", "Marco Rubio", "Mike Huckabee", "Rand Paul"]
    assert doc["organizations"] == []  # not "Rand Paul Scores Direct Hit On Donald Trump"


def test_a_byline_and_lists_of_names_in_the_body_keep_their_people(enricher):
    body = ("The committee met on Monday to vote on the bill.\n\n"
            "Present Were Ann Keller, Tom Brady And Lee Chang.\n\n"
            "Best Actor: Eddie Redmayne For The Theory Of Everything\n\n"
            "Reporting by Jonathan Martin and Maggie Haberman")
    doc = document(enricher, body, title="Committee votes")
    assert sorted(doc["persons"]) == ["Ann Keller", "Eddie Redmayne", "Jonathan Martin", "Lee Chang",
                                      "Maggie Haberman", "Tom Brady"]


def test_curated_organisations_are_found_in_a_title_case_headline(enricher):
    doc = document(enricher, "Marco Rubio and Rand Paul argued on Tuesday. Bernie Sanders said the plan was wrong.",
                   title="Why The Democratic Party’s Move Against Sanders Could Backfire At The GOP Debate")
    assert {"Democratic Party", "GOP"} <= set(doc["organizations"])


def test_an_ambiguous_acronym_in_a_shouting_headline_is_no_organisation(enricher):
    doc = document(enricher, "The talks ended on Friday without a deal.", title="WHO IS TO BLAME FOR THE TALKS")
    assert doc["organizations"] == []
    doc = document(enricher, "The talks ended on Friday without a deal.", title="FBI IS TO BLAME FOR THE TALKS")
    assert doc["organizations"] == ["FBI"]


def test_an_untagged_curated_organisation_is_found(enricher):
    doc = document(enricher, "Donald Trump said on Twitter Thursday that the deal was bad. In a Facebook post, "
                             "Hillary Clinton wrote that he was wrong. The GOP majority on the committee voted.")
    assert {"Twitter", "Facebook", "GOP"} <= set(doc["organizations"])


def test_only_curated_names_the_recogniser_takes_for_organisations_are_looked_for():
    from indexer.entities.context import headline_safe_forms, one_word_forms
    from indexer.entities.judge import NamePrior

    # label counts PERSON, ORG, PLACE, NORP, OTHER over the research corpora
    prior = NamePrior(("PERSON", "ORG", "PLACE", "NORP", "OTHER"),
                      {"gop": (0, 40, 0, 0, 0), "pla": (0, 3, 0, 0, 0), "twitter": (40, 1, 0, 0, 2),
                       "home office": (0, 30, 0, 0, 0), "republicans": (0, 0, 0, 50, 0)})
    curated = {"Twitter": False, "Amal": False, "WHO": True, "GOP": False, "PLA": False, "SVP": False,
               "Supreme Court": True, "Home Office": False, "The Republicans": False, "New Democracy": False,
               "Zentral Widget Authority": False}
    assert one_word_forms(curated, frozenset({"amal"}), prior) == {"Twitter", "GOP", "PLA"}
    assert headline_safe_forms(curated, prior) == {"GOP", "PLA", "Home Office", "New Democracy",
                                                   "Zentral Widget Authority"}


def test_common_phrases_in_title_case_headlines_are_no_organisations(enricher):
    for title in ("Why The Left Is Losing The Culture War", "Apple Drops To No 10 On The Fortune List",
                  "How The Republicans Won The Suburbs"):
        assert document(enricher, "The vote was held on Tuesday.", title=title)["organizations"] == []
    doc = document(enricher, "Jane Doe, SVP of marketing, said the correct HTS code was used.")
    assert doc["persons"] == ["Jane Doe"] and doc["organizations"] == []


def test_a_person_cut_at_a_middle_initial_takes_the_given_name_before_it(enricher):
    doc = document(enricher, "U.S. District Judge Emmet G. Sullivan of Washington ordered the release. "
                             "Sullivan put off deciding.")
    assert doc["persons"] == ["Emmet G. Sullivan"]


def test_an_outlet_run_into_a_person_s_name_is_two_names(enricher):
    doc = document(enricher, "At the convention, Fox News Sean Hannity asked John Kasich about his path. "
                             "The Fox News Channel aired it.")
    assert sorted(doc["persons"]) == ["John Kasich", "Sean Hannity"]
    assert "Fox News Sean Hannity" not in doc["organizations"] and "Fox News" in doc["organizations"]


def test_a_place_run_into_a_person_s_name_is_two_names(enricher):
    doc = document(enricher, "The attack reveals the true nature of North Korea John Jusoh, a senior fellow at the "
                             "institute, said on Monday.")
    assert "John Jusoh" in doc["persons"] and "North Korea" in doc["locations"]


def test_the_shipped_curated_names_looked_for_without_the_recogniser(nlp):
    ctx = nlp.get_pipe("presswatch_entities").context
    assert {"GOP", "FBI", "Twitter", "Facebook", "BJP"} <= ctx.curated_words
    assert not {"SVP", "HTS", "WHO", "Fed", "Senate"} & ctx.curated_words
    assert {"GOP", "FBI", "Federal Bureau of Investigation", "Home Office"} <= ctx.curated_orgs
    assert not {"The Left", "No 10", "Supreme Court", "Twitter"} & ctx.curated_orgs


def test_a_paragraph_with_stray_runs_of_spaces_is_prose_not_a_table(enricher):
    # a scraped page's lost line breaks leave runs of spaces inside one long line; a table's columns are
    # short cells, so this stays trusted text and its lone surname is a person
    body = ("Obama spoke in Chicago on Monday about the economy and jobs for young people.    He was joined by "
            "the mayor and several union leaders from the city.    Obama said the plan would work.")
    assert document(enricher, body)["persons"] == ["Obama"]


def test_a_curated_organisation_taken_for_a_person_is_the_organisation(enricher):
    doc = document(enricher, "The militants of Jabhat al-Nusra shelled the city on Monday. "
                             "Jabhat al-Nusra is banned in Russia.")
    assert "Jabhat al-Nusra" not in doc["persons"]
    assert [e["label"] for e in doc["entities"] if e["name"] in ("Jabhat al-Nusra", "Hayat Tahrir al-Sham")] == ["ORG"]
