"""Pass 2: cues -- speech, belief, naming and stance verbs, "according to", "Name: ..." and
"“...” ― Name" -- each with its source and content."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from .lexicon import (
    CUE_CLASSES,
    OBJECT_CLASSES,
    PRONOUNS_FIRST,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    TITLE_WORDS,
    cue_lexicon,
)
from ..contract import is_break
from .marks import QuoteSpan
from .speakers import Speaker
from .phrases import (
    adjacent_name,
    clip_to_paragraph,
    content_before,
    content_of,
    find_subject,
    name_after_quote,
    np_span,
    object_content,
    subtree_span,
)


@dataclass
class Cue:
    token: Token  # the cue verb / "according" / ":" token
    cls: str  # speech | belief | naming | according | colon
    source: tuple[int, int] | None  # token span of the source phrase
    source_head: Token | None
    content: tuple[int, int] | None  # token span of the reported content
    cue_text: str
    base: str = ""
    obj: bool = False  # the content is the verb's object ("proposed a safe zone"), not a clause
    outlet_source: tuple[int, int] | None = None  # "cited by <outlet>"
    local: Token | None = None  # the relative pronoun standing for the source ("Barkley, who said")
    via: str = ""  # how the content hangs on the cue: "ccomp", "xcomp", "dobj", "prep:about" ...
    quotes: list[QuoteSpan] = field(default_factory=list)
    speaker: Speaker | None = None  # set once the source is resolved



def plausible_source(c: Cue) -> bool:
    """An object-taking cue ("promised victory") reports a statement only when its source can
    speak: a resolved entity, a pronoun, a person by role, a group of people, a poll or a name."""
    if c.speaker and c.speaker.name is not None:
        return True
    head = c.source_head
    if head is None:
        return False
    low = head.text.lower()
    lex = cue_lexicon()
    return (
        low in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_FIRST
        or low in lex["group_nouns"] or low in lex["role_nouns"] or low in lex["outlet_heads"]
        or head.pos_ == "PROPN" or head.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
    )


def _is_verbal(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB")



DASHES = {"―", "—", "–", "-", "--"}


def _dash_cue(doc: Doc, dash: Token, mention_starts: dict) -> Cue | None:
    """ "“Maybe we can build a wall around him.” ― Steve Quinlan": a quote signed with a dash."""
    k = dash.i - 1
    while k >= 0 and doc[k].is_space and not is_break(doc[k]):
        k -= 1
    if k < 0 or not doc[k].is_quote:
        return None
    j = dash.i + 1
    while j < len(doc) and doc[j].is_space and not is_break(doc[j]):
        j += 1
    if j >= len(doc):
        return None
    m = mention_starts.get(j)
    if m is not None:
        start, end = m.start, m.end
    else:
        end = j
        while end < len(doc) and end - j < 4 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        if end == j:
            return None
        start = j
    # the signature ends the line: "― Jorge Falcon\n", "― Steve Quinlan."
    k = end
    if k < len(doc) and doc[k].text == ".":
        k += 1
    if k < len(doc) and not (doc[k].is_space and "\n" in doc[k].text):
        return None
    return Cue(dash, "dash", (start, end), doc[end - 1], None, dash.text, base="colon")


def _colon_cue(doc: Doc, colon: Token, mention_ends: dict) -> Cue | None:
    """ "Issa: Clinton's Honesty Is in Question" -- a name opening a headline or paragraph, then a colon."""
    m = mention_ends.get(colon.i)
    body_start = doc._.body_start or 0
    in_title = body_start and colon.idx < body_start
    if m is not None:
        start, m_end = m.start, m.end
    elif in_title and colon.i <= 7:
        # headline "Poll: ...", "Clinton camp: ...", "Ok Gov. Fallin: ...": the whole prefix
        start, m_end = 0, colon.i
        for k in range(colon.i - 1, -1, -1):
            if doc[k].text in {"—", "–", "-", "|"} or doc[k].lower_ == "exclusive":
                start = k + 1
                break
        if start >= m_end or not any(t.text[:1].isupper() for t in doc[start:m_end]):
            return None
    else:
        # a name the NER missed: 1-3 capitalised proper nouns ("Trump: ...")
        start = colon.i
        while start > 0 and colon.i - start < 3 and doc[start - 1].pos_ in {"PROPN", "NOUN"} and doc[start - 1].text[:1].isupper():
            start -= 1
        if start == colon.i:
            return None
        m_end = colon.i
    while start > 0 and doc[start - 1].text.rstrip(".").lower() in TITLE_WORDS | {"sen", "rep", "gov", "dr", "gen"}:
        start -= 1
    if start > 0 and not is_break(doc[start - 1]):
        return None  # not at the start of a paragraph
    end = colon.i + 1
    while end < len(doc) and not is_break(doc[end]):
        end += 1
    while end > colon.i + 1 and doc[end - 1].is_punct and not doc[end - 1].is_quote:
        end -= 1
    if end - colon.i - 1 < 2:
        return None
    head = doc[m_end - 1]
    return Cue(colon, "colon", (start, m_end), head, (colon.i + 1, end), ":", base="colon")



@dataclass
class CueScan:
    """What the cue builders look up: the doc, which tokens are quoted, and where mentions are."""

    doc: Doc
    in_quote: list[bool]
    mention_heads: dict[int, int]  # last token of any mention
    mention_ends: dict  # token after a person / organisation mention -> the mention
    mention_starts: dict  # first token of a person / organisation mention -> the mention
    person_heads: set[int]  # last token of a person / organisation mention
    open_cues: bool = False  # also verbs outside the lexicon (for a linker trained to judge them)

    @classmethod
    def of(cls, doc: Doc, in_quote: list[bool], open_cues: bool = False) -> CueScan:
        mentions = doc._.mentions or []
        speaking = [m for m in mentions if m.entity.label in {"PERSON", "ORG"}]
        return cls(doc, in_quote, {m.end - 1: m.end - 1 for m in mentions}, {m.end: m for m in speaking},
                   {m.start: m for m in speaking}, {m.end - 1 for m in speaking}, open_cues)


def find_cues(doc: Doc, in_quote: list[bool], open_cues: bool = False) -> list[Cue]:
    """Phase 2: every cue of the doc outside quotes, in text order. `open_cues`: also any verb outside
    the lexicon whose subject can speak and that takes a clause or an object (``_open_cue``)."""
    scan = CueScan.of(doc, in_quote, open_cues)
    if open_cues:
        candidates = range(len(doc))
    else:  # only the words that can start a cue (a hash lookup per token, no Token objects)
        triggers = cue_trigger_hashes()
        candidates = [i for i, h in enumerate(doc.to_array(LOWER).tolist()) if h in triggers]
    cues: list[Cue] = []
    for i in candidates:
        if in_quote[i]:
            continue
        cue = _cue_at(scan, doc[i])
        if cue is not None:
            cues.append(cue)
    return cues


@lru_cache(maxsize=1)
def cue_trigger_hashes() -> frozenset[int]:
    """The string hashes of every word that can start a cue of the lexicon: its verb forms,
    "according", ":" and dashes (lower case, as ``Token.lower``)."""
    lex = cue_lexicon()
    forms = set(lex["speech"]) | set(lex["belief"]) | set(lex["naming"]) | set(lex["stance"])
    return frozenset(hash_string(w) for w in forms | {"according", ":"} | DASHES)


def _cue_at(scan: CueScan, tok: Token) -> Cue | None:
    doc = scan.doc
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        return _according_cue(doc, tok)
    if tok.text in DASHES and tok.i + 1 < len(doc):
        return _dash_cue(doc, tok, scan.mention_starts)
    if tok.text == ":" and tok.i + 1 < len(doc):
        return _colon_cue(doc, tok, scan.mention_ends)
    return _verb_cue(scan, tok)


def _according_cue(doc: Doc, tok: Token) -> Cue | None:
    """ "according to X": the content is the sentence it modifies, minus the phrase itself."""
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    head = tok.head
    if head is tok:
        return None
    while head.dep_ not in {"ROOT"} and head.head is not head and not (_is_verbal(head) and head.dep_ not in {"conj"}):
        head = head.head
    while head.dep_ == "conj" and head.head is not head:
        head = head.head  # "A rose, B fell and C held, according to the poll": all of it
    s, e = subtree_span(head)
    a_s, a_e = subtree_span(tok)
    if a_s == s and s > 0 and doc[s - 1].lower_ in {"’s", "'s", "is", "was"}:
        return None  # "That's according to the poll"
    if doc[a_e].pos_ == "ADP" if a_e < len(doc) else False:
        # "According to figures from Ofcom, ...": the source runs on to the comma
        comma = next((k for k in range(a_e, min(a_e + 10, e)) if doc[k].text == ","), None)
        if comma is not None:
            a_e = comma + 1
    left, right = (s, a_s), (a_e, e)
    span = left if left[1] - left[0] >= right[1] - right[0] else right
    if span[1] - span[0] < 3:
        return None
    return Cue(tok, "according", np_span(pobj), pobj, span, "according to")


def _cue_class(tok: Token, lex: dict) -> str | None:
    low = tok.lower_
    for cls in ("speech", "belief", "naming"):
        if low in lex[cls]:
            return cls
    if low in lex["stance"] and "stance" in CUE_CLASSES:
        return "stance"
    return None


def _verb_cue(scan: CueScan, tok: Token) -> Cue | None:
    """A cue verb (speech, belief, naming, stance) with its source and content."""
    lex = cue_lexicon()
    cls = _cue_class(tok, lex)
    if cls is None and scan.open_cues:
        return _open_cue(scan, tok)
    if cls is None or not _is_verbal(tok) or tok.dep_ in {"amod", "compound"}:
        return None
    base = lex.get(cls, {}).get(tok.lower_, tok.lower_)
    if base == "point" and not any(c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children):
        return None
    if cls != "speech" and any(c.dep_ == "auxpass" for c in tok.children):
        return None  # "Trump is expected to win": the subject is what is believed, not who believes
    if base in {"talk", "speak", "vote"} and cls == "speech" and not tok.children:
        return None
    subj, agent, relative = find_subject(tok)
    content = content_of(tok, cls)
    obj = False
    if content is None and cls in OBJECT_CLASSES:
        content = object_content(tok, base)
        obj = content is not None
    if cls in {"belief", "stance"} and content is None:
        return None
    cue_text = tok.text
    prt = [c for c in tok.children if c.dep_ == "prt"]
    if prt:
        cue_text += " " + prt[0].text
    source_head = _source_head(scan, tok, cls, subj)
    doc = scan.doc
    if content is None and cls == "speech" and source_head is not None and source_head.i < tok.i:
        content = content_before(doc, np_span(source_head)[0])
    if content is not None:
        content = clip_to_paragraph(doc, tok.i, content)
    if content is not None and source_head is not None and content[0] < source_head.i < content[1]:
        # "“Yes, I support Cruz,” Brent Bozell, founder of ..., tells ...": the parse put the
        # speaker inside the content; the content stops where the source phrase starts
        cut = np_span(source_head)[0]
        content = (content[0], cut) if cut > content[0] else None
    local = relative if relative is not None and source_head is not None and source_head.i != relative.i else None
    source = np_span(source_head) if source_head is not None else None
    return Cue(tok, cls, source, source_head, content, cue_text, base=base, obj=obj,
               outlet_source=_outlet_source(tok, base, agent), local=local, via=_via(doc, tok, content))


def _via(doc: Doc, verb: Token, content: tuple[int, int] | None) -> str:
    """How the content hangs on the verb: the dependency of its top token ("prep:about" for a
    preposition's object)."""
    if content is None:
        return ""
    top = next((doc[i] for i in range(*content) if doc[i].head.i == verb.i or doc[i].head.i < content[0]
                or doc[i].head.i >= content[1]), None)
    if top is None:
        return ""
    if top.head.dep_ == "prep" and top.head.head.i == verb.i:
        return f"prep:{top.head.lower_}"
    return top.dep_


def _open_cue(scan: CueScan, tok: Token) -> Cue | None:
    """A verb outside the lexicon that may report a statement, belief or stance: a verb (not a form of
    "be" or "have") whose subject can speak -- a person or organisation named, a personal pronoun, a
    role or group noun -- with a clause or an object as content. Whether it does is the trained
    linker's call (its verb, how the content hangs on it, its source)."""
    if tok.pos_ != "VERB" or tok.dep_ in {"amod", "compound", "aux", "auxpass"} or tok.lower_ in OPEN_SKIP:
        return None
    if any(c.dep_ == "auxpass" for c in tok.children):
        return None
    subj, _, relative = find_subject(tok)
    if subj is None or subj.i > tok.i or not _can_speak(scan, subj):
        return None
    content = content_of(tok, "belief")
    obj = False
    if content is None:
        content = object_content(tok, tok.lower_)
        obj = content is not None
    if content is None:
        return None
    content = clip_to_paragraph(scan.doc, tok.i, content)
    if content is None or content[1] - content[0] < 3:
        return None
    local = relative if relative is not None and relative.i != subj.i else None
    return Cue(tok, "open", np_span(subj), subj, content, tok.text, base=tok.lower_, obj=obj, local=local,
               via=_via(scan.doc, tok, content))


OPEN_SKIP = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "having", "do",
                       "does", "did", "get", "gets", "got"})


