"""Step 6b, people: a person's name is never an organisation.

- An organisation whose name is the first or last name, or the full name, of a person of the same
  article ("Wang" beside "Wang Yi", "Trump" of "the Trump administration" beside "Donald Trump") is that
  person, unless a mention is followed by an organisation word ("Ford Motor"): its mentions become the
  person's.
- An organisation named like a person is one: two or three capitalised words, the first a given name
  (the shipped list), none an organisation head or a firm ending, and either a person's title before a
  mention ("Mr. Philip Bump") or no organisation word around it at all.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..contract import Mention
from ..model import Entity
from ..names import name_key
from .lexicon import ORG_HEADS, PERSON_TITLES
from .name_match import FIRM_ENDINGS


def fold_people_taken_for_organisations(doc: Doc, entities: list[Entity], mentions: list[Mention], *,
                                        given_names: frozenset[str], decided=frozenset()
                                        ) -> tuple[list[Entity], list[Mention]]:
    people = [e for e in entities if e.label == "PERSON"]
    by_key: dict[str, Entity] = {}
    for person in people:
        words = person.key.split()
        if len(words) >= 2:  # the surname, first ("Wang Yi") or last ("Donald Trump")
            by_key.setdefault(person.key, person)
            by_key.setdefault(words[-1], person)
            by_key.setdefault(words[0], person)
    folded: dict[int, Entity] = {}
    for entity in entities:
        if entity.label != "ORG" or entity.kind or name_key(entity.name) in decided:
            continue
        person = by_key.get(name_key(entity.name, person=True))
        if person is not None and not organisation_cue(doc, entity, mentions):
            folded[id(entity)] = person
            person.mentions += entity.mentions
        elif named_like_a_person(doc, entity, mentions, given_names):
            entity.label = "PERSON"
            entity.key = name_key(entity.name, person=True)
    if not folded:
        return entities, mentions
    return ([e for e in entities if id(e) not in folded],
            [Mention(m.start, m.end, folded.get(id(m.entity), m.entity)) for m in mentions])


def named_like_a_person(doc: Doc, entity: Entity, mentions: list[Mention], given_names: frozenset[str]) -> bool:
    words = entity.name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w[1:2].islower() for w in words):
        return False
    low = [w.lower().strip(".,") for w in words]
    if low[0] not in given_names or any(w in ORG_HEADS or w in FIRM_ENDINGS for w in low):
        return False
    own = [m for m in mentions if m.entity is entity]
    titled = any(m.start > 0 and doc[m.start - 1].lower_.strip(".") in PERSON_TITLES for m in own)
    return titled or not organisation_cue(doc, entity, mentions)


def organisation_cue(doc: Doc, entity: Entity, mentions: list[Mention]) -> bool:
    """A mention followed by an organisation word or a firm ending ("Ford Motor", "Wang Laboratories")."""
    return any(m.end < len(doc) and (doc[m.end].lower_ in ORG_HEADS or doc[m.end].lower_.strip(".") in FIRM_ENDINGS)
               for m in mentions if m.entity is entity)
