"""The web UI in a real browser (headless Chromium) against the real Elasticsearch, filled by a real
ingest: facets filter, the URL holds the state, the histogram drag filters by date, the article page
marks the seed's quotes, a merge on a person page changes the facet, a failed file is retried, and
hostile markup in an article is shown as text. The README's screenshots are taken here."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.search import SearchQuery

from .conftest import HOSTILE_TITLE, screenshot

pytestmark = pytest.mark.slow


def facet_counts(page, facet: str) -> dict[str, int]:
    items = page.locator(f'section.facet[data-facet="{facet}"] li')
    counts = {}
    for i in range(items.count()):
        item = items.nth(i)
        count = item.locator(".count").inner_text().split("·")[0]
        counts[item.locator(".facet-value").inner_text()] = int(count)
    return counts


def eventually(read, ok, seconds: float = 10):
    """What `read` gives once `ok` accepts it, polled from here (the page's CSP refuses the string
    evaluation `wait_for_function` would use)."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if ok(value):
            return value
        assert time.monotonic() < deadline, f"still {value!r} after {seconds} s"
        time.sleep(0.1)


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_facet_click_filters_the_hits_and_chips_remove_filters(page, corpus_app):
    page.goto("/")
    everything = total(page)
    persons = facet_counts(page, "person")
    person, count = next(iter(persons.items()))  # the top person
    assert everything == corpus_app.store.count() and 0 < count < everything

    page.locator('section.facet[data-facet="person"] a.facet-value', has_text=person).first.click()
    page.wait_for_url(re.compile(r"person="))
    assert params(page)["person"] == [person]
    assert total(page) == count
    assert page.locator(".chip", has_text=person).count() == 1
    hit_ids = page.locator("a.hit-title").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in hit_ids:  # every hit shown mentions the person
        assert person in corpus_app.article(href.removeprefix("/article/"))["persons"]

    places = facet_counts(page, "place")  # the facets now count within the filtered hits
    place, both = next(iter(places.items()))
    page.locator('section.facet[data-facet="place"] a.facet-value', has_text=place).first.click()
    page.wait_for_url(re.compile(r"place="))
    assert params(page)["person"] == [person] and params(page)["place"] == [place]
    assert total(page) == both == corpus_app.search(SearchQuery(persons=(person,), locations=(place,))).total
    screenshot(page, "search")

    page.locator(".chip", has_text=person).locator("a.remove").click()
    page.wait_for_url(lambda url: "person=" not in url)
    assert params(page)["place"] == [place]
    assert total(page) == corpus_app.search(SearchQuery(locations=(place,))).total
    assert page.errors == []


