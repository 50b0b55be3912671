"""Name normalisation helpers shared by entities, outlets and the registry.

Two functions matter:

- :func:`name_key` -- the cross-article key of a name: case, diacritics, hyphens, apostrophes,
  Arabic article particles ("al-", "el-", "ad-"...), honorifics and corporate suffixes are folded away,
  so "Saleh al-Arouri", "Saleh Al Arouri" and "SALEH AL-AROURI" share the key ``"saleh arouri"``.
- :func:`display_name` -- a deterministic display form for a surface name: whitespace, quotes and dashes
  normalised, ALL-CAPS words title-cased, Arabic particles inside a name written as ``al-`` and
  attached to the following word ("Saleh Al Arouri" -> "Saleh al-Arouri").

Nothing here needs spaCy: the registry uses these on already-indexed documents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Titles and honorifics, lower-cased. A name's leading run of these is its role, not its name.
HONORIFICS = frozenset(
    """
    mr mr. mrs mrs. ms ms. miss mx dr dr. prof prof. sir dame lord lady madam madame mme mlle monsieur
    herr frau sen sen. rep rep. gov gov. gen gen. col col. lt lt. capt capt. cpt sgt sgt. maj maj. adm adm.
    rev rev. fr fr. st. hon hon. messrs
    ayatollah grand sheikh shaikh sheik imam mullah hojatoleslam sayyid sayed seyed seyyed haji hajji
    rabbi cardinal pope bishop archbishop father sister brother pastor reverend
    king queen prince princess emir amir sultan crown duke duchess baron baroness count countess
    president vice premier chancellor minister secretary chairman chairwoman chairperson chair
    ceo cfo coo cto founder co-founder director governor senator congressman congresswoman representative
    ambassador envoy consul mayor judge justice attorney general lieutenant colonel major captain
    commander sergeant admiral marshal brigadier officer spokesman spokeswoman spokesperson
    leader chief deputy head supreme acting former late interim foreign prime defence defense interior
    finance economy trade health justice state political military executive senior top party
    mp mep speaker commissioner coach manager striker midfielder defender goalkeeper skipper captain
    professor doctor dr taoiseach tanaiste tánaiste
    """.split()
)

# Role words that start a title before a name ("Supreme Leader", "Deputy Chief", "Prime Minister").
# Kept separate from generic honorifics so that name stripping can be stricter than role detection.
ROLE_WORDS = HONORIFICS | frozenset(
    """
    bureau council committee board cabinet politburo wing office ministry
    transport finance interior trade health education energy agriculture economy labour labor treasury
    environment industry commerce culture information oil petroleum communications housing tourism
    sports home affairs development planning
    general-secretary secretary-general vice-president
    """.split()
)

# Arabic (and a few other) name particles folded out of keys; written as a prefix "al-" in names.
# Arabic article forms; written with a hyphen ("ad-Din", "ash-Sharif"). Only "al"/"el" also stand alone
# ("Saleh Al Arouri"): the others are English words ("at", "as", "an") when they do.
ARABIC_ARTICLES = frozenset("al el ad ed ar as ash at az an ud ul ut us".split())
STANDALONE_ARTICLES = frozenset({"al", "el"})
ARABIC_PARTICLES = STANDALONE_ARTICLES | frozenset("bin ibn bint ben".split())
# Particles that may sit inside a person name without being capitalised.
NAME_PARTICLES = ARABIC_PARTICLES | frozenset(
    "abu abd abdul de da di del della der den van von la le du dos das y".split()
)
_HYPHEN_ARTICLE = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(ARABIC_ARTICLES, key=len, reverse=True)) + r")-(?=\w)", re.I)

# heads after a name that its short form leaves out ("Labour" of "Labour Party", "Ford" of "Ford Motors")
SHORT_FORM_HEADS = frozenset(
    "party communications airlines airways motors petroleum electric telecom holdings industries systems"
    " technologies entertainment pharmaceuticals group corporation company".split()
)
CORPORATE_SUFFIXES = frozenset(
    "inc inc. corp corp. corporation co co. ltd ltd. plc llc lp sa s.a. ag nv n.v. gmbh bv spa s.p.a. pty".split()
)

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02bb\u0060\u00b4\u02bf\u02be"), "'")
_WS = re.compile(r"[\s\x00-\x1f\x7f]+")
_KEY_DROP = re.compile(r"[^\w\s]", re.UNICODE)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def clean_surface(text: str) -> str:
    """Whitespace collapsed, typographic dashes and apostrophes made ASCII, outer punctuation trimmed."""
    text = _WS.sub(" ", text.translate(_DASHES).translate(_APOSTROPHES)).strip()
    text = text.strip(" \"'“”‘’«»()[]{}<>*+,;:-")
    if text.endswith("'s") or text.endswith("'S"):
        text = text[:-2].rstrip()
    elif text.endswith("s'") and len(text) > 3:
        text = text[:-1]
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.strip()


def _split_particle(word: str) -> tuple[str, str] | None:
    """'al-Arouri' -> ('al', 'Arouri'); 'Al-Qassam' -> ('al', 'Qassam'); 'Alice' -> None."""
    head, sep, rest = word.partition("-")
    if sep and rest and head.lower() in ARABIC_ARTICLES:
        return head.lower(), rest
    return None


def key_tokens(name: str, *, person: bool = False) -> list[str]:
    """The normalised word list behind :func:`name_key`."""
    return list(_key_tokens(name, person))


@lru_cache(maxsize=1 << 16)  # names repeat within and across articles; this is hot in the entity component
def _key_tokens(name: str, person: bool) -> tuple[str, ...]:
    text = strip_diacritics(clean_surface(name)).lower()
    text = re.sub(r"'s\b", "", text).replace("'", "").replace(". ", " ").replace(".", "")
    text = _HYPHEN_ARTICLE.sub(" ", text)  # "al-Arouri", "ad-Din"
    words = [w for w in _KEY_DROP.sub(" ", text.replace("-", " ")).split() if w]
    out = []
    for w in words:
        if w in STANDALONE_ARTICLES and (out or len(words) > 1):
            # "al" inside a name, or a leading particle of a multi-word name ("Al Jazeera" keeps "jazeera")
            continue
        out.append(w)
    if person:
        while len(out) > 1 and out[0] in HONORIFICS:
            out.pop(0)
    while len(out) > 1 and out[-1] in CORPORATE_SUFFIXES:
        out.pop()
    return tuple(out)


def name_key(name: str, *, person: bool = False) -> str:
    """Cross-article key: 'Saleh al-Arouri' == 'Saleh Al Arouri' == 'SALEH AL-AROURI' -> 'saleh arouri'.

    With ``person=True`` leading honorifics are dropped too ("Dr Jane Smith" -> "jane smith").
    """
    return " ".join(key_tokens(name, person=person))


def is_shouting(text: str) -> bool:
    """True when the letters of ``text`` are (almost) all upper case: wire headlines, ALL-CAPS names."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) > 0.8


