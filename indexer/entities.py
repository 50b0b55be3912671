"""Canonical entities: one name per person, organisation, place and outlet in each article.

The ``presswatch_entities`` component runs after spaCy's ``ner`` and works on its spans, the tagger's
POS tags and the token shapes only (no extra parse; every step is linear in the tokens or entities):

1. candidates: NER spans (PERSON, ORG, GPE/LOC -> LOC), repaired (hyphenated tails, leading "the",
   trailing "'s"); organisation names grown around head nouns ("... Brigades", "Council of ..."), so
   "Izz ad-Din al-Qassam Brigades" and "Strategic Council of Foreign Relations" come out whole;
   outlets from the catalogue (``indexer/data/outlets.json``), "<Name> news agency / newspaper / daily"
   and generic "<Nationality> state media" phrases.
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
   In a sports report, one-word "persons" that act as clubs are organisations; club suffixes ("RFC")
   make organisations; a one-word name mentioned once with no title and no speech verb is dropped.
   In-text outlets keep the name the article uses unless it is the catalogue name ("BBC One" stays).
6. the registry (aliases, drops, label fixes; shipped: parties as ORG, countries as LOC) is applied last.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .model import Entity
from .names import (
    HONORIFICS,
    ARABIC_ARTICLES,
    NAME_PARTICLES,
    ROLE_WORDS,
    CORPORATE_SUFFIXES,
    clean_surface,
    display_name,
    initials,
    is_shouting,
    key_tokens,
    name_key,
)
from .nlp import Mention
from .outlets import OutletCatalog, default_catalog
from .registry import Registry

NER_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}

# Head nouns that end an organisation name ("Qassam Brigades", "Security Council").
ORG_HEADS = frozenset(
    """
    brigades brigade army party front movement council committee commission agency ministry department
    bank corporation corp company co inc ltd plc group association union federation organization
    organisation institute university college court parliament assembly authority board bureau
    service services forces guard guards corps office foundation fund trust league alliance coalition
    society club centre center network police administration senate congress cabinet navy airlines
    airways exchange holdings industries systems technologies laboratories labs hospital school church
    tribunal secretariat reserve division regiment battalion brotherhood academy institution council
    organisations organizations partners capital securities bancorp bancshares petroleum motors
    mining refining savings steel chemical chemicals electric pharmaceuticals foods insurance financial
    communications entertainment telecom resources enterprises investments properties
    """.split()
)
# Titles that only people carry (not "state", "party", "foreign", ... which also modify organisations).
PERSON_TITLES = frozenset(
    """
    mr mrs ms dr prof sir dame lord lady ayatollah sheikh imam rabbi cardinal pope bishop king queen prince
    princess emir sultan president premier chancellor minister secretary chairman chairwoman ceo founder
    director governor senator congressman congresswoman ambassador envoy mayor judge spokesman spokeswoman
    spokesperson leader coach striker midfielder defender goalkeeper skipper captain manager commander
    general colonel lieutenant sergeant admiral professor economist analyst lawyer attorney actor actress
    singer writer author novelist journalist correspondent reporter editor player batsman bowler forward
    writers reporters correspondents journalists expert experts researcher scientist historian activist
    lawmaker legislator official officials analysts economists producer director star comedian presenter
    host anchor cinematographer photographer designer architect entrepreneur investor student teacher
    """.split()
)
PLACE_HEADS = frozenset(
    "county city province state island islands street avenue road square airport river mountains valley"
    " region district village town strait gulf bay peninsula desert".split()
)
# Lower-case words allowed inside a proper name ("Council of Foreign Relations", "Bank for ...").
NAME_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "the", "de", "du", "des", "la", "le"})

# Outlet nouns after a proper name: "Tasnim news agency", "the Kommersant daily".
OUTLET_HEADS: list[tuple[str, ...]] = [
    ("news", "agency"),
    ("press", "agency"),
    ("news", "service"),
    ("wire", "service"),
    ("news", "website"),
    ("news", "site"),
    ("news", "channel"),
    ("news", "network"),
    ("newspaper",),
    ("daily",),
    ("weekly",),
    ("tabloid",),
    ("broadcaster",),
    ("magazine",),
    ("television",),
    ("tv",),
    ("radio",),
    ("agency",),
]
_OUTLET_HEAD_FIRST = frozenset(h[0] for h in OUTLET_HEADS)
STATE_MEDIA = [
    ("state", "media"),
    ("state", "television"),
    ("state", "tv"),
    ("state", "radio"),
    ("state", "news", "agency"),
    ("state", "broadcaster"),
    ("state", "-", "run", "media"),
    ("state", "-", "run", "television"),
    ("state", "-", "run", "news", "agency"),
    ("state", "-", "run", "tv"),
    ("official", "news", "agency"),
    ("state", "-", "owned", "media"),
]

PRONOUNS = frozenset(
    """
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those who whom whose which what someone anyone everyone somebody nobody one
    """.split()
)
GENERIC = frozenset(
    """
    government company group police army state city country nation people president minister
    ministry party court agency council committee board bank university media news
    republic kingdom union federation administration officials official spokesman spokeswoman
    islam christianity judaism hinduism buddhism catholicism sikhism islamism zionism communism
    twitter-sphere internet web online covid covid-19 coronavirus
    gmt bst utc est edt pst cet
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today tomorrow yesterday
    north south east west mps meps msps ams
    """.split()
)
RELIGIONS = frozenset({"islam", "christianity", "judaism", "hinduism", "buddhism", "catholicism", "sikhism", "allah", "god"})

# Sports clubs: a name ending in one of these is a club, not a person ("Neath RFC", "Leicester City").
CLUB_SUFFIXES = frozenset("fc rfc afc cf sc rc united city rovers athletic wanderers albion town hotspur rangers".split())
CLUB_ALWAYS = frozenset("fc rfc afc cf sc".split())  # the others only in a sports article
# Words that make an article a sports report (counted once per token; a few are enough).
SPORTS_WORDS = frozenset(
    """
    match matches goal goals striker midfielder defender goalkeeper coach league cup season club clubs team
    squad victory defeat draw drew scored score scoring fixture championship premiership rugby football
    soccer cricket tennis player players semi-final quarter-final champions tournament hooker fly-half
    prop flanker winger try tries penalty referee stadium kick-off half-time halftime
    """.split()
)
# Before a name, these make it the other side of a fixture ("beat Chelsea", "against Everton").
SPORTS_CUES_BEFORE = frozenset(
    "against beat beating beaten v vs vs. versus over host hosts hosting visit visiting at to from for join joined joining"
    " sign signed signing".split()
)
# After a name: "Charlton boss", "Everton's striker", "Chelsea fans".
SPORTS_CUES_AFTER = frozenset(
    "boss manager striker midfielder defender keeper goalkeeper fans supporters chairman coach captain player players"
    " team side squad defence defense attack midfield board".split()
)
# Nouns that introduce the title of a work ("the film Finding Neverland", "an album called X").
WORK_NOUNS = frozenset(
    """
    film films movie movies album albums show shows novel novels play plays single singles series musical
    song songs book books documentary sitcom comedy drama programme program opera biopic soap game games
    track tracks thriller blockbuster hit sequel remake episode painting poem memoir
    """.split()
)
# After a name: "the Breakfast with Frost programme", "the Little Britain show".
WORK_NOUNS_AFTER = frozenset("programme program show series film movie album novel musical sitcom documentary soap".split())
# After a work's title: "Little Britain stars", "Phoenix Nights creator".
WORK_ROLES = frozenset("star stars co-star creator creators presenter presenters actor actress cast".split())
_WORK_LINKS = frozenset({"called", "titled", "entitled", "named", "dubbed"})
# Awards and prizes are not organisations or people ("Oscar", "Golden Globe", "Bafta awards").
AWARD_WORDS = frozenset("oscar oscars academy-award grammy grammys emmy emmys bafta baftas golden globe globes brit brits booker pulitzer tony tonys".split())
AWARD_TAILS = frozenset("award awards prize prizes nomination nominations gong statuette ceremony".split())
# Heads that end the name of an event or competition, not an organisation.
EVENT_HEADS = frozenset("awards festival championship championships cup trophy olympics tournament prix marathon games".split())
_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’", "«", "»"})

_DIGITS = re.compile(r"\d")
_CREDIT_WORDS = frozenset({"copyright", "©", "source", "sources", "photo", "credit", "credits"})
_CREDIT_GLUED = re.compile(r"(?i)^(?:source|sources|photo|credit|credits):")
_CREDIT_PREFIX = re.compile(r"@\w+|\b(?:source|sources|photo|credit|credits|copyright)\b\s*:?|©", re.I)
# First words of organisation names that are never a person's first name.
ORG_FIRST_WORDS = frozenset("bank banque banco banca university universidad universite ministry department club".split())
# Nationality nouns before a name: "Scot Nick Smith", "Swede Daniel Persson".
DEMONYMS = frozenset(
    """
    scot briton welshman welshwoman englishman englishwoman irishman irishwoman frenchman frenchwoman
    dutchman dutchwoman swede spaniard american russian italian german kenyan ethiopian australian aussie
    kiwi canadian jamaican brazilian argentine argentinian nigerian ukrainian belgian portuguese
    """.split()
)
# Nouns before a name that make it an organisation: "production company Tiger Aspect", "the firm Hypertag".
ORG_NOUNS_BEFORE = frozenset(
    """
    company companies firm label studio studios brand outfit retailer carrier airline maker manufacturer
    developer publisher charity startup start-up subsidiary insurer lender broker chain supermarket
    conglomerate club clubs broadcaster
    """.split()
)
_NUMBER = re.compile(r"\d")
_GLUED_PARTICLES = NAME_PARTICLES | ARABIC_ARTICLES  # "ad" in "Izz ad-Din"
_BAD_CHARS = frozenset('"?,;()[]{}“”«»|=*#~^<>')
_MIXED_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,6}$")
_NAME_CAPS = re.compile(r"^(?:Mc|Mac|O'|D'|De|Di|Da|Du|La|Le|Van|Von)[A-Z]|^[A-Z][^A-Z]*$")
_CHANNEL_NUMBERS = frozenset({"One", "Two", "Three", "Four", "Five"})
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)
_MODEL_NUMBER = re.compile(r"^(?=.*\d)(?![12]\d{3}$)[A-Z]{0,3}\d[\w-]*$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_COLUMNS = re.compile(r"\S {3,}(?=\S)")
TABLE_WORDS = frozenset(
    "mln bln dlrs dlr cts pct vs shr shrs revs avg qtr mths nil tonnes n.a. pence prev total"
    " jan feb mar apr may jun jul aug sep sept oct nov dec".split()
)
_TICKER = re.compile(r"^<[^>]*>$")
PRIORITY = {"ner": 0, "orghead": 1, "results": 1, "outlet": 2, "generic_outlet": 2}
# "Arsenal 2 West Ham 0", "Chelsea 1 Southampton 0 (halftime 1-0)": a results line names two teams
_RESULT_LINE = re.compile(
    r"^[ \t]*(?P<a>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3})[ \t]+\d{1,3}[ \t]+"
    r"(?P<b>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3})[ \t]+\d{1,3}\b[^\n]{0,40}$",
    re.M,
)


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


@Language.factory(
    "presswatch_entities",
    default_config={"registry_path": None, "outlets_path": None},
)
def make_entities(nlp: Language, name: str, registry_path: str | None, outlets_path: str | None) -> "EntityComponent":
    catalog = OutletCatalog.load(outlets_path)
    return EntityComponent(nlp, registry=Registry.load(registry_path), catalog=catalog)


class EntityComponent:
    def __init__(self, nlp: Language, *, registry: Registry | None = None, catalog: OutletCatalog | None = None):
        self.registry = registry if registry is not None else Registry.load()
        self.catalog = catalog if catalog is not None else default_catalog()
        self.outlet_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._outlet_by_surface: dict[str, str] = {}
        patterns = []
        for surface, outlet in self.catalog.text_names().items():
            self._outlet_by_surface[surface] = outlet.name
            patterns.append(nlp.make_doc(surface))
        self.outlet_matcher.add("OUTLET", patterns)
        # registry names (canonical and aliases) that may be looked up in untrusted text
        self._registry_names = {k: r.canonical for k, r in self.registry.merges.items()}

    # ------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc._.entities, doc._.mentions = [], []
            return doc
        text = doc.text  # Doc.text joins every token: compute once
        starts = [t.idx for t in doc]
        untrusted = self._untrusted_mask(doc, text, starts)
        cands = self._candidates(doc, text)
        cands = self._resolve_overlaps(cands)
        roles_consumed: set[int] = set()
        cands = self._titles(doc, cands, roles_consumed)
        cands = [c for c in cands if id(c) not in roles_consumed]
        for c in cands:
            span_mask = untrusted[c.start : c.end]
            c.trusted = c.source == "results" or not any(span_mask)
            c.table = not c.trusted and all(m != 1 for m in span_mask)
        sports = _is_sports(doc)
        cands = self._filter_noise(doc, cands, text, sports)
        cands = self._trust(doc, cands, untrusted)
        entities, mentions = self._merge(doc, cands, sports)
        doc._.entities = entities
        doc._.mentions = mentions
        return doc

    # -- 0. trust ---------------------------------------------------------------------------------
    def _untrusted_mask(self, doc: Doc, text: str, starts: list[int]) -> list[bool]:
        n = len(doc)
        mask = [False] * n
        body_start = doc._.body_start or 0
        # the headline, and a Title Case first line of the body (a repeated or untagged headline)
        if body_start > 0 and (_is_title_case(text[:body_start]) or is_shouting(text[:body_start])):
            for i in range(bisect_left(starts, body_start)):
                mask[i] = True
        nl = text.find("\n", body_start)
        if nl > body_start:
            first = text[body_start:nl].strip()
            blank_after = text[nl : nl + 3].replace("\r", "").startswith("\n\n") or text[nl:nl + 3].strip() == ""
            unterminated = body_start == 0 and first[-1:] not in ('.', '!', '?', '"', "'", "”", ":", ",")
            if first and len(first.split()) <= 20 and (blank_after or unterminated) and text[nl:].strip():
                if _is_title_case(first) or is_shouting(first):
                    for i in range(bisect_left(starts, body_start), bisect_left(starts, nl)):
                        mask[i] = True
        # ALL-CAPS lines and tables in the body
        table: list[tuple[int, int]] = []
        pos = body_start
        for line in text[body_start:].split("\n"):
            end = pos + len(line)
            if sum(c.isalpha() for c in line) >= 4 and is_shouting(line):
                a, b = bisect_left(starts, pos), bisect_left(starts, end)
                for i in range(a, b):
                    mask[i] = True
            elif _NUMBER.search(line) or _COLUMNS.search(line):
                # tables ("Shr 3.07 dlrs vs 2.95", "Avg shrs 12,345"): mostly numbers, or columns
                a, b = bisect_left(starts, pos), bisect_left(starts, end)
                words = [t for t in doc[a:b] if not t.is_space and not t.is_punct]
                nums = sum(1 for t in words if t.like_num or t.lower_ in TABLE_WORDS or any(ch.isdigit() for ch in t.text))
                prose = any(t.pos_ in ("VERB", "AUX", "DET", "CCONJ", "ADP", "PRON") and t.lower_ not in TABLE_WORDS for t in words)
                if (nums >= 2 and nums * 2 >= len(words) and not prose) or len(_COLUMNS.findall(line)) >= 2:
                    table.append((a, b))
            pos = end + 1
        # nothing but capitals (an all-caps article): trust it rather than lose it all
        if all(mask[i] or doc[i].is_space or doc[i].is_punct for i in range(n)):
            mask = [False] * n
        for a, b in table:
            for i in range(a, b):
                mask[i] = mask[i] or 2  # 2: a table line (1: headline / capitals)
        return mask

    # -- 1. candidates ----------------------------------------------------------------------------
    def _candidates(self, doc: Doc, text: str) -> list[Cand]:
        cands: list[Cand] = []
        labelled = self.registry.labels
        for ent in doc.ents:
            label = NER_LABELS.get(ent.label_)
            ent_start = ent.start
            if label is None:
                if ent.label_ != "NORP":
                    continue
                if labelled.get(name_key(ent.text)) == "ORG":
                    label = "ORG"  # "the Conservatives", "Lib Dems": parties tagged as nationalities
                elif ent.start > 0 and _is_cap(doc[ent.start - 1]) and labelled.get(name_key(doc[ent.start - 1 : ent.end].text)) == "ORG":
                    label, ent_start = "ORG", ent.start - 1  # "Liberal" + "Democrats"
                else:
                    continue
            for start, end in _split_span(doc, ent_start, ent.end):
                start, end = _repair_span(doc, start, end)
                part_label = label
                if part_label == "ORG" and start > 0 and _ORDINAL.match(doc[start - 1].text):
                    start -= 1  # "9th U.S. Circuit Court of Appeals"
                if part_label == "ORG" and end < len(doc) and doc[end].text in _CHANNEL_NUMBERS and end == start + 1:
                    end += 1  # "BBC Three" (the number word tagged CARDINAL)
                if end < len(doc) and doc[end].text == "party" and part_label in ("ORG", "PERSON") and end - start <= 3:
                    end, part_label = end + 1, "ORG"  # "the Labour party": the party is in the name
                elif (
                    part_label in ("ORG", "PERSON") and end + 1 < len(doc) and doc[end].text == ","
                    and doc[end + 1].lower_ in CORPORATE_SUFFIXES and doc[end + 1].text[:1].isupper()
                ):
                    end, part_label = end + 2, "ORG"  # "Iberica del Cobre, S.A."
                for a, b in _split_at_numbers(doc, start, end):
                    if part_label == "ORG":
                        for x, y in _split_coordination(doc, a, b):
                            cands.append(Cand(x, y, part_label, "ner"))
                    else:
                        cands.append(Cand(a, b, part_label, "ner"))
        cands = [c for c in cands if c.start < c.end]
        cands.extend(self._org_heads(doc))
        cands.extend(_results_lines(doc, text))
        cands.extend(self._outlets(doc))
        return cands

    def _org_heads(self, doc: Doc) -> list[Cand]:
        out = []
        n = len(doc)
        in_person = [False] * n
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                for k in range(ent.start, ent.end):
                    in_person[k] = True
        i = 0
        while i < n:
            tok = doc[i]
            if tok.lower_ in ORG_HEADS and _is_cap(tok):
                # extend left over capitalised words and name particles
                s = i
                while s > 0:
                    prev = doc[s - 1]
                    if in_person[s - 1]:
                        break
                    if _is_cap(prev) and not prev.is_sent_start and prev.lower_ not in ("the",):
                        s -= 1
                    elif prev.text == "-" and s - 2 >= 0 and not doc[s - 2].whitespace_ and not prev.whitespace_:
                        s -= 1
                    elif prev.lower_ in _GLUED_PARTICLES and s - 2 >= 0 and _is_cap(doc[s - 2]) and not prev.whitespace_:
                        s -= 1  # "ad" in "Izz ad-Din"
                    elif (
                        prev.lower_ in ("and", "&") and s - 2 >= 0 and _is_cap(doc[s - 2]) and not doc[s - 2].is_sent_start
                        and doc[s - 2].pos_ == "PROPN"
                        and not (doc[s - 2].ent_type_ in ("ORG", "GPE") and prev.ent_iob_ != "I")  # "IMF and World Bank"
                    ):
                        s -= 1  # "Securities and Exchange Commission"
                    elif _is_cap(prev) and prev.is_sent_start and prev.lower_ != "the" and prev.pos_ == "PROPN":
                        s -= 1
                        break
                    else:
                        break
                # particles / hyphens can't start the name
                while s < i and (doc[s].text == "-" or doc[s].lower_ in _GLUED_PARTICLES and not _is_cap(doc[s])):
                    s += 1
                # extend right: "of Foreign Relations", "for International Settlements"
                e = i + 1
                while e < n:
                    if doc[e].lower_ in ("of", "for") and e + 1 < n and _is_cap(doc[e + 1]) and not in_person[e + 1]:
                        j = e + 1
                        while j < n and not in_person[j] and (_is_cap(doc[j]) or (doc[j].lower_ in ("and", "&", "the") and j + 1 < n and _is_cap(doc[j + 1]))):
                            j += 1
                        e = j
                    elif _is_cap(doc[e]) and doc[e].lower_ in ORG_HEADS:
                        e += 1
                    else:
                        break
                if e - s >= 2 and s < i or e > i + 1:
                    out.append(Cand(s, e, "ORG", "orghead"))
                i = e
                continue
            i += 1
        return out

    def _outlets(self, doc: Doc) -> list[Cand]:
        out: list[Cand] = []
        n = len(doc)
        for _, s, e in self.outlet_matcher(doc):
            name = self._outlet_by_surface.get(doc[s:e].text)
            if name is None:
                continue
            e2 = _outlet_head_end(doc, e)
            if e2 is None and (
                (s > 0 and _is_cap(doc[s - 1]) and not doc[s].is_sent_start and doc[s - 1].lower_ != "the")
                or (e < len(doc) and _is_cap(doc[e]) and not doc[e].is_sent_start)
            ):
                continue  # part of a longer name: "Standard Oil", "American Express"
            out.append(Cand(s, e2 or e, "ORG", "outlet", kind="outlet", outlet=name))
        lowers = [t.lower_ for t in doc]
        # "<Proper> news agency / newspaper / daily"
        for i in range(n - 1):
            if lowers[i + 1] not in _OUTLET_HEAD_FIRST:
                continue
            tok = doc[i]
            if not _is_cap(tok) or tok.pos_ not in ("PROPN", "NOUN", "ADJ", "X"):
                continue
            if i + 1 < n and _is_cap(doc[i + 1]) and doc[i + 1].lower_ not in ("tv",):
                continue  # not the last word of the name
            e = _outlet_head_end(doc, i + 1)
            if e is None:
                continue
            s = i
            while s > 0 and (_is_cap(doc[s - 1]) or doc[s - 1].text == "-" and not doc[s - 1].whitespace_) and not doc[s - 1].is_sent_start:
                s -= 1
            if s > 0 and doc[s - 1].is_sent_start and _is_cap(doc[s - 1]) and doc[s - 1].lower_ != "the":
                s -= 1
            if doc[s].lower_ == "the":
                s += 1
            if s > i:
                continue
            if doc[s].ent_type_ in ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL") and i == s:
                # "Iranian television", "Sunday newspaper": generic
                if doc[s].ent_type_ == "NORP":
                    out.append(Cand(s, e, "ORG", "generic_outlet", kind="generic_outlet"))
                continue
            if all(t.lower_ in HONORIFICS or t.lower_ in GENERIC for t in doc[s : i + 1]):
                continue
            head = " ".join(t.lower_ for t in doc[i + 1 : e])
            if head in ("agency",) and doc[i].lower_ not in ("news", "press"):
                continue  # "Central Intelligence Agency" is an org, not an outlet
            name_part = doc[s : i + 1].text
            outlet = self.catalog.by_name(f"{name_part} {head}") or self.catalog.by_name(name_part)
            if outlet is not None:
                name = outlet.name
            elif head.endswith("agency"):
                name = display_name(f"{name_part} {' '.join(w.capitalize() for w in head.split())}")
            else:
                name = display_name(name_part)
            out.append(Cand(s, e, "ORG", "outlet", kind="outlet", outlet=name))
        # "Iranian state media", "state-run television"
        for i in range(n):
            if lowers[i] not in ("state", "official"):
                continue
            for pat in STATE_MEDIA:
                e = i + len(pat)
                if e <= n and tuple(t.lower_ for t in doc[i:e]) == pat:
                    s = i
                    if s > 0 and doc[s - 1].ent_type_ in ("NORP", "GPE"):
                        s -= 1
                    elif s > 1 and doc[s - 1].tag_ == "POS" and doc[s - 2].ent_type_ == "GPE":
                        s -= 2
                    out.append(Cand(s, e, "ORG", "generic_outlet", kind="generic_outlet"))
                    break
        return out

    def _resolve_overlaps(self, cands: list[Cand]) -> list[Cand]:
        ner_person = [c for c in cands if c.source == "ner" and c.label == "PERSON"]
        ner_spans = {(c.start, c.end) for c in cands if c.source == "ner"}
        keep: list[Cand] = []
        for c in cands:
            if c.source != "ner":
                # a longer NER person covering a catalogue word wins ("Michael Bloomberg")
                if any(p.start <= c.start and c.end <= p.end and (p.end - p.start) > (c.end - c.start) for p in ner_person):
                    continue
                if c.source == "orghead" and any(p.start < c.start < p.end or p.start < c.end < p.end for p in ner_person):
                    continue
                if c.source == "orghead" and (c.start, c.end) in ner_spans:
                    continue  # NER already has this span (and may know it is a place: "Soviet Union")
            keep.append(c)
        ner_orgs = [c for c in cands if c.source == "ner" and c.label == "ORG"]
        for c in keep:
            if c.source == "orghead":
                for o in ner_orgs:
                    if o.start < c.start < o.end or o.start < c.end < o.end:
                        c.start, c.end = min(c.start, o.start), max(c.end, o.end)
        keep.sort(key=lambda c: (-PRIORITY.get(c.source, 0), -(c.end - c.start), c.start))
        taken = [False] * (max((c.end for c in keep), default=0) + 1)
        chosen: list[Cand] = []
        for c in keep:
            if any(taken[c.start : c.end]):
                continue
            for i in range(c.start, c.end):
                taken[i] = True
            chosen.append(c)
        chosen.sort(key=lambda c: c.start)
        return chosen

    # -- 2. titles and roles ----------------------------------------------------------------------
    def _titles(self, doc: Doc, cands: list[Cand], consumed: set[int]) -> list[Cand]:
        by_token: dict[int, Cand] = {}
        for c in cands:
            for i in range(c.start, c.end):
                by_token[i] = c
        bare_titles: list[Cand] = []
        for c in cands:
            # "goalkeeper Salem Bitar" tagged ORG: a short name right after a personal title is a person
            if (
                c.label in ("ORG", "LOC")
                and c.source == "ner"
                and 2 <= c.end - c.start <= 3
                and c.start > 0
                and doc[c.start - 1].lower_.rstrip(".") in PERSON_TITLES
                and all(_is_cap(t) and t.lower_ not in ORG_HEADS and t.lower_ not in PLACE_HEADS for t in doc[c.start : c.end])
            ):
                c.label = "PERSON"
        for c in cands:
            if c.label != "PERSON":
                continue
            # leading honorifics inside the span
            s = c.start
            inside = []
            while s < c.end and _is_title_word(doc[s]):
                inside.append(doc[s].text)
                s += 1
            if s >= c.end:
                bare_titles.append(c)  # "Ayatollah" alone
                continue
            if inside:
                c.surface = doc[c.start : c.end].text
            first = c.start
            c.start = s
            # title run before the span: "Supreme Leader", "Hamas Deputy Chief", "political bureau leader"
            j = first - 1
            role_toks: list[str] = []
            while j >= 0:
                tok = doc[j]
                owner = by_token.get(j)
                if owner is not None and owner is not c:
                    if owner.label != "PERSON" and owner.source in ("ner", "orghead") and all(
                        _is_role_token(doc[k]) for k in range(owner.start, owner.end)
                    ):
                        role_toks[:0] = [t.text for t in doc[owner.start : owner.end]]
                        if not any(doc[k].lower_ in ORG_HEADS for k in range(owner.start, owner.end)):
                            consumed.add(id(owner))  # "Supreme", "Transport": title words, not a body
                        j = owner.start - 1  # "Foreign Ministry spokesman X": the ministry stays an org
                        continue
                    break
                if _is_role_token(tok) or (tok.lower_ in ("of", "for") and role_toks and j > 0 and _is_role_token(doc[j - 1])):
                    role_toks.insert(0, tok.text)
                    j -= 1
                    continue
                break
            while role_toks and role_toks[0].lower() in ("of", "for", "former", "the"):
                role_toks.pop(0)
            if role_toks and not any(w.lower() in HONORIFICS for w in role_toks):
                role_toks = []
            if role_toks and inside and role_toks[-1].lower() in ("grand", "deputy", "vice", "acting", "former", "late", "crown"):
                role_toks += inside  # "Grand" + "Ayatollah"
            c.role = " ".join(role_toks) or " ".join(inside) or None
            c.titles = tuple(w.lower().rstrip(".") for w in role_toks + inside)
        consumed.update(id(b) for b in bare_titles)
        return cands

    # -- 4. noise ---------------------------------------------------------------------------------
    def _filter_noise(self, doc: Doc, cands: list[Cand], text: str, sports: bool = False) -> list[Cand]:
        out = []
        # names spaCy tags as a work, product or event somewhere in the article ("Vera Drake", "iPod")
        labelled = self.registry.labels
        work_keys = {
            k for k in (name_key(e.text) for e in doc.ents if e.label_ in ("WORK_OF_ART", "PRODUCT", "EVENT"))
            if k not in labelled
        }
        works = [(e.start, e.end) for e in doc.ents if e.label_ == "WORK_OF_ART"]
        if sum(1 for t in doc if t.lower_ in WORK_NOUNS) >= 2:
            works += _quoted_titles(doc)  # an article about films, albums, shows...
        for c in cands:
            toks = [t for t in doc[c.start : c.end] if not _TICKER.match(t.text)]
            while toks and (toks[-1].is_punct and toks[-1].text not in (".",) or toks[-1].is_space):
                toks.pop()
            while toks and (
                toks[0].is_punct or toks[0].is_space or toks[0].lower_ == "the"
                or toks[0].text.startswith("@") or toks[0].lower_ in _CREDIT_WORDS
                or (len(toks) > 1 and _DIGITS.search(toks[0].text) and not toks[0].is_alpha and c.label != "PERSON"
                    and not _ORDINAL.match(toks[0].text))
            ):
                toks.pop(0)  # "@ChrisSheridan34 Source:-Al Jazeera News", "Copyright @2015 RollingStory Inc."
            while len(toks) > 1 and (toks[0].pos_ == "CCONJ" or toks[0].lower_ in ("a", "an")) and _is_cap(toks[1]):
                toks.pop(0)  # "and Senate", "A Central Michigan University"
            if len(toks) > 1 and "\n" in text[toks[-2].idx + len(toks[-2].text) : toks[-1].idx] and _is_signoff(
                doc, Cand(toks[-1].i, toks[-1].i + 1, c.label, c.source), text
            ):
                toks.pop()  # "Ex-Cell-O.\n Reuter": the sign-off is not part of the name
            if c.label == "ORG" and c.source in ("ner", "orghead"):
                # "Sheffield United - where": lower-case words after the name
                while len(toks) > 1 and toks[-1].is_alpha and toks[-1].text.islower() and toks[-1].lower_ not in ORG_HEADS:
                    toks.pop()
                    while len(toks) > 1 and toks[-1].is_punct:
                        toks.pop()
            if c.label == "PERSON" and len(toks) >= 3 and toks[0].lower_ in PERSON_TITLES and toks[0].lower_ not in HONORIFICS:
                toks.pop(0)  # "Cinematographer John Mathieson"
            for k in range(len(toks) - 1, 0, -1):
                if toks[k].text.startswith("@") or (toks[k].lower_ in _CREDIT_WORDS and k + 1 < len(toks) and toks[k + 1].text.startswith(":")):
                    toks = toks[k + 1 :]
                    while toks and toks[0].is_punct:
                        toks.pop(0)
                    break
            if c.label == "PERSON" and c.source == "ner":
                # "Regarding Boyette", "Briton Tom Jackson": leading words that are not name words
                while len(toks) > 1 and (
                    toks[0].pos_ in ("VERB", "ADP", "SCONJ", "ADV", "AUX", "PRON", "DET", "PART")
                    or (toks[0].pos_ in ("NOUN", "ADJ") and len(toks) > 2)
                ) and toks[0].lower_ not in NAME_PARTICLES:
                    toks.pop(0)
                if len(toks) > 2 and toks[0].lower_ in DEMONYMS and _is_cap(toks[1]):
                    toks.pop(0)  # "Scot Nick Smith"
                if len(toks) == 1 and toks[0].pos_ not in ("PROPN",) and not toks[0].is_upper:
                    continue  # "Order", "Raid": a capitalised common word
                if toks and toks[0].i > 0 and doc[toks[0].i - 1].lower_ in ORG_NOUNS_BEFORE and doc[toks[0].i - 1].text.islower():
                    c.label = "ORG"  # "production company Tiger Aspect"
                elif (
                    len(toks) == 1 and _MIXED_ACRONYM.match(toks[0].text) and not _NAME_CAPS.match(toks[0].text)
                    and not toks[0].text.isupper()
                ):
                    c.label = "ORG"  # "TfL", "BAe": an acronym, not a person
            if not toks or any(_CREDIT_GLUED.match(t.text) for t in toks):
                continue  # "Source:-Al Jazeera News": a credit line (tokenised as one word)
            if c.label == "PERSON" and len(toks) == 1 and c.end < len(doc) and doc[c.end].text == "-" and not toks[0].whitespace_ \
                    and c.end + 1 < len(doc) and doc[c.end + 1].text[:1].islower():
                continue  # "Mar" of "Mar-a-Lago": part of a hyphenated word
            c.start, c.end = toks[0].i, toks[-1].i + 1
            surface = clean_surface(doc[c.start : c.end].text)
            if _is_signoff(doc, c, text):
                continue  # "Reuter" / "AP" alone on the last line
            if c.source == "outlet":
                c.text = surface or c.outlet or ""
                out.append(c)
                continue
            if c.source == "generic_outlet":
                c.text = surface
                out.append(c)
                continue
            if not _plausible(surface, c.label):
                continue
            if c.label in ("PERSON", "ORG") and _work_or_event(doc, c, surface, work_keys):
                works.append((c.start, c.end))
                continue
            last = surface.split()[-1].lower()
            if c.label in ("PERSON", "LOC") and len(surface.split()) > 1 and (
                last in CLUB_ALWAYS or (sports and last in CLUB_SUFFIXES)
            ):
                c.label = "ORG"  # "Neath RFC", "Leicester City"
            elif c.label == "PERSON" and len(surface.split()) > 1:
                if surface.split()[0].lower() in ORG_FIRST_WORDS:
                    c.label = "ORG"  # "Banque Misr", "Bank Melli"
                elif last in CORPORATE_SUFFIXES or last in ORG_HEADS:
                    c.label = "ORG"  # "Woodco Inc", "Sedio N.V.", "Vanderbilt University"
                elif last in PLACE_HEADS:
                    c.label = "LOC"  # "Escambia County"
            c.text = surface
            out.append(c)
        if works:
            out = _drop_listed_works(doc, out, works)
        return out

    # -- 3. untrusted text -----------------------------------------------------------------------
    def _trust(self, doc: Doc, cands: list[Cand], untrusted: list[bool]) -> list[Cand]:
        trusted = [c for c in cands if c.trusted]
        if len(trusted) == len(cands) and not any(untrusted):
            return cands
        for c in cands:
            _set_key(c)
        # index trusted names: full key, and single-token parts for persons
        known: dict[str, Cand] = {}
        for c in trusted:
            known.setdefault(c.key, c)
            if c.label == "PERSON" and len(c.ktoks) > 1:
                known.setdefault(c.ktoks[-1], c)
                known.setdefault(c.ktoks[0], c)
        for key, canonical in self._registry_names.items():
            known.setdefault(key, None)  # type: ignore[arg-type]
        out = list(trusted)
        covered = [False] * len(doc)
        for c in trusted:
            for i in range(c.start, c.end):
                covered[i] = True
        for c in cands:
            if c.trusted:
                continue
            if c.table and (c.label == "LOC" or len(c.ktoks) >= 2) and all(w[:1].isupper() for w in c.text.split()) and not _DIGITS.search(c.text):
                out.append(c)  # "Michael Schumacher ( Germany ) Ferrari 1:23.456": a full name in a results table
                for i in range(c.start, c.end):
                    covered[i] = True
                continue
            if c.source in ("outlet",) or c.key in known:
                ref = known.get(c.key)
                if ref is not None and c.source != "outlet":
                    c.label = ref.label
                out.append(c)
                for i in range(c.start, c.end):
                    covered[i] = True
        # a wire headline's company: "STANHOME INC <STH> SETS DIVIDEND", "<FRANKLIN ... INCOME FUND> PAYOUT"
        body_start = doc._.body_start or 0
        if body_start > 0 and is_shouting(doc.text[:body_start]):
            for a, b in _headline_companies(doc.text[:body_start]):
                span = doc.char_span(a, b, alignment_mode="contract")
                if span is None or not len(span) or any(covered[k] for k in range(span.start, span.end)):
                    continue
                c = Cand(span.start, span.end, "ORG", "known", text=_title_caps(clean_surface(span.text)), trusted=False)
                _set_key(c)
                if c.key:
                    out.append(c)
                    for k in range(span.start, span.end):
                        covered[k] = True
        # pick known names out of untrusted tokens not covered yet
        i, n = 0, len(doc)
        while i < n:
            if not untrusted[i] or covered[i] or not (doc[i].is_alpha or doc[i].text[:1].isalpha()):
                i += 1
                continue
            hit = None
            for L in (5, 4, 3, 2, 1):
                j = i + L
                if j > n or not all(untrusted[k] and not covered[k] for k in range(i, j)):
                    continue
                surface = doc[i:j].text
                key = name_key(surface)
                if not key or (L == 1 and (doc[i].is_stop or len(doc[i].text) < 3 or not doc[i].text[0].isupper())):
                    continue
                if key in known:
                    hit = (j, known[key], surface)
                    break
            if hit is None:
                i += 1
                continue
            j, ref, surface = hit
            if ref is None:
                rule = self.registry.merges.get(name_key(surface))
                label = (rule.label if rule and rule.label else None) or self.registry.labels.get(name_key(rule.canonical)) if rule else None
                if label is None:
                    # registry name without a known label: trust a same-span NER label if any
                    ents = [e for e in doc.ents if e.start <= i and j <= e.end and e.label_ in NER_LABELS]
                    label = NER_LABELS[ents[0].label_] if ents else None
                if label is None:
                    i = j
                    continue
                c = Cand(i, j, label, "known", text=clean_surface(surface), trusted=False)
            else:
                c = Cand(i, j, ref.label, "known", text=clean_surface(surface), trusted=False, kind=ref.kind, outlet=ref.outlet)
            _set_key(c)
            out.append(c)
            for k in range(i, j):
                covered[k] = True
            i = j
        out.sort(key=lambda c: c.start)
        return out

    # -- 5. merging -------------------------------------------------------------------------------
    def _merge(self, doc: Doc, cands: list[Cand], sports: bool = False) -> tuple[list[Entity], list[Mention]]:
        for c in cands:
            if not c.key:
                _set_key(c)
        cands = [c for c in cands if c.key or c.source in ("outlet", "generic_outlet")]
        # "Lawson told Funaro Brazil had ...": a person span ending in a place named elsewhere
        loc_keys = {c.key for c in cands if c.label == "LOC" and c.trusted}
        person_tok_n = Counter(t for c in cands if c.label == "PERSON" for t in c.ktoks)
        extra = []
        for c in cands:
            if c.label == "PERSON" and c.source == "ner" and len(c.ktoks) >= 2 and c.end - c.start >= 2:
                tail = doc[c.end - 1].lower_
                # (elsewhere: not only in this span; "Steve Salisbury" stays whole)
                if tail in loc_keys and all(person_tok_n[t] >= 2 for t in c.ktoks[:-1]):
                    extra.append(Cand(c.end - 1, c.end, "LOC", "ner", text=doc[c.end - 1].text, trusted=c.trusted))
                    c.end -= 1
                    c.text = clean_surface(doc[c.start : c.end].text)
                    _set_key(c)
                    _set_key(extra[-1])
        if extra:
            cands = sorted(cands + extra, key=lambda c: c.start)
        if sports:
            _sports_clubs(doc, cands)
        _places_named_as_orgs(doc, cands, self.registry.labels)
        # outlet words that are a person's surname in this doc are the person ("Bloomberg")
        person_full = {c.ktoks[-1] for c in cands if c.label == "PERSON" and len(c.ktoks) > 1}
        person_keys = {c.key for c in cands if c.label == "PERSON" and len(c.ktoks) > 1}
        person_single = {c.ktoks[0] for c in cands if c.label == "PERSON" and len(c.ktoks) == 1}
        org_firsts = {c.ktoks[0] for c in cands if c.label == "ORG" and len(c.ktoks) > 1 and _is_firm(c.text)} - person_full
        for c in cands:
            if c.source == "outlet" and len(c.ktoks) == 1 and c.ktoks[0] in person_full:
                c.source, c.kind, c.outlet, c.label = "ner", None, None, "PERSON"
            elif c.label != "PERSON" and c.source in ("ner", "known") and not _has_suffix(c.text) and (
                (len(c.ktoks) == 1 and c.ktoks[0] in person_full) or c.key in person_keys
            ):
                c.label = "PERSON"  # "Khamenei" tagged ORG; "Saleh Al Arouri" tagged ORG
            elif c.label == "PERSON" and c.source == "ner" and len(c.ktoks) == 1 and c.ktoks[0] in org_firsts:
                c.label = "ORG"  # "Altria" beside "Altria Group"
            elif c.label == "ORG" and c.source == "ner" and _looks_like_arabic_person(c.text):
                c.label = "PERSON"
            elif (
                c.label in ("ORG", "LOC")
                and c.source == "ner"
                and 2 <= len(c.ktoks) <= 4
                and c.ktoks[-1] in person_single
                and not any(t in ORG_HEADS for t in c.ktoks)
            ):
                c.label = "PERSON"  # "Jean-Claude Juncker" tagged ORG, "Juncker" tagged PERSON
        # label vote per key (outlets stay ORG)
        votes: dict[str, Counter] = defaultdict(Counter)
        for c in cands:
            if c.source not in ("outlet", "generic_outlet"):
                # a corporate suffix settles it: "Tony Lama Co Inc" makes "Tony Lama" a company
                firm = c.label == "ORG" and _has_suffix(c.text) and len(c.ktoks) > 0
                votes[c.key][c.label] += 100 if firm else 2 if c.trusted else 1
        for c in cands:
            if c.source not in ("outlet", "generic_outlet") and len(votes[c.key]) > 1:
                best = max(votes[c.key].items(), key=lambda kv: (kv[1], kv[0] == "PERSON", kv[0] == "ORG"))
                c.label = best[0]
        # NER organisations that are catalogue outlets ("Fox News" in "Fox News Sunday host ...")
        for c in cands:
            if c.label == "ORG" and c.source in ("ner", "orghead", "known") and c.kind is None and c.text:
                outlet = self.catalog.by_name(c.text)
                words = c.text.split()
                if outlet is not None and not outlet.ambiguous and (
                    len(words) > 1
                    or outlet.name in (c.text, "The " + c.text)
                    or (c.text.isupper() and len(c.text) >= 3)
                ):
                    c.source, c.kind, c.outlet = "outlet", "outlet", outlet.name
        # registry label corrections before grouping
        for c in cands:
            if c.source not in ("outlet", "generic_outlet"):
                c.label = self.registry.labels.get(c.key, c.label)

        groups: list[Group] = []
        # outlets by canonical outlet name; generic outlets by key
        outlet_groups: dict[str, int] = {}
        for c in cands:
            if c.source in ("outlet", "generic_outlet") or c.kind == "outlet":
                gkey = c.outlet or ("generic:" + c.key)
                if c.outlet:
                    distinct = _distinct_outlet_name(c.outlet, c.text)
                    if distinct:
                        gkey += "|" + distinct  # "BBC One" and "BBC" in one article: two outlets
                if gkey not in outlet_groups:
                    outlet_groups[gkey] = len(groups)
                    groups.append(Group("ORG", kind=c.kind or "outlet", outlet=c.outlet))
                c.group = outlet_groups[gkey]
                groups[c.group].cands.append(c)
        rest = [c for c in cands if c.group < 0]
        # persons: fullest names first; shorter names attach to a containing fuller name
        persons = sorted((c for c in rest if c.label == "PERSON"), key=lambda c: (-len(c.ktoks), c.start))
        heads: list[tuple[tuple[str, ...], int]] = []  # (ktoks, group)
        for c in persons:
            exact = [g for kt, g in heads if kt == c.ktoks]
            if exact:
                c.group = exact[0]
            else:
                containing = sorted({g for kt, g in heads if len(kt) > len(c.ktoks) and _subsequence(c.ktoks, kt)})
                if len(containing) == 1:
                    c.group = containing[0]
                elif containing:
                    # ambiguous ("Ismail" with two Ismails): the nearest preceding mention decides
                    best, best_pos = containing[0], -1
                    for g in containing:
                        before = [m.start for m in groups[g].cands if m.start < c.start]
                        pos = max(before) if before else -1
                        if pos > best_pos:
                            best, best_pos = g, pos
                    c.group = best
                else:
                    c.group = len(groups)
                    groups.append(Group("PERSON"))
                    heads.append((c.ktoks, c.group))
            groups[c.group].cands.append(c)
        # organisations and places: exact keys, contained multi-word names, acronyms
        for label in ("ORG", "LOC"):
            items = sorted((c for c in rest if c.label == label), key=lambda c: (-len(c.ktoks), c.start))
            gheads: list[tuple[tuple[str, ...], int, str]] = []
            for c in items:
                target = None
                compact = "".join(c.ktoks)
                for kt, g, text in gheads:
                    if kt == c.ktoks or (label == "ORG" and "".join(kt) == compact):
                        target = g  # "TimeWarner" == "Time Warner"
                        break
                if target is None and label == "ORG" and len(c.ktoks) == 1 and c.ktoks[0] not in ORG_HEADS:
                    firms = [
                        g for kt, g, text in gheads
                        if len(kt) > 1 and kt[0] == c.ktoks[0] and (_is_firm(text) or (len(kt) == 2 and kt[1] in SHORT_FORM_HEADS))
                    ]
                    if len(set(firms)) == 1:
                        target = firms[0]  # "Moody's" -> "Moody's Investors Service Inc"
                    else:
                        tails = [
                            g for kt, g, text in gheads
                            if len(kt) > 1 and kt[-1] == c.ktoks[0] and not _is_firm(text) and c.ktoks[0] not in CORPORATE_SUFFIXES
                        ]
                        if len(set(tails)) == 1:
                            target = tails[0]  # "the Ospreys" -> "Neath-Swansea Ospreys"
                if target is None and label == "ORG" and len(c.ktoks) >= 2:
                    clipped = [g for kt, g, text in gheads if _clipped_form(c.ktoks, kt)]
                    if len(set(clipped)) == 1:
                        target = clipped[0]  # "Lib Dems" -> "Liberal Democrats"
                if target is None and label == "ORG":
                    for kt, g, text in gheads:
                        if len(c.ktoks) >= 2 and _contiguous(c.ktoks, kt) and not (_has_suffix(c.text) and _has_suffix(text)):
                            # ("Allied-Signal Inc" is not its unit "Allied-Signal Aerospace Co")
                            target = g
                            break
                        if len(c.ktoks) == 1 and _acronym(c.text) and _abbreviates(_acronym(c.text), text):
                            target = g
                            break
                if target is None:
                    target = len(groups)
                    groups.append(Group(label))
                    gheads.append((c.ktoks, target, c.text))
                c.group = target
                groups[target].cands.append(c)
        # role references: "the Ayatollah", "the Supreme Leader"
        role_refs = self._role_references(doc, groups, cands)

        # build entities
        entities: list[Entity] = []
        ent_of_group: dict[int, Entity] = {}
        order = sorted(range(len(groups)), key=lambda g: min((c.start for c in groups[g].cands), default=10**9))
        for g in order:
            grp = groups[g]
            if not grp.cands:
                continue
            if grp.label == "PERSON" and _lone_single_name(doc, grp):
                continue
            ent = self._entity(grp)
            if ent is None:
                continue
            ent_of_group[g] = ent
            entities.append(ent)
        for c, g in role_refs:
            if g in ent_of_group:
                c.group = g
                groups[g].cands.append(c)
                ent_of_group[g].mentions += 1
        # registry
        final_of: dict[int, Entity | None] = {}
        if self.registry:
            entities, mapping = self.registry.apply_to_entities(entities)
            for g, ent in ent_of_group.items():
                final_of[g] = mapping.get(id(ent))
        else:
            final_of = dict(ent_of_group)
        mentions = []
        for g, grp in enumerate(groups):
            ent = final_of.get(g)
            if ent is None:
                continue
            for c in grp.cands:
                mentions.append(Mention(c.start, c.end, ent))
        mentions.sort(key=lambda m: (m.start, m.end))
        return entities, mentions

    def _role_references(self, doc: Doc, groups: list[Group], cands: list[Cand]) -> list[tuple[Cand, int]]:
        # which persons carry which title words
        carriers: dict[str, set[int]] = defaultdict(set)
        for g, grp in enumerate(groups):
            if grp.label != "PERSON":
                continue
            for c in grp.cands:
                for w in c.titles:
                    if w in HONORIFICS:
                        carriers[w].add(g)
        if not carriers:
            return []
        taken = set()
        for c in cands:
            taken.update(range(c.start, c.end))
        out = []
        n = len(doc)
        for i in range(n - 1):
            if doc[i].lower_ != "the":
                continue
            j = i + 1
            while j < n and _is_cap(doc[j]) and doc[j].lower_ in HONORIFICS:
                j += 1
            if j == i + 1 or any(k in taken for k in range(i + 1, j)):
                continue
            if j < n and _is_cap(doc[j]):
                continue  # "the President Joe Biden" is handled as a name
            words = [doc[k].lower_ for k in range(i + 1, j)]
            gs = set.intersection(*(carriers.get(w, set()) for w in words))
            if len(gs) == 1:
                g = next(iter(gs))
                first = min(m.start for m in groups[g].cands)
                if first < i:
                    c = Cand(i + 1, j, "PERSON", "rolref", text=doc[i + 1 : j].text)
                    out.append((c, g))
        return out

    def _entity(self, grp: Group) -> Entity | None:
        cands = grp.cands
        if grp.kind in ("outlet",) and grp.outlet:
            name = _outlet_display(grp.outlet, cands)
            key = name_key(name)
        else:
            trusted = [c for c in cands if c.trusted] or cands
            counts = Counter(c.key for c in trusted)
            best = max(
                trusted,
                # fullest name; then proper capitalisation ("Republican Party" over "Republican party"),
                # then the most frequent form, then the first
                key=lambda c: (len(c.ktoks), sum(w[:1].isupper() for w in c.text.split()), counts[c.key], -c.start),
            )
            name = display_name(best.text, person=grp.label == "PERSON")
            if grp.kind == "generic_outlet":
                name = best.text
            key = name_key(name, person=grp.label == "PERSON")
        if not name:
            return None
        aliases: list[str] = []
        for c in cands:
            if c.source == "rolref":
                continue
            for raw in (c.surface, c.text):
                surface = display_name(raw, person=grp.label == "PERSON") if raw else ""
                if surface and surface != name and surface not in aliases:
                    aliases.append(surface)
        roles = [c.role for c in cands if c.role]
        role = max(roles, key=lambda r: (len(r.split()), -roles.index(r))) if roles else None
        return Entity(
            name=name,
            label=grp.label,  # type: ignore[arg-type]
            mentions=len(cands),
            aliases=aliases,
            key=key,
            kind=grp.kind,
            role=role,
        )


# -- helpers --------------------------------------------------------------------------------------
def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t[0].isalpha() or t[0].isdigit())


def _is_title_word(tok) -> bool:
    low = tok.lower_.rstrip(".")
    return (low in HONORIFICS or tok.lower_ in HONORIFICS) and (_is_cap(tok) or tok.lower_ in ("mr", "mrs", "ms", "dr"))


def _is_role_token(tok) -> bool:
    return tok.lower_ in ROLE_WORDS or tok.lower_.rstrip(".") in HONORIFICS


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    content = [w for w in words if len(w) > 3 or w[0].isupper()]
    if len(content) < 2:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) > 0.8  # "Obama tells Congress to act on Syria" is sentence case


def _repair_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    n = len(doc)
    # "Smith-Jones", "al-Qassam": glue hyphenated tails
    while (
        end + 1 < n
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and _is_cap(doc[end + 1])
        and doc[end + 1].ent_iob_ != "B"  # "Tanzania-Zambia" is two places
    ):
        end += 2
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return start, end


LOCATIVE_BEFORE = frozenset("in near outside inside across throughout around".split())


def _places_named_as_orgs(doc: Doc, cands: list[Cand], labelled: dict[str, str]) -> None:
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
        if len(words) > 3 or c0.text.isupper() or _acronym(c0.text) or any(w.lower() in ORG_HEADS or w.lower() in FIRM_ENDINGS for w in words):
            continue
        if words[0].lower() in ("mount", "mt", "lake", "port", "fort") and len(words) > 1 or any(
            c.start > 0 and doc[c.start - 1].lower_ in LOCATIVE_BEFORE for c in cs
        ):
            for c in cs:
                c.label = "LOC"


def _sports_clubs(doc: Doc, cands: list[Cand]) -> None:
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
                or (nxt is not None and nxt.like_num and not nxt.text[:1].isalpha() and len(nxt.text) <= 2)
                or (nxt is not None and nxt.lower_ in SPORTS_CUES_AFTER)
                or (nxt is not None and nxt.tag_ == "POS" and c.end + 1 < n and doc[c.end + 1].lower_ in SPORTS_CUES_AFTER)
            ):
                club = True
                break
        if club:
            for c in cs:
                if c.label == "PERSON":
                    c.label = "ORG"


def _outlet_surface_key(text: str) -> list[str]:
    words = (text or "").split()
    while len(words) > 1 and words[-1][:1].islower():
        words.pop()  # "Kommersant daily": the outlet noun is not part of the name
    return name_key(" ".join(words)).split()


def _distinct_outlet_name(canonical: str, text: str) -> str:
    """The key of a surface that names a distinct channel or title of an outlet ("BBC One", "Mail on Sunday"),
    '' for the outlet's own name, a short form ("BBC"), a variant ("Reuter") or its acronym ("DW")."""
    ckey = name_key(canonical).split()
    if name_key(text).split() == ckey:
        return ""
    skey = _outlet_surface_key(text)
    if not skey or skey == ckey or (len(skey) < len(ckey) and ckey[: len(skey)] == skey):
        return ""
    if len(skey) == 1 and (ckey[0].startswith(skey[0]) or _abbreviates(skey[0].upper(), canonical)):
        return ""
    return " ".join(skey)


