"""Mention candidates (``Cand``) and their groups (``Group``), and a candidate's name key."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..names import key_tokens


@dataclass
class Cand:
    """A mention candidate: a token span with a label, before canonicalisation."""

    start: int
    end: int
    label: str  # PERSON | ORG | LOC
    source: str  # ner | orghead | outlet | generic_outlet | rolref | known
    text: str = ""
    kind: str | None = None
    outlet: str | None = None  # canonical outlet name
    role: str | None = None
    trusted: bool = True
    key: str = ""
    ktoks: tuple[str, ...] = ()
    group: int = -1
    titles: tuple[str, ...] = ()  # every title word seen with the name (lower case)
    table: bool = False  # untrusted only because it sits in a table line
    surface: str = ""  # the NER span text before titles were taken off ("Ayatollah Ali Khamenei")


@dataclass
class Group:
    label: str
    cands: list[Cand] = field(default_factory=list)
    kind: str | None = None
    outlet: str | None = None


def set_key(c: Cand) -> None:
    person = c.label == "PERSON"
    toks = key_tokens(c.text or c.outlet or "", person=person)
    c.ktoks = tuple(toks)
    c.key = " ".join(toks)