def _titlecase_word(word: str) -> str:
    if not word.isupper() or len(word) <= 1:
        return word
    # keep likely acronyms (no vowels, or with dots) as they are
    plain = word.replace(".", "").replace("-", "")
    if "." in word or not any(c in "AEIOUY" for c in plain) or len(plain) <= 3:
        return word
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def display_name(surface: str, *, person: bool = False) -> str:
    """A deterministic display form of a surface name (see module docs)."""
    text = clean_surface(surface)
    if not text:
        return text
    words = text.split(" ")
    if is_shouting(text) and (len(words) > 1 or len(text) > 5):
        words = [_titlecase_word(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        low = w.lower()
        if out and person:
            split = _split_particle(w)
            if split:
                particle, rest = split
                out.append(f"{particle}-{rest[:1].upper()}{rest[1:]}")
                i += 1
                continue
            if low in STANDALONE_ARTICLES and i + 1 < len(words) and words[i + 1][:1].isupper():
                nxt = words[i + 1]
                out.append(f"{low}-{nxt}")
                i += 2
                continue
        out.append(w)
        i += 1
    return " ".join(out)


def initials(name: str) -> str:
    """'International Monetary Fund' -> 'IMF' (function words skipped)."""
    skip = {"of", "the", "for", "and", "&", "de", "du", "des", "la", "le", "on", "in"}
    return "".join(w[0] for w in strip_diacritics(name).replace("-", " ").split() if w.lower() not in skip and w[0].isalpha()).upper()
