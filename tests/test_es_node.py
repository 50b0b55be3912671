"""The embedded Elasticsearch node: start is idempotent, and missing prerequisites say so."""


import pytest

from indexer.config import Settings
from indexer.errors import NodeError
from indexer.es_node import LocalNode, java_home

from .conftest import REPO


@pytest.fixture
def local_node(es_url):
    node = LocalNode(Settings.from_env(home=REPO / ".presswatch"))
    if node.url != es_url:
        pytest.skip("the tests run against another Elasticsearch (ES_URL or a container)")
    return node


def test_running_node_reports_health_and_version(local_node):
    status = local_node.status()
    assert status.running and status.health in ("green", "yellow")
    assert status.version.startswith("8.")


def test_start_is_idempotent(local_node):
    before = local_node.status()
    after = local_node.start()
    assert after.running and after.pid == before.pid


def test_missing_java_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("ES_JAVA_HOME", raising=False)
    node = LocalNode(Settings.from_env(home=tmp_path, es_port=9299))
    with pytest.raises(NodeError, match="Java 17"):
        node.start()


def test_missing_maven_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(java_home()))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("MAVEN_REPO_LOCAL", str(tmp_path / "m2"))
    node = LocalNode(Settings.from_env(home=tmp_path, es_port=9299))
    with pytest.raises(NodeError, match="Maven"):
        node.start()
    assert not (tmp_path / "elasticsearch").exists() or not node.installed()


def test_stop_without_a_started_node_is_a_no_op(tmp_path):
    assert LocalNode(Settings.from_env(home=tmp_path, es_port=9299)).stop() is False