def _outlet_display(canonical: str, cands: list[Cand]) -> str:
    """The catalogue name when the text uses it ("Tasnim news agency" -> "Tasnim News Agency", "Reuter" ->
    "Reuters"); otherwise the fullest name the text uses, so that a distinct channel or title keeps its own
    name ("BBC One", "Mail on Sunday") and a short form is not renamed to a name the article never uses
    ("BBC", "DW")."""
    ckey = name_key(canonical).split()
    best: tuple[int, str] | None = None
    for c in cands:
        words = (c.text or "").split()
        if name_key(c.text or "").split() != ckey:
            while len(words) > 1 and words[-1][:1].islower():
                words.pop()  # "Kommersant daily": the outlet noun is not part of the name
        surface = display_name(" ".join(words)) if words else ""
        skey = name_key(surface).split()
        if not skey:
            continue
        if skey == ckey or (len(skey) == 1 and len(ckey) == 1 and ckey[0].startswith(skey[0]) and len(ckey[0]) - len(skey[0]) <= 1):
            return canonical  # "Reuter" -> "Reuters"
        # the fullest surface; for a short form ("the BBC's") the key decides
        if best is None or len(skey) > best[0]:
            best = (len(skey), surface)
    return best[1] if best else canonical


_HEADLINE_FIRM = re.compile(
    r"^\s*([A-Z][A-Z0-9&'.-]*(?:[ ][A-Z][A-Z0-9&'.-]*){0,4}?[ ](?:INC|CORP|CO|LTD|PLC|LP|LLC|NV|N\.V|SA|S\.A|AG|CORPORATION"
    r"|COMPANY|BANCORP|BANCSHARES|HOLDINGS|INDUSTRIES|GROUP)\b\.?)"
)
_HEADLINE_BRACKET = re.compile(r"<([A-Z][A-Z0-9&'.,-]*(?: [A-Z0-9&'.,-]+)+)>")


