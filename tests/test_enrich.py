"""Enrichment: one pass, documents in order, and the same result across worker processes."""

from indexer.enrich import Enricher
from indexer.model import Article, Source


def article(i: int, body: str, title: str = "") -> Article:
    return Article(title=title, body=body, id=f"a{i}", source=Source(f"a{i}.txt", "txt", "0" * 64, len(body)))


ARTICLES = [
    article(0, "Angela Merkel met Emmanuel Macron in Paris. \"We agree,\" Merkel said.", "Merkel in Paris"),
    article(1, "Apple shares rose after Tim Cook spoke in Cupertino.", "Apple rises"),
    article(2, "The United Nations warned of famine in Yemen, according to Reuters."),
]


def strip_time(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "ingested_at"}


def test_documents_come_out_in_order_with_their_context(enricher):
    pairs = list(enricher.enrich_pairs((a, f"ctx-{a.id}") for a in ARTICLES))
    assert [(d["id"], ctx) for d, ctx in pairs] == [("a0", "ctx-a0"), ("a1", "ctx-a1"), ("a2", "ctx-a2")]
    assert "Angela Merkel" in pairs[0][0]["persons"]
    assert "Apple" in pairs[1][0]["organizations"]


def test_title_is_enriched_but_offsets_stay_in_the_body(enricher):
    document = enricher.enrich_one(article(5, 'Officials met on Monday. "It went well," said Joe Biden.',
                                           "Biden meets Putin"))
    assert "Joe Biden" in document["persons"]
    for quote in document["quotes"]:
        field = document[quote["field"]]
        assert field[quote["start"]:quote["end"]] == quote["text"]


def test_overlong_articles_are_cut_not_refused(enricher):
    document = enricher.enrich_one(article(6, "Boris Johnson spoke. " * 20_000))
    assert document["body"].startswith("Boris Johnson spoke.") and "Boris Johnson" in document["persons"]


def test_user_outlets_file_names_the_publisher(tmp_path):
    path = tmp_path / "outlets.json"
    path.write_text('{"outlets": [{"name": "The Valley Courier", "domains": ["valleycourier.example"]}]}')
    item = Article(title="", body="The mayor spoke.", url="https://news.valleycourier.example/a/1",
                   source=Source("a.txt", "txt", "0" * 64, 16))
    assert Enricher(outlets_path=path).enrich_one(item)["outlet"] == "The Valley Courier"


def test_seed_facets_and_cited_outlets(enricher):
    from indexer.sources import read_file

    from .conftest import SEED

    [seed] = read_file(SEED)
    document = enricher.enrich_one(seed)
    assert "Iranian state media" not in document["organizations"]
    assert {"Tasnim News Agency", "Fars News Agency", "Iranian state media"} <= set(document["cited_outlets"])
    names = {e["name"] for e in document["entities"]}
    assert set(document["persons"]) | set(document["organizations"]) | set(document["locations"]) <= names
