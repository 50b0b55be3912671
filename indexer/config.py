"""All of PressWatch's settings, read from the environment in one place.

| variable                | default                       | meaning                                         |
|-------------------------|-------------------------------|-------------------------------------------------|
| PRESSWATCH_HOME         | ./.presswatch                 | state: inbox, processed/, failed/, the local ES |
| ES_URL                  | (unset: the embedded node)    | an existing Elasticsearch cluster (credentials  |
|                         |                               | in it, user:password@, move to ES_USERNAME/...) |
| ES_API_KEY              |                               | API key (encoded) for ES_URL                    |
| ES_USERNAME/ES_PASSWORD |                               | basic auth for ES_URL                           |
| ES_CA_CERTS             |                               | CA certificate file for an https ES_URL         |
|                         |                               | (the four: else the embedded node's own, from   |
|                         |                               | $PRESSWATCH_HOME/elasticsearch/credentials.json)|
| PRESSWATCH_INDEX        | articles                      | the alias searched and written                  |
| PRESSWATCH_INBOX        | $PRESSWATCH_HOME/inbox        | the folder watched for new articles             |
| PRESSWATCH_REGISTRY     | $PRESSWATCH_HOME/registry.yaml| the user's entity registry (when it exists)     |
| PRESSWATCH_ES_PORT      | 9200                          | HTTP port of the embedded node                  |
| PRESSWATCH_ES_VERSION   | 8.19.7                        | version of the embedded node                    |
| PRESSWATCH_ES_HEAP      | 1g                            | JVM heap of the embedded node                   |
| PRESSWATCH_ES_TLS       | 0                             | 1: the embedded node serves HTTPS (its own CA)  |
| PRESSWATCH_BATCH_SIZE   | 64                            | articles per nlp.pipe batch                     |
| PRESSWATCH_WORKERS      | number of cores               | NLP worker processes                            |
| PRESSWATCH_ARTICLE_SECONDS | 60                         | time budget of one article (one job) in a worker|
| PRESSWATCH_WORKER_MEMORY_MB | 2048                      | memory budget of one NLP worker                 |
| PRESSWATCH_LEASE_SECONDS | 60                           | a claim's lease: given back unless renewed      |
| PRESSWATCH_FOLLOW_SYMLINKS | 0                          | 1: read symlinks in the inbox that point outside|
| PRESSWATCH_NER          | wire                          | entity recogniser: wire (shipped, tuned on news |
|                         |                               | wire), stock (en_core_web_sm's), or a folder    |
|                         |                               | written by bench/train_ner.py                   |
| PRESSWATCH_ENTITY_DOMINANCE | 0.8                      | share of the articles a full name (or an acronym's|
|                         |                               | expansion) needs among same-surname candidates  |
|                         |                               | for a partial name to resolve to it             |
| PRESSWATCH_PREFECT_PORT | 4200                          | port of the Prefect server `presswatch up` starts|
|                         |                               | (when PREFECT_API_URL is unset)                 |
| PRESSWATCH_CONSOLIDATE_MINUTES | 10                     | how often `presswatch up` runs the consolidation|
|                         |                               | (a run with nothing new is skipped at once)     |
| PRESSWATCH_CONSOLIDATE_AFTER | 500                      | an inbox run of this many articles or more is   |
|                         |                               | followed by a consolidation at once             |
| PRESSWATCH_BOILERPLATE_MIN_ARTICLES | 3                 | a line or sentence an outlet repeats in this many |
|                         |                               | of its articles is page furniture ...           |
| PRESSWATCH_BOILERPLATE_MIN_SHARE | 0.005                | ... and in this share of them (0: off)          |
| PRESSWATCH_WEB_HOST     | 127.0.0.1                     | address the web UI binds to                     |
| PRESSWATCH_WEB_PORT     | 8800                          | port of the web UI                              |
| PRESSWATCH_WEB_PASSWORD |                               | the web UI asks for it (HTTP basic auth)        |
| PRESSWATCH_WEB_USER_HEADER |                            | a reverse proxy's header naming the signed-in   |
|                         |                               | user: requests without it are refused           |
| PRESSWATCH_WEB_TRUSTED_PROXIES |                        | with the user header: the proxies' addresses    |
|                         |                               | (comma-separated; loopback is always trusted)   |
| PRESSWATCH_KIBANA_URL   | http://127.0.0.1:5601         | the Kibana `presswatch kibana import` writes to |
| PRESSWATCH_KIBANA_USERNAME/_PASSWORD | ES_USERNAME/ES_PASSWORD | a Kibana user allowed to import saved objects |
| PREFECT_API_URL         | (unset: a local server)       | read by Prefect itself                          |

The user's own data files live in the home: ``registry.yaml``, ``outlets.json``, ``given_names.txt``,
``aliases.yaml`` and ``boilerplate.yaml`` (patterns of page furniture); ``boilerplate.sqlite`` holds the
furniture statistics learned per outlet
(:attr:`Settings.registry_path`, :attr:`Settings.outlets_path`, :attr:`Settings.given_names_path`).
The library reads none of this itself: what needs a setting is given it by the caller, from a
`Settings` (`PressWatch`, the CLI and the flows pass theirs down; `from_env` is only their default).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

EMBEDDED_HOST = "127.0.0.1"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _flag(name: str) -> bool:
    return (_env(name) or "0").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Connection:
    """Where Elasticsearch is and how to authenticate to it. Secrets stay out of repr()."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    ca_certs: str | None = None

    @property
    def authenticated(self) -> bool:
        return bool(self.api_key or self.username)

    def env(self) -> dict[str, str | None]:
        """The environment variables the library reads for this connection (None: leave unset)."""
        basic = not self.api_key and self.username
        return {
            "ES_URL": self.url,
            "ES_USERNAME": self.username if basic else None,
            "ES_PASSWORD": (self.password or "") if basic else None,
            "ES_API_KEY": self.api_key,
            "ES_CA_CERTS": self.ca_certs,
        }