def _title_caps(text: str) -> str:
    """'FRANKLIN NEW YORK TAX-FREE INCOME FUND' -> 'Franklin New York Tax-Free Income Fund' (two-letter
    words that are not corporate suffixes stay: 'NV', 'SA')."""
    out = []
    for w in text.split():
        if w.isupper() and (len(w.strip(".")) > 2 or w.lower() in CORPORATE_SUFFIXES and w.lower().strip(".") in ("co", "inc", "corp", "ltd")):
            w = "-".join(p[:1] + p[1:].lower() for p in w.split("-"))
        out.append(w)
    return " ".join(out)


def _headline_companies(headline: str) -> list[tuple[int, int]]:
    """Character spans of the companies an ALL-CAPS wire headline names: a leading name with a corporate
    suffix, or a full name in angle brackets (not a one-word ticker). One-line notices name them only there."""
    out = []
    m = _HEADLINE_FIRM.match(headline)
    if m:
        out.append((m.start(1), m.end(1)))
    for m in _HEADLINE_BRACKET.finditer(headline):
        out.append((m.start(1), m.end(1)))
    return out


SPEECH_WORDS = frozenset("said says say told tells added adds explained according wrote writes asked asks".split())


def _lone_single_name(doc: Doc, grp: Group) -> bool:
    """One word, mentioned once, with no title and no speech verb next to it: rarely a person in news
    ("Mini", "Wasp", "Kiev", a first name alone). Surnames with a title ("Mr Blair") and speakers stay."""
    if len(grp.cands) != 1:
        return False
    c = grp.cands[0]
    if len(c.ktoks) != 1 or c.role or c.titles or c.source not in ("ner", "known"):
        return False
    n = len(doc)
    near = [doc[k].lower_ for k in (c.start - 1, c.end, c.end + 1) if 0 <= k < n]
    if c.start > 0 and _is_title_word(doc[c.start - 1]):
        return False
    return not SPEECH_WORDS.intersection(near)


