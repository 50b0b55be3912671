"""Pass 3 and the output: quoted spans linked to cues, then direct, mixed and indirect quotes
with their speakers, in text order, and the outlets an article cites."""

from __future__ import annotations

import bisect
import re

import numpy
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc

from ..contract import break_pattern, clear_breaks, field_span, is_break, set_breaks, split_paragraphs
from ..model import Quote
from .cues import Cue, find_cues
from .lexicon import (
    MAX_INDIRECT_TOKENS,
    MIN_OBJECT_TOKENS,
    PRONOUNS_FIRST,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    SAY_LIKE,
    SENTENCE_LIKE_WORDS,
    cue_lexicon,
)
from .marks import find_double_quotes, find_single_quotes
from .speakers import Resolver, outlet_name


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
    lex = cue_lexicon()
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


def extract(doc: Doc) -> tuple[list[Quote], list[dict], list[str]]:
    """(quotes, per-quote details, cited outlets) of a parsed doc with entity mentions."""
    try:
        return _extract(doc)
    finally:
        clear_breaks(doc)


def _extract(doc: Doc) -> tuple[list[Quote], list[dict], list[str]]:
    text = doc.text
    n = len(doc)
    body_start = doc._.body_start or 0
    pattern = break_pattern(text)
    paragraphs = split_paragraphs(text, 0, len(text), pattern)
    if not paragraphs:
        return [], [], []
    hard = pattern.pattern != r"\n"
    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist()  # only whitespace tokens hold a "\n"
    set_breaks(doc, [
        i for i in spaces
        if "\n" in doc[i].text and (not hard or re.search(r"\n\s*\n|\n[ \t]", doc[i].text))
    ])
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
            add_outlet(resolver.canonical(m.entity).name if m is not None else outlet_name(doc[s:e]))
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
            elif q.tok_end <= ci and c.content is not None and c.content[0] > ci and re.search(r"[.!]\W*$", text[q.start : q.end]):
                pass  # '"... ends here." Reid said both are ...': a new sentence with its own content
            elif q.tok_end <= ci:
                # "...," he said / "...," said Mr. White: only the speaker and punctuation between
                gap = doc[q.tok_end : ci]
                src = range(*(c.source or (0, 0)))
                if len(gap) <= 8 and all(
                    t.is_punct or t.i in src or t.pos_ in {"ADV", "AUX", "PART"} or t.is_space and not is_break(t)
                    for t in gap
                ) and not any(t.text in {".", "?", "!"} for t in gap):
                    score = (1, len(gap))
            elif ci < q.tok_start:
                gap = doc[ci + 1 : q.tok_start]
                before = doc[q.tok_start - 1]
                while before.i > ci and (before.is_quote or before.is_space):
                    before = doc[before.i - 1]
                if c.cls == "naming" and len(gap) <= 12 and not any(t.text in {".", "?", "!"} or is_break(t) for t in gap):
                    score = (2, len(gap))
                elif len(gap) <= 10 and not any(t.text in {".", "?", "!"} or is_break(t) for t in gap):
                    tail = before.text if before.i > ci else ""
                    score = (2, len(gap)) if (tail in {",", ":", "that", "—", "-"} or before.i == ci) else (3, len(gap))
                elif before.text == ":" and before.i > ci and len(gap) <= 14 and not any(
                    t.text in {".", "?", "!"} or is_break(t) for t in doc[ci + 1 : before.i]
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
    # the last direct quote (speaker, group, paragraph of its end, char after its closing mark, char of
    # its cue or -1): a quote that follows it with no
    # cue continues it, even when its speaker is unresolved ("a spokesman said") or when the same
    # speaker's indirect statement comes between ("''A,'' said X, referring to Y. ''B.''")
    last_direct: tuple | None = None
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
            if last_direct is not None and pi - last_direct[2] <= 1 and (
                not text[last_direct[3] : qs[0].outer_start].strip(" \t\n,.;:")
                or last_direct[3] <= last_direct[4] < qs[0].outer_start
            ):
                # only the previous quote's own attribution lies between ("''A,'' X said. ''B.''")
                speaker, group = last_direct[0], last_direct[1]
            elif last_speaker is not None and pi - last_end_para <= 1:
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
        field_name, field_start, field_end = field_span(body_start, ts, te)
        if field_name == "title":
            te = field_end  # the headline's quote ends with the headline
            if te - ts < 2:
                continue
        quotes.append(
            Quote(
                text=text[ts:te],
                speaker=speaker[0],
                speaker_mention=speaker[1],
                speaker_type=speaker[2] if speaker[0] is not None or speaker[2] == "outlet" else "unknown",
                cue=cue_text,
                kind=kind,
                start=field_start,
                end=field_end,
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
        if kind == "direct" and (c is not None or last_direct is not None and group == last_direct[1] or speaker[0] is None):
            # an unattributed quote too: the next one right after it ('"A?" . . . "B?"') goes with it
            cue_at = c.token.idx if c is not None else last_direct[4] if last_direct is not None and group == last_direct[1] else -1
            last_direct = (speaker, group, para_index(te), qs[-1].outer_end, cue_at)
        elif last_direct is not None and (
            kind == "mixed"
            or kind != "direct" and speaker[0] != last_direct[0][0] and (speaker[0] is not None or para_index(ts) > last_direct[2])
        ):
            last_direct = None  # another quote, or someone else speaking, in between
        elif last_direct is not None and c is None and group != last_direct[1]:
            last_direct = None

    return quotes, details, outlets
