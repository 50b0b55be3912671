"""Step 1, candidates: NER spans, organisation names grown around head nouns, results lines; overlaps resolved."""

from __future__ import annotations

from spacy.tokens import Doc

from ..names import CORPORATE_SUFFIXES, NAME_PARTICLES, is_shouting, name_key
from .candidate import Cand
from .context import EntityContext
from .lexicon import (
    MONTHS,
    CLUB_ALWAYS,
    NER_LABELS,
    ORG_HEADS,
    ORG_ONLY_HEADS,
    PRIORITY,
    VENUE_HEADS,
    TABLE_WORDS,
    CHANNEL_NUMBERS,
    GLUED_PARTICLES,
    ORDINAL_NUMBER,
    RESULT_LINE,
    FIXTURE,
    STANDINGS_ROW,
)
from .spans import repair_span, split_at_numbers, split_coordination, split_span
from .text_outlets import text_outlets
from .tokens import is_cap


# -- 1. candidates ----------------------------------------------------------------------------
def candidates(ctx: EntityContext, doc: Doc, text: str, sports: bool = False) -> list[Cand]:
    """NER spans, repaired and relabelled; organisation names grown around head nouns; teams of results
    lines; outlets named in the text."""
    cands: list[Cand] = []
    labelled = ctx.registry.labels
    for ent in doc.ents:
        label = NER_LABELS.get(ent.label_)
        ent_start = ent.start
        if label is None:
            if ent.label_ != "NORP":
                continue
            if labelled.get(name_key(ent.text)) == "ORG":
                label = "ORG"  # "the Conservatives", "Lib Dems": parties tagged as nationalities
            elif ent.start > 0 and is_cap(doc[ent.start - 1]) and labelled.get(name_key(doc[ent.start - 1 : ent.end].text)) == "ORG":
                label, ent_start = "ORG", ent.start - 1  # "Liberal" + "Democrats"
            else:
                continue
        for start, end in split_span(doc, ent_start, ent.end):
            start, end = repair_span(doc, start, end)
            part_label = label
            if label in ("ORG", "LOC") and (person := _person_after_known_name(ctx, doc, start, end)):
                cands.append(Cand(person, end, "PERSON", "ner"))  # "Fox News" + "Sean Hannity"
                end = person
            if is_county(doc, start, end):
                part_label = "LOC"  # "Co Mayo": an Irish county, not a company
            if part_label == "PERSON":
                start = _given_name_before_initial(ctx, doc, start)
            if part_label == "PERSON" and _ends_with(doc, end, ORG_ONLY_HEADS):
                part_label = "ORG"
            elif part_label == "PERSON" and _ends_with(doc, end, VENUE_HEADS):
                part_label = "LOC"
            if part_label == "ORG":
                start, end = _trim_org(doc, start, end)
                owner = _place_possessive(doc, start, end, ctx.places)
                if owner:  # "Iran's Strategic Council of ...": the place is not in the name
                    cands.append(Cand(start, owner, "LOC", "ner"))
                    start = owner + 1
            if part_label == "ORG" and start > 0 and ORDINAL_NUMBER.match(doc[start - 1].text):
                start -= 1  # "9th U.S. Circuit Court of Appeals"
            if part_label == "ORG" and end < len(doc) and doc[end].text in CHANNEL_NUMBERS and end == start + 1:
                end += 1  # "BBC Three" (the number word tagged CARDINAL)
            if end < len(doc) and doc[end].text == "party" and part_label in ("ORG", "PERSON") and end - start <= 3:
                end, part_label = end + 1, "ORG"  # "the Labour party": the party is in the name
            elif part_label in ("ORG", "PERSON", "LOC") and (firm_end := _firm_suffix_after(doc, end)):
                end, part_label = firm_end, "ORG"  # "Iberica del Cobre, S.A."
            elif end < len(doc) and doc[end].lower_ in CLUB_ALWAYS and doc[end].is_upper:
                end, part_label = end + 1, "ORG"  # "Neath RFC"
            for a, b in split_at_numbers(doc, start, end, sports):
                if part_label == "ORG":
                    for x, y in split_coordination(doc, a, b):
                        cands.append(Cand(x, y, part_label, "ner"))
                else:
                    cands.append(Cand(a, b, part_label, "ner"))
    cands = [c for c in cands if c.start < c.end]
    grow_to_known_names(ctx, doc, cands)
    cands.extend(untagged_curated_words(ctx, doc, cands))
    cands.extend(org_heads(doc))
    cands.extend(_results_lines(doc, text, sports))
    cands.extend(text_outlets(ctx, doc))
    return cands

