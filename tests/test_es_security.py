"""Elasticsearch with security on, for real: basic auth, API keys, TLS with the node's own CA, a wrong
password, `presswatch es env` for other clients, and no credential where it could leak."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.ingest import flow_parameters
from indexer.cli import main
from indexer.config import Settings
from indexer.errors import NodeError, StoreAuthError
from indexer.es_node import LocalNode
from indexer.store import Store

from .conftest import REPO

PRESSWATCH = Path(sys.executable).parent / "presswatch"
WRONG = "not-the-password-5f3a9c"
TLS_PORT = 9271  # transport on 9371; the shared node is on 9200/9300, test_es_node's dummies on 9299
UPGRADE_PORT = 9272
ES_VARIABLES = ("ES_URL", "ES_USERNAME", "ES_PASSWORD", "ES_API_KEY", "ES_CA_CERTS")


def _status_code(url: str) -> int:
    """HTTP status of an anonymous GET (TLS unverified: only the answer matters here)."""
    import ssl

    context = ssl._create_unverified_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(url, timeout=10, context=context) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ES_VARIABLES}
    return {**env, **extra}


@pytest.fixture
def secured(settings) -> Settings:
    if not settings.connection().authenticated:
        pytest.skip("the session's Elasticsearch has security off (a Docker container or ES_URL without credentials)")
    return settings


@pytest.fixture
def local_settings(es_url) -> Settings:
    settings = Settings.from_env(home=REPO / ".presswatch", es_username="", es_password="", es_api_key="")
    if settings.url != es_url:
        pytest.skip("the tests run against another Elasticsearch (ES_URL or a container)")
    return settings


# -- the shared node ----------------------------------------------------------------------------
def test_the_local_node_asks_for_credentials_and_keeps_them_private(local_settings):
    assert _status_code(f"{local_settings.url}/_cluster/health") == 401
    credentials = local_settings.credentials_file
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    saved = json.loads(credentials.read_text())
    assert saved["username"] and len(saved["password"]) >= 20
    assert LocalNode(local_settings).status().secured


def test_basic_auth_connects(secured):
    store = Store(secured)
    assert store.ping()
    assert store.client.security.authenticate()["username"] == secured.connection().username


def test_an_api_key_created_through_the_security_api_connects(secured):
    _connect_with_a_new_api_key(secured)


def _connect_with_a_new_api_key(settings: Settings) -> None:
    store = Store(settings)
    try:
        created = store.client.security.create_api_key(name=f"pwtest-{uuid.uuid4().hex[:8]}", expiration="1h")
    except StoreAuthError:
        raise
    except Exception as exc:  # noqa: BLE001 - the reason is the skip message
        if "pattern_capture" in str(exc):
            pytest.skip("no API keys on this node: it runs without the security-analysis plugin (no JDK when "
                        "it was installed, or started before it was built: restart it)")
        raise
    keyed = replace(settings, es_username=None, es_password=None, es_api_key=created["encoded"],
                    index=f"pwtest-{uuid.uuid4().hex[:10]}")
    keyed_store = Store(keyed)
    try:
        assert keyed_store.ping()
        assert keyed_store.client.security.authenticate()["authentication_type"] == "api_key"
        keyed_store.ensure_index()
        assert keyed_store.count() == 0
        assert keyed.connection().env()["ES_API_KEY"] == created["encoded"]
        assert keyed.connection().env()["ES_PASSWORD"] is None
    finally:
        keyed_store.drop()
        store.client.security.invalidate_api_key(ids=[created["id"]])
    with pytest.raises(StoreAuthError, match="rejected the credentials"):
        Store(keyed).count()  # an invalidated key is refused


def test_a_wrong_password_is_a_clear_terminal_error(secured):
    wrong = replace(secured, es_password=WRONG)
    with pytest.raises(StoreAuthError, match="rejected the credentials") as raised:
        Store(wrong).count()
    assert WRONG not in str(raised.value)
    with pytest.raises(StoreAuthError):
        Store(wrong).ping()  # not "down": waiting would not help


@pytest.mark.parametrize("command", [["search", "anything"], ["status"], ["entities", "apply"]])
def test_a_wrong_password_fails_the_cli_with_the_reason(secured, command):
    options = ["--home", str(secured.home), "--index", secured.index, "--es-url", secured.url]
    split = 2 if command[0] == "entities" else 1
    argv = [*command[:split], *options, *command[split:]]
    env = {"ES_USERNAME": secured.connection().username, "ES_PASSWORD": WRONG, "ES_API_KEY": None}
    result = CliRunner().invoke(main, argv, env=env)
    assert result.exit_code != 0
    assert "rejected the credentials" in result.output
    assert WRONG not in result.output


def test_es_env_eval_lets_curl_reach_the_local_node(local_settings):
    script = ('set -e; eval "$("$PRESSWATCH" es env)"; '
              'curl -sS --fail ${ES_CA_CERTS:+--cacert "$ES_CA_CERTS"} -u "$ES_USERNAME:$ES_PASSWORD" '
              '"$ES_URL/_cluster/health"')
    env = _clean_env(PRESSWATCH=str(PRESSWATCH), PRESSWATCH_HOME=str(local_settings.home))
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] in ("green", "yellow")


def test_es_env_quotes_what_it_prints(tmp_path):
    password = "it's $HOME \"quoted\" `not run`"
    env = _clean_env(PRESSWATCH=str(PRESSWATCH), PRESSWATCH_HOME=str(tmp_path), ES_URL="https://es.example:9200",
                     ES_USERNAME="writer", ES_PASSWORD=password, ES_CA_CERTS=str(tmp_path / "my ca.crt"),
                     ES_API_KEY="")
    script = 'eval "$("$PRESSWATCH" es env)"; printf "%s\\n" "$ES_URL" "$ES_USERNAME" "$ES_PASSWORD" "$ES_CA_CERTS"'
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["https://es.example:9200", "writer", password,
                                          str(tmp_path / "my ca.crt")]


def test_es_env_before_the_first_start_says_so(tmp_path):
    result = CliRunner().invoke(main, ["es", "env", "--home", str(tmp_path)],
                                env={name: None for name in ES_VARIABLES})
    assert result.exit_code != 0
    assert "presswatch es start" in result.output


def test_credentials_in_es_url_are_moved_out_of_it(monkeypatch, tmp_path):
    monkeypatch.setenv("ES_URL", "https://writer:s3cr%40t@es.example:9200")
    monkeypatch.delenv("ES_USERNAME", raising=False)
    monkeypatch.delenv("ES_PASSWORD", raising=False)
    settings = Settings.from_env(home=tmp_path)
    assert settings.url == "https://es.example:9200"
    assert (settings.es_username, settings.es_password) == ("writer", "s3cr@t")


# -- no credential where it could leak ------------------------------------------------------------
def test_no_credential_in_flow_parameters_repr_or_status(secured, store):
    connection = secured.connection()
    secrets = [s for s in (connection.password, connection.api_key) if s]
    keyed = replace(secured, es_api_key="a2V5LWlkOmtleS1zZWNyZXQ=")
    for settings in (secured, keyed):
        parameters = json.dumps(flow_parameters(settings))
        recorded = repr(settings) + repr(settings.connection())
        for secret in [*secrets, "a2V5LWlkOmtleS1zZWNyZXQ="]:
            assert secret not in parameters and secret not in recorded
    recorded = flow_parameters(secured)  # where, and the other settings: no credential, not even its name
    assert set(recorded) <= {"home", "index", "es_url", "options"}
    assert not {"es_password", "es_api_key", "es_username"} & set(recorded["options"])
    result = CliRunner().invoke(main, ["status", "--home", str(secured.home), "--index", secured.index,
                                       "--es-url", secured.url])
    assert result.exit_code == 0, result.output
    assert "(up)" in result.output
    assert not any(secret in result.output for secret in secrets)


# -- TLS: a second node with its own home and CA -------------------------------------------------
@contextlib.contextmanager
def node_home(name: str) -> Iterator[Path]:
    """A home for another node, sharing the installed distribution. Not under pytest's tmp_path: a
    pytest session starting meanwhile makes that folder private again, and the node's user (as root)
    would lose its way to its files."""
    shared = LocalNode(Settings.from_env(home=REPO / ".presswatch"))
    if not shared.installed():
        pytest.skip("the local Elasticsearch distribution is not installed (`presswatch es start`)")
    home = Path(tempfile.mkdtemp(prefix=f"presswatch-{name}-"))
    try:
        (home / "elasticsearch").mkdir()
        (home / "elasticsearch" / shared.dist_dir.name).symlink_to(shared.dist_dir)  # no second unpacking
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_node():
    with node_home("tls") as home:
        node = LocalNode(Settings(home=home, es_port=TLS_PORT, es_heap="512m", es_tls=True))
        try:
            node.start()
            yield node
        finally:
            node.stop()


def test_the_tls_node_serves_https_with_its_own_ca(tls_node):
    connection = tls_node.connection()
    assert connection.url == f"https://127.0.0.1:{TLS_PORT}"
    assert connection.ca_certs and Path(connection.ca_certs).exists()
    assert stat.S_IMODE((tls_node.config_dir / "certs" / "node.key").stat().st_mode) == 0o600
    assert _status_code(f"{connection.url}/_cluster/health") == 401
    store = Store(tls_node.settings)
    assert store.ping()
    store.ensure_index()
    assert store.count() == 0
    store.drop()


def test_an_api_key_over_tls(tls_node):
    _connect_with_a_new_api_key(tls_node.settings)


def test_the_tls_node_is_not_trusted_without_its_ca(tls_node):
    untrusted = replace(tls_node.settings, es_url=tls_node.url, es_ca_certs=None,
                        es_username="presswatch", es_password="irrelevant")
    with pytest.raises(StoreAuthError, match="TLS"):
        Store(untrusted).count()


def test_es_env_of_the_tls_node_lets_curl_verify_it(tls_node):
    script = ('set -e; eval "$("$PRESSWATCH" es env)"; test -n "$ES_CA_CERTS"; '
              'curl -sS --fail --cacert "$ES_CA_CERTS" -u "$ES_USERNAME:$ES_PASSWORD" "$ES_URL/_cluster/health"')
    env = _clean_env(PRESSWATCH=str(PRESSWATCH), PRESSWATCH_HOME=str(tls_node.settings.home),
                     PRESSWATCH_ES_PORT=str(TLS_PORT), PRESSWATCH_ES_TLS="1")
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cluster_name"] == "presswatch"


def test_a_missing_credentials_file_is_a_clear_error(tmp_path):
    node = LocalNode(Settings(home=tmp_path, es_port=9299))
    with pytest.raises(NodeError, match="presswatch es start"):
        node.connection()


class _OlderNode(LocalNode):
    """The node as an earlier PressWatch configured it: security off."""

    def _write_config(self, credentials):
        config_dir = super()._write_config(credentials)
        yml = config_dir / "elasticsearch.yml"
        yml.write_text(yml.read_text().replace("xpack.security.enabled: true", "xpack.security.enabled: false"))
        return config_dir


def test_a_node_running_without_security_is_restarted_with_it():
    with node_home("upgrade") as home:
        _restart_an_older_node(Settings(home=home, es_port=UPGRADE_PORT, es_heap="512m"))


def _restart_an_older_node(settings: Settings) -> None:
    older = _OlderNode(settings)
    try:
        before = older.start()
        assert not before.secured
        settings.credentials_file.unlink()  # an older install had none
        after = LocalNode(settings).start()
        assert after.secured and after.pid != before.pid
        assert _status_code(f"{settings.url}/_cluster/health") == 401
        assert Store(settings).ping()
    finally:
        LocalNode(settings).stop()
