"""Word lists and limits shared by the passes, and the cue words of ``data/quote_cues.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).parent.parent / "data" / "quote_cues.json"

MAX_QUOTE_CHARS = 3000  # a direct quote longer than this is a stray mark, not a quote
MAX_QUOTE_PARAGRAPHS = 6  # a quote continues over at most this many paragraphs
MAX_INDIRECT_TOKENS = 120
SENTENCE_LIKE_WORDS = 6  # unattributed quotes shorter than this are scare quotes / titles
# "stance" verbs (praised X, backed X) report evaluations: PolNeAR counts them as attributions
CUE_CLASSES = {"speech", "belief", "naming", "stance"}
OBJECT_CLASSES = {"speech", "stance", "naming"}  # classes whose object can be the content
MIN_OBJECT_TOKENS = 2

ORG_NOUNS = {
    "company", "firm", "group", "bank", "department", "ministry", "agency", "party", "campaign", "government",
    "administration", "organization", "organisation", "committee", "council", "union", "board", "court",
    "commission", "office", "corporation", "club", "team", "league", "association", "institute", "university",
}
# of these, the nouns that stand for any organisation ("the company": Apple); the others name a kind of
# body its name carries ("the ministry": the Defence Ministry, never a militant group)
GENERIC_ORG_NOUNS = {
    "company", "firm", "group", "organization", "organisation", "corporation", "campaign", "administration",
    "club", "team", "league",
}
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it"}
PRONOUNS_FIRST = {"i", "we", "you", "me", "us"}
RELATIVE = {"who", "which", "that", "whom"}
THAT_WORDS = frozenset({"that", "whether", "if"})  # what opens a reported clause ("said that ...")
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
SAY_LIKE = {
    "colon",
    "say", "tell", "add", "write", "ask", "reply", "respond", "answer", "tweet", "post", "declare", "state",
    "announce", "explain", "insist", "argue", "warn", "boast", "brag", "claim", "note", "continue", "conclude",
    "recall", "joke", "quip", "exclaim", "shout", "yell", "read", "retort", "counter", "muse", "scoff", "remark",
    "observe", "testify", "acknowledge", "admit", "concede", "comment", "quote", "cite", "report", "complain",
    "lament", "stress", "emphasize", "underscore", "caution", "assert",
    "contend", "maintain", "reiterate", "repeat", "charge", "proclaim", "recount", "mention",
}
CLIMB_DEPS = {"xcomp", "advcl", "conj", "pcomp", "acl"}


SEX_FILE = Path(__file__).resolve().parent.parent / "data" / "given_name_genders.json"
PRONOUN_SEX = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
HONORIFIC_SEX = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


@lru_cache(maxsize=1)
def given_name_sexes() -> dict[str, str]:
    """Given name -> "m" / "f" where the census lists give it one sex (``bench/build_name_genders.py``)."""
    if not SEX_FILE.is_file():
        return {}
    return json.loads(SEX_FILE.read_text(encoding="utf-8"))["names"]


@lru_cache(maxsize=1)
def cue_lexicon() -> dict:
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    speech = {form: base for base, forms in data["speech"].items() for form in forms}
    belief = {form: base for base, forms in data["belief"].items() for form in forms}
    naming = {form: base for base, forms in data["naming"].items() for form in forms}
    stance = {form: base for base, forms in data.get("stance", {}).items() for form in forms}
    return {
        "stance": stance,
        "speech": speech,
        "belief": belief,
        "naming": naming,
        "outlet_heads": set(data["outlet_heads"]),
        "role_nouns": set(data["role_nouns"]),
        "group_nouns": set(data["group_nouns"]),
        "document_nouns": set(data.get("document_nouns", ())),
    }



# titles before a name (``TITLE_WORDS``) and their abbreviations (``TITLE_SYNONYMS``)
TITLE_SYNONYMS = {"sen": "senator", "gov": "governor", "rep": "representative", "pres": "president", "gen": "general", "secy": "secretary", "sec": "secretary"}
TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sen", "gov", "rep", "president", "the", "supreme", "leader", "ayatollah", "sheikh", "deputy", "chief"}