def grow_to_known_names(ctx: EntityContext, doc: Doc, cands: list[Cand]) -> None:
    """A recogniser's organisation or person inside a longer curated name grows to that name
    ("Customs Enforcement" -> "Immigration and Customs Enforcement", "Air Force" -> "Air Force One"); one
    that runs into such a name is cut where the name begins or ends, and the name is a candidate of its
    own ("Florida on Air Force" + "One"). A curated organisation's name makes it an organisation."""
    if ctx.known_matcher is None:
        return
    found = [(doc.vocab.strings[key], start, end) for key, start, end in ctx.known_matcher(doc)]
    added: list[Cand] = []
    for c in list(cands):
        if c.label not in ("ORG", "PERSON"):
            continue
        around = [(end - start, start, end, label) for label, start, end in found
                  if start <= c.start and c.end <= end and end - start > c.end - c.start]
        if around:
            _, c.start, c.end, label = max(around)
            c.label = "ORG" if label == "ORG" else c.label
            continue
        for label, start, end in found:
            if c.start < start < c.end < end or start < c.start < end < c.end:
                added.append(Cand(start, end, "ORG" if label == "ORG" else c.label, "ner"))
                c.start, c.end = (c.start, start) if c.start < start else (end, c.end)
                break
    cands.extend(added)


def untagged_curated_words(ctx: EntityContext, doc: Doc, cands: list[Cand]) -> list[Cand]:
    """A one-word curated organisation name the recogniser left untagged is that organisation ("said on
    Twitter", "Thursday's GOP debate"). A capitalised word must not open its sentence ("Total output
    fell"); an acronym may."""
    covered = {i for c in cands for i in range(c.start, c.end)}
    covered.update(i for ent in doc.ents for i in range(ent.start, ent.end))
    out = []
    for token in doc:
        if token.i in covered or token.text not in ctx.curated_words:
            continue
        if token.is_sent_start and not token.text.isupper():
            continue
        out.append(Cand(token.i, token.i + 1, "ORG", "known"))
    return out


def org_heads(doc: Doc) -> list[Cand]:
    """Organisation names grown around a capitalised head noun ("Izz ad-Din al-Qassam Brigades",
    "Strategic Council of Foreign Relations")."""
    out = []
    n = len(doc)
    in_person = [False] * n
    for ent in doc.ents:
        if ent.label_ == "PERSON" and not _ends_with(doc, ent.end, ORG_ONLY_HEADS):
            for k in range(ent.start, ent.end):
                in_person[k] = True
    i = 0
    while i < n:
        tok = doc[i]
        if tok.lower_ in ORG_HEADS and is_cap(tok):
            # extend left over capitalised words and name particles
            s = i
            while s > 0:
                prev = doc[s - 1]
                if in_person[s - 1]:
                    break
                if is_cap(prev) and not prev.is_sent_start and prev.lower_ not in ("the",):
                    s -= 1
                elif prev.text == "-" and s - 2 >= 0 and not doc[s - 2].whitespace_ and not prev.whitespace_:
                    s -= 1
                elif prev.lower_ in GLUED_PARTICLES and s - 2 >= 0 and is_cap(doc[s - 2]) and not prev.whitespace_:
                    s -= 1  # "ad" in "Izz ad-Din"
                elif (
                    prev.lower_ in ("and", "&") and s - 2 >= 0 and is_cap(doc[s - 2]) and not doc[s - 2].is_sent_start
                    and doc[s - 2].pos_ == "PROPN"
                    and not (doc[s - 2].ent_type_ in ("ORG", "GPE") and prev.ent_iob_ != "I")  # "IMF and World Bank"
                ):
                    s -= 1  # "Securities and Exchange Commission"
                elif is_cap(prev) and prev.is_sent_start and prev.lower_ != "the" and prev.pos_ == "PROPN":
                    s -= 1
                    break
                else:
                    break
            # particles / hyphens can't start the name
            while s < i and (doc[s].text == "-" or doc[s].lower_ in GLUED_PARTICLES and not is_cap(doc[s])):
                s += 1
            # extend right: "of Foreign Relations", "for International Settlements"
            e = i + 1
            while e < n:
                if doc[e].lower_ in ("of", "for") and e + 1 < n and is_cap(doc[e + 1]) and not in_person[e + 1]:
                    j = e + 1
                    while j < n and not in_person[j] and (is_cap(doc[j]) or (doc[j].lower_ in ("and", "&", "the") and j + 1 < n and is_cap(doc[j + 1]))):
                        j += 1
                    e = j
                elif is_cap(doc[e]) and doc[e].lower_ in ORG_HEADS:
                    e += 1
                else:
                    break
            s, e = _trim_org(doc, s, e)
            if e - s >= 2 and s < i or e > i + 1:
                out.append(Cand(s, e, "ORG", "orghead"))
            # _trim_org can end the name before the head ("FORD MOTOR CO OF CANADA"): always advance
            i = max(e, i + 1)
            continue
        i += 1
    return out

def resolve_overlaps(cands: list[Cand]) -> list[Cand]:
    """One candidate per token: by source priority, then length; a longer NER person wins."""
    ner_person = [c for c in cands if c.source == "ner" and c.label == "PERSON"]
    ner_spans = {(c.start, c.end) for c in cands if c.source == "ner"}
    keep: list[Cand] = []
    for c in cands:
        if c.source != "ner":
            # a longer NER person covering a catalogue word wins ("Michael Bloomberg")
            if c.source != "results" and any(
                p.start <= c.start and c.end <= p.end and (p.end - p.start) > (c.end - c.start) for p in ner_person
            ):
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


