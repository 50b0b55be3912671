"""Who said what: quotes attributed to speakers, and the outlets an article cites.

The component ``presswatch_quotes`` runs last in the pipeline, on the parse and the canonical
entities already in the doc (``doc._.mentions``); it does no parsing of its own (~6 ms for a
1,000-word article). Cue words live in ``data/quote_cues.json`` (inflected forms: the pipeline has
no lemmatizer).

How it works, in four passes over one doc:

1. **Paragraphs and quotation marks** (character level): paragraphs end at line breaks, or for
   hard-wrapped newswire (Reuters) at blank and indented lines only. Marks: straight, curly,
   doubled apostrophes (NYT ``''``), guillemets and -- outside double quotes -- single quotes
   (BBC ``'...'``; apostrophes inside words are never marks). A quote left open at a paragraph
   end continues only when the next paragraph opens with a quotation mark (the multi-paragraph
   convention, at most 6 paragraphs); otherwise it stops at the paragraph end. Overlong spans
   (stray marks) are dropped.
2. **Cues** (dependency parse): speech verbs (said, told, tweeted, argued ...), belief and
   intention verbs with a clause (believes, thinks, wants to ...), stance verbs with an object
   (praised X, called for X, accused X of Y), "according to X", "Name: ..." opening a headline
   or paragraph, "“...” ― Name" signatures, and naming verbs framing a quoted phrase (called it a
   "disaster"). Each cue gets a source (its subject, climbing through "went on to say" /
   ", saying" / relative clauses; the one cited in "was cited by X saying"; a name right before
   the verb when the parse has none) and a content (its clausal complement, its object, or the
   rest of the clause for parentheticals "..., he said, ..."), kept inside the cue's paragraph.
3. **Linking**: each quoted span is claimed by the cue whose content covers it (the innermost
   one) or that sits right next to it ("...," he said / she said: "..." / a paragraph ending in
   "said:"); quotes that fill their cue's content are *direct*, quotes inside a longer reported
   clause make one *mixed* quote for that cue, and cues with no quote give *indirect* quotes.
   Unclaimed sentence-like quotes continue the previous speaker (next paragraph); short
   unattributed ones and Title Case names of shows or books are not quotes. Grouping: "X said A,
   saying “B”" is one quote (B); "X says A and calls her “B”" is two. Reports by an outlet that
   wrap someone else's statement ("Fars reported that X said ...") are not quotes themselves:
   they only add the outlet to ``doc._.cited_outlets``.
4. **Speakers**: the source phrase is resolved to an entity mention (the head, an apposition,
   an organisation in "a Twitter spokesman"); he/she to the subject person earlier in the
   sentence, else the later of the last speaker and the last subject person outside quotes and
   reported words; they/it only to an organisation that just spoke; role nouns ("the
   Ayatollah", "the president", "the senator") to the person whose name, aliases, role or
   preceding title carries that word, else back like "he"; "the company" to the last
   organisation. A resolved entity is replaced by the most-mentioned, longest entity of the same
   label whose name contains it, so "Khamenei" lines up with "Ali Khamenei" even without entity
   canonicalisation. Unresolved sources keep ``speaker=None`` with their ``speaker_mention``.

Besides the contract extensions (``doc._.quotes``, ``doc._.cited_outlets``) the component sets
``doc._.quote_details``: for each quote, doc-level character spans of its text, speaker mention,
cue and content, and the attribution group it belongs to (used by ``bench/quotes.py``; not part
of the indexed document).
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from .model import Entity, Quote
from .nlp import TITLE_SEPARATOR

if not Doc.has_extension("quote_details"):
    Doc.set_extension("quote_details", default=None)

log = logging.getLogger(__name__)

DATA_PATH = Path(__file__).parent / "data" / "quote_cues.json"

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
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_GROUP = {"they", "it"}
PRONOUNS_FIRST = {"i", "we", "you", "me", "us"}
RELATIVE = {"who", "which", "that", "whom"}
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


@lru_cache(maxsize=1)
def _lexicon() -> dict:
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
    }


# ---------------------------------------------------------------------------------------------
# 1. quotation marks


@dataclass
class QSpan:
    start: int  # char offset of the quoted text (after the opening mark)
    end: int  # char offset after the quoted text (before the closing mark, if any)
    outer_start: int
    outer_end: int
    closed: bool
    single: bool = False
    tok_start: int = 0
    tok_end: int = 0
    claimed: bool = False


_DOUBLE_MARK = re.compile(r"''|``|[\"“”„«»]")
_SINGLE_MARK = re.compile(r"['‘’‹›]")
_OPEN_ONLY = {"“", "„", "«", "``"}
_CLOSE_ONLY = {"”", "»"}
_LEFT_OPEN_CONTEXT = set(" \t\n([{—–-/:;,")


def _mark_role(text: str, i: int, j: int) -> tuple[bool, bool]:
    """(can_open, can_close) for a quotation mark at text[i:j], from its neighbours."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[j] if j < len(text) else " "
    can_open = (prev in _LEFT_OPEN_CONTEXT or prev in "\"“'‘") and not nxt.isspace()
    can_close = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    return can_open, can_close


_BREAKS_KEY = "presswatch_paragraph_breaks"


