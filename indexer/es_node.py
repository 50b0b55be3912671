"""The embedded Elasticsearch: a real single-node cluster that PressWatch installs and runs itself.

It is the official `integ-test-zip` distribution from Maven Central (fetched with `mvn`), run with the
machine's Java 17+ as a detached child process: data, logs and config under ``$PRESSWATCH_HOME/elasticsearch``,
plain HTTP on 127.0.0.1. Elasticsearch refuses to run as root, so as root it runs as a system user.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .config import EMBEDDED_HOST, Settings
from .errors import NodeError
from .processes import pid_alive

ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
SERVICE_USER = "presswatch-es"


@dataclass(frozen=True)
class NodeStatus:
    running: bool
    url: str
    health: str | None = None  # green | yellow | red
    version: str | None = None
    pid: int | None = None
    managed: bool = False  # started by us (a pid file exists)


class LocalNode:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.es_home
        self.url = f"http://{EMBEDDED_HOST}:{settings.es_port}"

    @property
    def dist_dir(self) -> Path:
        return self.root / f"elasticsearch-{self.settings.es_version}"

    @property
    def pid_file(self) -> Path:
        return self.root / "node.pid"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "stdout.log"

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
        pid = self._pid()
        try:
            health = _get_json(f"{self.url}/_cluster/health", timeout=2)
            info = _get_json(f"{self.url}/_nodes/_local/http", timeout=2)
        except OSError:
            return NodeStatus(running=False, url=self.url, pid=pid, managed=pid is not None)
        version = next(iter(info.get("nodes", {}).values()), {}).get("version")
        return NodeStatus(True, self.url, health.get("status"), version, pid, pid is not None)

    def start(self, *, timeout: float = 180) -> NodeStatus:
        """Start the node unless something already answers on its port; wait for yellow/green."""
        current = self.status()
        if current.running:
            return current
        self.install()
        config_dir = self._write_config()
        user = _service_user()
        for sub in ("data", "logs", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if user:
            _make_reachable(self.root, user)
            for sub in ("data", "logs", "tmp", "config"):
                _chown_tree(self.root / sub, user)
        env = {
            **os.environ,
            "ES_JAVA_HOME": str(java_home()),
            "ES_PATH_CONF": str(config_dir),
            "ES_TMPDIR": str(self.root / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{self.settings.es_heap} -Xmx{self.settings.es_heap}",
        }
        env.pop("JAVA_TOOL_OPTIONS", None)
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                [str(self.dist_dir / "bin" / "elasticsearch")],
                cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, user=user,
            )
        self.pid_file.write_text(str(process.pid))
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

    def _write_config(self) -> Path:
        config_dir = self.root / "config"
        if not config_dir.exists():
            shutil.copytree(self.dist_dir / "config", config_dir)
        settings = {
            "cluster.name": "presswatch",
            "node.name": "presswatch-local",
            "path.data": str(self.root / "data"),
            "path.logs": str(self.root / "logs"),
            "network.host": EMBEDDED_HOST,
            "http.port": self.settings.es_port,
            "transport.port": self.settings.es_port + 100,
            "discovery.type": "single-node",
            "xpack.security.enabled": False,
            # A nearly full disk must not turn the index read-only under a running ingest.
            "cluster.routing.allocation.disk.threshold_enabled": False,
        }
        (config_dir / "elasticsearch.yml").write_text(
            "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())
        )
        return config_dir

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


def _make_reachable(path: Path, user: str) -> None:
    """Let the service user walk down to `path` (o+x on each ancestor that lacks it)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)
        if parent == parent.parent:
            break
    _chown_tree(path, user, recursive=False)


def _chown_tree(path: Path, user: str, *, recursive: bool = True) -> None:
    """Give `path` (and what is below it) to `user`; a folder already theirs is left as it is."""
    uid = pwd.getpwnam(user).pw_uid
    if path.stat().st_uid == uid:
        return
    shutil.chown(path, user)
    if recursive:
        for child in path.rglob("*"):
            shutil.chown(child, user)


def _get_json(url: str, *, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise OSError(str(exc)) from exc
