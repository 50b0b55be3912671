"""The speaker candidates of an attribution, and what the linker sees of each (its features).

Candidates: the rules' choice (the cue's resolved source, or the speaker a cue-less quote continues;
no one when the rules found no one), the last speaker, the speaker of the last direct quote, the people and organisations named outside
quotes near the attribution (the three nearest before it in its paragraph or the one before, the
first after it in its paragraph), and the article's most-mentioned person. One candidate per name.

Features (all 0/1 unless said): where the candidate comes from, crossed with how the cue names its
source (a name, a pronoun, a role, an outlet noun, nothing, no cue) and with the kind of attribution;
its type; how far before the attribution its nearest mention is (buckets of tokens), whether that
mention is a grammatical subject, in the same paragraph, after the attribution or inside the quote;
its rank among the candidates by distance; how often the article mentions it and whether it is the
most mentioned; how often it has spoken so far.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter

from .context import QuoteContext
from .lexicon import PRONOUNS_GROUP, PRONOUNS_PERSON, SUBJECT_DEPS, cue_lexicon
from .records import Attribution, Candidate
from .speakers import Speaker

NEAR_BEFORE = 3
# every value of source_kind
SOURCE_KINDS = frozenset({"nocue", "none", "pron_person", "pron_group", "name", "role", "outlet", "noun"})
SPEAKING_LABELS = frozenset({"PERSON", "ORG"})
DISTANCE_BUCKETS = (5, 15, 40, 100, 300)


def source_kind(a: Attribution) -> str:
    """How the attribution's cue names its source."""
    c = a.cue
    if c is None:
        return "nocue"
    head = c.source_head
    if head is None:
        return "none"
    low = head.lower_
    if low in PRONOUNS_PERSON:
        return "pron_person"
    if low in PRONOUNS_GROUP:
        return "pron_group"
    if c.speaker is not None and c.speaker.entity is not None and c.speaker.span is not None and (
        c.speaker.span[0] <= head.idx < c.speaker.span[1] and head.ent_type_
    ):
        return "name"
    lex = cue_lexicon()
    if low in lex["document_nouns"] and c.speaker is not None and c.speaker.name is not None:
        return "name"  # "Cornyn's statement": named by its author
    if low in lex["role_nouns"]:
        return "role"
    if low in lex["outlet_heads"]:
        return "outlet"
    return "name" if head.pos_ == "PROPN" else "noun"


class MentionIndex:
    """The doc's entity mentions outside quotes, by canonical name, in text order."""

    def __init__(self, ctx: QuoteContext):
        resolver = ctx.resolver
        self.by_name: dict[str, list] = {}
        self.ordered: list = []
        self.counts: Counter = Counter()
        for m in resolver.mentions:
            if m.entity.label not in SPEAKING_LABELS:
                continue
            name = resolver.canonical(m.entity).name
            self.counts[name] += 1
            if ctx.in_quote[m.start]:
                continue
            self.by_name.setdefault(name, []).append(m)
            self.ordered.append(m)
        self.starts = [m.start for m in self.ordered]
        persons = [n for n, _ in self.counts.most_common() if any(
            resolver.canonical(m.entity).label == "PERSON" for m in self.by_name.get(n, []))]
        self.main = persons[0] if persons else None


def mention_index(ctx: QuoteContext) -> MentionIndex:
    if ctx.mention_index is None:
        ctx.mention_index = MentionIndex(ctx)
    return ctx.mention_index


def bucket(value: int, edges: tuple[int, ...]) -> str:
    """The feature value of a count: "<edge" for the first edge above it, else "last+"."""
    for edge in edges:
        if value < edge:
            return f"<{edge}"
    return f"{edges[-1]}+"


