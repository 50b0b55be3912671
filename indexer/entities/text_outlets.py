"""Outlets in the text: catalogue names, "<Name> news agency / daily", "state media"; an outlet's display name."""

from __future__ import annotations

from spacy.tokens import Doc

from ..names import HONORIFICS, display_name, name_key
from .candidate import Cand
from .context import EntityContext
from .lexicon import GENERIC, OUTLET_HEADS, STATE_MEDIA, OUTLET_HEAD_FIRST
from .name_match import abbreviates
from .tokens import is_cap, positions

_STATE_WORDS = frozenset({"state", "official"})


def text_outlets(ctx: EntityContext, doc: Doc) -> list[Cand]:
    """Outlets in the text: catalogue names, "<Name> news agency / newspaper / daily", "state media"."""
    out: list[Cand] = []
    n = len(doc)
    for _, s, e in ctx.outlet_matcher(doc):
        name = ctx.outlet_by_surface.get(doc[s:e].text)
        if name is None:
            continue
        e2 = _outlet_head_end(doc, e)
        known = ctx.catalog.by_name(name)
        if e2 is None and known is not None and known.ambiguous and e < len(doc) and doc[e].pos_ == "NOUN" \
                and not doc[e].text[:1].isupper():
            continue  # "the East African country", "the Nikkei index": a modifier, not the outlet
        if e2 is None and (
            (s > 0 and is_cap(doc[s - 1]) and not doc[s].is_sent_start and doc[s - 1].lower_ != "the")
            or (e < len(doc) and is_cap(doc[e]) and not doc[e].is_sent_start)
        ):
            continue  # part of a longer name: "Standard Oil", "American Express"
        out.append(Cand(s, e2 or e, "ORG", "outlet", kind="outlet", outlet=name))
    # "<Proper> news agency / newspaper / daily"
    for i in (k - 1 for k in positions(doc, OUTLET_HEAD_FIRST) if k > 0):
        tok = doc[i]
        if not is_cap(tok) or tok.pos_ not in ("PROPN", "NOUN", "ADJ", "X"):
            continue
        if i + 1 < n and is_cap(doc[i + 1]) and doc[i + 1].lower_ not in ("tv",):
            continue  # not the last word of the name
        e = _outlet_head_end(doc, i + 1)
        if e is None:
            continue
        s = i
        while s > 0 and (is_cap(doc[s - 1]) or doc[s - 1].text == "-" and not doc[s - 1].whitespace_) and not doc[s - 1].is_sent_start:
            s -= 1
        if s > 0 and doc[s - 1].is_sent_start and is_cap(doc[s - 1]) and doc[s - 1].lower_ != "the":
            s -= 1
        if doc[s].lower_ == "the":
            s += 1
        if s > i:
            continue
        if doc[s].ent_type_ in ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL") and i == s:
            # "Iranian television", "Sunday newspaper": generic
            if doc[s].ent_type_ == "NORP":
                out.append(Cand(s, e, "ORG", "generic_outlet", kind="generic_outlet"))
            continue
        if all(t.lower_ in HONORIFICS or t.lower_ in GENERIC for t in doc[s : i + 1]):
            continue
        head = " ".join(t.lower_ for t in doc[i + 1 : e])
        if head in ("agency",) and doc[i].lower_ not in ("news", "press"):
            continue  # "Central Intelligence Agency" is an org, not an outlet
        name_part = doc[s : i + 1].text
        outlet = ctx.catalog.by_name(f"{name_part} {head}") or ctx.catalog.by_name(name_part)
        if outlet is None and (name_key(name_part) in ctx.places
                               or all(t.ent_type_ in ("GPE", "LOC") for t in doc[s:i + 1])):
            continue  # "the Iowa newspaper", "a Moscow daily": a place's paper, no name given ("Qatar News Agency" is one)
        if outlet is not None:
            name = outlet.name
        elif head.endswith("agency"):
            name = display_name(f"{name_part} {' '.join(w.capitalize() for w in head.split())}")
        else:
            name = display_name(name_part)
        out.append(Cand(s, e, "ORG", "outlet", kind="outlet", outlet=name))
    # "Iranian state media", "state-run television"
    for i in positions(doc, _STATE_WORDS):
        for pat in STATE_MEDIA:
            e = i + len(pat)
            if e <= n and tuple(t.lower_ for t in doc[i:e]) == pat:
                s = i
                if s > 0 and doc[s - 1].ent_type_ in ("NORP", "GPE"):
                    s -= 1
                    while s > 0 and doc[s - 1].ent_type_ == doc[s].ent_type_ and doc[s].ent_iob_ == "I":
                        s -= 1  # the whole name: "North Korean state media", not "Korean state media"
                elif s > 1 and doc[s - 1].tag_ == "POS" and doc[s - 2].ent_type_ == "GPE":
                    s -= 2
                out.append(Cand(s, e, "ORG", "generic_outlet", kind="generic_outlet"))
                break
    return out


