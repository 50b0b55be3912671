"""Faceted and speaker search against a real Elasticsearch, on documents built by hand."""

import pytest

from indexer.document import build_document
from indexer.model import Article, Entity, Quote, Source
from indexer.search import SearchQuery, search


def person(name, mentions=1):
    return Entity(name=name, label="PERSON", mentions=mentions)


def org(name):
    return Entity(name=name, label="ORG", mentions=1)


def quote(text, speaker, body, kind="direct", confidence=1.0):
    start = body.index(text)
    return Quote(text=text, speaker=speaker, speaker_mention=speaker, speaker_type="person",
                 cue="said", kind=kind, start=start, end=start + len(text), confidence=confidence)


def doc(doc_id, title, body, *, outlet, entities, quotes=()):
    article = Article(title=title, body=body, id=doc_id,
                      source=Source(f"{doc_id}.txt", "txt", "0" * 64, len(body)))
    return build_document(article, outlet=outlet, entities=entities, quotes=list(quotes), cited_outlets=[])


@pytest.fixture
def corpus(store):
    b1 = 'Biden said "inflation is falling fast". Trump said "the economy is a disaster".'
    b2 = 'Biden said "we will rebuild the roads". Pelosi said "inflation hurts families".'
    b3 = 'Trump said "inflation is out of control". Trump added "we will win".'
    docs = [
        doc("d1", "Debate night", b1, outlet="CNN", entities=[person("Joe Biden", 3), person("Donald Trump"),
                                                               org("Federal Reserve")],
            quotes=[quote("inflation is falling fast", "Joe Biden", b1),
                    quote("the economy is a disaster", "Donald Trump", b1)]),
        doc("d2", "Infrastructure bill", b2, outlet="BBC News",
            entities=[person("Joe Biden"), person("Nancy Pelosi"), org("Congress")],
            quotes=[quote("we will rebuild the roads", "Joe Biden", b2),
                    quote("inflation hurts families", "Nancy Pelosi", b2)]),
        doc("d3", "Rally in Ohio", b3, outlet="CNN", entities=[person("Donald Trump", 2)],
            quotes=[quote("inflation is out of control", "Donald Trump", b3, confidence=0.4),
                    quote("we will win", "Donald Trump", b3, confidence=0.9)]),
    ]
    store.ensure_index()
    result = store.index_documents(docs)
    assert not result.errors
    return store


def ids(result):
    return sorted(h.id for h in result.hits)


def facet(result, name):
    return {v.value: v.count for v in result.facets[name]}


def test_facets_count_articles(corpus):
    result = search(corpus, SearchQuery())
    assert result.total == 3
    assert facet(result, "persons") == {"Joe Biden": 2, "Donald Trump": 2, "Nancy Pelosi": 1}
    assert facet(result, "organizations") == {"Federal Reserve": 1, "Congress": 1}
    assert facet(result, "outlets") == {"CNN": 2, "BBC News": 1}


def test_filters_by_person_org_and_outlet(corpus):
    assert ids(search(corpus, SearchQuery(persons=("Joe Biden",)))) == ["d1", "d2"]
    assert ids(search(corpus, SearchQuery(persons=("Joe Biden",), outlets=("CNN",)))) == ["d1"]
    assert ids(search(corpus, SearchQuery(organizations=("Congress",)))) == ["d2"]
    # a partial name, any case, matches the canonical facet value
    assert ids(search(corpus, SearchQuery(persons=("trump",)))) == ["d1", "d3"]
    filtered = search(corpus, SearchQuery(outlets=("CNN",)))
    assert facet(filtered, "persons") == {"Donald Trump": 2, "Joe Biden": 1}


def test_text_search(corpus):
    assert ids(search(corpus, SearchQuery(text="roads"))) == ["d2"]
    assert ids(search(corpus, SearchQuery(text="Ohio rally"))) == ["d3"]


def test_speaker_and_text_must_match_the_same_quote(corpus):
    # Biden's quotes mention inflation only in d1; d2 has "inflation" in Pelosi's quote, not Biden's.
    result = search(corpus, SearchQuery(speakers=("Joe Biden",), text="inflation"))
    assert ids(result) == ["d1"]
    [hit] = result.hits
    assert [q["text"] for q in hit.quotes] == ["inflation is falling fast"]
    assert "<em>inflation</em>" in hit.quotes[0]["highlight"]
    assert ids(search(corpus, SearchQuery(speakers=("Joe Biden",)))) == ["d1", "d2"]


def test_speakers_facet_counts_quotes_separately_from_articles(corpus):
    speakers = {v.value: (v.quotes, v.count) for v in search(corpus, SearchQuery()).facets["speakers"]}
    assert speakers == {"Donald Trump": (3, 2), "Joe Biden": (2, 2), "Nancy Pelosi": (1, 1)}