def load_credentials(path: Path) -> dict[str, str]:
    """The embedded node's saved credentials ({"username", "password"}); {} when there are none."""
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in saved.items() if isinstance(v, str)} if isinstance(saved, dict) else {}


def _split_userinfo(url: str | None) -> tuple[str | None, str | None, str | None]:
    """https://user:secret@host:9200 -> (https://host:9200, user, secret): the URL stays credential-free."""
    if not url:
        return url, None, None
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    host = parts.netloc.rpartition("@")[2]
    password = unquote(parts.password) if parts.password is not None else None
    return urlunsplit(parts._replace(netloc=host)), unquote(parts.username), password


CREDENTIALS = ("es_api_key", "es_username", "es_password", "web_password", "kibana_username", "kibana_password")  # never recorded: they stay in the environment
_PATHS = ("home", "inbox_override", "registry_override")


@dataclass(frozen=True)
class Settings:
    home: Path
    index: str = "articles"
    es_url: str | None = None  # None: the embedded node
    es_api_key: str | None = field(default=None, repr=False)
    es_username: str | None = None
    es_password: str | None = field(default=None, repr=False)
    es_ca_certs: str | None = None
    es_port: int = 9200
    es_version: str = "8.19.7"
    es_heap: str = "1g"
    es_tls: bool = False  # the embedded node serves HTTPS
    batch_size: int = 64
    workers: int = 1
    article_seconds: float = 60.0
    worker_memory_mb: int = 2048
    lease_seconds: float = 60.0
    follow_symlinks: bool = False
    ner: str = "wire"
    entity_dominance: float = 0.8
    prefect_port: int = 4200  # the local Prefect server `presswatch up` starts (when PREFECT_API_URL is unset)
    consolidate_minutes: float = 10.0
    consolidate_after: int = 500
    boilerplate_min_articles: int = 3
    boilerplate_min_share: float = 0.005
    web_host: str = "127.0.0.1"
    web_port: int = 8800
    web_password: str | None = field(default=None, repr=False)
    web_user_header: str | None = None
    web_trusted_proxies: tuple[str, ...] = ()
    kibana_url: str = "http://127.0.0.1:5601"
    kibana_username: str | None = None
    kibana_password: str | None = field(default=None, repr=False)
    inbox_override: Path | None = field(default=None, repr=False)
    registry_override: Path | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        home = Path(_env("PRESSWATCH_HOME", ".presswatch")).expanduser().absolute()
        inbox = _env("PRESSWATCH_INBOX")
        registry = _env("PRESSWATCH_REGISTRY")
        es_url, url_user, url_password = _split_userinfo(_env("ES_URL"))
        settings = cls(
            home=home,
            index=_env("PRESSWATCH_INDEX", "articles"),
            es_url=es_url,
            es_api_key=_env("ES_API_KEY"),
            es_username=_env("ES_USERNAME", url_user),
            es_password=_env("ES_PASSWORD", url_password),
            es_ca_certs=_env("ES_CA_CERTS"),
            es_port=int(_env("PRESSWATCH_ES_PORT", "9200")),
            es_version=_env("PRESSWATCH_ES_VERSION", "8.19.7"),
            es_heap=_env("PRESSWATCH_ES_HEAP", "1g"),
            es_tls=_flag("PRESSWATCH_ES_TLS"),
            batch_size=int(_env("PRESSWATCH_BATCH_SIZE", "64")),
            workers=int(_env("PRESSWATCH_WORKERS", str(os.cpu_count() or 1))),
            article_seconds=float(_env("PRESSWATCH_ARTICLE_SECONDS", "60")),
            worker_memory_mb=int(_env("PRESSWATCH_WORKER_MEMORY_MB", "2048")),
            lease_seconds=float(_env("PRESSWATCH_LEASE_SECONDS", "60")),
            follow_symlinks=_env("PRESSWATCH_FOLLOW_SYMLINKS", "0").lower() in ("1", "true", "yes"),
            ner=_env("PRESSWATCH_NER", "wire"),
            entity_dominance=float(_env("PRESSWATCH_ENTITY_DOMINANCE", "0.8")),
            prefect_port=int(_env("PRESSWATCH_PREFECT_PORT", "4200")),
            consolidate_minutes=float(_env("PRESSWATCH_CONSOLIDATE_MINUTES", "10")),
            consolidate_after=int(_env("PRESSWATCH_CONSOLIDATE_AFTER", "500")),
            boilerplate_min_articles=int(_env("PRESSWATCH_BOILERPLATE_MIN_ARTICLES", "3")),
            boilerplate_min_share=float(_env("PRESSWATCH_BOILERPLATE_MIN_SHARE", "0.005")),
            web_host=_env("PRESSWATCH_WEB_HOST", "127.0.0.1"),
            web_port=int(_env("PRESSWATCH_WEB_PORT", "8800")),
            web_password=_env("PRESSWATCH_WEB_PASSWORD"),
            web_user_header=_env("PRESSWATCH_WEB_USER_HEADER"),
            web_trusted_proxies=tuple(p.strip() for p in (_env("PRESSWATCH_WEB_TRUSTED_PROXIES") or "").split(",")
                                      if p.strip()),
            kibana_url=_env("PRESSWATCH_KIBANA_URL", "http://127.0.0.1:5601"),
            kibana_username=_env("PRESSWATCH_KIBANA_USERNAME", _env("ES_USERNAME", url_user)),
            kibana_password=_env("PRESSWATCH_KIBANA_PASSWORD", _env("ES_PASSWORD", url_password)),
            inbox_override=Path(inbox).expanduser().absolute() if inbox else None,
            registry_override=Path(registry).expanduser().absolute() if registry else None,
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    def parameters(self) -> dict[str, str | int | float | bool | None]:
        """These settings as JSON values, all but the credentials: what a flow run records (its
        parameters), and turns back into settings with `from_parameters`."""
        return {f.name: str(value) if isinstance(value, Path) else list(value) if isinstance(value, tuple) else value
                for f in fields(self) if f.name not in CREDENTIALS for value in [getattr(self, f.name)]}

    @classmethod
    def from_parameters(cls, parameters: dict[str, object]) -> Settings:
        """The settings `parameters` recorded; the credentials, and what is missing or None, from the environment."""
        names = {f.name for f in fields(cls)} - set(CREDENTIALS)
        values = {name: Path(value) if name in _PATHS and value is not None
                  else tuple(value) if isinstance(value, list) else value
                  for name, value in parameters.items() if name in names}
        return cls.from_env(**values)

    @property
    def embedded(self) -> bool:
        return self.es_url is None

    @property
    def url(self) -> str:
        return self.es_url or f"{'https' if self.es_tls else 'http'}://{EMBEDDED_HOST}:{self.es_port}"

    def connection(self) -> Connection:
        """The URL and the credentials: those configured, else (embedded node) the node's own.

        The embedded node's are read from its credentials file each time: the node writes it on its
        first start, which may come after these settings were made."""
        ca_certs = self.es_ca_certs or (str(self.embedded_ca_file) if self.embedded and self.es_tls else None)
        configured = Connection(self.url, self.es_username or None, self.es_password,
                                self.es_api_key or None, ca_certs)
        if configured.authenticated or not self.embedded:
            return configured
        saved = load_credentials(self.credentials_file)
        return replace(configured, username=saved.get("username"), password=saved.get("password"))

    @property
    def inbox(self) -> Path:
        return self.inbox_override or self.home / "inbox"

    @property
    def processing_dir(self) -> Path:
        return self.home / "processing"

    @property
    def processed_dir(self) -> Path:
        return self.home / "processed"

    @property
    def failed_dir(self) -> Path:
        return self.home / "failed"

    @property
    def es_home(self) -> Path:
        return self.home / "elasticsearch"

    @property
    def credentials_file(self) -> Path:
        """The embedded node's user and generated password (mode 0600)."""
        return self.es_home / "credentials.json"

    @property
    def embedded_ca_file(self) -> Path:
        """The CA certificate of the embedded node's HTTPS (PRESSWATCH_ES_TLS=1)."""
        return self.es_home / "config" / "certs" / "ca.crt"

    @property
    def registry_path(self) -> Path | None:
        path = self.registry_override or self.home / "registry.yaml"
        return path if path.exists() else None

    @property
    def registry_file(self) -> Path:
        """Where curation writes the user's registry (created on first use)."""
        return self.registry_override or self.home / "registry.yaml"

    @property
    def aliases_path(self) -> Path | None:
        """The user's alternate names of organisations and people, extending the curated file."""
        path = self.home / "aliases.yaml"
        return path if path.exists() else None

    @property
    def outlets_path(self) -> Path | None:
        """The user's outlets (``$PRESSWATCH_HOME/outlets.json``), when the file exists."""
        path = self.home / "outlets.json"
        return path if path.exists() else None

    @property
    def boilerplate_path(self) -> Path | None:
        """The user's furniture patterns (``$PRESSWATCH_HOME/boilerplate.yaml``), when the file exists."""
        path = self.home / "boilerplate.yaml"
        return path if path.exists() else None

    @property
    def boilerplate_stats_file(self) -> Path:
        """The furniture statistics learned per outlet (SQLite)."""
        return self.home / "boilerplate.sqlite"

    @property
    def given_names_path(self) -> Path | None:
        """The user's given names (``$PRESSWATCH_HOME/given_names.txt``), when the file exists."""
        path = self.home / "given_names.txt"
        return path if path.exists() else None