def _outlet_head_end(doc: Doc, i: int) -> int | None:
    n = len(doc)
    for head in OUTLET_HEADS:
        e = i + len(head)
        if e <= n and all(doc[i + k].lower_ == w for k, w in enumerate(head)):
            if head in (("tv",), ("radio",), ("television",), ("daily",), ("weekly",), ("agency",)):
                # "daily" must be the noun ("the Kommersant daily said"), not "daily life"
                if e < n and doc[e].pos_ in ("NOUN", "PROPN") and not doc[e].is_punct:
                    return None
            if head == ("agency",):
                return None
            if all(not t.text[:1].isupper() or t.lower_ == "tv" for t in doc[i:e]) or head[0] in ("news", "press"):
                return e
    return None


def _outlet_surface_key(text: str) -> list[str]:
    words = (text or "").split()
    while len(words) > 1 and words[-1][:1].islower():
        words.pop()  # "Kommersant daily": the outlet noun is not part of the name
    return name_key(" ".join(words)).split()


def distinct_outlet_name(canonical: str, text: str) -> str:
    """The key of a surface that names a distinct channel or title of an outlet ("BBC One", "Mail on Sunday"),
    '' for the outlet's own name, a short form ("BBC"), a variant ("Reuter") or its acronym ("DW")."""
    ckey = name_key(canonical).split()
    if name_key(text).split() == ckey:
        return ""
    skey = _outlet_surface_key(text)
    if not skey or skey == ckey or (len(skey) < len(ckey) and ckey[: len(skey)] == skey):
        return ""
    if len(skey) == 1 and (ckey[0].startswith(skey[0]) or abbreviates(skey[0].upper(), canonical)):
        return ""
    return " ".join(skey)


def outlet_display(canonical: str, cands: list[Cand]) -> str:
    """The catalogue name when the text uses it ("Tasnim news agency" -> "Tasnim News Agency", "Reuter" ->
    "Reuters"); otherwise the fullest name the text uses, so that a distinct channel or title keeps its own
    name ("BBC One", "Mail on Sunday") and a short form is not renamed to a name the article never uses
    ("BBC", "DW")."""
    ckey = name_key(canonical).split()
    best: tuple[int, str] | None = None
    for c in cands:
        words = (c.text or "").split()
        if name_key(c.text or "").split() != ckey:
            while len(words) > 1 and words[-1][:1].islower():
                words.pop()  # "Kommersant daily": the outlet noun is not part of the name
        surface = display_name(" ".join(words)) if words else ""
        skey = name_key(surface).split()
        if not skey:
            continue
        if skey == ckey or (len(skey) == 1 and len(ckey) == 1 and ckey[0].startswith(skey[0]) and len(ckey[0]) - len(skey[0]) <= 1):
            return canonical  # "Reuter" -> "Reuters"
        # the fullest surface; for a short form ("the BBC's") the key decides
        if best is None or len(skey) > best[0]:
            best = (len(skey), surface)
    return best[1] if best else canonical
