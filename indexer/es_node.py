"""The embedded Elasticsearch: a real single-node cluster that PressWatch installs and runs itself.

It is the official `integ-test-zip` distribution from Maven Central (fetched with `mvn`), run with the
machine's Java 17+ as a detached child process: data, logs and config under ``$PRESSWATCH_HOME/elasticsearch``,
on 127.0.0.1. Elasticsearch refuses to run as root, so as root it runs as a system user.

Security is on, as in Elasticsearch 8 itself: one superuser, `presswatch`, in the node's file realm, with
a password generated on the first start and kept in ``credentials.json`` (mode 0600, readable by us, not by
the node's user). With PRESSWATCH_ES_TLS=1 the node serves HTTPS with a certificate of its own CA, both
made by the distribution's `elasticsearch-certutil`; the CA certificate is what ES_CA_CERTS points to.
Each start rewrites the configuration, so an install made without security is upgraded by a restart.
API keys need the `.security` index, hence the analysis components of `es_plugin` (built when a JDK is there).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import es_plugin
from .config import EMBEDDED_HOST, Connection, Settings, load_credentials
from .errors import NodeError, StoreAuthError
from .processes import interrupts_held, pid_alive

ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
SERVICE_USER = "presswatch-es"
USERNAME = "presswatch"  # the node's superuser (file realm)
PBKDF2_COST = 10_000
CERT_DAYS = 3650


@dataclass(frozen=True)
class NodeStatus:
    running: bool
    url: str
    health: str | None = None  # green | yellow | red
    version: str | None = None
    pid: int | None = None
    managed: bool = False  # started by us (a pid file exists)
    secured: bool = True  # asks for credentials (False: a node configured by an older PressWatch)


class LocalNode:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.es_home
        self.url = f"{'https' if settings.es_tls else 'http'}://{EMBEDDED_HOST}:{settings.es_port}"

    @property
    def dist_dir(self) -> Path:
        return self.root / f"elasticsearch-{self.settings.es_version}"

    @property
    def pid_file(self) -> Path:
        return self.root / "node.pid"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "stdout.log"

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    def connection(self) -> Connection:
        """URL and credentials of the node (the configured ones win); NodeError before its first start."""
        connection = self.settings.connection()
        if not connection.authenticated:
            raise NodeError(f"the local node has no credentials yet ({self.settings.credentials_file}): "
                            "start it once with `presswatch es start`")
        return connection

    # -- install ---------------------------------------------------------------------------
    def installed(self) -> bool:
        return (self.dist_dir / "bin" / "elasticsearch").exists()

    def install(self) -> Path:
        """Fetch and unpack the distribution (once); returns its folder."""
        if self.installed():
            return self.dist_dir
        java_home()  # fail early with a clear message
        archive = self._fetch_archive()
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".unpacking-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(partial)
        for member in (partial / f"elasticsearch-{self.settings.es_version}" / "bin").iterdir():
            member.chmod(0o755)
        (partial / f"elasticsearch-{self.settings.es_version}").rename(self.dist_dir)
        shutil.rmtree(partial, ignore_errors=True)
        return self.dist_dir

    def _fetch_archive(self) -> Path:
        version = self.settings.es_version
        repo = Path(os.environ.get("MAVEN_REPO_LOCAL", Path.home() / ".m2" / "repository"))
        archive = (
            repo / "org/elasticsearch/distribution/integ-test-zip/elasticsearch"
            / version / f"elasticsearch-{version}.zip"
        )
        if archive.exists():
            return archive
        mvn = shutil.which("mvn")
        if not mvn:
            raise NodeError(
                "Maven (mvn) is needed to download Elasticsearch from Maven Central; install it "
                "(apt-get install maven) or set ES_URL to an existing cluster."
            )
        cmd = [mvn, "-q", "-B", "dependency:get", f"-Dartifact={ARTIFACT.format(version=version)}",
               "-Dtransitive=false", f"-Dmaven.repo.local={repo}"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0 or not archive.exists():
            raise NodeError(
                f"could not download Elasticsearch {version} with Maven:\n"
                + (result.stdout + result.stderr).strip()[-2000:]
            )
        return archive

    # -- run -------------------------------------------------------------------------------
    def status(self) -> NodeStatus:
        """Whether the node answers, its health and version. StoreAuthError when it refuses our credentials."""
        pid = self._pid()
        connection = self.settings.connection()
        try:
            health = _get_json(f"{self.url}/_cluster/health", connection, timeout=2)
            info = _get_json(f"{self.url}/_nodes/_local/http", connection, timeout=2)
        except OSError:
            return NodeStatus(running=False, url=self.url, pid=pid, managed=pid is not None)
        version = next(iter(info.get("nodes", {}).values()), {}).get("version")
        secured = not _answers_anonymously(f"{self.url}/_cluster/health", connection)
        return NodeStatus(True, self.url, health.get("status"), version, pid, pid is not None, secured)

    def start(self, *, timeout: float = 180) -> NodeStatus:
        """Start the node unless something already answers on its port; wait for yellow/green.

        A node we started earlier without security (an older PressWatch) is restarted with it."""
        current = self.status()
        if current.running and current.managed and not current.secured:
            self.stop()
        elif current.running:
            return current
        self.install()
        es_plugin.install(self.dist_dir, self.settings.es_version, java_home())  # for API keys
        user = _service_user()
        for sub in ("data", "logs", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        config_dir = self._write_config(self._ensure_credentials())
        if user:
            _make_reachable(self.root, user)
            for sub in ("data", "logs", "tmp"):
                _chown_tree(self.root / sub, user)
            _chown_tree(config_dir, user, force=True)  # with the files just written
        env = {
            **os.environ,
            "ES_JAVA_HOME": str(java_home()),
            "ES_PATH_CONF": str(config_dir),
            "ES_TMPDIR": str(self.root / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{self.settings.es_heap} -Xmx{self.settings.es_heap}",
        }
        env.pop("JAVA_TOOL_OPTIONS", None)
        try:
            with interrupts_held():  # the pid file is written before a Ctrl-C can land
                process = self._spawn(env, user)
            return self._wait_until_ready(process, timeout)
        except KeyboardInterrupt:  # Ctrl-C while it starts: its own session never saw it
            self.stop()
            raise

    def _spawn(self, env: dict[str, str], user: str | None) -> subprocess.Popen:
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                [str(self.dist_dir / "bin" / "elasticsearch")],
                cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, **_run_as(user),
            )
        self.pid_file.write_text(str(process.pid))
        return process

    def _wait_until_ready(self, process: subprocess.Popen, timeout: float) -> NodeStatus:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise NodeError(
                    f"Elasticsearch exited with code {process.returncode}; last log lines:\n{self._log_tail()}"
                )
            status = self.status()
            if status.running and status.health in ("green", "yellow"):
                return status
            time.sleep(0.5)
        raise NodeError(f"Elasticsearch did not become ready in {timeout:.0f}s; log:\n{self._log_tail()}")

    def stop(self, *, timeout: float = 60) -> bool:
        """Stop the node we started. Returns False when there was none."""
        pid = self._pid()
        if pid is None:
            return False
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            self.pid_file.unlink(missing_ok=True)
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and pid_alive(pid):
            time.sleep(0.2)
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def _ensure_credentials(self) -> dict[str, str]:
        """The node's user and password: those saved, else new ones, saved with mode 0600."""
        path = self.settings.credentials_file
        saved = load_credentials(path)
        if not (saved.get("username") and saved.get("password")):
            saved = {"username": USERNAME, "password": secrets.token_urlsafe(24)}
            _write_private(path, json.dumps(saved, indent=2) + "\n")
        path.chmod(0o600)
        return saved

    def _write_config(self, credentials: dict[str, str]) -> Path:
        """elasticsearch.yml, the file realm's users and (with TLS) the certificates, on every start."""
        config_dir = self.config_dir
        if not config_dir.exists():
            shutil.copytree(self.dist_dir / "config", config_dir)
        _write_private(config_dir / "users",
                       f"{credentials['username']}:{_pbkdf2_hash(credentials['password'])}\n")
        _write_private(config_dir / "users_roles", f"superuser:{credentials['username']}\n")
        tls = self.settings.es_tls
        if tls:
            self._ensure_certificates()
        settings = {
            "cluster.name": "presswatch",
            "node.name": "presswatch-local",
            "path.data": str(self.root / "data"),
            "path.logs": str(self.root / "logs"),
            "network.host": EMBEDDED_HOST,
            "http.port": self.settings.es_port,
            "transport.port": self.settings.es_port + 100,
            "discovery.type": "single-node",
            "xpack.security.enabled": True,
            "xpack.security.enrollment.enabled": False,
            "xpack.security.authc.api_key.enabled": True,
            "xpack.security.http.ssl.enabled": tls,
            **({"xpack.security.http.ssl.certificate": "certs/node.crt",
                "xpack.security.http.ssl.key": "certs/node.key"} if tls else {}),
            # A nearly full disk must not turn the index read-only under a running ingest.
            "cluster.routing.allocation.disk.threshold_enabled": False,
        }
        (config_dir / "elasticsearch.yml").write_text(
            "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())
        )
        return config_dir

    def _ensure_certificates(self) -> None:
        """A CA and a certificate for 127.0.0.1/localhost signed by it, under config/certs (once)."""
        certs = self.config_dir / "certs"
        if all((certs / name).exists() for name in ("ca.crt", "node.crt", "node.key")):
            return
        certs.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="presswatch-certs-") as work:
            ca_zip, node_zip = Path(work) / "ca.zip", Path(work) / "node.zip"
            self._certutil("ca", "--pem", "--days", str(CERT_DAYS), "--out", str(ca_zip))
            with zipfile.ZipFile(ca_zip) as zf:
                zf.extractall(work)
            self._certutil("cert", "--pem", "--ca-cert", f"{work}/ca/ca.crt", "--ca-key", f"{work}/ca/ca.key",
                           "--ip", EMBEDDED_HOST, "--dns", "localhost", "--name", "node",
                           "--days", str(CERT_DAYS), "--out", str(node_zip))
            with zipfile.ZipFile(node_zip) as zf:
                zf.extractall(work)
            # The CA's key is not kept: nothing else is ever signed with it.
            _write_private(certs / "node.key", (Path(work) / "node" / "node.key").read_text())
            shutil.copyfile(Path(work) / "node" / "node.crt", certs / "node.crt")
            shutil.copyfile(Path(work) / "ca" / "ca.crt", certs / "ca.crt")
        for name in ("node.crt", "ca.crt"):
            (certs / name).chmod(0o644)

    def _certutil(self, *args: str) -> None:
        env = {**os.environ, "ES_JAVA_HOME": str(java_home())}
        env.pop("JAVA_TOOL_OPTIONS", None)
        result = subprocess.run([str(self.dist_dir / "bin" / "elasticsearch-certutil"), *args, "--silent"],
                                env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise NodeError("elasticsearch-certutil could not make the TLS certificates:\n"
                            + (result.stdout + result.stderr).strip()[-2000:])

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def java_home() -> Path:
    configured = os.environ.get("ES_JAVA_HOME") or os.environ.get("JAVA_HOME")
    if configured and (Path(configured) / "bin" / "java").exists():
        return Path(configured)
    java = shutil.which("java")
    if not java:
        raise NodeError(
            "Java 17 or newer is needed to run the embedded Elasticsearch; install it "
            "(apt-get install openjdk-17-jre-headless) or set ES_URL to an existing cluster."
        )
    return Path(java).resolve().parent.parent


def _service_user() -> str | None:
    """The account Elasticsearch runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        result = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise NodeError(f"cannot create the user {SERVICE_USER} to run Elasticsearch: {result.stderr}")
    return SERVICE_USER


def _run_as(user: str | None) -> dict:
    """Popen options that run a child as `user` with its own group only (not root's groups)."""
    if user is None:
        return {}
    return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}


def _make_reachable(path: Path, user: str) -> None:
    """Let the service user walk down to `path` (o+x on each ancestor that lacks it)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)
        if parent == parent.parent:
            break
    _chown_tree(path, user, recursive=False)


def _chown_tree(path: Path, user: str, *, recursive: bool = True, force: bool = False) -> None:
    """Give `path` (and what is below it) to `user`; a folder already theirs is left as it is (unless force)."""
    uid = pwd.getpwnam(user).pw_uid
    if path.stat().st_uid == uid and not force:
        return
    shutil.chown(path, user)
    if recursive:
        for child in path.rglob("*"):
            shutil.chown(child, user)


def _write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(partial, path)


def _pbkdf2_hash(password: str, *, cost: int = PBKDF2_COST) -> str:
    """The password hash Elasticsearch's file realm reads as `{PBKDF2}cost$salt$key` (PBKDF2-HMAC-SHA512)."""
    salt = secrets.token_bytes(32)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, cost, dklen=32)
    return f"{{PBKDF2}}{cost}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def _request(url: str, connection: Connection | None) -> urllib.request.Request:
    request = urllib.request.Request(url)
    if connection and connection.api_key:
        request.add_header("Authorization", f"ApiKey {connection.api_key}")
    elif connection and connection.username:
        token = base64.b64encode(f"{connection.username}:{connection.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    return request


def _ssl_context(connection: Connection) -> ssl.SSLContext | None:
    if not connection.url.startswith("https:"):
        return None
    return ssl.create_default_context(cafile=connection.ca_certs)


def _get_json(url: str, connection: Connection, *, timeout: float) -> dict:
    """GET a JSON answer; OSError when nothing answers, StoreAuthError when our credentials are refused."""
    try:
        with urllib.request.urlopen(_request(url, connection), timeout=timeout,
                                    context=_ssl_context(connection)) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise StoreAuthError(_refused_message(url, connection)) from exc
        raise OSError(str(exc)) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLCertVerificationError):
            raise StoreAuthError(f"the TLS certificate of {url} cannot be verified with "
                                 f"{connection.ca_certs or 'the system CAs'}: {exc.reason.verify_message}"
                                 ) from exc
        raise


def _answers_anonymously(url: str, connection: Connection) -> bool:
    """True when the node serves a request without credentials (security off)."""
    try:
        with urllib.request.urlopen(_request(url, None), timeout=2, context=_ssl_context(connection)):
            return True
    except (OSError, ssl.SSLError):
        return False


def _refused_message(url: str, connection: Connection) -> str:
    if not connection.authenticated:
        return (f"Elasticsearch at {url} asks for credentials and none are configured: set ES_USERNAME/"
                "ES_PASSWORD or ES_API_KEY; for the local node, `presswatch es start` writes its credentials "
                "file (if it was deleted, restart the node: `presswatch es stop`, then `presswatch es start`)")
    who = "the API key" if connection.api_key else f"the password of user {connection.username!r}"
    return (f"Elasticsearch at {url} rejected {who} (401 Unauthorized): check ES_PASSWORD / ES_API_KEY, or "
            "for the local node its credentials file (a restart with `presswatch es stop` and "
            "`presswatch es start` rewrites its users from it)")