def _can_speak(scan: CueScan, head: Token) -> bool:
    lex = cue_lexicon()
    low = head.lower_
    return (head.i in scan.person_heads or low in PRONOUNS_PERSON or low in PRONOUNS_GROUP
            or low in lex["role_nouns"] or low in lex["group_nouns"])


def _outlet_source(tok: Token, base: str, agent: Token | None) -> tuple[int, int] | None:
    """ "was cited by X" / "quoted by X": the outlet that carried the statement."""
    if base not in {"cite", "quote"} or tok.tag_ != "VBN":
        return None
    if agent is not None:
        return np_span(agent)
    agent_child = next((c for c in tok.children if c.dep_ == "agent"), None)
    if agent_child is not None:
        pobj = next((g for g in agent_child.children if g.dep_ == "pobj"), None)
        if pobj is not None:
            return np_span(pobj)
    return None


def _source_head(scan: CueScan, tok: Token, cls: str, subj: Token | None) -> Token | None:
    """The head of the cue's source: its subject, or a name right before the verb when the parse has
    none or a misparsed one, or the name after a quote ("“...,” said X")."""
    doc, mention_heads = scan.doc, scan.mention_heads
    source_head = subj
    if source_head is None or (source_head.i > tok.i and tok.dep_ != "ROOT" and cls != "speech"):
        source_head = adjacent_name(doc, tok, mention_heads) or source_head
    elif source_head.i < tok.i and source_head.i not in mention_heads and source_head.pos_ != "PRON":
        # "a state and Cruz strongly suggested": a misparsed subject, a name right before the verb
        near = adjacent_name(doc, tok, mention_heads)
        if (
            near is not None and near.i in scan.person_heads and near.i > source_head.i and near.dep_ != "pobj"
            and source_head.text.lower() not in cue_lexicon()["role_nouns"]
        ):
            source_head = near
    if source_head is None:
        source_head = name_after_quote(doc, tok, scan.in_quote, mention_heads)
    if source_head is None and cls == "speech":
        source_head = inverted_subject(tok, scan.in_quote)
    return source_head


def inverted_subject(verb: Token, in_quote: list[bool]) -> Token | None:
    """ "Document found on street not secret, say feds": the one word after a verb of saying that ends
    its sentence is its subject, however the parser attached it."""
    doc = verb.doc
    k = verb.i + 1
    if k >= len(doc) or in_quote[k] or doc[k].pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    after = doc[k + 1] if k + 1 < len(doc) else None
    ends = after is None or is_break(after) or after.text in {".", "!", "?", ";"}
    return doc[k] if ends and any(t.i < verb.i for t in verb.children if t.dep_ in {"ccomp", "parataxis"}) else None
