"""Step 3, trust: headlines, ALL-CAPS lines and tables are untrusted; known names are picked out of them."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from ..names import CORPORATE_SUFFIXES, clean_surface, is_shouting, name_key
from ..repair import COLUMN_GAP, is_column_line
from .candidate import Cand, set_key
from .context import EntityContext
from .lexicon import HEADLINE_FUNCTION_WORDS, NER_LABELS, TABLE_WORDS, DIGITS, NUMBER


# -- 0. trust ---------------------------------------------------------------------------------
TABLE_LINE = 2
HEADLINE_LINE = 3


def untrusted_mask(doc: Doc, text: str, starts: list[int]) -> list[int]:
    """Per token: 1 in an untrusted headline or ALL-CAPS line, `TABLE_LINE` in a table line,
    `HEADLINE_LINE` in a Title Case headline inside the body, False elsewhere."""
    n = len(doc)
    mask = [False] * n
    body_start = doc._.body_start or 0
    # the headline, and a Title Case first line of the body (a repeated or untagged headline)
    if body_start > 0 and (_is_title_case(text[:body_start]) or is_shouting(text[:body_start])):
        for i in range(bisect_left(starts, body_start)):
            mask[i] = True
    nl = text.find("\n", body_start)
    if nl > body_start:
        first = text[body_start:nl].strip()
        blank_after = text[nl : nl + 3].replace("\r", "").startswith("\n\n") or text[nl:nl + 3].strip() == ""
        unterminated = body_start == 0 and first[-1:] not in ('.', '!', '?', '"', "'", "”", ":", ",")
        if first and len(first.split()) <= 20 and (blank_after or unterminated) and text[nl:].strip():
            if _is_title_case(first) or is_shouting(first):
                for i in range(bisect_left(starts, body_start), bisect_left(starts, nl)):
                    mask[i] = True
    # ALL-CAPS lines, headlines in Title Case ("Related:" lists of other stories) and tables in the body
    table: list[tuple[int, int]] = []
    pos = body_start
    for line in text[body_start:].split("\n"):
        end = pos + len(line)
        a, b = bisect_left(starts, pos), bisect_left(starts, end)
        if sum(c.isalpha() for c in line) >= 4 and is_shouting(line):
            for i in range(a, b):
                mask[i] = True
        elif _is_headline_line(doc, line, a, b):
            for i in range(a, b):
                mask[i] = mask[i] or HEADLINE_LINE
        elif NUMBER.search(line) or COLUMN_GAP.search(line):
            # tables ("Shr 3.07 dlrs vs 2.95", "Avg shrs 12,345"): mostly numbers, or columns
            words = [t for t in doc[a:b] if not t.is_space and not t.is_punct]
            nums = sum(1 for t in words if t.like_num or t.lower_ in TABLE_WORDS or any(ch.isdigit() for ch in t.text))
            prose = any(t.pos_ in ("VERB", "AUX", "DET", "CCONJ", "ADP", "PRON") and t.lower_ not in TABLE_WORDS for t in words)
            if (nums >= 2 and nums * 2 >= len(words) and not prose) or is_column_line(line):
                table.append((a, b))
        pos = end + 1
    # nothing but capitals (an all-caps article): trust it rather than lose it all
    blank = doc.to_array([IS_SPACE, IS_PUNCT]).any(axis=1).tolist()
    if all(m or b for m, b in zip(mask, blank)):
        mask = [False] * n
    for a, b in table:
        for i in range(a, b):
            mask[i] = mask[i] or TABLE_LINE
    return mask

# -- 3. untrusted text -----------------------------------------------------------------------
def trust(ctx: EntityContext, doc: Doc, cands: list[Cand], untrusted: list[int]) -> list[Cand]:
    """Untrusted candidates kept where they match a trusted name (or the registry), and the known names
    picked out of untrusted text."""
    trusted = [c for c in cands if c.trusted]
    if len(trusted) == len(cands) and not any(untrusted):
        return cands
    for c in cands:
        set_key(c)
    # index trusted names: full key, and single-token parts for persons
    known: dict[str, Cand] = {}
    for c in trusted:
        known.setdefault(c.key, c)
        if c.label == "PERSON" and len(c.ktoks) > 1:
            known.setdefault(c.ktoks[-1], c)
            known.setdefault(c.ktoks[0], c)
    for key, canonical in ctx.registry_names.items():
        known.setdefault(key, None)  # type: ignore[arg-type]
    out: list[Cand] = []
    covered = [False] * len(doc)
    for c in trusted:
        _keep(c, out, covered)
    for c in cands:
        if c.trusted:
            continue
        if c.table and (c.label == "LOC" or len(c.ktoks) >= 2) and all(w[:1].isupper() for w in c.text.split()) and not DIGITS.search(c.text):
            _keep(c, out, covered)  # "Michael Schumacher ( Germany ) Ferrari 1:23.456": a full name in a results table
            continue
        if c.label == "PERSON" and c.key not in known and (end := _person_in_headline_line(ctx, doc, c, untrusted)):
            c.end = end  # "Mike Huckabee Makes Sexist Wife Joke ...": the name, without the headline's verb
            c.text = clean_surface(doc[c.start:end].text)
            set_key(c)
            _keep(c, out, covered)
            continue
        if c.source in ("outlet",) or c.key in known:
            ref = known.get(c.key)
            if ref is not None and c.source != "outlet":
                c.label = ref.label
            _keep(c, out, covered)
    # a wire headline's company: "STANHOME INC <STH> SETS DIVIDEND", "<FRANKLIN ... INCOME FUND> PAYOUT"
    body_start = doc._.body_start or 0
    if body_start > 0 and is_shouting(doc.text[:body_start]):
        for a, b in _headline_companies(doc.text[:body_start]):
            span = doc.char_span(a, b, alignment_mode="contract")
            if span is None or not len(span) or any(covered[k] for k in range(span.start, span.end)):
                continue
            c = Cand(span.start, span.end, "ORG", "known", text=_title_caps(clean_surface(span.text)), trusted=False)
            set_key(c)
            if c.key:
                _keep(c, out, covered)
    # pick known names out of untrusted tokens not covered yet
    i, n = 0, len(doc)
    while i < n:
        if not untrusted[i] or covered[i] or not (doc[i].is_alpha or doc[i].text[:1].isalpha()):
            i += 1
            continue
        hit = None
        for L in (5, 4, 3, 2, 1):
            j = i + L
            if j > n or not all(untrusted[k] and not covered[k] for k in range(i, j)):
                continue
            surface = doc[i:j].text
            key = name_key(surface)
            if not key or (L == 1 and (doc[i].is_stop or len(doc[i].text) < 3 or not doc[i].text[0].isupper())):
                continue
            if key in known or surface in ctx.curated_orgs:
                hit = (j, known.get(key), surface)
                break
        if hit is None:
            i += 1
            continue
        j, ref, surface = hit
        if ref is None:
            rule = ctx.registry.merges.get(name_key(surface))
            label = (rule.label if rule and rule.label else None) or ctx.registry.labels.get(name_key(rule.canonical)) if rule else None
            if label is None and surface in ctx.curated_orgs:
                label = "ORG"
            if label is None:
                # registry name without a known label: trust a same-span NER label if any
                ents = [e for e in doc.ents if e.start <= i and j <= e.end and e.label_ in NER_LABELS]
                label = NER_LABELS[ents[0].label_] if ents else None
            if label is None:
                i = j
                continue
            c = Cand(i, j, label, "known", text=clean_surface(surface), trusted=False)
        else:
            c = Cand(i, j, ref.label, "known", text=clean_surface(surface), trusted=False, kind=ref.kind, outlet=ref.outlet)
        set_key(c)
        _keep(c, out, covered)
        i = j
    out.sort(key=lambda c: c.start)
    return out


def _keep(c: Cand, out: list[Cand], covered: list[bool]) -> None:
    """`c` is kept, and its tokens are taken: no other name is picked out of them."""
    out.append(c)
    for i in range(c.start, c.end):
        covered[i] = True


def _person_in_headline_line(ctx: EntityContext, doc: Doc, c: Cand, untrusted: list[int]) -> int:
    """Where a recogniser's person in a Title Case line of the body ends once the line's words are
    taken off ("Mike Huckabee Makes" -> "Mike Huckabee"), or 0 when what is left is no full name of two
    or three capitalised words opening with a given name. Lists of names and credits in Title Case keep
    their people ("Present Were Ann Keller, Tom Brady And Lee Chang.")."""
    if not all(untrusted[i] == HEADLINE_LINE for i in range(c.start, c.end)):
        return 0
    end = c.start
    while end < c.end and _name_word_of_headline(doc[end]):
        end += 1
    if 2 <= end - c.start <= 3 and doc[c.start].lower_ in ctx.given_names:
        return end
    return 0


def _name_word_of_headline(token) -> bool:
    """A word of a person's name in a Title Case line: capitalised, tagged PERSON by the recogniser, and
    no verb, plural noun or function word ("Makes", "Blocks", "On")."""
    return token.is_title and token.ent_type_ == "PERSON" and token.tag_ not in HEADLINE_NON_NAME_TAGS \
        and not token.tag_.startswith("VB") and token.lower_ not in HEADLINE_FUNCTION_WORDS


HEADLINE_NON_NAME_TAGS = frozenset({"MD", "NNS", "NNPS"})


def _is_headline_line(doc: Doc, line: str, a: int, b: int) -> bool:
    """A line of the body (tokens a..b) that is a headline ("Related:" lists of other stories): Title
    Case, 3 to 30 words, not a list (two commas or semicolons), and with a function word capitalised
    inside a clause ("Rand Paul Scores Direct Hit On Donald Trump."), which a byline ("By Jonathan Martin
    and Maggie Haberman"), a list of names or a name with its initials does not have."""
    words = line.strip().lstrip("\"'“‘").split()
    return 3 <= len(words) <= 30 and words[0][:1].isupper() and _is_title_case(line) \
        and len(_LIST_MARKS.findall(line)) < 2 and any(_capitalised_function_word(doc, i) for i in range(a + 1, b))


def _capitalised_function_word(doc: Doc, i: int) -> bool:
    token = doc[i]
    return (token.lower_ in HEADLINE_FUNCTION_WORDS and token.text[:1].isupper() and token.text[1:].islower()
            and not doc[i - 1].is_punct and not doc[i - 1].is_space)


_LIST_MARKS = re.compile(r"[,;]")


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    content = [w for w in words if len(w) > 3 or w[0].isupper()]
    if len(content) < 2:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) > 0.8  # "Obama tells Congress to act on Syria" is sentence case


