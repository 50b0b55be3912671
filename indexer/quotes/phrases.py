"""Pass 2, on the dependency parse: the source (who) and content (what) phrases of a cue word."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import CLIMB_DEPS, MIN_OBJECT_TOKENS, RELATIVE, SUBJECT_DEPS, THAT_WORDS, cue_lexicon
from ..contract import is_break, paragraph_bounds


def subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


_NP_KEEP = {"appos", "compound", "amod", "det", "poss", "nmod", "nummod", "punct", "case", "quantmod", "flat", "cc", "conj"}


def np_span(tok: Token) -> tuple[int, int]:
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
        if is_break(doc[i]) or doc[i].is_quote:
            left = i + 1
            break
    for i in range(tok.i + 1, right):
        if is_break(doc[i]) or doc[i].is_quote:
            right = i
            break
    return left, right


_QUOTING_VERBS = {"cited", "quoted"}


def in_verb_paragraph(subj: Token, verb: Token) -> Token | None:
    """The subject, or, when the parse took a word of an earlier paragraph (the headline: "Sanctions" of
    "Sanctions\n\nRussia said"), the last noun of its phrase in the verb's own paragraph."""
    doc = verb.doc
    lo, hi = sorted((subj.i, verb.i))
    breaks = [i for i in range(lo, hi) if is_break(doc[i])]
    if not breaks:
        return subj
    start = breaks[-1] + 1 if subj.i < verb.i else verb.i
    inside = [t for t in subj.subtree if start <= t.i < verb.i and t.pos_ in {"PROPN", "NOUN", "PRON"}]
    return inside[-1] if inside else None


def find_subject(verb: Token) -> tuple[Token | None, Token | None, Token | None]:
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
            return in_verb_paragraph(subj, verb), agent, None
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


def content_of(verb: Token, cls: str) -> tuple[int, int] | None:
    ccomps = [c for c in verb.children if c.dep_ == "ccomp"]
    if ccomps:
        # the clause after the verb ("said Tuesday that ..."), else the one before ("..., he said")
        after = [c for c in ccomps if c.i > verb.i]
        c = after[0] if after else max(ccomps, key=lambda t: t.right_edge.i - t.left_edge.i)
        s, e = subtree_span(c)
        return s, e
    clause = noun_complement_clause(verb) if cls in {"speech", "belief"} else None
    if clause is not None:
        return subtree_span(clause)
    if cls == "belief":
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"} and verb.text.lower() not in {"see", "sees", "saw"}:
                return subtree_span(c)
        return None
    if cls == "speech":
        # "told reporters that ..." sometimes parses the that-clause as advcl / dobj
        for c in verb.children:
            if c.dep_ in {"advcl"} and opens_with_that(c):
                return subtree_span(c)
        # parenthetical: "The hashtag, he said, was popular" / "Content, he said."
        if verb.dep_ == "parataxis" and verb.head is not verb:
            head = verb.head
            s, e = subtree_span(head)
            vs, ve = subtree_span(verb)
            left = (s, vs)
            right = (ve, e)
            span = left if left[1] - left[0] >= right[1] - right[0] else right
            return span
    return None


EMPTY_OBJECTS = frozenset({"nothing", "none", "little"})  # "said nothing about rumours that ...": no claim


def noun_complement_clause(verb: Token) -> Token | None:
    """The head of a that-clause on the verb's own object, or on the object of its "without":
    "claimed without evidence that ...", "repeated his claim that ...", "made the case that ..."."""
    for noun in _objects(verb):
        if noun.lower_ in EMPTY_OBJECTS:
            continue
        for clause in noun.children:
            if clause.dep_ == "acl" and clause.i > noun.i and opens_with_that(clause):
                return clause
    return None


def opens_with_that(clause: Token) -> bool:
    """The clause is marked by "that", "whether" or "if": reported content."""
    return any(m.dep_ == "mark" and m.lower_ in THAT_WORDS for m in clause.children)


def _objects(verb: Token) -> list[Token]:
    out = []
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ == "dobj":
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ == "without":
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


_OBJECT_DEPS = {"dobj", "xcomp", "prep", "oprd", "attr"}
_INTENT_BASES = {"promise", "pledge", "vow", "threaten", "urge", "demand", "propose", "recommend", "advise", "refuse", "decline", "seek", "plan", "want", "hope", "intend", "decide", "call", "ask"}


def object_content(verb: Token, base: str) -> tuple[int, int] | None:
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
    lex = cue_lexicon()
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


def adjacent_name(doc: Doc, verb: Token, mention_heads: dict[int, int]) -> Token | None:
    """A name right before the verb ("..., Hamas Deputy Chief Arouri said") when the parse gave no subject."""
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ in {"ADV", "AUX", "PART"} and verb.i - i <= 3:
        i -= 1
    if i >= 0 and (i in mention_heads or (doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper())):
        name = doc[i]
        # "Senator John Cornyn of Texas backed": the person the place qualifies, not the place
        prep = name.head if name.dep_ == "pobj" else None
        if prep is not None and prep.lower_ in {"of", "from"} and prep.head.i < prep.i and prep.head.i in mention_heads:
            return prep.head
        return name
    return None


def clip_to_paragraph(doc: Doc, i: int, span: tuple[int, int]) -> tuple[int, int] | None:
    """The part of a token span inside the paragraph of token i (the parser runs sentences across
    headline and body, and across paragraph breaks)."""
    p_start, p_end = paragraph_bounds(doc, i)
    s, e = max(span[0], p_start), min(span[1], p_end)
    return (s, e) if e > s else None


def content_before(doc: Doc, source_start: int) -> tuple[int, int] | None:
    """ "Showers continued ..., Comissaria Smith said": the clause before ", <source> said" when
    the parse did not attach it to the verb."""
    k = source_start - 1
    while k >= 0 and doc[k].is_space and not is_break(doc[k]):
        k -= 1
    if k < 0 or doc[k].text != ",":
        return None
    end = k
    start = end
    while start > 0 and not is_break(doc[start - 1]) and doc[start - 1].text not in {".", "?", "!", ";"}:
        start -= 1
    while start < end and doc[start].is_quote:
        start += 1
    return (start, end) if end - start >= 3 else None


def name_after_quote(doc: Doc, verb: Token, in_quote: list[bool], mention_heads: dict[int, int]) -> Token | None:
    """ "“...,” Brent Bozell III, founder of the Media Research Center, tells ...": the first name
    between a closing quotation mark and the verb."""
    first = None
    for k in range(verb.i - 1, max(-1, verb.i - 16), -1):
        t = doc[k]
        if in_quote[k] or t.is_quote or t.text in {".", "?", "!", ";"} or is_break(t):
            break
        if k in mention_heads:
            first = t
    if first is not None:
        # the head of the mention ("III" in "Brent Bozell III")
        return first
    return None