def test_the_url_restores_the_state(page, corpus_app):
    url = ("/?q=talks&person=Helga+Lindqvist&outlet=BBC+News&outlet=Reuters&from=2017-03-01&to=2017-12-31")
    page.goto(url)
    expected = corpus_app.search(SearchQuery(text="talks", persons=("Helga Lindqvist",), outlets=("BBC News", "Reuters"),
                                             date_from="2017-03-01", date_to="2017-12-31"))
    assert 0 < expected.total < corpus_app.store.count()
    assert total(page) == expected.total
    assert page.locator("form.query input[name=q]").input_value() == "talks"
    chips = page.locator(".chip").all_inner_texts()
    for value in ("Helga Lindqvist", "BBC News", "Reuters", "2017-03-01", "talks"):
        assert any(value in chip for chip in chips), (value, chips)
    dates = page.locator("time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert dates and all("2017-03-01" <= d[:10] <= "2017-12-31" for d in dates)
    page.reload()
    assert total(page) == expected.total  # a reload (or a shared link) is the same search
    page.locator("form.query input[name=q]").fill("harbour")
    page.locator("form.query button").click()
    page.wait_for_url(re.compile(r"q=harbour"))
    assert params(page)["person"] == ["Helga Lindqvist"] and params(page)["outlet"] == ["BBC News", "Reuters"]


def test_more_lists_a_facet_longer_and_fewer_shortens_it(page, corpus_app):
    page.goto("/")
    assert len(facet_counts(page, "place")) == 10
    page.locator('section.facet[data-facet="place"] a.more').click()
    page.wait_for_url(re.compile(r"more=place"))
    longer = facet_counts(page, "place")
    expected = corpus_app.store.search({"size": 0, "aggs": {"p": {"cardinality": {"field": "locations"}}}})
    assert 10 < len(longer) == min(50, expected["aggregations"]["p"]["value"])
    assert len(facet_counts(page, "person")) == 10  # only the one asked for
    page.locator('section.facet[data-facet="place"] a.more', has_text="fewer").click()
    page.wait_for_url(lambda url: "more=" not in url)
    assert len(facet_counts(page, "place")) == 10


def test_paging_walks_the_hits_without_repeats(page, corpus_app):
    page.goto("/?outlet=Reuters")
    seen = []
    while True:
        seen += page.locator("a.hit-title").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        following = page.locator("nav.pages a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state()
    assert len(seen) == len(set(seen)) == corpus_app.search(SearchQuery(outlets=("Reuters",))).total > 20


def test_dragging_across_the_histogram_filters_by_date(page, corpus_app):
    page.goto("/?outlet=The+Guardian")
    bars = page.locator("#histogram rect.bar")
    assert bars.count() >= 10
    first, last = bars.nth(2), bars.nth(6)
    start, end = first.bounding_box(), last.bounding_box()
    period = (first.get_attribute("data-from"), last.get_attribute("data-to"))
    page.mouse.move(start["x"] + 1, start["y"] + start["height"] - 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 2, steps=8)
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=.*to="))
    chosen = params(page)
    assert chosen["outlet"] == ["The Guardian"]
    assert (chosen["from"][0], chosen["to"][0]) == period
    expected = corpus_app.search(SearchQuery(outlets=("The Guardian",), date_from=chosen["from"][0],
                                             date_to=chosen["to"][0]))
    assert 0 < total(page) == expected.total < corpus_app.search(SearchQuery(outlets=("The Guardian",))).total


def test_the_article_page_marks_the_seeds_eight_quotes_with_their_speakers(page, corpus_app):
    hit = corpus_app.search(SearchQuery(text="Khamenei Hosts Hamas Delegation")).hits[0]
    document = corpus_app.article(hit.id)
    page.goto(f"/article/{hit.id}")
    quotes = page.locator("#body q.quote")
    assert quotes.count() == 8
    shown = [(quotes.nth(i).get_attribute("data-speaker"), quotes.nth(i).inner_text()) for i in range(8)]
    stored = [(q["speaker"], document["body"][q["start"]:q["end"]]) for q in document["quotes"]]
    assert sorted(shown) == sorted(stored)  # each mark is the quote's exact text, with its speaker
    assert {speaker for speaker, _ in shown} == {"Ali Khamenei", "Ismail Haniyeh", "Saleh al-Arouri"}
    missiles = page.locator("#body q.quote", has_text="possesses missiles")
    title = missiles.get_attribute("title")
    assert "Ismail Haniyeh" in title and "cue: boasted" in title and "direct" in title  # the hover
    assert page.locator("#body mark.mention.person", has_text="Ismail Haniyeh").count() >= 1
    assert page.locator(".provenance").inner_text().count("khamenei-hosts-hamas-delegation.txt") == 1
    screenshot(page, "article")
    assert page.errors == []


def test_hostile_markup_in_an_article_is_shown_as_text(page, corpus_app):
    page.goto("/article/hostile-1")
    assert page.locator("h1.article-title").inner_text() == HOSTILE_TITLE
    body = page.locator("#body").inner_text()
    assert "<script>document.title = 'pwned'; window.__pwned = 2;</script>" in body
    assert '<img src=x onerror="window.__pwned = 3">' in body
    assert page.evaluate("window.__pwned") is None and page.title() == f"{HOSTILE_TITLE} · PressWatch"
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a.original").count() == 0  # its javascript: URL is not made a link
    raw = page.request.get("/article/hostile-1").text()  # escaped in the HTML itself, not only kept from running
    assert "&lt;script&gt;document.title" in raw and "<script>document" not in raw and "<img src=x" not in raw
    page.goto("/?q=council+vote")  # and in the hits' titles and snippets
    assert page.locator("a.hit-title", has_text="<script>").count() == 1
    assert page.locator("main script, main img").count() == 0
    raw = page.request.get("/?q=council+vote").text()
    assert "<script>window" not in raw and "&lt;script&gt;" in raw
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []


def test_a_merge_on_the_person_page_changes_the_facet(page, corpus_app):
    page.goto("/")
    before = facet_counts(page, "person")
    source, target = "Marta Villanueva", "Helga Lindqvist"
    assert source in before and target in before
    either = corpus_app.store.count({"terms": {"persons": [source, target]}})
    assert either > max(before[source], before[target])

    page.goto(f"/person/{source}")
    assert page.locator("h1.entity-name").inner_text().startswith(source)
    screenshot(page, "person")
    form = page.locator("form.action[action$='/merge']")
    form.locator("input[name=name]").fill(target)
    form.locator("button").click()
    page.wait_for_url(re.compile(r"/entity/.*done="))
    assert page.locator("h1.entity-name").inner_text().startswith(target)
    assert "merged Marta Villanueva into Helga Lindqvist" in page.locator(".flash").inner_text()
    assert source in page.locator(".aliases").inner_text()

    page.goto("/")
    after = facet_counts(page, "person")
    assert source not in after and after[target] == either
    registry = corpus_app.settings.registry_file.read_text()
    assert source in registry and target in registry  # the user's registry keeps it: it survives re-ingest


def test_an_action_without_the_csrf_token_is_refused(page, corpus_app):
    page.goto("/person/Jonas Ekberg")
    entity_url = urlsplit(page.url).path
    response = page.request.post(f"{entity_url}/drop", form={"name": "x"})
    assert response.status == 403 and "CSRF" in response.text()
    assert corpus_app.find_entity("Jonas Ekberg") is not None  # nothing was dropped


def test_a_failed_file_can_be_retried(page, corpus_app):
    page.goto("/status")
    row = page.locator("table.failed tr[data-file='broken.json']")
    assert "invalid JSON" in row.locator(".reason").inner_text()
    assert int(page.locator("#count-failed").inner_text()) == 1
    failed = corpus_app.settings.failed_dir / "broken.json"
    failed.write_text(json.dumps({"title": "Mended wire story", "body": "The harbour reopened on Friday."}))

    row.locator("button").click()
    page.wait_for_url(re.compile(r"/status\?done="))
    assert "broken.json is back in the inbox" in page.locator(".flash").inner_text()
    assert page.locator("table.failed tr[data-file='broken.json']").count() == 0
    assert (corpus_app.settings.inbox / "broken.json").exists() and not failed.exists()
    assert int(page.locator("#count-inbox").inner_text()) == 1

    report = corpus_app.ingest_inbox()  # what the watcher does with it
    assert [f.status for f in report.files] == ["processed"]
    page.goto("/?q=mended")
    assert total(page) == 1
    page.goto("/status")
    assert int(page.locator("#count-failed").inner_text()) == 0
    assert int(page.locator("#count-processed").inner_text()) == len(list(corpus_app.settings.processed_dir.iterdir()))


def test_the_person_page_shows_what_it_said_and_who_is_alongside(page, corpus_app):
    name = "Ali Khamenei"
    said = [q["text"] for hit in corpus_app.store.scan({"term": {"quote_speakers": name}})
            for q in hit["_source"]["quotes"] if q["speaker"] == name]
    page.goto(f"/person/{name}")
    assert page.locator("h1.entity-name").inner_text().startswith(name)
    shown = page.locator(".entity-quotes .quote-text").all_inner_texts()
    assert sorted(t[1:-1] for t in shown) == sorted(said) and len(said) >= 3  # each shown as “text”
    alongside = page.locator(".co-mentioned[data-facet=persons]").inner_text()
    assert "Ismail Haniyeh" in alongside and name not in alongside
    assert "Khamenei" in page.locator(".aliases").inner_text()

    page.locator("form.query input[name=q]").fill("conspiracy")
    page.locator("form.query button").click()
    page.wait_for_url(re.compile(r"q=conspiracy"))
    matching = page.locator(".entity-quotes .quote-text").all_inner_texts()
    assert len(matching) == 1 and "conspiracy" in matching[0]
    page.locator(".co-mentioned[data-facet=persons] a", has_text="Ismail Haniyeh").click()
    page.wait_for_load_state()
    assert page.locator("h1.entity-name").inner_text().startswith("Ismail Haniyeh")


def test_rename_split_and_drop_on_the_person_page_change_the_facets(page, corpus_app):
    page.goto("/")
    before = facet_counts(page, "person")
    assert "Jonas Ekberg" in before and "Rafael Okonkwo" in before

    page.goto("/person/Jonas Ekberg")
    form = page.locator("form.action[action$='/rename']")
    form.locator("input[name=name]").fill("Jonas Ekberg-Ahlm")
    form.locator("button").click()
    page.wait_for_url(re.compile(r"done="))
    assert page.locator("h1.entity-name").inner_text().startswith("Jonas Ekberg-Ahlm")
    page.goto("/")
    after = facet_counts(page, "person")
    assert after["Jonas Ekberg-Ahlm"] == before["Jonas Ekberg"] and "Jonas Ekberg" not in after

    page.goto("/person/Rafael Okonkwo")
    page.locator("form.action[action$='/drop'] button").click()
    page.wait_for_url(re.compile(r"/\?done=dropped"))
    assert "Rafael Okonkwo" not in facet_counts(page, "person")
    assert total(page) == corpus_app.store.count()  # the articles stay; only the facet value goes
    assert page.request.get("/person/Rafael Okonkwo").status == 404


def test_an_unknown_action_is_refused_and_changes_nothing(page, corpus_app):
    page.goto("/person/Priya Raghunathan")
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    response = page.request.post(urlsplit(page.url).path + "/erase", form={"csrf": token, "name": "x"})
    assert response.status == 404 and "No action &#39;erase&#39;" in response.text()
    assert corpus_app.find_entity("Priya Raghunathan") is not None


def test_the_ingest_page_shows_a_live_rate_while_articles_are_indexed(page, corpus_app, tmp_path):
    from .corpus import stories, write_jsonl

    page.goto("/status")
    page.wait_for_timeout(2500)  # the page has polled once: the next poll measures
    write_jsonl(corpus_app.settings.inbox, [s for s in stories(300, seed=11)][-40:], name="more.jsonl")
    report = corpus_app.ingest_inbox()
    assert report.articles == 40
    rate = eventually(lambda: page.locator("#rate").inner_text(), lambda text: text[:1].isdigit() and float(text.split()[0]) > 0)
    assert rate.endswith(" articles/s")
    indexed = str(corpus_app.store.count())
    assert eventually(lambda: page.locator("#count-indexed").inner_text(), lambda text: text == indexed)
