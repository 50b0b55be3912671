"""Phase 3: each cue's source resolved to a speaker (in text order, so pronouns see earlier speakers),
and each quoted span claimed by the cue that frames it: the cue whose content covers it (the innermost
one) or that sits right next to it ("...," he said / she said: "..." / a paragraph ending in "said:")."""

from __future__ import annotations

import re

from ..contract import is_break
from .context import QuoteContext, overlap
from .cues import Cue, plausible_source
from .lexicon import SAY_LIKE
from .marks import QuoteSpan, looks_like_title
from .speakers import Resolver, outlet_name

# how a cue frames a quote, best first: its content covers it, it follows it, it precedes it
COVERS, FOLLOWS, PRECEDES, PRECEDES_LOOSELY = 0, 1, 2, 3


def resolve_sources(ctx: QuoteContext) -> None:
    """Each cue's speaker, and the outlets the article cites ("cited by X", an outlet speaking)."""
    doc = ctx.doc
    resolver = Resolver(doc, ctx.in_quote)
    reported = [False] * len(doc)
    for c in ctx.cues:
        if c.content is not None and c.cls in {"speech", "according", "belief"}:  # not "open"
            for i in range(*c.content):
                reported[i] = True
    resolver.reported = reported
    ctx.resolver = resolver
    resolved: list[Cue] = []
    for c in sorted(ctx.cues, key=lambda c: c.token.i):
        at = c.source[0] if c.source else c.token.i
        described = _described_source(c, resolved)
        c.speaker = described.speaker if described is not None else resolver.resolve(c.source, c.source_head, at)
        resolved.append(c)
        if c.local is not None:
            c.speaker = c.speaker._replace(span=(c.local.idx, c.local.idx + len(c.local)))
        if c.outlet_source is not None:
            s, e = c.outlet_source
            m = resolver.mention_in(s, e, doc[e - 1])
            ctx.cite(resolver.canonical(m.entity).name if m is not None else outlet_name(doc[s:e]))
        if c.speaker.type == "outlet" and c.speaker.name and c.cls != "open":
            ctx.cite(c.speaker.name)
        if c.speaker.name is not None and c.cls != "open":  # an open cue is no statement until judged
            resolver.remember(c.token.i, c.speaker)


def _described_source(c: Cue, earlier: list[Cue]) -> Cue | None:
    """The earlier cue whose speaker `c`'s source describes: "said former Sen. Evan Bayh, a moderate
    Democrat who declined to run" -- who declined is Bayh, named by his appositive. Only the speaker's
    own head or an appositive of it: "an aide to Paul Hanley, who said" is Hanley."""
    head = c.source_head
    if head is None:
        return None
    for o in reversed(earlier):
        if o.speaker is not None and o.source_head is not None and (
            head.i == o.source_head.i or head.dep_ == "appos" and head.head.i == o.source_head.i
        ):
            return o if o.source and o.source[0] <= c.token.i < o.source[1] else None
    return None


def frame_score(ctx: QuoteContext, q: QuoteSpan, c: Cue) -> tuple[int, int] | None:
    """How closely cue `c` frames quote `q` (lower is closer), or None when it does not."""
    if c.cls == "open" or (c.obj and not plausible_source(c)):
        return None  # an open cue (outside the lexicon) never claims a quote: a cue word does
    if c.content is not None and overlap(c.content, (q.tok_start, q.tok_end)) > 0:
        return (COVERS, c.content[1] - c.content[0])  # the smaller the content, the closer the cue
    if c.base not in SAY_LIKE and c.cls != "naming":
        return None  # "promised “victory”": only verbs of saying frame a quote they don't govern
    if q.tok_end <= c.token.i:
        return _score_after(ctx, q, c)
    if c.token.i < q.tok_start:
        return _score_before(ctx, q, c)
    return None


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!]\W*$", text))


def _score_after(ctx: QuoteContext, q: QuoteSpan, c: Cue) -> tuple[int, int] | None:
    """ "...," he said / "...," said Mr. White: only the speaker and punctuation between."""
    doc, ci = ctx.doc, c.token.i
    if c.content is not None and c.content[0] > ci and _ends_sentence(ctx.text[q.start : q.end]):
        return None  # '"... ends here." Reid said both are ...': a new sentence with its own content
    gap = doc[q.tok_end : ci]
    src = range(*(c.source or (0, 0)))
    if len(gap) <= 8 and all(
        t.is_punct or t.i in src or t.pos_ in {"ADV", "AUX", "PART"} or t.is_space and not is_break(t)
        for t in gap
    ) and not any(t.text in {".", "?", "!"} for t in gap):
        return (FOLLOWS, len(gap))
    return None


def _score_before(ctx: QuoteContext, q: QuoteSpan, c: Cue) -> tuple[int, int] | None:
    """she said: "..." / he called it a "disaster" / a paragraph ending in "said:"."""
    doc, ci = ctx.doc, c.token.i
    gap = doc[ci + 1 : q.tok_start]
    before = doc[q.tok_start - 1]
    while before.i > ci and (before.is_quote or before.is_space):
        before = doc[before.i - 1]

    def stops(tokens) -> bool:
        return any(t.text in {".", "?", "!"} or is_break(t) for t in tokens)

    if c.cls == "naming" and len(gap) <= 12 and not stops(gap):
        return (PRECEDES, len(gap))
    if len(gap) <= 10 and not stops(gap):
        tail = before.text if before.i > ci else ""
        close = tail in {",", ":", "that", "—", "-"} or before.i == ci
        return (PRECEDES if close else PRECEDES_LOOSELY, len(gap))
    if before.text == ":" and before.i > ci and len(gap) <= 14 and not stops(doc[ci + 1 : before.i]):
        return (PRECEDES, len(gap))  # "Clinton said in a statement:" closing a paragraph, the quote next
    return None


def _nested_in(o: Cue, c: Cue) -> bool:
    """Cue `o` sits in `c`'s content, so it is the nearer attribution -- except a belief of the same
    speaker inside a statement ("says he feels he did “great”")."""
    if o is c or not c.content or not (c.content[0] <= o.token.i < c.content[1]):
        return False
    return not (o.cls == "belief" and c.cls == "speech" and _same_speaker(o, c))


def _same_speaker(a: Cue, b: Cue) -> bool:
    return bool(a.speaker and b.speaker and a.speaker.name is not None and a.speaker.name == b.speaker.name)


def _framed_belief(o: Cue, framing: list[Cue]) -> bool:
    return o.cls == "belief" and any(
        c is not o and c.cls == "speech" and c.content and c.content[0] <= o.token.i < c.content[1]
        and _same_speaker(o, c)
        for c in framing
    )


def best_cue(ctx: QuoteContext, q: QuoteSpan) -> Cue | None:
    """The cue that claims quote `q`, if any."""
    scored = [(score, c) for c in ctx.cues if (score := frame_score(ctx, q, c)) is not None]
    framing = [c for _, c in scored]
    nested = [(sc, c) for sc, c in scored if not any(_nested_in(o, c) for o in framing) and not _framed_belief(c, framing)]
    best, best_score = None, None
    for score, c in nested or scored:
        if best_score is None or score < best_score:
            best, best_score = c, score
    if best is not None and best_score[0] == PRECEDES_LOOSELY and (
        q.end - q.start < 15 or looks_like_title(ctx.text[q.start : q.end])
    ):
        return None  # a scare-quoted word or a title ("Sunday Morning Futures") after a verb
    return best


def claim_quotes(ctx: QuoteContext) -> None:
    for q in ctx.spans:
        c = best_cue(ctx, q)
        if c is not None:
            c.quotes.append(q)
            q.claimed = True
