"""Canonical entities: one name per person, organisation, place and outlet in each article.

The ``presswatch_entities`` component runs after spaCy's ``ner`` and works on its spans, the tagger's
POS tags and the token shapes only (no extra parse; every step is linear in the tokens or entities):

1. candidates: NER spans (PERSON, ORG, GPE/LOC -> LOC), repaired (hyphenated tails, leading "the",
   trailing "'s"); organisation names grown around head nouns ("... Brigades", "Council of ..."), so
   "Izz ad-Din al-Qassam Brigades" and "Strategic Council of Foreign Relations" come out whole;
   outlets from the catalogue (``indexer/data/outlets.json``), "<Name> news agency / newspaper / daily"
   and generic "<Nationality> state media" phrases; teams from results lines ("Arsenal 2 West Ham 0") and,
   in a sports report (a wire slug "SOCCER - ..." or several sports words), from standings rows
   ("Greenock Morton 3 2 0 1 5 2 6", "BALTIMORE 70 63 .526 4") and fixtures ("Birmingham v Barnsley").
2. titles: a person's leading honorifics and the title run before the name ("Supreme Leader
   Ayatollah Ali Khamenei") become ``role``; a bare title ("the Ayatollah") refers back to the person
   who carries it; entities made only of title words ("Supreme", "Political Bureau" before "Leader X")
   are dropped.
3. trust: a Title Case or ALL-CAPS headline and ALL-CAPS lines are not trusted: their spans are kept
   only where they match an entity of trusted text (or an outlet); otherwise the known names inside
   them are picked out ("Khamenei Hosts Hamas Delegation" -> Khamenei, Hamas).
4. noise: single characters, numbers, pronouns, generic words, title words are dropped; so are titles of
   works, products, awards and events (spaCy WORK_OF_ART/PRODUCT/EVENT names, "the film X", quoted titles
   and names listed with them, "X star", "Boeing 777"), credit lines ("Source:", "@handle") and a wire
   headline's company with a corporate suffix is kept ("STANHOME INC ..." -> "Stanhome Inc").
5. merging: surname and first-name mentions attach to the fullest name that contains them; the same
   key with different labels is voted; acronyms (also "TfL"), short forms ("Labour" of "Labour party",
   "Lib Dems" of "Liberal Democrats") attach to the organisation; a firm is not merged into its unit.
   In a sports report, one-word "persons" that act as clubs are organisations, and so are places named as a
   side of a fixture ("Leicestershire beat Somerset", "Somerset 83"; countries stay places through the
   registry, as national teams); club suffixes ("RFC")
   make organisations; a one-word name mentioned once with no title and no speech verb is dropped.
   In-text outlets keep the name the article uses unless it is the catalogue name ("BBC One" stays).
6. the registry (aliases, drops, label fixes; shipped: parties as ORG, countries as LOC) is applied.
6b. people (``people``): an organisation named by a person's surname or full name in the article is that
   person ("Wang" beside "Wang Yi"); one named like a person (a given name first, no organisation word,
   a title before it) is one.
7. misc (``misc``): laws, programmes, buildings, events and sections (``indexer/data/misc_names.yaml``)
   get kind ``misc``: on the document, out of the facets and the quote speakers.
8. judge (``judge``): a classifier trained on hand-labelled articles keeps each person and organisation,
   relabels it, or drops it (an event, a law, a building, a common word), from what the Doc shows of it.

The steps are plain functions (``component.annotate`` runs them in order); those that consult the
configuration take the pipeline's ``EntityContext`` (``context``: the registry, the outlet catalogue and
the lookups made from them) as their first argument.

Modules (in pipeline order): ``component`` (the component, its factory and ``install``), ``trust``
(1/3), ``candidates`` and ``spans`` (1), ``text_outlets`` (1, outlets), ``titles`` (2), ``noise`` and
``works`` (4), ``merge``, ``name_match`` and ``relabel`` (5); ``candidate``, ``tokens`` and ``lexicon``
hold the candidate types, token tests and word lists they share.
"""

from __future__ import annotations

from .component import EntityComponent, install, make_entities
from .candidate import Cand, Group
from .lexicon import (
    AWARD_TAILS,
    AWARD_WORDS,
    CLUB_ALWAYS,
    CLUB_SUFFIXES,
    DEMONYMS,
    EVENT_HEADS,
    GENERIC,
    NAME_CONNECTORS,
    NER_LABELS,
    ORG_FIRST_WORDS,
    ORG_HEADS,
    ORG_NOUNS_BEFORE,
    OUTLET_HEADS,
    PERSON_TITLES,
    PLACE_HEADS,
    PRIORITY,
    PRONOUNS,
    RELIGIONS,
    SPORTS_CUES_AFTER,
    SPORTS_CUES_BEFORE,
    SPORTS_WORDS,
    STATE_MEDIA,
    TABLE_WORDS,
    WORK_NOUNS,
    WORK_NOUNS_AFTER,
    WORK_ROLES,
)
from .name_match import FIRM_ENDINGS, SHORT_FORM_HEADS
from .relabel import LOCATIVE_BEFORE, SPEECH_WORDS

__all__ = [
    "AWARD_TAILS",
    "AWARD_WORDS",
    "CLUB_ALWAYS",
    "CLUB_SUFFIXES",
    "DEMONYMS",
    "EVENT_HEADS",
    "FIRM_ENDINGS",
    "GENERIC",
    "LOCATIVE_BEFORE",
    "NAME_CONNECTORS",
    "NER_LABELS",
    "ORG_FIRST_WORDS",
    "ORG_HEADS",
    "ORG_NOUNS_BEFORE",
    "OUTLET_HEADS",
    "PERSON_TITLES",
    "PLACE_HEADS",
    "PRIORITY",
    "PRONOUNS",
    "RELIGIONS",
    "SHORT_FORM_HEADS",
    "SPEECH_WORDS",
    "SPORTS_CUES_AFTER",
    "SPORTS_CUES_BEFORE",
    "SPORTS_WORDS",
    "STATE_MEDIA",
    "TABLE_WORDS",
    "WORK_NOUNS",
    "WORK_NOUNS_AFTER",
    "WORK_ROLES",
    "Cand",
    "EntityComponent",
    "Group",
    "install",
    "make_entities",
]