def _hard_wrapped(text: str) -> bool:
    """Newswire text wrapped at a fixed width (Reuters): most lines end mid-sentence."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 4:
        return False
    open_ended = sum(1 for ln in lines if ln.rstrip()[-1:] not in ".?!:\"”'’)")
    return open_ended / len(lines) > 0.4


def _break_pattern(text: str) -> re.Pattern:
    # hard-wrapped text breaks paragraphs at blank lines and indented lines only
    return re.compile(r"\n\s*\n|\n(?=[ \t])") if _hard_wrapped(text) else re.compile(r"\n")


def _paragraphs(text: str, start: int, end: int, pattern: re.Pattern | None = None) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in (pattern or re.compile(r"\n")).finditer(text, start, end):
        a, b = pos, m.start()
        if text[a:b].strip():
            out.append((a, b))
        pos = m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


def _is_break(tok: Token) -> bool:
    """A whitespace token that ends a paragraph (set per doc by `extract`)."""
    breaks = tok.doc.user_data.get(_BREAKS_KEY)
    if breaks is None:
        return "\n" in tok.text
    return tok.i in breaks


def _starts_with_open_mark(text: str, a: int, b: int) -> int | None:
    """Offset after an opening double mark at the start of text[a:b], if any."""
    s = text[a:b]
    stripped = len(s) - len(s.lstrip())
    k = a + stripped
    for mark in ("``", "''", "“", "\"", "„", "«"):
        if text.startswith(mark, k):
            return k + len(mark)
    return None


def find_double_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QSpan]:
    spans: list[QSpan] = []
    open_at: int | None = None  # offset of the opening mark
    open_len = 0
    paras_open = 0
    for p_index, (a, b) in enumerate(paragraphs):
        if open_at is not None:
            # a quote left open at the end of the previous paragraph
            cont = _starts_with_open_mark(text, a, b)
            if cont is None or paras_open >= MAX_QUOTE_PARAGRAPHS:
                prev_end = paragraphs[p_index - 1][1]
                spans.append(QSpan(open_at + open_len, prev_end, open_at, prev_end, False))
                open_at = None
            else:
                paras_open += 1
                a = cont
        for m in _DOUBLE_MARK.finditer(text, a, b):
            mark = m.group()
            can_open, can_close = _mark_role(text, m.start(), m.end())
            if mark in _OPEN_ONLY:
                can_open, can_close = (True, can_close and not can_open)
            elif mark in _CLOSE_ONLY:
                can_open, can_close = (can_open and not can_close, True)
            if open_at is None:
                if can_open or not can_close:
                    open_at, open_len, paras_open = m.start(), len(mark), 0
            else:
                if can_close or not can_open or mark in _CLOSE_ONLY:
                    spans.append(QSpan(open_at + open_len, m.start(), open_at, m.end(), True))
                    open_at = None
                elif mark in _OPEN_ONLY and can_open:
                    # "“...“" mangled marks or a stray opener: restart the quote here
                    open_at, open_len, paras_open = m.start(), len(mark), 0
    if open_at is not None:
        end = paragraphs[-1][1]
        spans.append(QSpan(open_at + open_len, end, open_at, end, False))
    out = []
    for q in spans:
        if q.end - q.start > MAX_QUOTE_CHARS:
            continue  # a stray mark, not a quote
        if not q.closed and q.end - q.start > MAX_QUOTE_CHARS // 3:
            continue
        if text[q.start:q.end].strip():
            out.append(q)
    return out


def find_single_quotes(text: str, paragraphs: list[tuple[int, int]], doubles: list[QSpan]) -> list[QSpan]:
    """'...' quotes (BBC style), outside double quotes; apostrophes inside words never count."""
    out: list[QSpan] = []
    inside = [(q.outer_start, q.outer_end) for q in doubles]

    def in_double(i: int) -> bool:
        return any(s <= i < e for s, e in inside)

    for a, b in paragraphs:
        open_at: int | None = None
        for m in _SINGLE_MARK.finditer(text, a, b):
            i = m.start()
            if in_double(i):
                continue
            mark = m.group()
            prev = text[i - 1] if i > a else " "
            nxt = text[i + 1] if i + 1 < b else " "
            if prev.isalnum() and nxt.isalnum():
                continue  # don't, Iran's
            can_open = (prev.isspace() or prev in "([{—–-/:\"“" or i == a) and (nxt.isalnum() or nxt in "$£€")
            if can_open and text[i + 1 : i + 4].rstrip("s").isdigit():
                can_open = False  # '90s
            can_close = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]—–-\"”" or i + 1 >= b)
            if mark == "‘":
                can_close = False
            if mark == "’" and open_at is None:
                can_open = False
            if open_at is None:
                if can_open:
                    open_at = i
            elif can_close:
                if i - open_at > 1:
                    out.append(QSpan(open_at + 1, i, open_at, i + 1, True, single=True))
                open_at = None
    # a single-quoted "quote" must look like words, not a stray pair of apostrophes
    return [q for q in out if re.search(r"[A-Za-z]{2}", text[q.start:q.end]) and q.end - q.start < MAX_QUOTE_CHARS]


# ---------------------------------------------------------------------------------------------
# 2. cues


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
    quotes: list[QSpan] = field(default_factory=list)
    speaker: tuple | None = None  # (name, mention_text, type, (start_char, end_char), entity)


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


_NP_KEEP = {"appos", "compound", "amod", "det", "poss", "nmod", "nummod", "punct", "case", "quantmod", "flat", "cc", "conj"}


def _np_span(tok: Token) -> tuple[int, int]:
    """The noun phrase of a source head, with appositions ("the union's leader, Bob Crow"),
    without relative clauses and trailing verbal material, within the paragraph."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i + 1
    for child in tok.rights:
        if child.dep_ in _NP_KEEP or (child.dep_ == "prep" and child.text.lower() in {"of", "for", "at"}):
            right = child.right_edge.i + 1
            continue
        break
    while right > tok.i + 1 and (doc[right - 1].is_punct or doc[right - 1].dep_ == "cc"):
        right -= 1
    for i in range(tok.i - 1, left - 1, -1):  # never across a paragraph break
        if _is_break(doc[i]) or doc[i].is_quote:
            left = i + 1
            break
    for i in range(tok.i + 1, right):
        if _is_break(doc[i]) or doc[i].is_quote:
            right = i
            break
    return left, right


_QUOTING_VERBS = {"cited", "quoted"}


def _find_subject(verb: Token) -> tuple[Token | None, Token | None, Token | None]:
    """(subject head, agent head of a passive, relative pronoun standing for the subject) for a
    cue verb, climbing to governing verbs."""
    tok = verb
    for _ in range(5):
        subj = agent = None
        for child in tok.children:
            if child.dep_ in SUBJECT_DEPS and subj is None:
                subj = child
            elif child.dep_ == "agent":
                agent = next((g for g in child.children if g.dep_ == "pobj"), None)
        if subj is not None:
            if subj.text.lower() in RELATIVE and tok.dep_ == "relcl":
                return tok.head, agent, subj  # "Barkley, who said ...": "who" is the local mention
            return subj, agent, None
        if agent is not None:
            return agent, None, None
        if tok.dep_ == "relcl":
            return tok.head, None, None
        if tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            noun = tok.head
            # "was cited by the Tasnim news agency saying ...": the one cited is speaking
            if noun.dep_ == "pobj" and noun.head.dep_ == "agent" and noun.head.head.text.lower() in _QUOTING_VERBS:
                tok = noun.head.head
                continue
            return noun, None, None
        if tok.dep_ in CLIMB_DEPS and tok.head is not tok:
            tok = tok.head
            continue
        if tok.dep_ in {"prep", "pobj", "pcomp"} and tok.head is not tok:
            tok = tok.head  # "quoted by Reuters as saying"
            continue
        return None, None, None
    return None, None, None


def _content_of(verb: Token, cls: str) -> tuple[int, int] | None:
    ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
    if ccomps:
        # the clause after the verb ("said Tuesday that ..."), else the one before ("..., he said")
        after = [c for c in ccomps if c.i > verb.i]
        c = after[0] if after else max(ccomps, key=lambda t: t.right_edge.i - t.left_edge.i)
        s, e = _subtree_span(c)
        return s, e
    if cls == "belief":
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"} and verb.text.lower() not in {"see", "sees", "saw"}:
                return _subtree_span(c)
        return None
    if cls == "speech":
        # "told reporters that ..." sometimes parses the that-clause as advcl / dobj
        for c in verb.children:
            if c.dep_ in {"advcl"} and any(g.dep_ == "mark" and g.text.lower() in {"that", "whether", "if"} for g in c.children):
                return _subtree_span(c)
        # parenthetical: "The hashtag, he said, was popular" / "Content, he said."
        if verb.dep_ == "parataxis" and verb.head is not verb:
            head = verb.head
            s, e = _subtree_span(head)
            vs, ve = _subtree_span(verb)
            left = (s, vs)
            right = (ve, e)
            span = left if left[1] - left[0] >= right[1] - right[0] else right
            return span
    return None


