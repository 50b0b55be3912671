"""Phase 5, linking: each attribution gets its speaker and group, in text order.

An attribution with a cue has its cue's speaker; one without (a quote no cue claims) continues the
previous direct quote when only that quote's own attribution lies between (''A,'' X said. ''B.''),
else the last speaker within a paragraph, else no one. That is the *rule's* choice. When a trained
linker is given (:mod:`.linker`), it scores the rule's choice against the other candidates
(:mod:`.candidates`: the previous speakers, the people named nearby, the article's main actor) and
picks the most probable -- except where a source phrase the resolver found no one in ("federal
officials", "the statement", and the quotes that continue theirs) stays no one -- and it scores whether
the attribution is one at all; attributions under its
threshold are dropped, and each kept one carries its confidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .candidates import source_kind, speaker_candidates
from .context import QuoteContext
from .linker import QuoteLinker, attribution_features
from .records import Attribution, Candidate
from .speakers import Speaker


@dataclass
class DirectQuote:
    """The last direct quote: a quote that follows it with no cue continues it, even when its speaker
    is unresolved ("a spokesman said") or when the same speaker's indirect statement comes between."""

    speaker: Speaker
    group: object
    para: int  # paragraph of its end
    after: int  # char after its closing mark
    cue_at: int  # char of its cue, or -1


@dataclass
class Discourse:
    """What linking remembers while it walks the attributions in text order."""

    last_speaker: Speaker | None = None
    last_group: object = None
    last_end_para: int = -10
    last_direct: DirectQuote | None = None
    kept: list[Attribution] = field(default_factory=list)
    spoken: Counter = field(default_factory=Counter)  # attributions kept per speaker name
    group_speakers: dict = field(default_factory=dict)  # group -> the speaker its first part got
    groups: int = 0

    def new_group(self) -> int:
        self.groups += 1
        return self.groups


def rule_speaker(ctx: QuoteContext, a: Attribution, d: Discourse) -> tuple[Speaker, object]:
    """The speaker and group the rules give `a`."""
    if a.cue is not None:
        return a.cue.speaker, (("cue", id(a.cue)) if a.kind == "direct" else d.new_group())
    pi = ctx.para_index(a.start)
    ld = d.last_direct
    first = a.quotes[0]
    if ld is not None and pi - ld.para <= 1 and (
        not ctx.text[ld.after : first.outer_start].strip(" \t\n,.;:") or ld.after <= ld.cue_at < first.outer_start
    ):
        return ld.speaker, ld.group  # only the previous quote's own attribution lies between
    if d.last_speaker is not None and (
        pi - d.last_end_para <= 1 or pi - d.last_end_para == 2 and _quiet_between(ctx, d.last_end_para, pi, d.last_speaker)
    ):
        return d.last_speaker, d.last_group
    return Speaker.unknown(), d.new_group()


def _quiet_between(ctx: QuoteContext, after: int, before: int, speaker: Speaker) -> bool:
    """No one else is named or cited between paragraphs `after` and `before` (outside quotes): a bare
    quote after one paragraph of narration goes on with the last speaker."""
    lo, hi = ctx.paragraphs[after + 1][0], ctx.paragraphs[before - 1][1]
    doc = ctx.doc
    if any(lo <= c.token.idx < hi for c in ctx.cues if c.cls != "open"):
        return False
    return not any(
        lo <= doc[m.start].idx < hi and not ctx.in_quote[m.start] and m.entity.label in {"PERSON", "ORG"}
        and ctx.resolver.canonical(m.entity).name != speaker.name
        for m in ctx.resolver.mentions
    )


def _nested_in_last(a: Attribution, d: Discourse) -> bool:
    """A reported statement inside the quote just kept, of the same speaker."""
    if not d.kept or a.kind == "direct":
        return False
    prev = d.kept[-1]
    return prev.start <= a.start and a.end <= prev.end and prev.speaker.name == a.speaker.name


def _remember(ctx: QuoteContext, a: Attribution, d: Discourse) -> None:
    sp, ld = a.speaker, d.last_direct
    if a.kind == "direct" or sp.name is not None:
        if sp.name is not None:
            d.last_speaker, d.last_group = sp, a.group
        d.last_end_para = ctx.para_index(a.end)
    continues = ld is not None and a.group == ld.group
    if a.kind == "direct" and (a.cue is not None or continues or sp.name is None):
        # an unattributed quote too: the next one right after it ('"A?" . . . "B?"') goes with it
        cue_at = a.cue.token.idx if a.cue is not None else ld.cue_at if continues else -1
        d.last_direct = DirectQuote(sp, a.group, ctx.para_index(a.end), a.quotes[-1].outer_end, cue_at)
    elif ld is not None and (
        a.kind == "mixed"
        or a.kind != "direct" and sp.name != ld.speaker.name and (sp.name is not None or ctx.para_index(a.start) > ld.para)
    ):
        d.last_direct = None  # another quote, or someone else speaking, in between
    elif ld is not None and a.cue is None and a.group != ld.group:
        d.last_direct = None


def _decides(a: Attribution, rule: Speaker, linker: QuoteLinker) -> bool:
    """Whether the linker chooses this attribution's speaker: only for a source kind it was trained to
    decide, and never for a source phrase that names no one ("federal officials", "a spokesman", and
    the quotes that continue theirs)."""
    return source_kind(a) in linker.decides and not (rule.name is None and rule.mention is not None)


def _decide(ctx: QuoteContext, a: Attribution, d: Discourse, rule: Speaker, linker: QuoteLinker) -> None:
    """The linker's choice of speaker among the candidates (elsewhere the rules'), and its confidence in
    the attribution. The parts of one attribution (one group) share the first part's speaker."""
    decided = _decides(a, rule, linker)
    if decided:
        continued = d.last_direct.speaker if d.last_direct else None
        a.candidates = speaker_candidates(ctx, a, rule, d.last_speaker, continued, d.spoken)
        for cand in a.candidates:
            cand.probability = linker.speaker_probability(cand.features)
        best = max(a.candidates, key=lambda c: c.probability)
    else:
        best = Candidate(rule, {}, 1.0)
        a.candidates = [best]
    a.speaker = d.group_speakers.setdefault(a.group, best.speaker) if a.cue is not None else best.speaker
    a.keep_probability = linker.keep_probability(attribution_features(ctx, a))
    # the speaker's probability is the linker's only where it decides; elsewhere it was never trained
    a.confidence = a.keep_probability * (best.probability if decided and best.speaker.name is not None else 1.0)


def link(ctx: QuoteContext, attributions: list[Attribution], linker: QuoteLinker | None = None) -> list[Attribution]:
    """Phase 5: the attributions kept, each with its speaker, group and confidence."""
    d = Discourse()
    for a in attributions:
        rule, a.group = rule_speaker(ctx, a, d)
        a.speaker = rule
        if linker is not None:
            _decide(ctx, a, d, rule, linker)
            if a.keep_probability < linker.keep_threshold:
                continue
        else:
            a.confidence = 1.0
        if _nested_in_last(a, d):
            continue
        d.kept.append(a)
        if a.speaker.name is not None:
            d.spoken[a.speaker.name] += 1
        _remember(ctx, a, d)
    return d.kept
