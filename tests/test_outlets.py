"""Outlet catalogue and normalize_outlet."""

from __future__ import annotations

import json

import pytest

from indexer.config import Settings
from indexer.names import name_key
from indexer.outlets import DATA_FILE, OutletCatalog, is_named_outlet, normalize_outlet, registrable_domain


@pytest.fixture(scope="module")
def catalog():
    return OutletCatalog.load()


def test_shipped_catalogue_is_versioned_and_large():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert data["version"]
    assert len(data["outlets"]) >= 300
    for entry in data["outlets"]:
        assert entry["name"] and isinstance(entry["domains"], list) and isinstance(entry["aliases"], list)


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("http://www.bbc.co.uk/news/uk-politics-38895007", "BBC News"),
        ("https://www.bbc.com/news/world", "BBC News"),
        ("http://abcnews.go.com/Politics/story?id=45310061", "ABC News"),
        ("https://www.abc.net.au/news/2020", "ABC News (Australia)"),
        ("http://europe.chinadaily.com.cn/epaper/2017-01/27/content_28064830.htm", "China Daily"),
        ("http://www.rte.ie/news/2017/0207/850712", "RTÉ"),
        ("https://edition.cnn.com/2023/politics", "CNN"),
        ("https://www.huffpost.com/entry/x", "HuffPost"),
        ("https://www.tasnimnews.com/en/news/1", "Tasnim News Agency"),
        ("https://m.dw.com/en/x", "Deutsche Welle"),
        ("nytimes.com/2020/01/01/x.html", "The New York Times"),
    ],
)
def test_known_domains(catalog, url, outlet):
    assert catalog.normalize(None, url) == outlet


def test_names_normalise_through_aliases(catalog):
    assert catalog.normalize("Reuter", None) == "Reuters"
    assert catalog.normalize("the guardian", None) == "The Guardian"
    assert catalog.normalize("Al-Jazeera English", None) == "Al Jazeera"
    assert catalog.normalize("RTE", None) == "RTÉ"
    # a known name wins over an unknown URL, a known URL over an unknown name
    assert catalog.normalize("AP", "https://example.org/x") == "Associated Press"
    assert catalog.normalize("Home - News", "https://www.reuters.com/world/x") == "Reuters"
    assert catalog.normalize("www.bbc.co.uk", None) == "BBC News"


def test_unknown_outlets_fall_back(catalog):
    assert catalog.normalize(None, "https://news.example.co.uk/story/1") == "example.co.uk"
    assert catalog.normalize(None, "https://blog.somewhere.com/a") == "somewhere.com"
    assert catalog.normalize("  The  Daily   Planet ", None) == "The Daily Planet"
    assert catalog.normalize("planet.example.com", None) == "example.com"
    assert catalog.normalize(None, None) is None
    assert catalog.normalize("", "") is None


def test_registrable_domain():
    assert registrable_domain("https://www.theguardian.com/uk") == "theguardian.com"
    assert registrable_domain("a.b.example.com.au") == "example.com.au"
    assert registrable_domain("localhost") == "localhost"


def test_user_extension_adds_and_extends(tmp_path, monkeypatch):
    user = tmp_path / "outlets.json"
    user.write_text(
        json.dumps(
            {
                "outlets": [
                    {"name": "The Daily Planet", "domains": ["dailyplanet.example"], "aliases": ["Planet"]},
                    {"name": "Reuters", "domains": ["reuters.example"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    cat = OutletCatalog.load(user)
    assert cat.normalize(None, "https://www.dailyplanet.example/x") == "The Daily Planet"
    assert cat.normalize("planet", None) == "The Daily Planet"
    assert cat.normalize(None, "https://reuters.example/x") == "Reuters"
    assert cat.normalize(None, "https://www.reuters.com/x") == "Reuters"
    # $PRESSWATCH_HOME/outlets.json is the user's file
    monkeypatch.setenv("PRESSWATCH_HOME", str(tmp_path))
    assert Settings.from_env().outlets_path == user
    assert OutletCatalog.load().normalize(None, "dailyplanet.example") != "The Daily Planet"
    assert normalize_outlet(None, "https://dailyplanet.example/a", catalog=cat) == "The Daily Planet"


def test_yaml_extension(tmp_path):
    user = tmp_path / "outlets.yaml"
    user.write_text("outlets:\n  - name: Gazette\n    domains: [gazette.example]\n", encoding="utf-8")
    assert OutletCatalog.load(user).normalize(None, "gazette.example") == "Gazette"


def test_text_names_leave_out_ambiguous_words(catalog):
    names = catalog.text_names()
    assert "Reuters" in names and "Tasnim News Agency" in names and "New York Times" in names
    assert "AFP" in names and "BBC" in names
    for word in ("Time", "Sun", "Standard", "Express", "Independent", "Mirror", "Hill", "Sky", "Guardian", "PAP"):
        assert word not in names


@pytest.mark.parametrize("name", ["Associated Press", "Irish Times", "Tasnim news agency", "Xinhua News Agency",
                                  "Kommersant daily", "Reuters", "IRNA", "The Times", "Iranian state media"])
def test_named_outlets_can_be_cited(catalog, name):
    assert is_named_outlet(name, catalog)


@pytest.mark.parametrize("name", ["paper", "agency", "website", "local media", "state media", "German media",
                                  "Times", "Post", "Journal", "European Space Agency", "US intelligence agencies",
                                  "Environmental Protection Agency", "Getty Images", "Foreign Affairs", "Iowa"])
def test_generic_nouns_bare_heads_photo_agencies_and_other_bodies_are_not_cited_outlets(catalog, name):
    assert not is_named_outlet(name, catalog)


def test_a_person_or_place_of_the_article_is_not_a_cited_outlet(catalog):
    assert is_named_outlet("Bump Daily", catalog)
    assert not is_named_outlet("Bump Daily", catalog, frozenset({name_key("Bump Daily")}))


def test_a_places_paper_is_not_a_named_outlet(catalog):
    assert not is_named_outlet("Iowa newspaper", catalog, frozenset({name_key("Iowa")}))