def is_county(doc: Doc, start: int, end: int) -> bool:
    """ "Co Mayo", "Co. Donegal": "Co" before a capitalised name is County (a company puts "Co" last)."""
    return end - start == 2 and end <= len(doc) and doc[start].text in ("Co", "Co.") and doc[start + 1].is_title \
        and doc[start + 1].lower_ not in CORPORATE_SUFFIXES


def _trim_org(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """'September Bund', 'August Chicago NAPM': a leading month is a date; 'Kia Motor Corp of South Korea',
    'Daniels Pharmaceuticals Inc of St. Petersburg': after a corporate suffix, "of ..." is the firm's home."""
    while start < end - 1 and doc[start].lower_ in MONTHS:
        start += 1
    for k in range(start + 1, end - 1):
        if doc[k].lower_ == "of" and doc[k - 1].lower_ in CORPORATE_SUFFIXES:
            return start, k
    return start, end


def _results_lines(doc: Doc, text: str, sports: bool) -> list[Cand]:
    """Teams in results lines ("Arsenal 2 West Ham 0") and, in a sports report, standings rows
    ("Greenock Morton 3 2 0 1 5 2 6", also ALL-CAPS: "BALTIMORE 70 63 .526 4") and fixtures
    ("Birmingham v Barnsley")."""
    out = []
    if text.count("\n") < 2:
        return out
    groups = [(m, g) for m in RESULT_LINE.finditer(text) for g in ("a", "b")]
    if sports:
        groups += [(m, "a") for m in STANDINGS_ROW.finditer(text)]
        groups += [(m, g) for m in FIXTURE.finditer(text) for g in ("a", "b")]
    for m, g in groups:
        span = doc.char_span(m.start(g), m.end(g), alignment_mode="contract")
        if span is None or not len(span) or span[0].lower_ in TABLE_WORDS:
            continue
        if sports or not is_shouting(span.text):  # "DETROIT 4 Kansas City 1": home team in caps
            out.append(Cand(span.start, span.end, "ORG", "results"))
    return out


def _person_after_known_name(ctx: EntityContext, doc: Doc, start: int, end: int) -> int:
    """Where a person's name starts in an organisation or place span that runs from a known name into
    it ("Fox News Sean Hannity", "North Korea Sufian Jusoh": a possessive, a job or a line break lost),
    or 0. The known name is an outlet's, a place's or a curated organisation's; the rest is two or three
    capitalised words and opens with a given name."""
    for k in (end - 2, end - 3):  # the longest known name first: a person of two words, then of three
        rest = doc[k:end]
        if k > start and all(t.is_title for t in rest) and rest[0].lower_ in ctx.given_names \
                and _known_name(ctx, doc[start:k].text):
            return k
    return 0


def _known_name(ctx: EntityContext, text: str) -> bool:
    return text in ctx.outlet_by_surface or text in ctx.curated_orgs or text in ctx.curated_words \
        or name_key(text) in ctx.places


def _given_name_before_initial(ctx: EntityContext, doc: Doc, start: int) -> int:
    """A person's span that begins at a middle initial takes the given name before it ("Judge Emmet" +
    "G. Sullivan" -> "Emmet G. Sullivan")."""
    first = doc[start]
    if start > 0 and len(first.text) == 2 and first.text[0].isupper() and first.text[1] == ".":
        before = doc[start - 1]
        if before.is_title and before.whitespace_ and before.lower_ in ctx.given_names:
            return start - 1
    return start


def _ends_with(doc: Doc, end: int, heads: frozenset[str]) -> bool:
    """The span ending at ``end`` ends with one of ``heads``, capitalised: "Qassam Brigades", "Changi Prison"."""
    return end > 0 and doc[end - 1].lower_ in heads and is_cap(doc[end - 1])


def _place_possessive(doc: Doc, start: int, end: int, places: frozenset[str]) -> int:
    """Index of the "'s" after a leading place in the span ("Iran's Strategic Council"), else 0."""
    for k in range(start + 1, min(end - 1, start + 4)):
        if doc[k].tag_ == "POS":
            return k if name_key(doc[start:k].text) in places else 0
    return 0


def _firm_suffix_after(doc: Doc, end: int) -> int:
    """End of ", S.A." / ", Inc." after the span ending at ``end``, over name particles and capitalised
    words ("Iberica" + "del Cobre, S.A."); 0 if none follows."""
    n, k = len(doc), end
    while k + 1 < n and doc[k].lower_ in NAME_PARTICLES and doc[k].is_lower and is_cap(doc[k + 1]):
        k += 2
    if k + 1 < n and doc[k].text == "," and doc[k + 1].lower_ in CORPORATE_SUFFIXES and doc[k + 1].text[:1].isupper() \
            and not is_county(doc, k + 1, k + 3):  # "Castlebar, Co Mayo": a town, then its county
        return k + 2
    return 0
