"""Canonical entities (placeholder: raw spaCy entities; issue 4 replaces this)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .model import Entity
from .nlp import Mention

LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


@Language.factory("presswatch_entities")
def make_entities(nlp: Language, name: str) -> "EntityComponent":
    return EntityComponent()


class EntityComponent:
    def __call__(self, doc: Doc) -> Doc:
        by_name: dict[tuple[str, str], Entity] = {}
        mentions = []
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            if not label:
                continue
            entity = by_name.setdefault((ent.text, label), Entity(name=ent.text, label=label, mentions=0, key=ent.text.lower()))
            entity.mentions += 1
            mentions.append(Mention(ent.start, ent.end, entity))
        doc._.entities = list(by_name.values())
        doc._.mentions = mentions
        return doc


def install(nlp: Language, *, registry_path: str | None = None) -> None:
    nlp.add_pipe("presswatch_entities", last=True)
