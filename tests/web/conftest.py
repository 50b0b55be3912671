"""The web UI's fixtures: one index for the module, filled through the real inbox ingest (the seeds, a
few hundred written wire stories, an article carrying script tags, a file that fails), the UI served
on a free port by uvicorn, and headless Chromium (Debian's, through Playwright)."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.web.server import web_server

from ..conftest import REPO
from .corpus import stories, write_jsonl

CHROMIUM = os.environ.get("PRESSWATCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = REPO / "docs" / "screenshots"
HOSTILE_TITLE = "Council vote <script>window.__pwned = 1</script> delayed"
HOSTILE_BODY = ("The council said the vote on the harbour plan would wait.\n\n"
                "<script>document.title = 'pwned'; window.__pwned = 2;</script>"
                "<img src=x onerror=\"window.__pwned = 3\"> Officials gave no date.")


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory, es_connection) -> Settings:
    c = es_connection
    home = tmp_path_factory.mktemp("web") / "home"
    return Settings.from_env(home=home, index=f"pwweb-{uuid.uuid4().hex[:10]}", es_url=c.url,
                             es_username=c.username, es_password=c.password, es_api_key=c.api_key,
                             es_ca_certs=c.ca_certs, web_password="", web_user_header="")


@pytest.fixture(scope="module")
def corpus_app(web_settings, workers) -> PressWatch:
    """The library over the module's index, after one real inbox ingest and a consolidation."""
    app = PressWatch(web_settings)
    app.__dict__["workers"] = workers
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    inbox = web_settings.inbox
    for seed in (REPO / "seeds").iterdir():
        shutil.copy(seed, inbox / seed.name)
    write_jsonl(inbox, stories(240))
    (inbox / "hostile.json").write_text(json.dumps({"id": "hostile-1", "title": HOSTILE_TITLE, "body": HOSTILE_BODY,
                                                    "outlet": "Reuters", "published_at": "2018-03-01",
                                                    "url": "javascript:window.__pwned=4"}))
    (inbox / "broken.json").write_text('{"title": "Broken", "body": "cut off', encoding="utf-8")
    report = app.ingest_inbox()
    assert [f.name for f in report.files if f.status == "failed"] == ["broken.json"], report.to_dict()
    app.consolidate()
    yield app
    app.store.drop()
    app.entity_index.drop()


@pytest.fixture(scope="module")
def server(corpus_app):
    web = web_server(corpus_app, host="127.0.0.1", port=0).start()
    assert web.wait_started(), "the web UI did not start"
    yield web
    web.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.fail("no Chromium: install Debian's chromium and chromium-driver (.ci/install-system-packages does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """A README picture, taken by the suite so it shows the UI as it is. What changes from run to run
    (the test's index name, the search's milliseconds) is hidden, so an unchanged UI leaves the
    pictures unchanged."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("document.querySelectorAll('.where, .took').forEach(e => e.style.visibility = 'hidden')")
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path
