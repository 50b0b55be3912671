"""Step 2, titles and roles: honorifics and title runs become ``role``; bare titles refer back to their person."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from ..names import HONORIFICS
from .candidate import Cand, Group
from .lexicon import ORG_HEADS, PERSON_TITLES, PLACE_HEADS
from .tokens import is_cap, is_role_token, is_title_word


# -- 2. titles and roles ----------------------------------------------------------------------
def titles(doc: Doc, cands: list[Cand], consumed: set[int]) -> list[Cand]:
    """A person's honorifics and title run become ``role``; bare titles and title-word candidates are
    added to ``consumed`` (ids of candidates to drop)."""
    by_token: dict[int, Cand] = {}
    for c in cands:
        for i in range(c.start, c.end):
            by_token[i] = c
    bare_titles: list[Cand] = []
    for c in cands:
        # "goalkeeper Salem Bitar" tagged ORG: a short name right after a personal title is a person
        if (
            c.label in ("ORG", "LOC")
            and c.source == "ner"
            and 2 <= c.end - c.start <= 3
            and c.start > 0
            and doc[c.start - 1].lower_.rstrip(".") in PERSON_TITLES
            and all(is_cap(t) and t.lower_ not in ORG_HEADS and t.lower_ not in PLACE_HEADS for t in doc[c.start : c.end])
        ):
            c.label = "PERSON"
    for c in cands:
        if c.label != "PERSON":
            continue
        # leading honorifics inside the span
        s = c.start
        inside = []
        while s < c.end and is_title_word(doc[s]):
            inside.append(doc[s].text)
            s += 1
        if s >= c.end:
            bare_titles.append(c)  # "Ayatollah" alone
            continue
        if inside:
            c.surface = doc[c.start : c.end].text
        first = c.start
        c.start = s
        # title run before the span: "Supreme Leader", "Hamas Deputy Chief", "political bureau leader"
        j = first - 1
        role_toks: list[str] = []
        while j >= 0:
            tok = doc[j]
            owner = by_token.get(j)
            if owner is not None and owner is not c:
                if owner.label != "PERSON" and owner.source in ("ner", "orghead") and all(
                    is_role_token(doc[k]) for k in range(owner.start, owner.end)
                ):
                    role_toks[:0] = [t.text for t in doc[owner.start : owner.end]]
                    if not any(doc[k].lower_ in ORG_HEADS for k in range(owner.start, owner.end)):
                        consumed.add(id(owner))  # "Supreme", "Transport": title words, not a body
                    j = owner.start - 1  # "Foreign Ministry spokesman X": the ministry stays an org
                    continue
                break
            if is_role_token(tok) or (tok.lower_ in ("of", "for") and role_toks and j > 0 and is_role_token(doc[j - 1])):
                role_toks.insert(0, tok.text)
                j -= 1
                continue
            break
        while role_toks and role_toks[0].lower() in ("of", "for", "former", "the"):
            role_toks.pop(0)
        if role_toks and not any(w.lower() in HONORIFICS for w in role_toks):
            role_toks = []
        if role_toks and inside and role_toks[-1].lower() in ("grand", "deputy", "vice", "acting", "former", "late", "crown"):
            role_toks += inside  # "Grand" + "Ayatollah"
        c.role = " ".join(role_toks) or " ".join(inside) or None
        c.titles = tuple(w.lower().rstrip(".") for w in role_toks + inside)
    consumed.update(id(b) for b in bare_titles)
    return cands

def role_references(doc: Doc, groups: list[Group], cands: list[Cand]) -> list[tuple[Cand, int]]:
    """ "the Ayatollah", "the Supreme Leader": (mention, group) for bare titles that one person carries."""
    # which persons carry which title words
    carriers: dict[str, set[int]] = defaultdict(set)
    for g, grp in enumerate(groups):
        if grp.label != "PERSON":
            continue
        for c in grp.cands:
            for w in c.titles:
                if w in HONORIFICS:
                    carriers[w].add(g)
    if not carriers:
        return []
    taken = set()
    for c in cands:
        taken.update(range(c.start, c.end))
    out = []
    n = len(doc)
    for i in range(n - 1):
        if doc[i].lower_ != "the":
            continue
        j = i + 1
        while j < n and is_cap(doc[j]) and doc[j].lower_ in HONORIFICS:
            j += 1
        if j == i + 1 or any(k in taken for k in range(i + 1, j)):
            continue
        if j < n and is_cap(doc[j]):
            continue  # "the President Joe Biden" is handled as a name
        words = [doc[k].lower_ for k in range(i + 1, j)]
        gs = set.intersection(*(carriers.get(w, set()) for w in words))
        if len(gs) == 1:
            g = next(iter(gs))
            first = min(m.start for m in groups[g].cands)
            if first < i:
                c = Cand(i + 1, j, "PERSON", "rolref", text=doc[i + 1 : j].text)
                out.append((c, g))
    return out
