"""Fixtures: a real Elasticsearch for the whole session, a fresh index alias and home per test.

Elasticsearch, in order of preference: ES_URL when set (with ES_USERNAME/ES_PASSWORD or ES_API_KEY,
ES_CA_CERTS); a testcontainers Elasticsearch when a Docker engine answers; otherwise the embedded local
node (installed and started if needed, security on: its own credentials).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from indexer.app import PressWatch
from indexer.config import Connection, Settings
from indexer.enrich import Enricher
from indexer.es_node import LocalNode
from indexer.nlp import build_pipeline
from indexer.store import Store
from indexer.workers import WorkerPool

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


def _session_connection(stack: contextlib.ExitStack) -> Connection:
    if os.environ.get("ES_URL"):
        return Settings.from_env().connection()
    if _docker_answers():
        from testcontainers.elasticsearch import ElasticSearchContainer

        container = stack.enter_context(ElasticSearchContainer(ES_IMAGE, mem_limit="2g"))
        return Connection(container.get_url())
    node = LocalNode(Settings.from_env(home=REPO / ".presswatch", es_username="", es_password="",
                                       es_api_key=""))  # the node's own credentials, whatever the shell has
    node.start()
    return node.connection()


@pytest.fixture(scope="session")
def es_connection():
    """The session's Elasticsearch: URL and credentials. The credentials are also exported as the ES_*
    variables the library reads (as `eval "$(presswatch es env)"` would), for what builds its settings
    from the environment: flow runs, CLI invocations, subprocesses."""
    with contextlib.ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        connection = _session_connection(stack)
        for name, value in connection.env().items():
            if name == "ES_URL":
                continue  # tests of the embedded node build settings without it
            if value is None:
                env.delenv(name, raising=False)
            else:
                env.setenv(name, value)
        yield connection


@pytest.fixture(scope="session")
def es_url(es_connection) -> str:
    return es_connection.url


@pytest.fixture(scope="session")
def nlp():
    """The full PressWatch pipeline (en_core_web_sm + entities + quotes), built once."""
    return build_pipeline()


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture(scope="session")
def workers():
    """One supervised NLP worker for the session: ingest tests share its loaded model."""
    pool = WorkerPool(1)
    yield pool
    pool.close()


@pytest.fixture
def settings(tmp_path, es_connection) -> Settings:
    c = es_connection
    return Settings.from_env(home=tmp_path / "home", index=f"pwtest-{uuid.uuid4().hex[:10]}", es_url=c.url,
                             es_username=c.username, es_password=c.password, es_api_key=c.api_key,
                             es_ca_certs=c.ca_certs)


@pytest.fixture
def store(settings):
    store = Store(settings)
    yield store
    store.drop()


@pytest.fixture
def app(settings, store, enricher, workers) -> PressWatch:
    app = PressWatch(settings)
    app.__dict__["store"] = store
    app.__dict__["enricher"] = enricher  # the model is loaded once per session
    app.__dict__["workers"] = workers
    app.inbox.settle_seconds = 0
    app.inbox.ensure()
    return app


def age(path: Path, seconds: float = 10) -> Path:
    """Make a file look as if it was written `seconds` ago."""
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))
    return path
