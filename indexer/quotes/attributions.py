"""Phase 4: the attributions of a doc, in text order. Quotes that fill their cue's content are
*direct*; quotes inside a longer reported clause make one *mixed* attribution for that cue; cues with no
quote give *indirect* ones; unclaimed sentence-like quotes are attributions without a cue (they
continue an earlier speaker, decided when linking). Each is checked against what is not a statement
("Fars reported that X said ...", "I think ...", "Update: ...") and its content narrowed where a
nested statement of the same speaker starts, then trimmed to its text."""

from __future__ import annotations

import re

from ..contract import field_span
from .context import QuoteContext, overlap
from .cues import Cue, plausible_source
from .lexicon import MAX_INDIRECT_TOKENS, MIN_OBJECT_TOKENS, PRONOUNS_FIRST, SENTENCE_LIKE_WORDS, THAT_WORDS
from .marks import QuoteSpan, looks_like_title
from .records import Attribution

_STRIP_TRAIL = " \t\n,;:—–-\"“”'‘’`"
_STRIP_LEAD = " \t\n,;:—–-"
_STRIP_TRAIL_KEEP = " \t\n,;:—–-"


def trim(text: str, start: int, end: int, *, keep_marks: bool = False) -> tuple[int, int]:
    """A reported clause without the punctuation around it. A leading "that" / "whether" / "if" stays:
    it is part of the reported content, as annotators mark it (PolNeAR: "said that ...")."""
    while start < end and text[start] in _STRIP_LEAD:
        start += 1
    strip = _STRIP_TRAIL_KEEP if keep_marks else _STRIP_TRAIL
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–"):
        end -= 1
    return start, end


def _chars(ctx: QuoteContext, s: int, e: int) -> tuple[int, int]:
    doc = ctx.doc
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1])


# -- raw attributions of one cue, and of unclaimed quotes ------------------------------------------


def _uncovered_words(ctx: QuoteContext, c: Cue, inner: list[QuoteSpan]) -> int:
    """Words of the cue's content outside its quotes (a "that" linking them does not count)."""
    doc = ctx.doc
    covered: set[int] = set()
    for q in inner:
        covered.update(range(q.tok_start - 1, q.tok_end + 1))
    return sum(
        1 for i in range(*c.content)
        if i not in covered and not doc[i].is_punct and not doc[i].is_space
        and not (doc[i].dep_ == "mark" and doc[i].lower_ in THAT_WORDS)
    )


def _of_quoted_cue(ctx: QuoteContext, c: Cue) -> list[Attribution]:
    inner = [q for q in c.quotes if not c.content or overlap(c.content, (q.tok_start, q.tok_end))]
    if c.content is None and c.cls == "naming":
        return [Attribution(c, "mixed", c.quotes[0].start, c.quotes[-1].end, c.quotes)]
    if c.content is None or not inner or _uncovered_words(ctx, c, inner) <= 1:
        return [Attribution(c, "direct", q.start, q.end, [q]) for q in c.quotes]
    cs, ce = _chars(ctx, *c.content)
    # quotes outside the content (", he said, '...'") are direct on their own
    out = [Attribution(c, "direct", q.start, q.end, [q]) for q in c.quotes if q not in inner]
    return out + [Attribution(c, "mixed", cs, ce, inner)]


def _of_cue(ctx: QuoteContext, c: Cue) -> list[Attribution]:
    if c.quotes:
        return _of_quoted_cue(ctx, c)
    if c.content is None or (c.cls == "naming" and not c.obj):
        return []
    s, e = c.content
    if e - s < (MIN_OBJECT_TOKENS if c.obj else 3) or e - s > MAX_INDIRECT_TOKENS:
        return []
    if all(ctx.in_quote[i] for i in range(s, e)):
        return []
    return [Attribution(c, "indirect", *_chars(ctx, s, e), [])]


def _sentence_like(ctx: QuoteContext, q: QuoteSpan) -> bool:
    quoted = ctx.text[q.start : q.end]
    if looks_like_title(quoted) and (not ctx.body_start or q.start >= ctx.body_start):
        return False
    words = len(re.findall(r"\w+", quoted))
    return words >= SENTENCE_LIKE_WORDS or (words >= 3 and bool(re.search(r"[.?!]\W*$", quoted)))


def raw_attributions(ctx: QuoteContext) -> list[Attribution]:
    """Every candidate attribution, in text order (longer first at one start)."""
    found = [a for c in ctx.cues for a in _of_cue(ctx, c)]
    found += [Attribution(None, "direct", q.start, q.end, [q]) for q in ctx.spans if not q.claimed and _sentence_like(ctx, q)]
    return sorted(found, key=lambda a: (a.start, -a.end))


# -- what is not a statement, and nested statements --------------------------------------------------


def _inner_cues(ctx: QuoteContext, c: Cue) -> list[Cue]:
    if c.content is None:
        return []
    s, e = c.content
    return [o for o in ctx.cues if o is not c and o.cls != "open" and s <= o.token.i < e and (o.quotes or o.content)]


def _wraps_other(ctx: QuoteContext, c: Cue) -> bool:
    """The content holds someone else's attributed statement ("Fars reported that X said ...")."""
    return any(o.speaker and o.speaker.name != c.speaker.name for o in _inner_cues(ctx, c))


