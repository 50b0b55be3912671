"""Label fixes from context: sports clubs, places tagged as organisations, lone one-word "persons"."""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc

from .candidate import Cand, Group
from .lexicon import ORG_HEADS, SPORT_SLUGS, SPORTS_CUES_AFTER, SPORTS_CUES_BEFORE, SPORTS_WORDS
from .name_match import FIRM_ENDINGS, acronym_of
from .tokens import is_title_word, positions


# A score after a team: "Everton 2", "Leicestershire 296", "Kent 108-3" (runs for wickets).
_SCORE = re.compile(r"^\d{1,3}(?:-\d)?$")
LOCATIVE_BEFORE = frozenset("in near outside inside across throughout around".split())


def places_named_as_orgs(doc: Doc, cands: list[Cand], labelled: dict[str, str]) -> None:
    """'in Crimea', 'near Anaheim', 'Mount Pleasant': an NER "organisation" without any organisation word
    that stands right after a locative preposition (or starts with "Mount") is a place."""
    by_key: dict[str, list[Cand]] = defaultdict(list)
    for c in cands:
        if c.label == "ORG" and c.source == "ner" and c.kind is None:
            by_key[c.key].append(c)
    for key, cs in by_key.items():
        if key in labelled:
            continue
        c0 = cs[0]
        words = c0.text.split()
        if len(words) > 3 or c0.text.isupper() or acronym_of(c0.text) or any(w.lower() in ORG_HEADS or w.lower() in FIRM_ENDINGS for w in words):
            continue
        if words[0].lower() in ("mount", "mt", "lake", "port", "fort") and len(words) > 1 or any(
            c.start > 0 and doc[c.start - 1].lower_ in LOCATIVE_BEFORE for c in cs
        ):
            for c in cs:
                c.label = "LOC"


def sports_clubs(doc: Doc, cands: list[Cand]) -> None:
    """In a sports report, one-word "persons" that are clubs: "Gloucester" (also tagged ORG), "the Ospreys",
    "beat Chelsea", "Everton 2": never part of a person's full name in the article."""
    in_names = {t for c in cands if c.label == "PERSON" and len(c.ktoks) > 1 for t in c.ktoks}
    by_key: dict[str, list[Cand]] = defaultdict(list)
    for c in cands:
        if len(c.ktoks) == 1 and c.source in ("ner", "known", "results") and c.ktoks[0] not in in_names:
            by_key[c.key].append(c)
    n = len(doc)
    for key, cs in by_key.items():
        if not any(c.label == "PERSON" for c in cs):
            continue
        club = False
        for c in cs:
            prev = doc[c.start - 1] if c.start > 0 else None
            nxt = doc[c.end] if c.end < n else None
            if (
                c.label == "ORG"
                or doc[c.end - 1].tag_ == "NNPS"  # "the Ospreys"
                or (prev is not None and (prev.lower_ in SPORTS_CUES_BEFORE or prev.lower_ == "the"))
                or (nxt is not None and _SCORE.match(nxt.text) is not None)
                or (nxt is not None and nxt.lower_ in SPORTS_CUES_AFTER)
                or (nxt is not None and nxt.tag_ == "POS" and c.end + 1 < n and doc[c.end + 1].lower_ in SPORTS_CUES_AFTER)
            ):
                club = True
                break
        if club:
            for c in cs:
                if c.label == "PERSON":
                    c.label = "ORG"


# Around a place name in a sports report, these make it a team: "Leicestershire beat Somerset",
# "drew with Falkirk", "Somerset 83 and 174", "Newcastle team mate".
_TEAM_CUES_BEFORE = frozenset("against beat beating beaten v vs vs. versus joined join joining sign signed".split())
_TEAM_CUES_AFTER = SPORTS_CUES_AFTER | frozenset("beat beats drew draw lost won skipper forward".split())
_TEAM_PAIRS_BEFORE = frozenset({("drew", "with"), ("draw", "with"), ("lost", "to"), ("loss", "to"), ("win", "over")})


def sports_teams(doc: Doc, cands: list[Cand]) -> None:
    """In a sports report, a place named as a side of a fixture is a team (an organisation); countries
    go back to places through the registry's labels (national teams are places)."""
    n = len(doc)
    teams = set()
    for c in cands:
        if c.label != "LOC" or c.source not in ("ner", "known"):
            continue
        prev = doc[c.start - 1].lower_ if c.start > 0 else ""
        prev2 = (doc[c.start - 2].lower_, prev) if c.start > 1 else ("", prev)
        nxt = doc[c.end] if c.end < n else None
        if (
            prev in _TEAM_CUES_BEFORE
            or prev2 in _TEAM_PAIRS_BEFORE
            or (nxt is not None and nxt.lower_ in _TEAM_CUES_AFTER)
            or (nxt is not None and _SCORE.match(nxt.text) is not None)
        ):
            teams.add(c.key)
    for c in cands:
        if c.label == "LOC" and c.key in teams:
            c.label = "ORG"


SPEECH_WORDS = frozenset("said says say told tells added adds explained according wrote writes asked asks".split())


def lone_single_name(doc: Doc, grp: Group) -> bool:
    """One word, mentioned once, with no title and no speech verb next to it: rarely a person in news
    ("Mini", "Wasp", "Kiev", a first name alone). Surnames with a title ("Mr Blair") and speakers stay."""
    if len(grp.cands) != 1:
        return False
    c = grp.cands[0]
    if len(c.ktoks) != 1 or c.role or c.titles or c.source not in ("ner", "known"):
        return False
    n = len(doc)
    near = [doc[k].lower_ for k in (c.start - 1, c.end, c.end + 1) if 0 <= k < n]
    if c.start > 0 and is_title_word(doc[c.start - 1]):
        return False
    return not SPEECH_WORDS.intersection(near)


def is_sports(doc: Doc) -> bool:
    """A sports report: a sports slug opening the headline ("SOCCER - ...") or several sports words
    ("match", "striker", "season", "tries"...)."""
    for k in range(min(3, len(doc) - 1)):
        if doc[k].lower_ in SPORT_SLUGS and doc[k + 1].text == "-":
            return True
    return len(positions(doc, SPORTS_WORDS)) >= 4
