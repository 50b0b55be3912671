"""Quote extraction and speaker attribution (indexer.quotes) on the real spaCy pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.nlp import make_doc

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parent.parent / "seeds" / "khamenei-hosts-hamas-delegation.txt"


def enrich(nlp, title: str, body: str):
    doc = nlp(make_doc(nlp, title, body))
    # every quote's offsets point at its text in its field
    for q in doc._.quotes:
        field = body if q.field == "body" else title
        assert field[q.start : q.end] == q.text, q
        assert q.kind in {"direct", "indirect", "mixed"}
        assert q.speaker_type in {"person", "organization", "outlet", "country", "place", "unknown"}
    return doc


def find(doc, fragment: str):
    hits = [q for q in doc._.quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in doc._.quotes]}"
    return hits[0]


# -- the seed article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp):
    title, body = SEED.read_text(encoding="utf-8").split("\n\n", 1)
    return enrich(nlp, title, body)


def test_seed_has_eight_quotes(seed):
    assert len(seed._.quotes) == 8, [(q.speaker, q.text[:40]) for q in seed._.quotes]


def test_seed_quote_texts_and_kinds(seed):
    missiles = find(seed, "possesses missiles")
    assert missiles.kind == "direct"
    assert missiles.text == "The Palestinian resistance possesses missiles that can hit anywhere in Israeli-occupied Palestine."
    assert missiles.cue == "boasted"
    assert find(seed, "first line of defense").kind == "mixed"
    assert find(seed, "no hesitation").kind == "direct"
    assert find(seed, "stunning resistance").kind == "mixed"
    assert "victory and conquest" in find(seed, "stunning resistance").text
    divine = find(seed, "divine promise")
    assert divine.kind == "mixed" and "resistance and struggle" in divine.text
    tweet = find(seed, "Hamas stands at the core")
    assert tweet.kind == "direct" and tweet.cue == "tweeted"
    assert find(seed, "dangerous conspiracy").kind == "mixed"
    path = find(seed, "We are on the same path")
    assert path.kind == "direct"
    assert path.text.endswith("the arrogant ones")  # the comma before the closing mark is not quoted


def test_seed_speakers_are_canonical(seed):
    by_fragment = {
        "possesses missiles": "Ismail Haniyeh",
        "first line of defense": "Saleh al-Arouri",
        "We are on the same path": "Saleh al-Arouri",
        "no hesitation": "Ali Khamenei",
        "stunning resistance": "Ali Khamenei",
        "divine promise": "Ali Khamenei",
        "Hamas stands at the core": "Ali Khamenei",
        "dangerous conspiracy": "Ali Khamenei",
    }
    for fragment, speaker in by_fragment.items():
        q = find(seed, fragment)
        assert q.speaker == speaker, (fragment, q.speaker, q.speaker_mention)
        assert q.speaker_type == "person"


def test_seed_speakers_resolve_pronouns_and_roles(seed):
    # whatever the canonical name, the five Khamenei quotes share one speaker
    speakers = {find(seed, f).speaker for f in ["no hesitation", "stunning resistance", "divine promise", "Hamas stands", "dangerous conspiracy"]}
    assert len(speakers) == 1 and "Khamenei" in speakers.pop()
    assert find(seed, "stunning resistance").speaker_mention == "The Ayatollah"
    assert find(seed, "divine promise").speaker_mention == "He"
    assert find(seed, "We are on the same path").speaker_mention == "he"
    assert "Arouri" in find(seed, "We are on the same path").speaker
    assert "Arouri" in find(seed, "first line of defense").speaker


def test_seed_cited_outlets(seed):
    outlets = seed._.cited_outlets
    assert any("Tasnim" in o for o in outlets), outlets
    assert any("Fars" in o for o in outlets), outlets
    assert any(o.lower() == "iranian state media" for o in outlets), outlets
    # the outlets relay the statements: they are not speakers
    assert all(q.speaker_type != "outlet" for q in seed._.quotes)


def test_seed_quotes_in_order_with_body_offsets(seed):
    starts = [q.start for q in seed._.quotes]
    assert starts == sorted(starts)
    assert all(q.field == "body" for q in seed._.quotes)


# -- quote shapes ---------------------------------------------------------------------------------


def test_speaker_after_quote(nlp):
    doc = enrich(nlp, "", '"We will win this election," Senator Mary Walsh said on Tuesday.')
    q = find(doc, "We will win")
    assert (q.speaker, q.kind, q.cue, q.text) == ("Mary Walsh", "direct", "said", "We will win this election")


def test_speaker_before_quote_with_colon(nlp):
    doc = enrich(nlp, "", "John Miller, the mayor, told reporters: \u201cThe bridge will reopen next week.\u201d")
    q = find(doc, "bridge will reopen")
    assert q.speaker == "John Miller" and q.kind == "direct"
    assert q.text == "The bridge will reopen next week."


def test_interrupted_quote_gives_both_parts_to_the_speaker(nlp):
    body = "\u201cThe budget is balanced,\u201d Anna Berg said, \u201cand the deficit is gone for good.\u201d"
    doc = enrich(nlp, "", body)
    first, second = find(doc, "budget is balanced"), find(doc, "deficit is gone")
    assert first is not second
    assert first.speaker == second.speaker == "Anna Berg"
    assert first.text == "The budget is balanced"
    assert second.text == "and the deficit is gone for good."


def test_indirect_speech_said_that(nlp):
    doc = enrich(nlp, "", "Prime Minister Olaf Brandt said that the government would raise taxes on fuel next year.")
    q = find(doc, "raise taxes")
    assert q.kind == "indirect" and q.speaker == "Olaf Brandt"
    assert q.text == "that the government would raise taxes on fuel next year"  # "that" is part of the content


def test_indirect_speech_told_and_pronoun(nlp):
    body = (
        "The union leader Maria Lopez arrived in the capital on Monday morning to meet the minister.\n\n"
        "She told reporters the strike would end within a week."
    )
    q = find(enrich(nlp, "", body), "strike would end")
    assert q.kind == "indirect" and q.speaker == "Maria Lopez" and q.speaker_mention == "She"
    assert q.cue == "told"


def test_according_to_a_person(nlp):
    body = "According to Peter Novak, the factory will close in March."
    q = find(enrich(nlp, "", body), "factory will close")
    assert q.speaker == "Peter Novak" and q.kind == "indirect" and q.cue == "according to"


def test_outlet_relaying_a_statement(nlp):
    body = "The Reuters news agency reported that Angela Merkel said the talks had failed."
    doc = enrich(nlp, "", body)
    q = find(doc, "talks had failed")
    assert q.speaker == "Angela Merkel"
    assert len(doc._.quotes) == 1
    assert any("Reuters" in o for o in doc._.cited_outlets), doc._.cited_outlets


def test_outlet_as_speaker(nlp):
    body = "The New York Times reported that the company had lost $3 billion in the last quarter."
    doc = enrich(nlp, "", body)
    q = find(doc, "lost $3 billion")
    assert q.speaker_type == "outlet"
    assert doc._.cited_outlets


def test_partial_quote_is_mixed(nlp):
    body = "Senator Tom Hale called the proposal a \u201creckless gamble with our savings\u201d and vowed to block it."
    q = find(enrich(nlp, "", body), "reckless gamble")
    assert q.kind == "mixed" and q.speaker == "Tom Hale"


def test_a_description_of_a_kind_of_body_refers_only_to_a_body_of_that_kind(nlp):
    # "the ministry" is the Defence Ministry named earlier, never the group named last; with no ministry
    # named it stays a description
    body = ("The Russian Defence Ministry spoke on Monday. Militants of the Free Syrian Army shelled the city, "
            "the ministry said.\n\nThe Free Syrian Army shelled the town again, the ministry said.")
    assert [q.speaker for q in enrich(nlp, "", body)._.quotes] == ["Russian Defence Ministry", "Russian Defence Ministry"]
    alone = enrich(nlp, "", "Militants of the Free Syrian Army shelled the city on Monday, the ministry said.")
    [q] = alone._.quotes
    assert q.speaker is None and q.speaker_mention == "the ministry"
    company = find(enrich(nlp, "", "Apple released a phone on Monday. The company said sales would grow."), "sales")
    assert company.speaker == "Apple"  # "the company" stands for any firm


def test_role_noun_speaker(nlp):
    body = (
        "President Emmanuel Macron met the leaders of the unions in the capital on a cold morning.\n\n"
        "\u201cWe will not give up on this reform,\u201d the president said."
    )
    q = find(enrich(nlp, "", body), "not give up")
    assert q.speaker == "Emmanuel Macron" and q.speaker_mention == "the president"


def test_organization_speaker(nlp):
    body = "Greenpeace said the new pipeline would threaten the lake's drinking water."
    q = find(enrich(nlp, "", body), "pipeline would threaten")
    assert q.speaker == "Greenpeace" and q.speaker_type == "organization"


# -- quotation marks ------------------------------------------------------------------------------


def test_nyt_doubled_apostrophes(nlp):
    body = "''People turn to Facebook to check on loved ones,'' Ms. Anna White said."
    q = find(enrich(nlp, "", body), "People turn to Facebook")
    assert q.text == "People turn to Facebook to check on loved ones"
    assert q.kind == "direct" and "White" in q.speaker


def test_bbc_single_quotes_and_apostrophes(nlp):
    body = "Mr Blair's spokesman said the talks were 'very productive' but the union's leader, Bob Crow, said: 'It's a disgrace and we won't accept it.'"
    doc = enrich(nlp, "", body)
    q = find(doc, "disgrace")
    assert q.text == "It's a disgrace and we won't accept it."
    assert q.speaker == "Bob Crow" and q.kind == "direct"
    assert not any(q.text.startswith("s spokesman") or q.text.startswith("s leader") for q in doc._.quotes)


def test_multi_paragraph_quote(nlp):
    body = (
        "Jane Doe described the night of the fire.\n\n"
        "\u201cWe woke up to smoke everywhere and we ran for the door,\u201d she said. "
        "\u201cThe children were screaming.\n\n"
        "\u201cBy the time the firemen came, the roof was gone.\u201d\n\n"
        "The cause of the fire is not known."
    )
    doc = enrich(nlp, "", body)
    cont = find(doc, "children were screaming")
    assert "the roof was gone." in cont.text  # one quote across the two paragraphs
    assert cont.speaker == "Jane Doe" and cont.kind == "direct"
    assert not any("cause of the fire" in q.text for q in doc._.quotes)


def test_unbalanced_quote_stops_at_paragraph(nlp):
    body = (
        "Tom Reed said: \u201cWe are leaving tonight.\n\n"
        "The company did not respond to a request for comment. Its shares fell 4 percent on Friday "
        "after the announcement, and analysts expect more losses.\n\n"
        "Trading resumes on Monday."
    )
    doc = enrich(nlp, "", body)
    q = find(doc, "We are leaving tonight")
    assert q.speaker == "Tom Reed"
    assert "company" not in q.text and "Trading" not in q.text


def test_stray_quote_marks_do_not_crash_or_swallow_the_article(nlp):
    body = 'He said " and then\n\n' + "More text here. " * 50 + '\n\nA stray closing mark" at the end and “ another opener.'
    doc = enrich(nlp, "", body)
    assert all(len(q.text) < 600 for q in doc._.quotes)
    assert doc._.cited_outlets == [] or isinstance(doc._.cited_outlets, list)


def test_scare_quotes_without_a_cue_are_not_quotes(nlp):
    doc = enrich(nlp, "", "The so-called \u201cmiracle drug\u201d was withdrawn from pharmacies last year.")
    assert doc._.quotes == []


def test_headline_quotes(nlp):
    title = "Obama: \u2018We will prevail over terror\u2019"
    body = "President Barack Obama spoke in Washington on Monday about the attacks."
    doc = enrich(nlp, title, body)
    q = find(doc, "We will prevail")
    assert q.field == "title" and q.text == "We will prevail over terror"
    assert q.speaker == "Barack Obama" and q.kind == "direct"


def test_headline_speech_verb(nlp):
    title = 'Merkel says "Europe must stand together"'
    body = "Chancellor Angela Merkel addressed parliament in Berlin."
    q = find(enrich(nlp, title, body), "Europe must stand together")
    assert q.field == "title" and q.start == title.index("Europe")
    assert q.speaker == "Angela Merkel"


def test_empty_and_quote_free_articles(nlp):
    assert enrich(nlp, "", "")._.quotes == []
    doc = enrich(nlp, "Weather", "It rained in Paris on Sunday.")
    assert doc._.quotes == [] and doc._.cited_outlets == []


def test_quotes_in_same_pass_as_ner(nlp):
    assert nlp.pipe_names[-1] == "presswatch_quotes"
    docs = [make_doc(nlp, "", body) for body in ('"Yes," Ann Lee said.', "Bo Chen said that prices would fall sharply.")]
    out = list(nlp.pipe(docs))
    assert out[1]._.quotes and out[1]._.quotes[0].speaker == "Bo Chen"


def test_hard_wrapped_newswire(nlp):
    body = (
        "Showers continued throughout the week in\n"
        "the Bahia cocoa zone, alleviating the drought since early\n"
        "January and improving prospects for the coming harvest,\n"
        "Comissaria Smith said in its weekly review.\n"
        "    The dry period means the harvest will be late this year.\n"
        "    Comissaria Smith said there is still some doubt as to how\n"
        "much old crop cocoa is still available.\n"
    )
    doc = enrich(nlp, "BAHIA COCOA REVIEW", body)
    q = find(doc, "some doubt")
    assert q.kind == "indirect" and "Comissaria Smith" in q.speaker
    assert q.text.endswith("old crop cocoa is still available")  # line wraps are not paragraph ends
    first = find(doc, "Showers continued")
    assert "alleviating the drought" in first.text and "Comissaria Smith" in first.speaker


def test_definite_organisation_speaker(nlp):
    body = (
        "Shares of Acme Robotics Inc fell sharply on Tuesday after the close of trading in New York.\n\n"
        "The company said its quarterly profit would be lower than analysts had expected."
    )
    q = find(enrich(nlp, "", body), "quarterly profit")
    assert q.speaker == "Acme Robotics Inc" and q.speaker_type == "organization"
    assert q.speaker_mention == "The company"


def test_pronoun_skips_people_named_inside_quotes(nlp):
    body = (
        "Senator Ruth Alder spoke to voters in the town hall on Monday evening about the economy.\n\n"
        "\u201cPresident George Bush cut taxes for the rich and the deficit exploded,\u201d she said."
    )
    q = find(enrich(nlp, "", body), "deficit exploded")
    assert q.speaker == "Ruth Alder"


def test_quote_signed_with_a_dash(nlp):
    body = (
        "Readers sent us their reactions to the debate on Monday night.\n"
        "\u201cMaybe we can build a wall around the candidate himself.\u201d \u2015 Steve Quinlan\n"
        "The debate ended late - after 11pm - for many viewers."
    )
    doc = enrich(nlp, "", body)
    q = find(doc, "build a wall")
    assert q.speaker == "Steve Quinlan" and q.kind == "direct"
    assert len(doc._.quotes) == 1


def _group_of(doc, fragment: str):
    for q, d in zip(doc._.quotes, doc._.quote_details):
        if fragment in q.text:
            return d["group"], q
    raise AssertionError(f"no quote containing {fragment!r}")


def test_uncued_quote_continues_the_previous_direct_quote(nlp):
    # the speaker is unresolved ("a company spokesman") and the company spoke just before:
    # the second quote still continues the spokesman's quote, not the company's statement
    body = (
        "In response, Acme Robotics said it was investigating the complaints. "
        "\u201cSafety is our first priority and our rules make that clear,\u201d a company spokesman said. "
        "\u201cWe have teams around the world looking into every report we receive.\u201d"
    )
    doc = enrich(nlp, "", body)
    g1, q1 = _group_of(doc, "first priority")
    g2, q2 = _group_of(doc, "teams around the world")
    assert g1 == g2 and q2.speaker == q1.speaker
    # an indirect remark of the same speaker in between does not break the continuation
    body = (
        "\u201cWe need new rules,\u201d said Mary Stone, referring to the state building code. "
        "\u201cGive us the tools and we will finish the job ourselves.\u201d"
    )
    doc = enrich(nlp, "", body)
    assert _group_of(doc, "new rules")[0] == _group_of(doc, "Give us the tools")[0]
    # narration between the quotes does: the later quote is not the earlier one's continuation
    body = (
        "When my mother mentioned the devil, I laughed and said, \u201cI don't believe in the devil.\u201d "
        "She became so upset that I had to change my answer: \u201cOf course I believe in the devil, Mom.\u201d"
    )
    doc = enrich(nlp, "", body)
    groups = [d["group"] for q, d in zip(doc._.quotes, doc._.quote_details) if "devil" in q.text]
    assert len(groups) == 2 and groups[0] != groups[1]


def test_quote_ending_a_sentence_is_not_claimed_by_the_next_sentences_cue(nlp):
    # '"B." Reid said both ...': the later cue has its own content; B continues the earlier quote
    body = (
        "Harry Reid blasted the senator in a recent interview. "
        "\u201cWhat he has done on immigration is one of the worst things I have seen,\u201d the minority leader said. "
        "\u201cIt shows a lack of character in my opinion.\u201d Reid said both senators were weak on the issue."
    )
    doc = enrich(nlp, "", body)
    g1, _ = _group_of(doc, "worst things")
    g2, q2 = _group_of(doc, "lack of character")
    assert g1 == g2 and q2.cue is None


def test_consecutive_unattributed_quotes_are_one_attribution(nlp):
    body = (
        "The questions at the news conference ranged from skeptical to hostile, and few were friendly. "
        "\u201cIs it time for your strategy against the group to change at last?\u201d . . . "
        "\u201cHave you underestimated the abilities of your enemy in the region?\u201d"
    )
    doc = enrich(nlp, "", body)
    assert _group_of(doc, "Is it time")[0] == _group_of(doc, "Have you underestimated")[0]


# -- who can be a speaker -------------------------------------------------------------------------


def test_a_generic_outlet_noun_speaks_for_the_outlet_named_before_it(nlp):
    doc = enrich(nlp, "Prices", "The Kommersant daily reported that prices rose in March. "
                                "The paper said the plan would fail because the banks had no money left.")
    quote = find(doc, "the plan would fail")
    assert (quote.speaker, quote.speaker_type, quote.speaker_mention) == ("Kommersant", "outlet", "The paper")


def test_a_generic_outlet_noun_with_no_outlet_named_has_no_speaker(nlp):
    doc = enrich(nlp, "Prices", "Prices rose again in March across the whole region. "
                                "The paper said the plan would fail because the banks had no money left.")
    quote = find(doc, "the plan would fail")
    assert quote.speaker is None and quote.speaker_mention == "The paper" and quote.speaker_type == "outlet"


def test_countries_speak_as_countries_and_regions_never_speak(nlp):
    doc = enrich(nlp, "Sanctions", "Russia said on Monday that the new sanctions were illegal and would fail. "
                                   "The Middle East is facing a crisis that will last for years, the region said.")
    russia = find(doc, "sanctions were illegal")
    assert (russia.speaker, russia.speaker_type) == ("Russia", "country")
    region = find(doc, "facing a crisis")
    assert region.speaker is None and region.speaker_type == "unknown"


def test_a_capital_speaks_for_its_government_as_a_place(nlp):
    doc = enrich(nlp, "Talks", "Beijing said on Monday that the talks with Washington had failed completely.")
    quote = find(doc, "the talks with Washington had failed")
    assert (quote.speaker, quote.speaker_type) == ("Beijing", "place")


def test_a_places_paper_does_not_speak_as_an_outlet(nlp):
    doc = enrich(nlp, "Farms", "Farm incomes fell in Iowa last year. The Iowa newspaper said the drought "
                               "had cost farmers more than the tariffs did.")
    quote = find(doc, "the drought had cost farmers")
    assert quote.speaker is None and quote.speaker_mention == "The Iowa newspaper"


def test_a_that_clause_hanging_from_a_noun_is_the_cues_own_content(nlp):
    """The next sentence's "claimed without evidence that ..." reports its own content: it is an indirect
    statement, and it does not take the quote before it."""
    doc = enrich(nlp, "Votes", "\u201cWe expect this will get much worse,\u201d said Sara Lind of the Voting Rights Project. "
                               "\u201cThe new rules are hostile to voters.\u201d Governor Paul Hanley has claimed without "
                               "evidence that thousands of people voted illegally in the election.")
    claim = find(doc, "thousands of people voted illegally")
    assert (claim.kind, claim.cue, claim.speaker) == ("indirect", "claimed", "Paul Hanley")
    assert claim.text == "that thousands of people voted illegally in the election"
    assert find(doc, "hostile to voters").speaker == "Sara Lind"


def test_a_clause_describing_the_speaker_does_not_interrupt_the_quote(nlp):
    """\u201cA,\u201d said X, a senator who declined to run again. \u201cB.\u201d -- B is still X's, and so is the
    statement inside the description."""
    doc = enrich(nlp, "Tax", "\u201cAlmost everybody was opposed to the tax,\u201d said former Senator Evan Marsh, "
                             "a moderate Democrat who declined to run for reelection after the vote. "
                             "\u201cOn Capitol Hill, that is a hard thing to withstand.\u201d")
    assert find(doc, "hard thing to withstand").speaker == "Evan Marsh"
    assert find(doc, "to run for reelection").speaker == "Evan Marsh"
