"""Page furniture: shipped patterns, furniture learned per outlet, and what is never removed."""

import json

import pytest

from indexer.boilerplate import Boilerplate, UnitStats, load_patterns, units
from indexer.errors import ConfigurationError
from indexer.model import Article, Source

from .conftest import age

SOURCE = Source("feed.jsonl", "jsonl", "0" * 64, 0)


def article(body: str, outlet: str | None = "Daily Bugle", title: str = "A story") -> Article:
    return Article(title=title, body=body, source=SOURCE, outlet=outlet)


def story(i: int) -> str:
    """Six different stories: each its own sentences, so only the furniture repeats."""
    return (f"Mayor Ann Lee{i} opened bridge number {i} on Tuesday after {i + 3} years of works. "
            f"Traffic on route {i * 7} is expected to fall by {i + 10} percent, officials in district {i} said.")


def test_shipped_patterns_take_out_credits_players_prompts_and_source_lines():
    body = ("Workers cleared the road on Monday. [Getty Images] The minister visited (AP Photo/Evan Vucci). "
            "Replay More Videos Daily Newsletters Manage Newsletters. Copyright 2017 The Associated Press. "
            "All rights reserved. Officials said the road would reopen. Source:-Al Jazeera and news agencies")
    stripped = Boilerplate(stats=None).strip(article(body))
    assert stripped.article.body == ("Workers cleared the road on Monday. The minister visited. "
                                     "Officials said the road would reopen.")
    reasons = {r.reason for r in stripped.removed}
    assert {"pattern photo-credit-bracketed", "pattern video-player",
            "pattern newsletter-manage", "pattern copyright", "pattern source-line"} <= reasons
    assert stripped.article.furniture_words == stripped.words_removed == sum(
        len(r.text.split()) for r in stripped.removed)


def test_a_sentence_one_outlet_repeats_is_learned_as_furniture_and_the_stories_stay():
    footer = "Do you have information you want to share with the Daily Bugle?"
    articles = [article(f"{story(i)} {footer}") for i in range(6)]
    bp = Boilerplate(stats=UnitStats(), min_articles=3, min_share=0.0)
    out = [s for s, _ in bp.strip_stream((a, None) for a in articles)]
    for i, s in enumerate(out):
        assert s.article.body == story(i)
        assert [r.text for r in s.removed] == [footer]
        assert s.removed[0].reason == "repeated in 6 articles of Daily Bugle"


def test_furniture_is_per_outlet_and_needs_enough_articles():
    footer = "Follow the Daily Bugle on every platform you use today."
    bugle = [article(f"{story(i)} {footer}") for i in range(2)]
    other = [article(f"{story(i + 10)} {footer}", outlet="Evening Post") for i in range(2)]
    bp = Boilerplate(stats=UnitStats(), min_articles=3, min_share=0.0)
    out = [s for s, _ in bp.strip_stream((a, None) for a in bugle + other)]
    assert all(s.article.body.endswith(footer) and not s.removed for s in out)  # 2 + 2 is not 3 of one outlet


def test_the_same_story_twice_counts_once():
    footer = "Do you have information you want to share with the Daily Bugle?"
    copies = [article(f"{story(1)} {footer}", title=f"Headline {k}") for k in range(4)]  # one story, four headlines
    bp = Boilerplate(stats=UnitStats(), min_articles=3, min_share=0.0)
    out = [s for s, _ in bp.strip_stream((a, None) for a in copies)]
    assert all(s.article.body.endswith(footer) for s in out)
    assert bp.stats.articles("daily bugle") == 1


def test_quotes_long_units_and_short_ones_are_never_learned():
    quote = '"We will rebuild the bridge," the mayor said.'
    short = "Learn more."
    long = " ".join(f"Word{k}" for k in range(40)) + "."
    articles = [article(f"{story(i)} {quote} {short} {long}") for i in range(6)]
    assert any(article_units.words == 2 for article_units in units(articles[0].body))  # "Learn more." is a unit
    bp = Boilerplate(stats=UnitStats(), min_articles=3, min_share=0.0)
    out = [s for s, _ in bp.strip_stream((a, None) for a in articles)]
    assert [s.article.body for s in out] == [a.body for a in articles]


