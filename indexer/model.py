"""The data that flows through PressWatch: source file -> Article -> (Entity, Quote) -> document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

EntityLabel = Literal["PERSON", "ORG", "LOC"]
SpeakerType = Literal["person", "organization", "outlet", "country", "place", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
FACET_FIELDS: dict[str, str] = {"PERSON": "persons", "ORG": "organizations", "LOC": "locations"}  # label -> field
# Entity kinds kept on the document but out of the facets: a source such as "Iranian state media", and
# laws, buildings, events taken for a person or an organisation ("Obamacare", "Capitol Hill").
MISC_KIND = "misc"
AMBIGUOUS_KIND = "ambiguous"  # a short name the corpus uses for several entities ("Foreign Ministry")
NOT_IN_FACETS = frozenset({"generic_outlet", MISC_KIND, AMBIGUOUS_KIND})


@dataclass(frozen=True)
class Source:
    """Where an article came from."""

    path: str
    format: str  # txt | md | html | json | jsonl
    sha256: str  # of the whole file
    bytes: int
    line: int | None = None  # 1-based record number inside a json list / jsonl file


@dataclass
class Article:
    """One article as read from a source, before any NLP."""

    title: str
    body: str
    source: Source
    id: str | None = None  # the input's own id, when it has one
    url: str | None = None
    outlet: str | None = None  # publishing outlet as given (field, site name); normalised later
    published_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    warnings: list[str] = field(default_factory=list)  # what was read but could not be used
    furniture_words: int = 0  # words of page furniture taken out of `body` (indexer.boilerplate)


@dataclass
class Entity:
    """One distinct entity of an article, after canonicalisation."""

    name: str  # canonical display name: the facet value
    label: EntityLabel
    mentions: int
    aliases: list[str] = field(default_factory=list)  # surface forms other than `name`
    key: str = ""  # normalised cross-article key ("saleh arouri")
    kind: str | None = None  # "outlet" for news organisations
    role: str | None = None  # title or honorific seen with the name ("Supreme Leader")

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


@dataclass
class Quote:
    """A statement attributed (or not) to a speaker."""

    text: str
    speaker: str | None
    speaker_mention: str | None
    speaker_type: SpeakerType
    cue: str | None
    kind: QuoteKind
    start: int  # character offsets of `text` in the field named by `field`
    end: int
    field: Literal["body", "title"] = "body"
    confidence: float = 1.0  # the linker's: P(the attribution is one) x P(its speaker), 1 from the rules

    def to_dict(self) -> dict:
        return asdict(self)
