"""Pass 2: cues -- speech, belief, naming and stance verbs, "according to", "Name: ..." and
"“...” ― Name" -- each with its source and content."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .lexicon import CUE_CLASSES, OBJECT_CLASSES, TITLE_WORDS, cue_lexicon
from ..contract import is_break
from .marks import QSpan
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
    quotes: list[QSpan] = field(default_factory=list)
    speaker: tuple | None = None  # (name, mention_text, type, (start_char, end_char), entity)



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



def find_cues(doc: Doc, in_quote: list[bool]) -> list[Cue]:
    lex = cue_lexicon()
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
            s, e = subtree_span(head)
            a_s, a_e = subtree_span(tok)
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
            cues.append(Cue(tok, "according", np_span(pobj), pobj, span, "according to"))
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
        subj, agent, relative = find_subject(tok)
        content = content_of(tok, cls)
        obj = False
        if content is None and cls in OBJECT_CLASSES:
            content = object_content(tok, base)
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
            outlet_source = np_span(agent)
        elif base in {"cite", "quote"} and tok.tag_ == "VBN":
            agent_child = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent_child is not None:
                pobj = next((g for g in agent_child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    outlet_source = np_span(pobj)
        if source_head is None or (source_head.i > tok.i and tok.dep_ != "ROOT" and cls != "speech"):
            source_head = adjacent_name(doc, tok, mention_heads) or source_head
        elif source_head.i < tok.i and source_head.i not in mention_heads and source_head.pos_ != "PRON":
            # "a state and Cruz strongly suggested": a misparsed subject, a name right before the verb
            near = adjacent_name(doc, tok, mention_heads)
            if (
                near is not None and near.i in person_heads and near.i > source_head.i and near.dep_ != "pobj"
                and source_head.text.lower() not in cue_lexicon()["role_nouns"]
            ):
                source_head = near
        if source_head is None:
            source_head = name_after_quote(doc, tok, in_quote, mention_heads)
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
        cues.append(Cue(tok, cls, source, source_head, content, cue_text, base=base, obj=obj, outlet_source=outlet_source, local=local))
    return cues