def _redundant(ctx: QuoteContext, c: Cue) -> bool:
    """Little of the content is left once nested attributions (cue, source, quotes) are removed."""
    inner = _inner_cues(ctx, c)
    if not inner:
        return False
    taken: set[int] = set()
    for o in inner:
        taken.add(o.token.i)
        if o.source:
            taken.update(range(*o.source))
        for q in o.quotes:
            taken.update(range(q.tok_start, q.tok_end))
    doc = ctx.doc
    left = [i for i in range(*c.content) if i not in taken and not doc[i].is_punct and not doc[i].is_space]
    return len(left) < 3


def _said_by_saying(ctx: QuoteContext, c: Cue) -> bool:
    """ "criticized the plan, saying it was ...": the saying is the statement."""
    name = c.speaker.name
    return any(
        o is not c and o.cls != "open" and o.speaker and o.speaker.name == name and (o.quotes or o.content)
        and c.token.left_edge.i <= o.token.i <= c.token.right_edge.i and o.token.dep_ == "advcl" and o.token.tag_ == "VBG"
        for o in ctx.cues
    )


def is_statement(ctx: QuoteContext, a: Attribution) -> bool:
    """False for what only looks like one: an outlet relaying someone else's words (cited, not quoted),
    the author's or a transcript's voice, a heading ("Update: ..."), a report whose nested statements
    say all of it, an object-taking cue whose subject cannot speak."""
    c = a.cue
    if c is None:
        return True
    if c.speaker.type == "outlet" and _wraps_other(ctx, c):
        return False
    if a.kind == "indirect" and c.cls == "according" and _wraps_other(ctx, c):
        return False
    if a.kind != "direct" and c.source_head is not None and c.source_head.lower_ in PRONOUNS_FIRST:
        return False
    if c.cls == "colon" and c.speaker.name is None and not (ctx.body_start and a.start < ctx.body_start and plausible_source(c)):
        return False
    if a.kind != "direct" and c.content is not None:
        if _redundant(ctx, c):
            return False
        if c.obj and (not plausible_source(c) or _said_by_saying(ctx, c)):
            return False
    return True


def _cut_before(ctx: QuoteContext, c: Cue, cues: list[Cue], *, drop_cc: bool) -> int | None:
    """The token where `c`'s content stops before the first of `cues`; None when fewer than 3 words
    are left before it."""
    doc = ctx.doc
    s0 = c.content[0]
    cut = min(o.token.left_edge.i if o.token.left_edge.i > s0 else o.token.i for o in cues)
    if drop_cc:
        while cut > s0 and (doc[cut - 1].is_punct or doc[cut - 1].dep_ == "cc"):
            cut -= 1
    words = sum(1 for i in range(s0, cut) if not doc[i].is_punct and (drop_cc or doc[i].dep_ != "cc"))
    return cut if words >= 3 else None


def narrow(ctx: QuoteContext, a: Attribution) -> bool:
    """Nested statements of the same speaker: "said A, saying “B”" is one statement (the quote);
    "says A and calls her “B”" is two (the content stops before the second); "said he would offer “a
    prayer” but did not suggest ...": a coordinated cue is a statement of its own. False: drop `a`."""
    c = a.cue
    if c is None or a.kind == "direct" or c.content is None:
        return True
    s0 = c.content[0]
    same = [o for o in _inner_cues(ctx, c) if o.quotes and o.speaker and o.speaker.name == c.speaker.name]
    if same:
        if c.speaker.name is None or any(o.token.dep_ in {"advcl", "ccomp", "parataxis"} for o in same):
            return False
        cut = _cut_before(ctx, c, same, drop_cc=False)
        if cut is None:
            return False
        a.start, a.end = _chars(ctx, s0, cut)
        a.kind = "mixed" if any(ctx.in_quote[i] for i in range(s0, cut)) else "indirect"
        return True
    coord = [o for o in _inner_cues(ctx, c) if o.token.dep_ == "conj" and o.token.i > s0]
    cut = _cut_before(ctx, c, coord, drop_cc=True) if coord else None
    if cut is not None:
        a.start, a.end = _chars(ctx, s0, cut)
        if a.kind == "mixed" and not any(ctx.in_quote[i] for i in range(s0, cut)):
            a.kind = "indirect"
    return True


# -- the text of each attribution --------------------------------------------------------------------


def trim_to_text(ctx: QuoteContext, a: Attribution) -> bool:
    """Trim `a` to its text (a headline quote ends with the headline); False when nothing is left."""
    text = ctx.text
    if a.kind == "indirect":
        a.start, a.end = trim(text, a.start, a.end)
    elif a.kind == "mixed":
        a.start, a.end = trim(text, a.start, a.end, keep_marks=True)
        if a.cue is not None and a.cue.content is None:
            a.start, a.end = trim_quote(text, a.quotes[0].start, a.quotes[-1].end)
        else:
            # keep the partial quotes whole: the closing mark of a quote the content ends in
            for q in a.quotes:
                if q.start < a.end <= q.end + 2 and q.closed and q.outer_end > a.end:
                    a.end = q.outer_end
    else:
        a.start, a.end = trim_quote(text, a.start, a.end)
    if a.end - a.start < 2:
        return False
    field_name, _, field_end = field_span(ctx.body_start, a.start, a.end)
    if field_name == "title":
        a.end = field_end  # the title starts the doc: its offsets are the doc's
    return a.end - a.start >= 2


def build_attributions(ctx: QuoteContext) -> list[Attribution]:
    """Phase 4: the statements of the doc, in text order, trimmed to their text."""
    return [a for a in raw_attributions(ctx) if is_statement(ctx, a) and narrow(ctx, a) and trim_to_text(ctx, a)]