_HEADLINE_FIRM = re.compile(
    r"^\s*([A-Z][A-Z0-9&'.-]*(?:[ ][A-Z][A-Z0-9&'.-]*){0,4}?[ ](?:INC|CORP|CO|LTD|PLC|LP|LLC|NV|N\.V|SA|S\.A|AG|CORPORATION"
    r"|COMPANY|BANCORP|BANCSHARES|HOLDINGS|INDUSTRIES|GROUP)\b\.?)"
)
_HEADLINE_BRACKET = re.compile(r"<([A-Z][A-Z0-9&'.,-]*(?: [A-Z0-9&'.,-]+)+)>")


def _title_caps(text: str) -> str:
    """'FRANKLIN NEW YORK TAX-FREE INCOME FUND' -> 'Franklin New York Tax-Free Income Fund' (two-letter
    words that are not corporate suffixes stay: 'NV', 'SA')."""
    out = []
    for w in text.split():
        if w.isupper() and (len(w.strip(".")) > 2 or w.lower() in CORPORATE_SUFFIXES and w.lower().strip(".") in ("co", "inc", "corp", "ltd")):
            w = "-".join(p[:1] + p[1:].lower() for p in w.split("-"))
        out.append(w)
    return " ".join(out)


def _headline_companies(headline: str) -> list[tuple[int, int]]:
    """Character spans of the companies an ALL-CAPS wire headline names: a leading name with a corporate
    suffix, or a full name in angle brackets (not a one-word ticker). One-line notices name them only there."""
    out = []
    m = _HEADLINE_FIRM.match(headline)
    if m:
        out.append((m.start(1), m.end(1)))
    for m in _HEADLINE_BRACKET.finditer(headline):
        out.append((m.start(1), m.end(1)))
    return out