_OBJECT_DEPS = {"dobj", "xcomp", "prep", "oprd", "attr"}
_INTENT_BASES = {"promise", "pledge", "vow", "threaten", "urge", "demand", "propose", "recommend", "advise", "refuse", "decline", "seek", "plan", "want", "hope", "intend", "decide", "call", "ask"}


def _object_content(verb: Token, base: str) -> tuple[int, int] | None:
    """What a verb of saying or evaluating takes as object: "called for more troops", "proposed a
    safe zone", "accused Obama of lying", "vowed to repeal the law"."""
    doc = verb.doc
    if base == "call" and verb.i + 2 < len(doc) and doc[verb.i + 1].lower_ in {"for", "on"}:
        # "called for the US to step up ...", "called on Congress to act"
        start, end = verb.i + 2, verb.right_edge.i + 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return (start, end) if end > start else None
    rights = [c for c in verb.rights if c.dep_ not in {"punct", "prt", "advmod", "npadvmod", "cc", "conj", "advcl", "dep"}]
    if not rights:
        return None
    first = rights[0]
    if first.dep_ == "prep":
        prep = first.text.lower()
        if base in {"talk", "speak", "discuss"}:
            if prep != "about":
                return None  # "spoke to reporters", "speaking at a rally"
        elif base == "vote":
            if prep not in {"for", "against"}:
                return None
        elif not (base in {"call", "refer", "point"} or prep in {"for", "on", "of", "about", "to"}):
            return None
        pobj = next((g for g in first.children if g.dep_ in {"pobj", "pcomp"}), None)
        if pobj is None:
            return None
        start = pobj.left_edge.i
    elif first.dep_ == "xcomp":
        if base not in _INTENT_BASES:
            return None
        start = first.left_edge.i
    elif first.dep_ in {"dobj", "oprd", "attr"}:
        start = first.left_edge.i
    else:
        return None
    end = max(c.right_edge.i for c in rights) + 1
    doc = verb.doc
    # stop before a clause that reports another statement: "... as X, to which Khamenei responded"
    lex = _lexicon()
    for i in range(start, end):
        t = doc[i]
        if t.dep_ in {"relcl", "advcl", "ccomp", "conj"} and t.text.lower() in lex["speech"] and t.left_edge.i > start:
            end = t.left_edge.i
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start < MIN_OBJECT_TOKENS:
        return None
    return start, end