def _tokens_of(ctx: QuoteContext, a: Attribution) -> tuple[int, int]:
    span = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _nearby(ctx: QuoteContext, a: Attribution, index: MentionIndex, s: int, e: int) -> list[Speaker]:
    """Speakers named outside quotes near `a` (tokens s..e): the nearest before it (this paragraph or
    the one before), and the first after it in its paragraph."""
    resolver, doc = ctx.resolver, ctx.doc
    para = ctx.para_index(a.start)
    lo = ctx.paragraphs[max(0, para - 1)][0]
    hi = ctx.paragraphs[para][1]
    k = bisect.bisect_left(index.starts, s)
    out: list[Speaker] = []
    seen: set[str] = set()
    for m in reversed(index.ordered[:k]):
        if doc[m.start].idx < lo or len(out) >= NEAR_BEFORE:
            break
        sp = resolver.speaker_of(m)
        if sp.name is not None and sp.name not in seen:
            seen.add(sp.name)
            out.append(sp)
    for m in index.ordered[bisect.bisect_left(index.starts, e):]:
        if doc[m.start].idx >= hi:
            break
        sp = resolver.speaker_of(m)
        if sp.name is not None and sp.name not in seen:
            out.append(sp)
        break
    return out


def _main_actor(ctx: QuoteContext, index: MentionIndex) -> Speaker | None:
    if index.main is None:
        return None
    return ctx.resolver.speaker_of(index.by_name[index.main][0])


def _position_features(ctx: QuoteContext, a: Attribution, name: str, index: MentionIndex,
                       s: int, e: int) -> dict[str, float]:
    doc = ctx.doc
    mentions = index.by_name.get(name, [])
    before = [m for m in mentions if m.end <= s]
    f: dict[str, float] = {}
    if before:
        m = before[-1]
        f[f"dist={bucket(s - m.end, DISTANCE_BUCKETS)}"] = 1.0
        if doc[m.end - 1].dep_ in SUBJECT_DEPS:
            f["near_subject"] = 1.0
        para_gap = ctx.para_index(a.start) - ctx.para_index(doc[m.start].idx)
        f[f"para_gap={min(para_gap, 3)}"] = 1.0
    else:
        f["dist=none"] = 1.0
    if any(s <= m.start < e for m in index.by_name.get(name, [])):
        f["named_inside"] = 1.0
    if any(m.start >= e and ctx.para_index(doc[m.start].idx) == ctx.para_index(a.start) for m in mentions):
        f["after_in_para"] = 1.0
    count = index.counts.get(name, 0)
    f[f"mentions={bucket(count, (2, 4, 10))}"] = 1.0
    f["log_mentions"] = math.log1p(count) / 3
    if name == index.main:
        f["main_actor"] = 1.0
    return f


def speaker_candidates(ctx: QuoteContext, a: Attribution, rule: Speaker, last_speaker: Speaker | None,
                       continued: Speaker | None, spoken: Counter | None = None) -> list[Candidate]:
    """The candidates of `a` (the rules' choice first) with their features."""
    index = mention_index(ctx)
    origins: dict[str | None, set[str]] = {}
    speakers: dict[str | None, Speaker] = {}

    def add(sp: Speaker | None, origin: str) -> None:
        if sp is None or (sp.name is None and origin != "rule"):
            return
        speakers.setdefault(sp.name, sp)
        origins.setdefault(sp.name, set()).add(origin)

    add(rule, "rule")
    add(last_speaker, "last")
    add(continued, "continued")
    s, e = _tokens_of(ctx, a)
    for sp in _nearby(ctx, a, index, s, e):
        add(sp, "near")
    add(_main_actor(ctx, index), "main")
    src, kind = source_kind(a), a.kind
    out = []
    for rank, (name, sp) in enumerate(speakers.items()):
        f: dict[str, float] = {f"type={sp.type}": 1.0}
        for o in origins[name]:
            f[f"from={o}"] = 1.0
            f[f"from={o}&src={src}"] = 1.0
            f[f"from={o}&kind={kind}"] = 1.0
        if name is None:
            f["nobody"] = 1.0
            f[f"nobody&src={src}"] = 1.0
        else:
            f.update(_position_features(ctx, a, name, index, s, e))
            if spoken:
                f[f"spoken={bucket(spoken.get(name, 0), (1, 2, 4))}"] = 1.0
        out.append(Candidate(sp, f))
    _rank_by_distance(out)
    return out


def _rank_by_distance(cands: list[Candidate]) -> None:
    """Mark the candidate whose mention is nearest before the attribution."""
    nearest_first = [f"dist=<{edge}" for edge in DISTANCE_BUCKETS] + [f"dist={DISTANCE_BUCKETS[-1]}+"]
    best = next((c for key in nearest_first for c in cands if key in c.features), None)
    if best is not None:
        best.features["nearest"] = 1.0