def _is_sports(doc: Doc) -> bool:
    """A sports report: several sports words ("match", "striker", "season", "tries"...)."""
    hits = 0
    for t in doc:
        if t.lower_ in SPORTS_WORDS:
            hits += 1
            if hits >= 4:
                return True
    return False


def _org_like(doc: Doc, a: int, b: int) -> bool:
    toks = doc[a:b]
    if b - a == 1:
        t = toks[0].text.replace(".", "")
        return len(t) >= 2 and t.isupper() and t.isalpha()  # "IMF"
    words = [t.lower_ for t in toks]
    return words[-1] in ORG_HEADS or words[0] in ORG_HEADS or words[0] in ("banque", "banco", "banca")


def _split_span(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """An NER span across a blank line is two names ("NASDAQ\\n\\nPostmasters Inc"); so is
    "Gannett Co's USA Today" (a firm's possessive before another name)."""
    parts, a = [], start
    for k in range(start, end):
        t = doc[k]
        if t.is_space and t.text.count("\n") >= 2:  # a blank line
            parts.append((a, k))
            a = k + 1
        elif (
            t.tag_ == "POS" and k > a + 1 and k + 1 < end and _is_cap(doc[k + 1])
            and doc[k - 1].lower_ in CORPORATE_SUFFIXES
        ):
            parts.append((a, k))
            a = k + 1
    parts.append((a, end))
    return [(x, y) for x, y in parts if x < y]


def _split_coordination(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """'IMF and World Bank' -> IMF, World Bank: an "and" between two organisation names."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ in ("and", "&") and _is_cap(doc[k + 1]):
            if _org_like(doc, start, k) and _org_like(doc, k + 1, end) and not (
                k - start == 1 and doc[start].lower_ in ORG_HEADS
            ):
                return [(start, k), (k + 1, end)]
    return [(start, end)]


def _work_or_event(doc: Doc, c: Cand, surface: str, work_keys: set[str]) -> bool:
    """The title of a work, a product, an award or an event rather than a person or organisation."""
    key = name_key(surface)
    words = key.split()
    if not words:
        return False
    if key in work_keys:
        return True
    if words[0] in AWARD_WORDS and all(w in AWARD_WORDS or w in AWARD_TAILS for w in words):
        return True  # "Oscar", "Golden Globe", "Bafta awards"
    if c.label == "ORG" and len(words) > 1 and words[-1] in EVENT_HEADS:
        return True  # "FA Cup", "Sundance Film Festival"
    s, e = c.start, c.end
    n = len(doc)
    if c.label == "ORG" and e < n and _MODEL_NUMBER.match(doc[e].text) and len(doc[e].text) >= 3 and c.source == "ner":
        return True  # "Boeing 777-200LR", "Airbus A380": a product
    # the name and the model number in one span ("Boeing 777")
    if c.label == "ORG" and e - s >= 2 and _MODEL_NUMBER.match(doc[e - 1].text) and len(doc[e - 1].text) >= 3:
        return True
    # in quotation marks that hold nothing else: 'the film "Vera Drake"'
    if s > 0 and e < n and doc[s - 1].text in _QUOTES and doc[e].text in _QUOTES:
        return True
    # after a work noun: "the film Finding Neverland", "an album called Hopes and Fears"
    j = s - 1
    if j >= 0 and doc[j].lower_ in _WORK_LINKS:
        j -= 1
    if j >= 0 and doc[j].lower_ in WORK_NOUNS and not doc[j].text[:1].isupper() and doc[j].pos_ == "NOUN":
        return True
    # before one: "the Breakfast with Frost programme", "The Office star Ricky Gervais"
    if c.label == "ORG" and e < n and doc[e].lower_ in WORK_NOUNS_AFTER | WORK_ROLES and not doc[e].text[:1].isupper():
        return True
    if c.label == "PERSON":
        # a name inside a longer capitalised title before a work noun ("Breakfast with Frost programme")
        k = e
        while k < n and (_is_cap(doc[k]) or (doc[k].lower_ in NAME_CONNECTORS and k + 1 < n and _is_cap(doc[k + 1]))):
            k += 1
        j = s
        while j > 0 and (_is_cap(doc[j - 1]) and not doc[j - 1].is_sent_start or (doc[j - 1].lower_ in ("with", "of", "and") and j > 1 and _is_cap(doc[j - 2]))):
            j -= 1
        if k < n and doc[k].lower_ in WORK_NOUNS_AFTER and not doc[k].text[:1].isupper() and (j < s or k > e):
            return True
    return False


_LIST_GLUE = frozenset({",", "and", "or", "&", "nor"})


def _quoted_titles(doc: Doc) -> list[tuple[int, int]]:
    """Short capitalised runs in quotation marks ('"Sideways"'), quotes included."""
    out = []
    n = len(doc)
    for i in range(n - 2):
        if doc[i].text not in _QUOTES:
            continue
        for j in range(i + 2, min(i + 8, n)):
            if doc[j].text in _QUOTES:
                inner = doc[i + 1 : j]
                if _is_cap(inner[0]) and all(_is_cap(t) or t.lower_ in NAME_CONNECTORS or t.is_punct for t in inner):
                    out.append((i, j + 1))
                break
    return out


def _drop_listed_works(doc: Doc, cands: list[Cand], works: list[tuple[int, int]]) -> list[Cand]:
    """Names listed with a work title are titles too: "the films Finding Neverland, Vera Drake and Ray"."""
    ends = {e for _, e in works}
    starts = {s for s, _ in works}
    tok_count = Counter(t.lower_ for c in cands if c.label == "PERSON" for t in doc[c.start : c.end])
    dropped: set[int] = set()
    changed = True
    while changed:
        changed = False
        for idx, c in enumerate(cands):
            if idx in dropped or c.label not in ("PERSON", "ORG") or c.source not in ("ner", "orghead"):
                continue
            if c.label == "PERSON" and any(tok_count[t.lower_] > 1 for t in doc[c.start : c.end]):
                continue  # a person named again elsewhere
            # one or two list words between this name and a title
            before = any(
                (c.start - k) in ends and all(doc[j].lower_ in _LIST_GLUE for j in range(c.start - k, c.start))
                for k in (1, 2)
            )
            after = any(
                (c.end + k) in starts and all(doc[j].lower_ in _LIST_GLUE for j in range(c.end, c.end + k))
                for k in (1, 2)
            )
            if before or after:
                dropped.add(idx)
                ends.add(c.end)
                starts.add(c.start)
                changed = True
    return [c for i, c in enumerate(cands) if i not in dropped]


def _split_at_numbers(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """'Chelsea 1 Southampton 0' -> Chelsea, Southampton; 'Manchester United 3' -> Manchester United."""
    nums = [i for i in range(start, end) if doc[i].like_num and not doc[i].is_alpha and not _ORDINAL.match(doc[i].text)]
    if not nums:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    a = start
    for i in nums:
        if i + 1 < end and _is_cap(doc[i + 1]) and i > a:
            parts.append((a, i))
            a = i + 1
    last = (a, end)
    if doc[end - 1].like_num and not doc[end - 1].is_alpha and (end - 1 - a >= 2 or parts):
        last = (a, end - 1)
    parts.append(last)
    return [(x, y) for x, y in parts if x < y]


def _results_lines(doc: Doc, text: str) -> list[Cand]:
    out = []
    if text.count("\n") < 2:
        return out
    for m in _RESULT_LINE.finditer(text):
        for g in ("a", "b"):
            span = doc.char_span(m.start(g), m.end(g), alignment_mode="contract")
            if span is not None and len(span) and not is_shouting(span.text):
                out.append(Cand(span.start, span.end, "ORG", "results"))
    return out


def _outlet_head_end(doc: Doc, i: int) -> int | None:
    n = len(doc)
    for head in OUTLET_HEADS:
        e = i + len(head)
        if e <= n and all(doc[i + k].lower_ == w for k, w in enumerate(head)):
            if head in (("tv",), ("radio",), ("television",), ("daily",), ("weekly",), ("agency",)):
                # "daily" must be the noun ("the Kommersant daily said"), not "daily life"
                if e < n and doc[e].pos_ in ("NOUN", "PROPN") and not doc[e].is_punct:
                    return None
            if head == ("agency",):
                return None
            if all(not t.text[:1].isupper() or t.lower_ == "tv" for t in doc[i:e]) or head[0] in ("news", "press"):
                return e
    return None


def _is_signoff(doc: Doc, c: Cand, text: str) -> bool:
    """A name alone on the article's last line: a wire sign-off or byline, not a mention."""
    last = doc[c.end - 1]
    if c.end < len(doc) and text[last.idx + len(last.text) :].strip(" \t\r\n\x03\x00.-"):
        return False
    before = text[: doc[c.start].idx]
    line_start = before.rfind("\n")
    # "Source: Al Jazeera News", "@handle Source:-Al Jazeera News" on the last line
    return not _CREDIT_PREFIX.sub("", before[line_start + 1 :]).strip(" \t-:")


def _plausible(text: str, label: str) -> bool:
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return False
    if label == "ORG" and text.split()[-1].lower() in CORPORATE_SUFFIXES:
        text = re.sub(r",\s*(?=\S+$)", " ", text)  # "Iberica del Cobre, S.A."
    if any(ch in _BAD_CHARS for ch in text):
        return False  # 'killer,"?Trump': quotes and punctuation glued to a word
    low = text.lower()
    if low in PRONOUNS or low in GENERIC or low in RELIGIONS:
        return False
    if text == low:  # proper names are capitalised
        return False
    words = text.split()
    if all(w.lower().strip(".") in HONORIFICS or w.lower() in GENERIC for w in words) and not (
        label == "ORG" and len(words) > 1 and words[-1].lower() in ORG_HEADS
    ):
        return False  # "Supreme", "President", "Deputy Chief" (but "Foreign Ministry" is an org)
    if label == "LOC" and len(words) == 1 and low.endswith(("ian", "ese", "ean", "ish")) and len(low) > 5:
        return False  # "Zambian", "Japanese": nationalities, not places
    if label == "PERSON":
        if _DIGITS.search(text) or len(words) > 6:
            return False
        if any(not w[:1].isupper() and w.lower() not in NAME_PARTICLES and not _split_lower_particle(w) for w in words):
            return False  # "MAr nil": a name's words are capitalised
        if re.search(r"[^\w\s.'\-]", text):
            return False  # '"?Trump', 'Smith/Jones', emails
    else:
        if sum(ch.isdigit() for ch in text) > len(text) / 2 or re.search(r"\d[.,]\d", text):
            return False
        if "/" in text and any(len(p.strip()) <= 3 for p in text.split("/")):
            return False  # "Aug/Sept", "Dlrs/Bu"
        if len(words) == 1 and _ROMAN.match(text):
            return False
        if len(words) > 10:
            return False
    if len(words) == 1 and len(text) == 2 and text[1] == ".":
        return False  # an initial
    return True


def _split_lower_particle(word: str) -> bool:
    head, sep, rest = word.partition("-")
    return bool(sep) and head.lower() in _GLUED_PARTICLES and rest[:1].isupper()


def _set_key(c: Cand) -> None:
    person = c.label == "PERSON"
    toks = key_tokens(c.text or c.outlet or "", person=person)
    c.ktoks = tuple(toks)
    c.key = " ".join(toks)


_SUFFIXES_BARE = frozenset(x.rstrip(".") for x in CORPORATE_SUFFIXES)
FIRM_ENDINGS = CORPORATE_SUFFIXES | _SUFFIXES_BARE | {
    "oy", "oyj", "ab", "asa", "bhd", "berhad", "ltda", "srl", "sarl", "kg", "kk", "tbk"} | {"brothers", "group", "holdings", "bancorp", "bancshares", "industries", "partners", "company"}


# "Labour" beside "Labour party", "SBC" beside "SBC Communications": one organisation.
SHORT_FORM_HEADS = frozenset(
    "party communications airlines airways motors petroleum electric telecom holdings industries systems"
    " technologies entertainment pharmaceuticals group corporation company".split()
)


def _has_suffix(text: str) -> bool:
    words = text.lower().split()
    return len(words) > 1 and words[-1].rstrip(".") in _SUFFIXES_BARE


def _is_firm(text: str) -> bool:
    words = text.lower().split()
    return len(words) > 1 and words[-1] in FIRM_ENDINGS


def _clipped_form(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'lib dems' of 'liberal democrats': word for word, each a clipped (3+ letters) start of the other."""
    if len(short) != len(long) or short == long:
        return False
    return all(
        len(a.rstrip("s")) >= 3 and b.startswith(a.rstrip("s")) for a, b in zip(short, long)
    )


def _acronym(text: str) -> str:
    """'IAEA' -> 'IAEA', 'U.N.' -> 'UN', 'TfL' -> 'TL' (a mixed-case acronym's capitals); '' if not one."""
    t = text.replace(".", "")
    if len(t) >= 2 and t.isupper() and t.replace("&", "").isalpha():
        return t
    if " " not in t and _MIXED_ACRONYM.match(t) and not _NAME_CAPS.match(t) and t.isalpha():
        return "".join(ch for ch in t if ch.isupper())
    return ""


def _abbreviates(acronym: str, name: str) -> bool:
    """'IAEA' of 'International Atomic Energy Agency'; 'SEC' of 'US Securities Exchange Commission'."""
    full = initials(name)
    return len(full) >= 2 and (full == acronym or (len(acronym) >= 3 and full[1:] == acronym))


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _contiguous(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _looks_like_arabic_person(text: str) -> bool:
    words = text.replace("-", " ").split()
    if len(words) < 3 or any(w.lower() in ORG_HEADS for w in words):
        return False
    return any(w.lower() in ("al", "el", "bin", "ibn", "abu", "bint") for w in words[1:-1]) and words[0][:1].isupper()


def install(nlp: Language, *, registry_path: str | None = None, outlets_path: str | None = None) -> None:
    """Add the entity component after ``ner`` (and before quotes).

    ``registry_path``: the user's registry YAML, merged over the shipped one (None: shipped only).
    ``outlets_path``: the user's extra outlets for in-text recognition (None: the shipped list only).
    """
    nlp.add_pipe(
        "presswatch_entities",
        last=True,
        config={
            "registry_path": str(registry_path) if registry_path else None,
            "outlets_path": str(outlets_path) if outlets_path else None,
        },
    )