def test_abbreviations_do_not_end_sentences_and_hard_wrapped_lines_are_not_units():
    body = "Mr. Smith met Sen. Jones in the U.S. capital on Monday. They talked."
    texts = [body[u.start:u.end] for u in units(body)]
    assert "Mr. Smith met Sen. Jones in the U.S. capital on Monday." in texts
    assert "Mr." not in texts and "U.S." not in texts
    line = "The company said its quarterly profit rose to ten million dlrs"
    wrapped = "\n".join([line] * 6)
    assert line not in [wrapped[u.start:u.end] for u in units(wrapped)]  # a wrapped line is not a unit
    assert wrapped in [wrapped[u.start:u.end] for u in units(wrapped)]  # its paragraph is


def test_a_cut_tidies_only_its_seam():
    body = "Results:\n    Leeds    2   Cardiff  1\n[Getty Images]\nThe match was  played in rain."
    stripped = Boilerplate(stats=None).strip(article(body))
    assert stripped.article.body == "Results:\n    Leeds    2   Cardiff  1\nThe match was  played in rain."


def test_running_text_that_names_a_photo_agency_stays():
    body = "Getty Images said it would cut 200 jobs. Related charges were filed on Monday."
    assert Boilerplate(stats=None).strip(article(body)).article.body == body


def test_an_article_without_id_or_url_keeps_the_id_of_its_text_as_it_came():
    from indexer.document import article_id

    raw = article("Officials said the road would reopen. [Getty Images]")
    stripped = Boilerplate(stats=None).strip(raw)
    assert stripped.article.body == "Officials said the road would reopen."
    assert article_id(stripped.article) == article_id(raw)


def test_an_article_of_a_new_outlet_is_stripped_against_a_store_that_knows_others(tmp_path):
    footer = "Do you have information you want to share with the Daily Bugle?"
    bp = Boilerplate(stats=UnitStats(tmp_path / "b.sqlite"), min_articles=3, min_share=0.0)
    bp.learn(article(f"{story(i)} {footer}") for i in range(5))
    lone = article(f"{story(7)} Nothing here repeats anywhere else at all.", outlet="Evening Post")
    assert bp.strip(lone).article.body == lone.body


def test_statistics_persist_in_the_home_and_a_later_lone_article_is_stripped(tmp_path):
    footer = "Do you have information you want to share with the Daily Bugle?"
    path = tmp_path / "boilerplate.sqlite"
    first = Boilerplate(stats=UnitStats(path), min_articles=3, min_share=0.0)
    first.learn(article(f"{story(i)} {footer}") for i in range(5))
    later = Boilerplate(stats=UnitStats(path), min_articles=3, min_share=0.0)
    stripped = later.strip(article(f"{story(9)} {footer}"))
    assert stripped.article.body == story(9)


def test_min_share_scales_the_threshold_with_the_outlet():
    footer = "Do you have information you want to share with the Daily Bugle?"
    articles = [article(f"{story(i)} {footer}" if i < 4 else story(i)) for i in range(100)]
    bp = Boilerplate(stats=UnitStats(), min_articles=3, min_share=0.05)  # 5 of 100 needed, 4 have it
    out = [s for s, _ in bp.strip_stream((a, None) for a in articles)]
    assert out[0].article.body.endswith(footer)
    assert bp.threshold("daily bugle") == 5


def test_user_patterns_extend_the_shipped_ones_and_bad_ones_are_named(tmp_path):
    user = tmp_path / "boilerplate.yaml"
    user.write_text("patterns:\n  bugle-promo: 'Bugle Plus subscribers read first\\.'\n")
    bp = Boilerplate(load_patterns(user), stats=None)
    assert bp.strip(article("News came in. Bugle Plus subscribers read first.")).article.body == "News came in."
    user.write_text("patterns:\n  broken: '(unclosed'\n")
    with pytest.raises(ConfigurationError, match="broken"):
        load_patterns(user)


@pytest.mark.slow
def test_an_ingest_learns_an_outlets_furniture_and_indexes_the_bodies_without_it(app):
    footer = "Do you have information you want to share with the Daily Bugle?"
    lines = [json.dumps({"id": f"b{i}", "title": f"Bridge {i}", "text": f"{story(i)} {footer} [Getty Images]",
                         "outlet": "Daily Bugle"}) for i in range(6)]
    path = app.settings.inbox / "bugle.jsonl"
    path.write_text("\n".join(lines) + "\n")
    age(path)
    report = app.ingest_inbox()
    assert report.articles == 6
    docs = {hit["_id"]: hit["_source"] for hit in app.store.scan()}
    for i in range(6):
        assert docs[f"b{i}"]["body"] == story(i)
        assert docs[f"b{i}"]["furniture_words"] == len(footer.split()) + 2
        assert "Getty Images" not in docs[f"b{i}"]["organizations"]
    assert app.settings.boilerplate_stats_file.is_file()
