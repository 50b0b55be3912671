"""Step 4, noise: trim spans, drop implausible names, credit lines and sign-offs; fix labels from name shape."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..names import CORPORATE_SUFFIXES, HONORIFICS, NAME_PARTICLES, clean_surface, name_key
from .candidate import Cand
from .context import EntityContext
from .lexicon import (
    CLUB_ALWAYS,
    CLUB_SUFFIXES,
    DEMONYMS,
    GENERIC,
    ORG_FIRST_WORDS,
    ORG_HEADS,
    ORG_NOUNS_BEFORE,
    PERSON_TITLES,
    PLACE_HEADS,
    PRONOUNS,
    RELIGIONS,
    WORK_NOUNS,
    BAD_CHARS,
    CREDIT_GLUED,
    CREDIT_PREFIX,
    CREDIT_WORDS,
    DIGITS,
    GLUED_PARTICLES,
    MIXED_ACRONYM,
    NAME_CAPS,
    ORDINAL_NUMBER,
    ROMAN,
    TICKER,
)
from .tokens import is_cap, positions
from .works import drop_listed_works, quoted_titles, work_or_event


# -- 4. noise ---------------------------------------------------------------------------------
def filter_noise(ctx: EntityContext, doc: Doc, cands: list[Cand], text: str, sports: bool = False) -> list[Cand]:
    """Spans trimmed; implausible names, titles of works, credit lines and sign-offs dropped; labels fixed
    from the name's shape."""
    out = []
    # names spaCy tags as a work, product or event somewhere in the article ("Vera Drake", "iPod")
    labelled = ctx.registry.labels
    work_keys = {
        k for k in (name_key(e.text) for e in doc.ents if e.label_ in ("WORK_OF_ART", "PRODUCT", "EVENT"))
        if k not in labelled
    }
    works = [(e.start, e.end) for e in doc.ents if e.label_ == "WORK_OF_ART"]
    if len(positions(doc, WORK_NOUNS)) >= 2:
        works += quoted_titles(doc)  # an article about films, albums, shows...
    for c in cands:
        toks = [t for t in doc[c.start : c.end] if not TICKER.match(t.text)]
        while toks and (toks[-1].is_punct and toks[-1].text not in (".",) or toks[-1].is_space):
            toks.pop()
        while toks and (
            toks[0].is_punct or toks[0].is_space or toks[0].lower_ == "the"
            or toks[0].text.startswith("@") or toks[0].lower_ in CREDIT_WORDS
            or (len(toks) > 1 and DIGITS.search(toks[0].text) and not toks[0].is_alpha and c.label != "PERSON"
                and not ORDINAL_NUMBER.match(toks[0].text))
        ):
            toks.pop(0)  # "@ChrisSheridan34 Source:-Al Jazeera News", "Copyright @2015 RollingStory Inc."
        while len(toks) > 1 and (toks[0].pos_ == "CCONJ" or toks[0].lower_ in ("a", "an")) and is_cap(toks[1]):
            toks.pop(0)  # "and Senate", "A Central Michigan University"
        if len(toks) > 1 and "\n" in text[toks[-2].idx + len(toks[-2].text) : toks[-1].idx] and _is_signoff(
            doc, Cand(toks[-1].i, toks[-1].i + 1, c.label, c.source), text
        ):
            toks.pop()  # "Ex-Cell-O.\n Reuter": the sign-off is not part of the name
        if c.label == "ORG" and c.source in ("ner", "orghead"):
            # "Sheffield United - where": lower-case words after the name
            while len(toks) > 1 and toks[-1].is_alpha and toks[-1].text.islower() and toks[-1].lower_ not in ORG_HEADS:
                toks.pop()
                while len(toks) > 1 and toks[-1].is_punct:
                    toks.pop()
        if c.label == "PERSON" and len(toks) >= 3 and toks[0].lower_ in PERSON_TITLES and toks[0].lower_ not in HONORIFICS:
            toks.pop(0)  # "Cinematographer John Mathieson"
        for k in range(len(toks) - 1, 0, -1):
            if toks[k].text.startswith("@") or (toks[k].lower_ in CREDIT_WORDS and k + 1 < len(toks) and toks[k + 1].text.startswith(":")):
                toks = toks[k + 1 :]
                while toks and toks[0].is_punct:
                    toks.pop(0)
                break
        if c.label == "PERSON" and c.source == "ner":
            # "Regarding Boyette", "Briton Tom Jackson": leading words that are not name words
            while len(toks) > 1 and (
                toks[0].pos_ in ("VERB", "ADP", "SCONJ", "ADV", "AUX", "PRON", "DET", "PART")
                or (toks[0].pos_ in ("NOUN", "ADJ") and len(toks) > 2)
            ) and toks[0].lower_ not in NAME_PARTICLES:
                toks.pop(0)
            if len(toks) > 2 and toks[0].lower_ in DEMONYMS and is_cap(toks[1]):
                toks.pop(0)  # "Scot Nick Smith"
            if len(toks) == 1 and toks[0].pos_ not in ("PROPN",) and not toks[0].is_upper:
                continue  # "Order", "Raid": a capitalised common word
            if toks and toks[0].i > 0 and doc[toks[0].i - 1].lower_ in ORG_NOUNS_BEFORE and doc[toks[0].i - 1].text.islower():
                c.label = "ORG"  # "production company Tiger Aspect"
            elif (
                len(toks) == 1 and MIXED_ACRONYM.match(toks[0].text) and not NAME_CAPS.match(toks[0].text)
                and not toks[0].text.isupper()
            ):
                c.label = "ORG"  # "TfL", "BAe": an acronym, not a person
        if c.label == "ORG" and c.source == "ner" and len(toks) == 1 and toks[0].lower_ not in ctx.registry.labels \
                and _sentence_initial_common_word(doc, toks[0]):
            continue  # "Time to tackle ...", "Time is running out"
        if not toks or any(CREDIT_GLUED.match(t.text) for t in toks):
            continue  # "Source:-Al Jazeera News": a credit line (tokenised as one word)
        if c.label == "PERSON" and len(toks) == 1 and c.end < len(doc) and doc[c.end].text == "-" and not toks[0].whitespace_ \
                and c.end + 1 < len(doc) and doc[c.end + 1].text[:1].islower():
            continue  # "Mar" of "Mar-a-Lago": part of a hyphenated word
        c.start, c.end = toks[0].i, toks[-1].i + 1
        surface = clean_surface(doc[c.start : c.end].text)
        if _is_signoff(doc, c, text):
            continue  # "Reuter" / "AP" alone on the last line
        if c.source == "outlet":
            c.text = surface or c.outlet or ""
            out.append(c)
            continue
        if c.source == "generic_outlet":
            c.text = surface
            out.append(c)
            continue
        if not _plausible(surface, c.label):
            continue
        if c.label in ("PERSON", "ORG") and work_or_event(doc, c, surface, work_keys):
            works.append((c.start, c.end))
            continue
        last = surface.split()[-1].lower()
        if c.label in ("PERSON", "LOC") and len(surface.split()) > 1 and (
            last in CLUB_ALWAYS or (sports and last in CLUB_SUFFIXES)
        ):
            c.label = "ORG"  # "Neath RFC", "Leicester City"
        elif c.label == "PERSON" and len(surface.split()) > 1:
            if surface.split()[0].lower() in ORG_FIRST_WORDS:
                c.label = "ORG"  # "Banque Misr", "Bank Melli"
            elif last in CORPORATE_SUFFIXES or last in ORG_HEADS:
                c.label = "ORG"  # "Woodco Inc", "Sedio N.V.", "Vanderbilt University"
            elif last in PLACE_HEADS:
                c.label = "LOC"  # "Escambia County"
        c.text = surface
        out.append(c)
    if works:
        out = drop_listed_works(doc, out, works)
    return out


