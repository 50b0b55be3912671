"""Fixtures: a real Elasticsearch for the whole session, a fresh index alias and home per test.

Elasticsearch, in order of preference: ES_URL when set; a testcontainers Elasticsearch when a
Docker engine answers; otherwise the embedded local node (installed and started if needed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from indexer.app import PressWatch
from indexer.config import Settings
from indexer.enrich import Enricher
from indexer.es_node import LocalNode
from indexer.nlp import build_pipeline
from indexer.store import Store

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "khamenei-hosts-hamas-delegation.txt"
ES_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:8.19.7"


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def es_url():
    if os.environ.get("ES_URL"):
        yield os.environ["ES_URL"]
    elif _docker_answers():
        from testcontainers.elasticsearch import ElasticSearchContainer

        with ElasticSearchContainer(ES_IMAGE, mem_limit="2g") as container:
            yield container.get_url()
    else:
        node = LocalNode(Settings.from_env(home=REPO / ".presswatch"))
        status = node.start()
        yield status.url


@pytest.fixture(scope="session")
def nlp():
    """The full PressWatch pipeline (en_core_web_sm + entities + quotes), built once."""
    return build_pipeline()


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture
def settings(tmp_path, es_url) -> Settings:
    return Settings.from_env(home=tmp_path / "home", index=f"pwtest-{uuid.uuid4().hex[:10]}", es_url=es_url)


@pytest.fixture
def store(settings):
    store = Store(settings)
    yield store
    store.drop()


@pytest.fixture
def app(settings, store, enricher) -> PressWatch:
    app = PressWatch(settings)
    app.__dict__["store"] = store
    app.__dict__["enricher"] = enricher  # the model is loaded once per session
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    return app


def age(path: Path, seconds: float = 10) -> Path:
    """Make a file look as if it was written `seconds` ago."""
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))
    return path
