"""All of PressWatch's settings, read from the environment in one place.

| variable                | default                       | meaning                                         |
|-------------------------|-------------------------------|-------------------------------------------------|
| PRESSWATCH_HOME         | ./.presswatch                 | state: inbox, processed/, failed/, the local ES |
| ES_URL                  | (unset: the embedded node)    | an existing Elasticsearch cluster               |
| ES_API_KEY              |                               | API key for ES_URL                              |
| ES_USERNAME/ES_PASSWORD |                               | basic auth for ES_URL                           |
| ES_CA_CERTS             |                               | CA certificate file for an https ES_URL         |
| PRESSWATCH_INDEX        | articles                      | the alias searched and written                  |
| PRESSWATCH_INBOX        | $PRESSWATCH_HOME/inbox        | the folder watched for new articles             |
| PRESSWATCH_REGISTRY     | $PRESSWATCH_HOME/registry.yaml| the user's entity registry (when it exists)     |
| PRESSWATCH_ES_PORT      | 9200                          | HTTP port of the embedded node                  |
| PRESSWATCH_ES_VERSION   | 8.19.7                        | version of the embedded node                    |
| PRESSWATCH_ES_HEAP      | 1g                            | JVM heap of the embedded node                   |
| PRESSWATCH_BATCH_SIZE   | 64                            | articles per nlp.pipe batch                     |
| PRESSWATCH_WORKERS      | number of cores               | NLP worker processes for large ingests          |
| PRESSWATCH_NER          | wire                          | entity recogniser: wire (shipped, tuned on news |
|                         |                               | wire), stock (en_core_web_sm's), or a folder    |
|                         |                               | written by bench/train_ner.py                   |
| PREFECT_API_URL         | (unset: a local server)       | read by Prefect itself                          |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

EMBEDDED_HOST = "127.0.0.1"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    home: Path
    index: str = "articles"
    es_url: str | None = None  # None: the embedded node
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_port: int = 9200
    es_version: str = "8.19.7"
    es_heap: str = "1g"
    batch_size: int = 64
    workers: int = 1
    ner: str = "wire"
    inbox_override: Path | None = field(default=None, repr=False)
    registry_override: Path | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        home = Path(_env("PRESSWATCH_HOME", ".presswatch")).expanduser().absolute()
        inbox = _env("PRESSWATCH_INBOX")
        registry = _env("PRESSWATCH_REGISTRY")
        settings = cls(
            home=home,
            index=_env("PRESSWATCH_INDEX", "articles"),
            es_url=_env("ES_URL"),
            es_api_key=_env("ES_API_KEY"),
            es_username=_env("ES_USERNAME"),
            es_password=_env("ES_PASSWORD"),
            es_ca_certs=_env("ES_CA_CERTS"),
            es_port=int(_env("PRESSWATCH_ES_PORT", "9200")),
            es_version=_env("PRESSWATCH_ES_VERSION", "8.19.7"),
            es_heap=_env("PRESSWATCH_ES_HEAP", "1g"),
            batch_size=int(_env("PRESSWATCH_BATCH_SIZE", "64")),
            workers=int(_env("PRESSWATCH_WORKERS", str(os.cpu_count() or 1))),
            ner=_env("PRESSWATCH_NER", "wire"),
            inbox_override=Path(inbox).expanduser().absolute() if inbox else None,
            registry_override=Path(registry).expanduser().absolute() if registry else None,
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def embedded(self) -> bool:
        return self.es_url is None

    @property
    def url(self) -> str:
        return self.es_url or f"http://{EMBEDDED_HOST}:{self.es_port}"

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
    def registry_path(self) -> Path | None:
        path = self.registry_override or self.home / "registry.yaml"
        return path if path.exists() else None

    @property
    def outlets_path(self) -> Path | None:
        path = self.home / "outlets.json"
        return path if path.exists() else None