def _sentence_initial_common_word(doc: Doc, tok) -> bool:
    """A sentence's first word that the tagger takes for a common word and that the article never
    capitalises anywhere else: no name ("Time to act", but "Labour" of "Labour said ... voted for Labour"
    stays)."""
    if not tok.is_sent_start or tok.pos_ == "PROPN" or tok.is_upper or not tok.is_alpha:
        return False
    return not any(t.text == tok.text and not t.is_sent_start for t in doc if t.i != tok.i)


def _is_signoff(doc: Doc, c: Cand, text: str) -> bool:
    """A name alone on the article's last line: a wire sign-off or byline, not a mention."""
    last = doc[c.end - 1]
    if c.end < len(doc) and text[last.idx + len(last.text) :].strip(" \t\r\n\x03\x00.-"):
        return False
    before = text[: doc[c.start].idx]
    line_start = before.rfind("\n")
    # "Source: Al Jazeera News", "@handle Source:-Al Jazeera News" on the last line
    return not CREDIT_PREFIX.sub("", before[line_start + 1 :]).strip(" \t-:")


def _plausible(text: str, label: str) -> bool:
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return False
    if label == "ORG" and text.split()[-1].lower() in CORPORATE_SUFFIXES:
        text = re.sub(r",\s*(?=\S+$)", " ", text)  # "Iberica del Cobre, S.A."
    if any(ch in BAD_CHARS for ch in text):
        return False  # 'killer,"?Trump': quotes and punctuation glued to a word
    low = text.lower()
    if low in PRONOUNS or low in GENERIC or low in RELIGIONS:
        return False
    if text == low:  # proper names are capitalised
        return False
    words = text.split()
    if all(w.lower().strip(".") in HONORIFICS or w.lower() in GENERIC for w in words) and not (
        label == "ORG" and len(words) > 1 and words[-1].lower() in ORG_HEADS
    ):
        return False  # "Supreme", "President", "Deputy Chief" (but "Foreign Ministry" is an org)
    if label == "LOC" and len(words) == 1 and low.endswith(("ian", "ese", "ean", "ish")) and len(low) > 5:
        return False  # "Zambian", "Japanese": nationalities, not places
    if label == "PERSON":
        if DIGITS.search(text) or len(words) > 6:
            return False
        if any(not w[:1].isupper() and w.lower() not in NAME_PARTICLES and not _split_lower_particle(w) for w in words):
            return False  # "MAr nil": a name's words are capitalised
        if re.search(r"[^\w\s.'\-]", text):
            return False  # '"?Trump', 'Smith/Jones', emails
    else:
        if sum(ch.isdigit() for ch in text) > len(text) / 2 or re.search(r"\d[.,]\d", text):
            return False
        if "/" in text and any(len(p.strip()) <= 3 for p in text.split("/")):
            return False  # "Aug/Sept", "Dlrs/Bu"
        if len(words) == 1 and ROMAN.match(text):
            return False
        if len(words) > 10:
            return False
    if len(words) == 1 and len(text) == 2 and text[1] == ".":
        return False  # an initial
    return True


def _split_lower_particle(word: str) -> bool:
    head, sep, rest = word.partition("-")
    return bool(sep) and head.lower() in GLUED_PARTICLES and rest[:1].isupper()