def _is_verbal(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB")


def _adjacent_name(doc: Doc, verb: Token, mention_heads: dict[int, int]) -> Token | None:
    """A name right before the verb ("..., Hamas Deputy Chief Arouri said") when the parse gave no subject."""
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ in {"ADV", "AUX", "PART"} and verb.i - i <= 3:
        i -= 1
    if i >= 0 and (i in mention_heads or (doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper())):
        return doc[i]
    return None


def _clip_to_paragraph(doc: Doc, i: int, span: tuple[int, int]) -> tuple[int, int] | None:
    """The part of a token span inside the paragraph of token i (the parser runs sentences across
    headline and body, and across paragraph breaks)."""
    p_start = i
    while p_start > 0 and not _is_break(doc[p_start - 1]):
        p_start -= 1
    p_end = i + 1
    while p_end < len(doc) and not _is_break(doc[p_end]):
        p_end += 1
    s, e = max(span[0], p_start), min(span[1], p_end)
    return (s, e) if e > s else None


DASHES = {"―", "—", "–", "-", "--"}


def _dash_cue(doc: Doc, dash: Token, mention_starts: dict) -> Cue | None:
    """ "“Maybe we can build a wall around him.” ― Steve Quinlan": a quote signed with a dash."""
    k = dash.i - 1
    while k >= 0 and doc[k].is_space and not _is_break(doc[k]):
        k -= 1
    if k < 0 or not doc[k].is_quote:
        return None
    j = dash.i + 1
    while j < len(doc) and doc[j].is_space and not _is_break(doc[j]):
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
    while start > 0 and doc[start - 1].text.rstrip(".").lower() in _TITLE_WORDS | {"sen", "rep", "gov", "dr", "gen"}:
        start -= 1
    if start > 0 and not _is_break(doc[start - 1]):
        return None  # not at the start of a paragraph
    end = colon.i + 1
    while end < len(doc) and not _is_break(doc[end]):
        end += 1
    while end > colon.i + 1 and doc[end - 1].is_punct and not doc[end - 1].is_quote:
        end -= 1
    if end - colon.i - 1 < 2:
        return None
    head = doc[m_end - 1]
    return Cue(colon, "colon", (start, m_end), head, (colon.i + 1, end), ":", base="colon")


def _content_before(doc: Doc, source_start: int) -> tuple[int, int] | None:
    """ "Showers continued ..., Comissaria Smith said": the clause before ", <source> said" when
    the parse did not attach it to the verb."""
    k = source_start - 1
    while k >= 0 and doc[k].is_space and not _is_break(doc[k]):
        k -= 1
    if k < 0 or doc[k].text != ",":
        return None
    end = k
    start = end
    while start > 0 and not _is_break(doc[start - 1]) and doc[start - 1].text not in {".", "?", "!", ";"}:
        start -= 1
    while start < end and doc[start].is_quote:
        start += 1
    return (start, end) if end - start >= 3 else None


def _name_after_quote(doc: Doc, verb: Token, in_quote: list[bool], mention_heads: dict[int, int]) -> Token | None:
    """ "“...,” Brent Bozell III, founder of the Media Research Center, tells ...": the first name
    between a closing quotation mark and the verb."""
    first = None
    for k in range(verb.i - 1, max(-1, verb.i - 16), -1):
        t = doc[k]
        if in_quote[k] or t.is_quote or t.text in {".", "?", "!", ";"} or _is_break(t):
            break
        if k in mention_heads:
            first = t
    if first is not None:
        # the head of the mention ("III" in "Brent Bozell III")
        return first
    return None


def find_cues(doc: Doc, in_quote: list[bool]) -> list[Cue]:
    lex = _lexicon()
    mention_heads = {m.end - 1: m.end - 1 for m in (doc._.mentions or [])}
    mention_ends = {m.end: m for m in (doc._.mentions or []) if m.entity.label in {"PERSON", "ORG"}}
    mention_starts = {m.start: m for m in (doc._.mentions or []) if m.entity.label in {"PERSON", "ORG"}}
    person_heads = {m.end - 1 for m in (doc._.mentions or []) if m.entity.label in {"PERSON", "ORG"}}
    cues: list[Cue] = []
    for tok in doc:
        low = tok.text.lower()
        if in_quote[tok.i]:
            continue
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].text.lower() == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            head = tok.head
            if head is tok:
                continue
            # the content is the sentence "according to X" modifies, minus the phrase itself
            while head.dep_ not in {"ROOT"} and head.head is not head and not (_is_verbal(head) and head.dep_ not in {"conj"}):
                head = head.head
            while head.dep_ == "conj" and head.head is not head:
                head = head.head  # "A rose, B fell and C held, according to the poll": all of it
            s, e = _subtree_span(head)
            a_s, a_e = _subtree_span(tok)
            if a_s == s and s > 0 and doc[s - 1].lower_ in {"’s", "'s", "is", "was"}:
                continue  # "That's according to the poll"
            if doc[a_e].pos_ == "ADP" if a_e < len(doc) else False:
                # "According to figures from Ofcom, ...": the source runs on to the comma
                comma = next((k for k in range(a_e, min(a_e + 10, e)) if doc[k].text == ","), None)
                if comma is not None:
                    a_e = comma + 1
            left, right = (s, a_s), (a_e, e)
            span = left if left[1] - left[0] >= right[1] - right[0] else right
            if span[1] - span[0] < 3:
                continue
            cues.append(Cue(tok, "according", _np_span(pobj), pobj, span, "according to"))
            continue
        if tok.text in DASHES and tok.i + 1 < len(doc):
            cue = _dash_cue(doc, tok, mention_starts)
            if cue is not None:
                cues.append(cue)
            continue
        if tok.text == ":" and tok.i + 1 < len(doc):
            cue = _colon_cue(doc, tok, mention_ends)
            if cue is not None:
                cues.append(cue)
            continue
        cls = None
        if low in lex["speech"]:
            cls = "speech"
        elif low in lex["belief"]:
            cls = "belief"
        elif low in lex["naming"]:
            cls = "naming"
        elif low in lex["stance"] and "stance" in CUE_CLASSES:
            cls = "stance"
        if cls is None or not _is_verbal(tok) or tok.dep_ in {"amod", "compound"}:
            continue
        base = lex.get(cls, {}).get(low, low)
        if base == "point" and not any(c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children):
            continue
        if cls != "speech" and any(c.dep_ == "auxpass" for c in tok.children):
            continue  # "Trump is expected to win": the subject is what is believed, not who believes
        if base in {"talk", "speak", "vote"} and cls == "speech" and not tok.children:
            continue
        subj, agent, relative = _find_subject(tok)
        content = _content_of(tok, cls)
        obj = False
        if content is None and cls in OBJECT_CLASSES:
            content = _object_content(tok, base)
            obj = content is not None
        if cls in {"belief", "stance"} and content is None:
            continue
        cue_text = tok.text
        prt = [c for c in tok.children if c.dep_ == "prt"]
        if prt:
            cue_text += " " + prt[0].text
        outlet_source = None
        source_head = subj
        if base in {"cite", "quote"} and tok.tag_ == "VBN" and agent is not None:
            outlet_source = _np_span(agent)
        elif base in {"cite", "quote"} and tok.tag_ == "VBN":
            agent_child = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent_child is not None:
                pobj = next((g for g in agent_child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    outlet_source = _np_span(pobj)
        if source_head is None or (source_head.i > tok.i and tok.dep_ != "ROOT" and cls != "speech"):
            source_head = _adjacent_name(doc, tok, mention_heads) or source_head
        elif source_head.i < tok.i and source_head.i not in mention_heads and source_head.pos_ != "PRON":
            # "a state and Cruz strongly suggested": a misparsed subject, a name right before the verb
            near = _adjacent_name(doc, tok, mention_heads)
            if (
                near is not None and near.i in person_heads and near.i > source_head.i and near.dep_ != "pobj"
                and source_head.text.lower() not in _lexicon()["role_nouns"]
            ):
                source_head = near
        if source_head is None:
            source_head = _name_after_quote(doc, tok, in_quote, mention_heads)
        if content is None and cls == "speech" and source_head is not None and source_head.i < tok.i:
            content = _content_before(doc, _np_span(source_head)[0])
        if content is not None:
            content = _clip_to_paragraph(doc, tok.i, content)
        if content is not None and source_head is not None and content[0] < source_head.i < content[1]:
            # "“Yes, I support Cruz,” Brent Bozell, founder of ..., tells ...": the parse put the
            # speaker inside the content; the content stops where the source phrase starts
            cut = _np_span(source_head)[0]
            content = (content[0], cut) if cut > content[0] else None
        local = relative if relative is not None and source_head is not None and source_head.i != relative.i else None
        source = _np_span(source_head) if source_head is not None else None
        cues.append(Cue(tok, cls, source, source_head, content, cue_text, base=base, obj=obj, outlet_source=outlet_source, local=local))
    return cues


# ---------------------------------------------------------------------------------------------
# 4. speakers


def _entity_type(entity: Entity, phrase: str = "") -> str:
    if entity.kind and "outlet" in entity.kind:  # "outlet", and "generic_outlet" ("state media")
        return "outlet"
    if entity.label == "PERSON":
        return "person"
    if entity.kind is None and _looks_like_outlet(entity.name + " " + phrase):
        return "outlet"
    return "organization"


def _looks_like_outlet(phrase: str) -> bool:
    words = re.findall(r"[A-Za-z.]+", phrase.lower())
    heads = _lexicon()["outlet_heads"]
    return any(w in heads for w in words) and not any(w in {"white"} for w in words[:1])


class Resolver:
    """Maps source phrases to canonical entities, with a little discourse memory."""

    def __init__(self, doc: Doc, in_quote: list[bool] | None = None):
        self.doc = doc
        self.in_quote = in_quote
        self.reported: list[bool] | None = None  # tokens inside the content of a cue
        self.sent_starts = [t.i for t in doc if t.is_sent_start or (t.i > 0 and _is_break(doc[t.i - 1]))]
        self._words: dict[int, set[str]] = {}
        mentions = doc._.mentions or []
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.by_token: dict[int, object] = {}
        for m in self.mentions:
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, m)
        self.entities: list[Entity] = list(doc._.entities or {m.entity.name: m.entity for m in self.mentions}.values()) if doc._.entities else list({id(m.entity): m.entity for m in self.mentions}.values())
        self.recent_speakers: list[tuple[int, tuple]] = []  # (token index, speaker tuple)
        self._canon_cache: dict[int, Entity] = {}

    # -- canonical entity
    def canonical(self, entity: Entity) -> Entity:
        key = id(entity)
        if key in self._canon_cache:
            return self._canon_cache[key]
        words = set(_name_words(entity.name)) or set(_name_words(entity.name, keep_titles=True))
        best = entity
        if words:
            for other in self.entities:
                if other is entity or other.label != entity.label:
                    continue
                other_words = set(_name_words(other.name, keep_titles=True))
                for alias in other.aliases:
                    other_words |= set(_name_words(alias, keep_titles=True))
                if words <= other_words and len(other.name) > len(best.name):
                    if best is entity or other.mentions >= best.mentions or len(_name_words(other.name)) > len(_name_words(best.name)):
                        best = other
        self._canon_cache[key] = best
        return best

    def _speaker_from_mention(self, m, mention_text: str | None = None) -> tuple:
        entity = self.canonical(m.entity)
        span = self.doc[m.start : m.end]
        text = mention_text or span.text
        return (entity.name, text, _entity_type(entity, text), (span.start_char, span.end_char), entity)

    def mention_in(self, s: int, e: int, head: Token | None):
        """The mention naming the source phrase doc[s:e]."""
        if head is not None and head.i in self.by_token:
            return self.by_token[head.i]
        inside = [m for m in self.mentions if m.start >= s and m.end <= e]
        if not inside:
            return None
        if head is not None:
            # an apposition names the head: "a spokeswoman, Anna White,"
            for child in head.children:
                if child.dep_ == "appos":
                    for m in inside:
                        if m.start <= child.i < m.end:
                            return m
            # "a Twitter spokesman", "Hamas officials": an organisation modifying the head
            for m in inside:
                tok = self.doc[m.end - 1]
                if tok.head is head and tok.dep_ in {"compound", "nmod", "amod"} and m.entity.label in {"ORG", "LOC"}:
                    return m
            return None
        persons = [m for m in inside if m.entity.label == "PERSON"]
        return (persons or inside)[0]

    def resolve(self, span: tuple[int, int] | None, head: Token | None, at: int) -> tuple:
        """(speaker, mention text, speaker_type, (start_char, end_char) of the mention, entity|None)."""
        if span is None or head is None:
            return (None, None, "unknown", None, None)
        s, e = span
        doc = self.doc
        phrase = doc[s:e]
        phrase_text = phrase.text
        char_span = (phrase.start_char, phrase.end_char)
        low = head.text.lower()
        m = self.mention_in(s, e, head)
        if m is not None:
            sp = self._speaker_from_mention(m, phrase_text if e - s <= 12 else None)
            return sp[0], sp[1], sp[2], char_span, sp[4]
        if low in PRONOUNS_PERSON:
            ante = self._antecedent(at, person=True)
            if ante is not None:
                return ante[0], head.text, ante[2], (head.idx, head.idx + len(head)), ante[4]
            return (None, head.text, "unknown", (head.idx, head.idx + len(head)), None)
        if low in PRONOUNS_GROUP:
            ante = self._antecedent(at, person=False)
            if ante is not None:
                return ante[0], head.text, ante[2], (head.idx, head.idx + len(head)), ante[4]
            return (None, head.text, "unknown", (head.idx, head.idx + len(head)), None)
        if low in PRONOUNS_FIRST:
            return (None, head.text, "unknown", (head.idx, head.idx + len(head)), None)
        lex = _lexicon()
        if low in lex["outlet_heads"] or _looks_like_outlet(phrase_text):
            if low in lex["outlet_heads"] or phrase.root.text.lower() in lex["outlet_heads"]:
                return (_outlet_name(phrase), phrase_text, "outlet", char_span, None)
        role = self._role(head, at)
        if role is not None:
            return role[0], phrase_text, role[2], char_span, role[4]
        if low in ORG_NOUNS and any(t.lower_ in {"the", "its"} for t in head.lefts):
            # "the company", "the department": the organisation last named
            ante = self._org_antecedent(at)
            if ante is not None:
                return ante[0], phrase_text, ante[2], char_span, ante[4]
        if low in lex["role_nouns"] and any(t.lower_ == "the" for t in head.lefts) and not head.tag_.endswith("S"):
            # "the Gunners manager", "the senator": a definite role refers back like "he"
            ante = self._antecedent(at, person=True)
            if ante is not None:
                return ante[0], phrase_text, ante[2], char_span, ante[4]
        return (None, phrase_text, "unknown", char_span, None)

    def _antecedent(self, at: int, person: bool) -> tuple | None:
        """The person (or group) a pronoun at token `at` refers to: the subject earlier in the
        sentence, else the later of the last subject mention and the last speaker (people named
        inside quotes are never antecedents)."""
        doc = self.doc
        in_quote = self.in_quote

        def fits(m) -> bool:
            if in_quote and in_quote[m.start]:
                return False
            # "it"/"they" stand for organisations; places rarely speak
            return m.entity.label == "PERSON" if person else m.entity.label == "ORG"

        k = bisect.bisect_right(self.sent_starts, at) - 1
        sent_start = self.sent_starts[k] if k >= 0 else 0
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if m.end <= sent_start:
                break
            if fits(m) and doc[m.end - 1].dep_ in SUBJECT_DEPS:
                return self._speaker_from_mention(m)
        if not person:
            # "they"/"it": only an organisation that just spoke; "they" is more often people
            for i, sp in reversed(self.recent_speakers):
                if i < at:
                    if sp[2] in {"organization", "outlet"} and at - i <= 150:
                        return sp
                    break
            return None
        subj = last = None
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if at - m.start > 400:
                break
            if not fits(m):
                continue
            if last is None:
                last = m
            if self.reported is not None and self.reported[m.start]:
                continue  # a subject inside someone's reported words is not the next speaker
            if doc[m.end - 1].dep_ in SUBJECT_DEPS or doc[m.end - 1].head.dep_ in SUBJECT_DEPS:
                subj = m
                break
        spk_at, spk = None, None
        for i, sp in reversed(self.recent_speakers):
            if i < at and sp[0] is not None and person == (sp[2] == "person"):
                spk_at, spk = i, sp
                break
        if spk is not None and at - spk_at > 400:
            spk = None
        if subj is not None and (spk is None or subj.start > spk_at):
            return self._speaker_from_mention(subj)
        if spk is not None:
            return spk
        if last is not None:
            return self._speaker_from_mention(last)
        return None

    def _org_antecedent(self, at: int) -> tuple | None:
        """The organisation a definite description ("the company") refers back to: the last one
        named outside quotes, as a subject if there is one nearby."""
        last = None
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if at - m.start > 400:
                break
            if m.entity.label != "ORG" or (self.in_quote and self.in_quote[m.start]):
                continue
            if self.doc[m.end - 1].dep_ in SUBJECT_DEPS:
                return self._speaker_from_mention(m)
            last = last or m
        return self._speaker_from_mention(last) if last is not None else None

    def _role(self, head: Token, at: int) -> tuple | None:
        """ "the Ayatollah", "the president": the person carrying that word in name, alias, role or title."""
        word = head.text.lower()
        if not head.text[:1].isalpha():
            return None
        lex = _lexicon()
        if word not in lex["role_nouns"] and not head.text[:1].isupper():
            return None
        best = None
        # mentions before the source, nearest first; then (names only: a headline) those after
        order = [m for m in reversed(self.mentions) if m.start < at]
        if head.text[:1].isupper() and word not in lex["role_nouns"]:
            order += [m for m in self.mentions if m.start > head.i]
        for m in order:
            entity = self.canonical(m.entity)
            words = self._words.get(id(entity))
            if words is None:
                words = set(_name_words(entity.name, keep_titles=True))
                for alias in entity.aliases:
                    words |= set(_name_words(alias, keep_titles=True))
                if entity.role:
                    words |= set(_name_words(entity.role, keep_titles=True))
                words |= {_TITLE_SYNONYMS.get(w, w) for w in words}
                self._words[id(entity)] = words
            title_before = {_TITLE_SYNONYMS.get(w, w) for w in (t.text.lower().rstrip(".") for t in self.doc[max(0, m.start - 3) : m.start])}
            if word in words or (word in lex["role_nouns"] and _TITLE_SYNONYMS.get(word.rstrip("."), word.rstrip(".")) in title_before):
                if m.entity.label == "PERSON" or word not in lex["role_nouns"]:
                    best = m
                    break
        if best is None:
            return None
        return self._speaker_from_mention(best)

    def remember(self, at: int, speaker: tuple) -> None:
        if speaker[0] is not None:
            self.recent_speakers.append((at, speaker))


_TITLE_SYNONYMS = {"sen": "senator", "gov": "governor", "rep": "representative", "pres": "president", "gen": "general", "secy": "secretary", "sec": "secretary"}
_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sen", "gov", "rep", "president", "the", "supreme", "leader", "ayatollah", "sheikh", "deputy", "chief"}


def _name_words(name: str, keep_titles: bool = False) -> list[str]:
    words = [w.lower().strip(".") for w in re.split(r"[\s\-]+", name) if w]
    words = [w[:-2] if w.endswith("'s") or w.endswith("’s") else w for w in words]
    if keep_titles:
        return [w for w in words if w]
    return [w for w in words if w and w not in _TITLE_WORDS and w not in {"al", "el", "bin", "abu", "van", "von", "de"}]


def _outlet_name(span) -> str:
    """ "the country's Tasnim news agency" -> "Tasnim news agency"; "Iranian state media"."""
    toks = list(span)
    # drop leading determiners and possessive phrases
    start = 0
    for k, t in enumerate(toks):
        if t.dep_ == "case" or t.text in {"'s", "’s"}:
            start = k + 1
    while start < len(toks) and (toks[start].text.lower() in DETERMINERS or toks[start].is_punct):
        start += 1
    words = toks[start:] or toks
    text = span.doc[words[0].i : words[-1].i + 1].text
    return text[:1].upper() + text[1:] if text[:1].islower() and words[0].pos_ == "PROPN" else text


# ---------------------------------------------------------------------------------------------
# 3. linking and output


_MINOR_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from"}


def _is_title(text: str) -> bool:
    """A short Title Case phrase: the name of a show, book or slogan, not speech."""
    words = re.findall(r"[\w'’-]+", text)
    if not words or len(words) > 8 or text.rstrip().endswith((".", "?", "!")):
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[:1].isupper() or w[:1].isdigit() for w in major) and len(major) >= 2


