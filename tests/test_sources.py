import json
from datetime import datetime, timezone

import pytest

from indexer.errors import SourceError
from indexer.model import Article
from indexer.sources import read_file

from .conftest import SEED


def only(records):
    [record] = list(records)
    assert isinstance(record, Article), record
    return record


def test_seed_text_file_has_headline_and_body():
    article = only(read_file(SEED))
    assert article.title == "Khamenei Hosts Hamas Delegation in Tehran"
    assert article.body.startswith("Iran hosted an Islamist Hamas delegation")
    assert article.source.format == "txt"
    assert article.source.bytes == SEED.stat().st_size
    assert len(article.source.sha256) == 64


def test_text_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\nurl: https://www.bbc.co.uk/news/x\noutlet: BBC\npublished_at: 2024-05-01T10:00:00Z\n"
        "authors: [Jane Doe, John Roe]\nid: bbc-1\n---\n# The headline\n\nFirst paragraph.\n\nSecond.\n"
    )
    article = only(read_file(path))
    assert article.title == "The headline"
    assert article.body == "First paragraph.\n\nSecond."
    assert article.url == "https://www.bbc.co.uk/news/x"
    assert article.outlet == "BBC"
    assert article.id == "bbc-1"
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.published_at == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)


def test_bad_front_matter_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\n: : [\n---\nTitle\nBody\n")
    with pytest.raises(SourceError, match="front matter"):
        list(read_file(path))


def test_html_article_metadata(tmp_path):
    path = tmp_path / "page.html"
    body = " ".join(["The minister said the plan would cut costs across the region."] * 12)
    path.write_text(f"""<html><head>
      <title>Ignored title | Example News</title>
      <meta property="og:title" content="Minister unveils plan">
      <meta property="og:site_name" content="Example News">
      <meta property="og:url" content="https://example-news.com/2024/plan">
      <meta name="author" content="Ada Writer">
      <meta property="article:published_time" content="2024-03-02T08:00:00+00:00">
    </head><body><nav>Home | World | Sport</nav>
      <article><h1>Minister unveils plan</h1><p>{body}</p><p>{body}</p></article>
      <footer>Copyright Example News</footer></body></html>""")
    article = only(read_file(path))
    assert article.title == "Minister unveils plan"
    assert "the plan would cut costs" in article.body
    assert "Home | World" not in article.body and "Copyright" not in article.body
    assert article.outlet == "Example News"
    assert article.url == "https://example-news.com/2024/plan"
    assert article.authors == ["Ada Writer"]
    assert article.published_at is not None and article.published_at.date().isoformat() == "2024-03-02"


def test_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>menu</nav></body></html>")
    with pytest.raises(SourceError, match="no article text"):
        list(read_file(path))


def test_json_object_and_field_aliases(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": 7, "title": "T", "text": "Body text.", "date": "2020-01-02",
                                "author": "A. Writer"}))
    article = only(read_file(path))
    assert (article.id, article.title, article.body) == ("7", "T", "Body text.")
    assert article.published_at.date().isoformat() == "2020-01-02"
    assert article.authors == ["A. Writer"]


def test_json_list_bad_item_fails_alone(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"title": "A", "body": "x"}, {"title": "B"}, "nonsense",
                                {"title": "C", "body": "y"}]))
    records = list(read_file(path))
    assert [type(r).__name__ for r in records] == ["Article", "SourceError", "SourceError", "Article"]
    assert records[1].where.endswith(":2") and "no 'body'" in records[1].reason
    assert records[3].source.line == 4


def test_invalid_json_is_an_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"title": "A", "body": ')
    with pytest.raises(SourceError, match="invalid JSON"):
        list(read_file(path))


def test_jsonl_bad_line_fails_alone(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a", "title": "A", "body": "one"}\n'
                     b'{"id": "b", "title": "B", "body": \n'
                     b'\n'
                     b'\xff\xfe not utf8\n'
                     b'{"id": "c", "title": "C", "body": "three"}\n')
    records = list(read_file(path))
    articles = [r for r in records if isinstance(r, Article)]
    errors = [r for r in records if isinstance(r, SourceError)]
    assert [a.id for a in articles] == ["a", "c"]
    assert [a.source.line for a in articles] == [1, 5]
    assert [e.where.rsplit(":", 1)[1] for e in errors] == ["2", "4"]


@pytest.mark.parametrize("name, content, message", [
    ("x.pdf", b"%PDF-1.4", "unsupported file type"),
    ("x.txt", b"\x00\x01\x02binary", "binary"),
    ("x.txt", b"\n\n  \n", "no text"),
])
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        list(read_file(path))


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Headline\n\nHe said \u201cyes\u201d.".encode("cp1252"))
    assert only(read_file(path)).body == "He said \u201cyes\u201d."


def test_text_decoded_with_the_wrong_codec_is_put_right(tmp_path):
    # UTF-8 read as Latin-1 upstream (PolNeAR has "TomÃ¡s Regalado", "GuantÃ¡namo"): the name must match
    # the same name spelt right elsewhere in the corpus
    path = tmp_path / "mojibake.jsonl"
    mangled = "Tomás Regalado, the mayor of Miami, visited Guantánamo.".encode("utf-8").decode("latin-1")
    path.write_text(json.dumps({"id": "m1", "title": "Regalado", "text": mangled}) + "\n")
    article = only(read_file(path))
    assert article.body == "Tomás Regalado, the mayor of Miami, visited Guantánamo."
    assert only(read_file(_written(tmp_path, "São Paulo, naïve café — “quoted”"))).body == \
        "São Paulo, naïve café — “quoted”"  # text that is right stays as it is


def _written(tmp_path, text):
    path = tmp_path / "clean.jsonl"
    path.write_text(json.dumps({"id": "c1", "title": "T", "text": text}) + "\n")
    return path