def test_min_confidence_keeps_only_confident_attributions(corpus):
    # d3's "inflation" quote was attributed with confidence 0.4, its "we will win" with 0.9; d1's with 1.0
    assert ids(search(corpus, SearchQuery(speakers=("Donald Trump",), text="inflation"))) == ["d3"]
    assert ids(search(corpus, SearchQuery(speakers=("Donald Trump",), text="inflation", min_confidence=0.7))) == []
    assert ids(search(corpus, SearchQuery(speakers=("Donald Trump",), min_confidence=0.7))) == ["d1", "d3"]
    assert ids(search(corpus, SearchQuery(speakers=("Donald Trump",), min_confidence=0.95))) == ["d1"]
    speakers = {v.value: (v.quotes, v.count) for v in search(corpus, SearchQuery(min_confidence=0.7)).facets["speakers"]}
    assert speakers == {"Donald Trump": (2, 2), "Joe Biden": (2, 2), "Nancy Pelosi": (1, 1)}
    quotes = [q for h in search(corpus, SearchQuery(speakers=("Donald Trump",), min_confidence=0.7)).hits for q in h.quotes]
    assert sorted(q["confidence"] for q in quotes) == [0.9, 1.0]


def test_quotes_indexed_without_a_confidence_count_as_confident(corpus):
    # a document of an earlier release: its quote has no confidence field at all
    body = 'Pelosi said "the vote is on Friday".'
    old = doc("d4", "Vote", body, outlet="CNN", entities=[person("Nancy Pelosi")],
              quotes=[quote("the vote is on Friday", "Nancy Pelosi", body)])
    for q in old["quotes"]:
        q.pop("confidence")
    assert not corpus.index_documents([old]).errors
    assert ids(search(corpus, SearchQuery(speakers=("Nancy Pelosi",), min_confidence=0.99))) == ["d2", "d4"]
    assert ids(search(corpus, SearchQuery(speakers=("Nancy Pelosi",), text="vote", min_confidence=0.5))) == ["d4"]


# -- places, cited outlets, dates, several outlets: the web UI's filters, and the CLI's ----------------
@pytest.fixture
def dated(store):
    from datetime import datetime, timezone

    def dated_doc(doc_id, day, outlet, place, cited):
        body = f"Talks in {place} went on."
        article = Article(title=f"Talks {doc_id}", body=body, id=doc_id,
                          published_at=datetime.fromisoformat(day).replace(tzinfo=timezone.utc),
                          source=Source(f"{doc_id}.txt", "txt", "0" * 64, len(body)))
        return build_document(article, outlet=outlet, entities=[Entity(name=place, label="LOC", mentions=1)],
                              quotes=[], cited_outlets=cited)

    docs = [dated_doc("a", "2017-01-31T23:30:00", "CNN", "Gaza", ["Reuters"]),
            dated_doc("b", "2017-02-01T00:10:00", "BBC News", "Gaza", []),
            dated_doc("c", "2017-03-15T12:00:00", "Al Jazeera", "Tehran", ["Reuters", "Tasnim News Agency"]),
            dated_doc("d", "2018-06-01T08:00:00", "CNN", "Tehran", [])]
    store.ensure_index()
    assert not store.index_documents(docs).errors
    return store


def test_a_date_range_counts_its_last_day_whole(dated):
    assert ids(search(dated, SearchQuery(date_to="2017-01-31"))) == ["a"]  # 23:30 on the last day counts
    assert ids(search(dated, SearchQuery(date_from="2017-02-01", date_to="2017-12-31"))) == ["b", "c"]
    assert ids(search(dated, SearchQuery(date_from="2018-01-01"))) == ["d"]


def test_places_and_cited_outlets_filter_and_are_facets(dated):
    result = search(dated, SearchQuery(locations=("Tehran",)))
    assert ids(result) == ["c", "d"]
    assert facet(search(dated, SearchQuery()), "locations") == {"Gaza": 2, "Tehran": 2}
    assert ids(search(dated, SearchQuery(cited_outlets=("Reuters",)))) == ["a", "c"]
    assert ids(search(dated, SearchQuery(cited_outlets=("Reuters", "Tasnim News Agency")))) == ["c"]  # all of them
    assert facet(search(dated, SearchQuery()), "cited_outlets") == {"Reuters": 2, "Tasnim News Agency": 1}


def test_several_outlets_mean_any_of_them(dated):
    assert ids(search(dated, SearchQuery(outlets=("CNN", "BBC News")))) == ["a", "b", "d"]
    assert ids(search(dated, SearchQuery(outlets=("CNN",), locations=("Tehran",)))) == ["d"]


def test_the_histogram_fits_the_searched_period(dated):
    whole = search(dated, SearchQuery(histogram=True))
    assert whole.interval == "1M" and sum(b.count for b in whole.histogram) == 4
    assert whole.histogram[0].start == "2017-01-01" and whole.histogram[-1].start == "2018-06-01"
    early = search(dated, SearchQuery(histogram=True, date_to="2017-02-28"))
    assert early.interval == "1d" and [(b.start, b.count) for b in early.histogram] == [("2017-01-31", 1), ("2017-02-01", 1)]
    assert search(dated, SearchQuery(histogram=True, date_from="2019-01-01")).histogram == []