def _plausible_source(c: Cue) -> bool:
    """An object-taking cue ("promised victory") reports a statement only when its source can
    speak: a resolved entity, a pronoun, a person by role, a group of people, a poll or a name."""
    if c.speaker and c.speaker[0] is not None:
        return True
    head = c.source_head
    if head is None:
        return False
    low = head.text.lower()
    lex = _lexicon()
    return (
        low in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_FIRST
        or low in lex["group_nouns"] or low in lex["role_nouns"] or low in lex["outlet_heads"]
        or head.pos_ == "PROPN" or head.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
    )


def _token_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        # fall back to a scan (only whitespace in range)
        s = next((t.i for t in doc if t.idx + len(t) > start), len(doc))
        e = next((t.i for t in doc if t.idx >= end), len(doc))
        return s, max(e, s)
    return span.start, span.end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


_STRIP_TRAIL = " \t\n,;:—–-\"“”'‘’`"
_STRIP_LEAD = " \t\n,;:—–-"
_STRIP_TRAIL_KEEP = " \t\n,;:—–-"


def _trim(text: str, start: int, end: int, *, lead_that: bool = False, keep_marks: bool = False) -> tuple[int, int]:
    while start < end and text[start] in _STRIP_LEAD:
        start += 1
    if lead_that:
        m = re.match(r"(that|whether|if)\s+", text[start:end], re.I)
        if m and end - start - m.end() > 10:
            start += m.end()
    strip = _STRIP_TRAIL_KEEP if keep_marks else _STRIP_TRAIL
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–"):
        end -= 1
    return start, end


class QuoteComponent:
    def __init__(self, nlp: Language | None = None, name: str = "presswatch_quotes"):
        self.name = name
        _lexicon()  # fail early if the cue data is missing

    def __call__(self, doc: Doc) -> Doc:
        try:
            quotes, details, outlets = extract(doc)
        except Exception:  # pragma: no cover - a bad article must not stop the batch
            log.exception("quote extraction failed; the article is indexed without quotes")
            quotes, details, outlets = [], [], []
        doc._.quotes = quotes
        doc._.quote_details = details
        doc._.cited_outlets = outlets
        return doc


def extract(doc: Doc) -> tuple[list[Quote], list[dict], list[str]]:
    """(quotes, per-quote details, cited outlets) of a parsed doc with entity mentions."""
    try:
        return _extract(doc)
    finally:
        doc.user_data.pop(_BREAKS_KEY, None)


def _extract(doc: Doc) -> tuple[list[Quote], list[dict], list[str]]:
    text = doc.text
    n = len(doc)
    body_start = doc._.body_start or 0
    pattern = _break_pattern(text)
    paragraphs = _paragraphs(text, 0, len(text), pattern)
    if not paragraphs:
        return [], [], []
    hard = pattern.pattern != r"\n"
    doc.user_data[_BREAKS_KEY] = {
        t.i for t in doc if "\n" in t.text and (not hard or re.search(r"\n\s*\n|\n[ \t]", t.text))
    }
    doubles = find_double_quotes(text, paragraphs)
    singles = find_single_quotes(text, paragraphs, doubles)
    qspans = sorted(doubles + singles, key=lambda q: q.start)
    in_quote = [False] * n
    for q in qspans:
        q.tok_start, q.tok_end = _token_span(doc, q.start, q.end)
        for i in range(q.tok_start, min(q.tok_end, n)):
            in_quote[i] = True

    cues = find_cues(doc, in_quote)
    resolver = Resolver(doc, in_quote)
    reported = [False] * n
    for c in cues:
        if c.content is not None and c.cls in {"speech", "according", "belief"}:
            for i in range(*c.content):
                reported[i] = True
    resolver.reported = reported

    # resolve speakers in text order, so pronouns see earlier speakers
    outlets: list[str] = []

    def add_outlet(name: str | None) -> None:
        if name and name not in outlets:
            outlets.append(name)

    for c in sorted(cues, key=lambda c: c.token.i):
        at = c.source[0] if c.source else c.token.i
        c.speaker = resolver.resolve(c.source, c.source_head, at)
        if c.local is not None:
            sp = c.speaker
            c.speaker = (sp[0], sp[1], sp[2], (c.local.idx, c.local.idx + len(c.local)), sp[4])
        if c.outlet_source is not None:
            s, e = c.outlet_source
            m = resolver.mention_in(s, e, doc[e - 1])
            add_outlet(resolver.canonical(m.entity).name if m is not None else _outlet_name(doc[s:e]))
        if c.speaker[2] == "outlet" and c.speaker[0]:
            add_outlet(c.speaker[0])
        if c.speaker[0] is not None:
            resolver.remember(c.token.i, c.speaker)

    # -- link each quote to a cue
    for q in qspans:
        best, best_score = None, None
        scored = []
        for c in cues:
            if c.obj and not _plausible_source(c):
                continue
            ci = c.token.i
            score = None
            if c.content is not None and _overlap(c.content, (q.tok_start, q.tok_end)) > 0:
                # the content covers the quote: the smaller the content, the closer the cue
                score = (0, c.content[1] - c.content[0])
            elif c.base not in SAY_LIKE and c.cls != "naming":
                pass  # "promised “victory”": only verbs of saying frame a quote they don't govern
            elif q.tok_end <= ci:
                # "...," he said / "...," said Mr. White: only the speaker and punctuation between
                gap = doc[q.tok_end : ci]
                src = range(*(c.source or (0, 0)))
                if len(gap) <= 8 and all(
                    t.is_punct or t.i in src or t.pos_ in {"ADV", "AUX", "PART"} or t.is_space and not _is_break(t)
                    for t in gap
                ) and not any(t.text in {".", "?", "!"} for t in gap):
                    score = (1, len(gap))
            elif ci < q.tok_start:
                gap = doc[ci + 1 : q.tok_start]
                before = doc[q.tok_start - 1]
                while before.i > ci and (before.is_quote or before.is_space):
                    before = doc[before.i - 1]
                if c.cls == "naming" and len(gap) <= 12 and not any(t.text in {".", "?", "!"} or _is_break(t) for t in gap):
                    score = (2, len(gap))
                elif len(gap) <= 10 and not any(t.text in {".", "?", "!"} or _is_break(t) for t in gap):
                    tail = before.text if before.i > ci else ""
                    score = (2, len(gap)) if (tail in {",", ":", "that", "—", "-"} or before.i == ci) else (3, len(gap))
                elif before.text == ":" and before.i > ci and len(gap) <= 14 and not any(
                    t.text in {".", "?", "!"} or _is_break(t) for t in doc[ci + 1 : before.i]
                ):
                    # "Clinton said in a statement:" closing a paragraph, the quote in the next one
                    score = (2, len(gap))
            if score is not None:
                scored.append((score, c))
        # a cue nested in another candidate's content is the nearer attribution
        # -- except a belief of the same speaker inside a statement ("says he feels he did “great”")
        def inner(o: Cue, c: Cue) -> bool:
            if o is c or not c.content or not (c.content[0] <= o.token.i < c.content[1]):
                return False
            same = o.speaker and c.speaker and o.speaker[0] is not None and o.speaker[0] == c.speaker[0]
            return not (o.cls == "belief" and c.cls == "speech" and same)

        def framed_belief(o: Cue) -> bool:
            return o.cls == "belief" and any(
                c is not o and c.cls == "speech" and c.content and c.content[0] <= o.token.i < c.content[1]
                and o.speaker and c.speaker and o.speaker[0] is not None and o.speaker[0] == c.speaker[0]
                for _, c in scored
            )

        nested = [
            (sc, c) for sc, c in scored
            if not any(inner(o, c) for _, o in scored) and not framed_belief(c)
        ]
        for score, c in nested or scored:
            if best_score is None or score < best_score:
                best, best_score = c, score
        if best is not None:
            if best_score[0] == 3 and (q.end - q.start < 15 or _is_title(text[q.start : q.end])):
                best = None  # a scare-quoted word or a title ("Sunday Morning Futures") after a verb
        if best is not None:
            best.quotes.append(q)
            q.claimed = True

    # -- attributions, in text order
    records = []  # (cue|None, kind, char start, char end, quote spans)
    for c in cues:
        if c.quotes:
            inner = [q for q in c.quotes if not c.content or _overlap(c.content, (q.tok_start, q.tok_end))]
            uncovered = 0
            if c.content is not None and inner:
                covered = set()
                for q in inner:
                    covered.update(range(q.tok_start - 1, q.tok_end + 1))
                uncovered = sum(
                    1 for i in range(*c.content)
                    if i not in covered and not doc[i].is_punct and not doc[i].is_space
                    and not (doc[i].dep_ == "mark" and doc[i].text.lower() in {"that", "whether", "if"})
                )
            if c.content is None and c.cls == "naming":
                records.append((c, "mixed", c.quotes[0].start, c.quotes[-1].end, c.quotes))
            elif c.content is None or uncovered <= 1 or not inner:
                for q in c.quotes:
                    records.append((c, "direct", q.start, q.end, [q]))
            else:
                s, e = c.content
                cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                # quotes outside the content (", he said, '...'") are direct on their own
                for q in c.quotes:
                    if q not in inner:
                        records.append((c, "direct", q.start, q.end, [q]))
                records.append((c, "mixed", cs, ce, inner))
        elif c.cls == "naming" and not c.obj:
            continue
        elif c.content is not None:
            s, e = c.content
            if e - s < (MIN_OBJECT_TOKENS if c.obj else 3) or e - s > MAX_INDIRECT_TOKENS:
                continue
            if all(in_quote[i] for i in range(s, e)):
                continue
            cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            records.append((c, "indirect", cs, ce, []))

    # unclaimed sentence-like quotes: continuation of the previous speaker, else unknown
    for q in qspans:
        if q.claimed:
            continue
        words = len(re.findall(r"\w+", text[q.start : q.end]))
        if _is_title(text[q.start : q.end]) and (not body_start or q.start >= body_start):
            continue
        if words < SENTENCE_LIKE_WORDS and not (words >= 3 and re.search(r"[.?!]\W*$", text[q.start : q.end])):
            continue
        records.append((None, "direct", q.start, q.end, [q]))

    records.sort(key=lambda r: (r[2], -r[3]))

    def inner_cues(c: Cue) -> list[Cue]:
        if c.content is None:
            return []
        s, e = c.content
        return [o for o in cues if o is not c and s <= o.token.i < e and (o.quotes or o.content)]

    def wraps_other(c: Cue) -> bool:
        """The content holds someone else's attributed statement ("Fars reported that X said ...")."""
        return any(o.speaker and o.speaker[0] != c.speaker[0] for o in inner_cues(c))

    def redundant(c: Cue) -> bool:
        """Little of the content is left once nested attributions (cue, source, quotes) are removed."""
        s, e = c.content
        taken = set()
        if not inner_cues(c):
            return False
        for o in inner_cues(c):
            taken.add(o.token.i)
            if o.source:
                taken.update(range(*o.source))
            for q in o.quotes:
                taken.update(range(q.tok_start, q.tok_end))
        left = [i for i in range(s, e) if i not in taken and not doc[i].is_punct and not doc[i].is_space]
        return len(left) < 3

    quotes: list[Quote] = []
    details: list[dict] = []
    last_speaker: tuple | None = None
    last_group: int | None = None
    last_end_para = -10
    para_starts = [a for a, _ in paragraphs]

    def para_index(ch: int) -> int:
        return bisect.bisect_right(para_starts, ch) - 1

    for c, kind, cs, ce, qs in records:
        if c is not None:
            speaker = c.speaker
            if speaker[2] == "outlet" and wraps_other(c):
                continue  # the outlet relays someone else's words: cited, not quoted
            if kind == "indirect" and c.cls == "according" and wraps_other(c):
                continue
            if kind != "direct" and c.source_head is not None and c.source_head.lower_ in PRONOUNS_FIRST:
                continue  # "I think ...", "you know ...": the author's or a transcript's voice
            if c.cls == "colon" and speaker[0] is None and not (body_start and cs < body_start and _plausible_source(c)):
                continue  # "Update: ...", "Note: ..."
            if kind != "direct" and c.content is not None:
                if redundant(c):
                    continue
                if c.obj and not _plausible_source(c):
                    continue  # "the resistance promised victory": not a statement
                if c.obj and any(
                    o is not c and o.speaker and o.speaker[0] == speaker[0] and (o.quotes or o.content)
                    and c.token.left_edge.i <= o.token.i <= c.token.right_edge.i and o.token.dep_ == "advcl" and o.token.tag_ == "VBG"
                    for o in cues
                ):
                    continue  # "criticized the plan, saying it was ...": the saying is the statement
                # nested statements of the same speaker: "said A, saying “B”" is one statement (the
                # quote); "says A and calls her “B”" is two (the content stops before the second)
                same = [o for o in inner_cues(c) if o.quotes and o.speaker and o.speaker[0] == speaker[0]]
                if same:
                    if speaker[0] is None or any(o.token.dep_ in {"advcl", "ccomp", "parataxis"} for o in same):
                        continue
                    cut = min(o.token.left_edge.i if o.token.left_edge.i > c.content[0] else o.token.i for o in same)
                    s0 = c.content[0]
                    if sum(1 for i in range(s0, cut) if not doc[i].is_punct and doc[i].dep_ != "cc") < 3:
                        continue
                    cs, ce = doc[s0].idx, doc[cut - 1].idx + len(doc[cut - 1])
                    kind = "mixed" if any(in_quote[i] for i in range(s0, cut)) else "indirect"
                else:
                    # "said he would offer “a prayer” but did not suggest it would be Trump": a
                    # coordinated cue is a statement of its own; the content stops before it
                    coord = [o for o in inner_cues(c) if o.token.dep_ == "conj" and o.token.i > c.content[0]]
                    if coord:
                        cut = min(o.token.left_edge.i if o.token.left_edge.i > c.content[0] else o.token.i for o in coord)
                        s0 = c.content[0]
                        while cut > s0 and (doc[cut - 1].is_punct or doc[cut - 1].dep_ == "cc"):
                            cut -= 1
                        if sum(1 for i in range(s0, cut) if not doc[i].is_punct) >= 3:
                            cs, ce = doc[s0].idx, doc[cut - 1].idx + len(doc[cut - 1])
                            if kind == "mixed" and not any(in_quote[i] for i in range(s0, cut)):
                                kind = "indirect"
            cue_text = c.cue_text
            group = id(c) if kind == "direct" else len(quotes) + 1
        else:
            pi = para_index(cs)
            if last_speaker is not None and pi - last_end_para <= 1:
                speaker = last_speaker
                group = last_group
            else:
                speaker = (None, None, "unknown", None, None)
                group = len(quotes) + 1
            cue_text = None
        if kind == "indirect":
            ts, te = _trim(text, cs, ce, lead_that=True)
        elif kind == "mixed":
            ts, te = _trim(text, cs, ce, lead_that=True, keep_marks=True)
            if c is not None and c.content is None:
                ts, te = _trim_quote(text, qs[0].start, qs[-1].end)
            else:
                # keep the partial quotes whole: the closing mark of a quote the content ends in
                for q in qs:
                    if q.start < te <= q.end + 2 and q.closed and q.outer_end > te:
                        te = q.outer_end
        else:
            ts, te = _trim_quote(text, cs, ce)
        if te - ts < 2:
            continue
        # drop nested attributions inside an already emitted quote of the same speaker
        if quotes and kind != "direct":
            prev = details[-1]
            if prev["doc_span"][0] <= ts and te <= prev["doc_span"][1] and quotes[-1].speaker == speaker[0]:
                continue
        field_name = "title" if body_start and ts < body_start else "body"
        if field_name == "title":
            te = min(te, body_start - len(TITLE_SEPARATOR))
            offset = 0
            if te - ts < 2:
                continue
        else:
            offset = body_start
        quotes.append(
            Quote(
                text=text[ts:te],
                speaker=speaker[0],
                speaker_mention=speaker[1],
                speaker_type=speaker[2] if speaker[0] is not None or speaker[2] == "outlet" else "unknown",
                cue=cue_text,
                kind=kind,
                start=ts - offset,
                end=te - offset,
                field=field_name,
            )
        )
        details.append(
            {
                "doc_span": (ts, te),
                "speaker_span": speaker[3],
                "speaker_aliases": list(speaker[4].aliases) if speaker[4] is not None else [],
                "cue_span": (c.token.idx, c.token.idx + len(c.token)) if c is not None else None,
                "content_spans": [(q.outer_start, q.outer_end) for q in qs] if kind == "direct" and qs else [(ts, te)],
                "group": group,  # parts of one attribution: an interrupted quote and its continuations
            }
        )
        if kind == "direct" or speaker[0] is not None:
            if speaker[0] is not None:
                last_speaker, last_group = speaker, group
            last_end_para = para_index(te)

    return quotes, details, outlets


@Language.factory("presswatch_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent(nlp, name)


def install(nlp: Language) -> None:
    nlp.add_pipe("presswatch_quotes", last=True)
