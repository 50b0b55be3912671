"""Pass 4: speakers -- source phrases, pronouns and role nouns resolved to canonical entities."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

import numpy
from rapidfuzz.distance import Levenshtein
from spacy.attrs import IS_SPACE, SENT_START
from spacy.tokens import Doc, Token

from ..model import Entity
from ..outlets import is_named_outlet, not_outlet_keys
from .lexicon import (
    DETERMINERS,
    GENERIC_ORG_NOUNS,
    ORG_NOUNS,
    PRONOUNS_FIRST,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    HONORIFIC_SEX,
    PRONOUN_SEX,
    SUBJECT_DEPS,
    TITLE_SYNONYMS,
    TITLE_WORDS,
    cue_lexicon,
    given_name_sexes,
)
from ..contract import is_break


MISSPELT_MIN_CHARS = 5  # shorter surnames are too often another name one edit away ("Cole"/"Cale")
MISSPELT_LONG_CHARS = 7  # from this length two edits are a misspelling, below it one


class Speaker(NamedTuple):
    """Who a source phrase names: the canonical name (None: unresolved), the article's own words for
    it, its type, the doc-level character span of the mention, and the entity."""

    name: str | None
    mention: str | None
    type: str  # person | organization | outlet | country | place | unknown
    span: tuple[int, int] | None
    entity: Entity | None

    @classmethod
    def unknown(cls, mention: str | None = None, span: tuple[int, int] | None = None, type: str = "unknown") -> Speaker:
        return cls(None, mention, type, span, None)

    def with_mention(self, mention: str | None, span: tuple[int, int] | None) -> Speaker:
        return self._replace(mention=mention, span=span)


def _entity_type(entity: Entity, phrase: str = "") -> str:
    if entity.kind and "outlet" in entity.kind:  # "outlet", and "generic_outlet" ("state media")
        return "outlet"
    if entity.kind == "misc":  # "Trump Tower", "Obamacare": no one speaks through them
        return "region"
    if entity.label == "PERSON":
        return "person"
    if entity.label == "LOC":  # "Russia said", "Beijing said": a state speaks for its government
        return "country" if entity.kind == "country" else "place"
    if entity.kind is None and _looks_like_outlet(entity.name + " " + phrase):
        return "outlet"
    return "organization"


def _looks_like_outlet(phrase: str) -> bool:
    words = re.findall(r"[A-Za-z.]+", phrase.lower())
    heads = cue_lexicon()["outlet_heads"]
    return any(w in heads for w in words) and not any(w in {"white"} for w in words[:1])


class Resolver:
    """Maps source phrases to canonical entities, with a little discourse memory."""

    def __init__(self, doc: Doc, in_quote: list[bool] | None = None):
        self.doc = doc
        self.in_quote = in_quote
        self.reported: list[bool] | None = None  # tokens inside the content of a cue
        self.sent_starts = _sentence_starts(doc)
        self._words: dict[int, set[str]] = {}
        mentions = doc._.mentions or []
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.by_token: dict[int, object] = {}
        for m in self.mentions:
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, m)
        self.entities: list[Entity] = list(doc._.entities or {m.entity.name: m.entity for m in self.mentions}.values()) if doc._.entities else list({id(m.entity): m.entity for m in self.mentions}.values())
        self.recent_speakers: list[tuple[int, Speaker]] = []  # (token index, speaker)
        # names that cannot be an outlet's own: the article's people, places and nationalities
        self.not_outlets = not_outlet_keys(self.entities, (e.text for e in doc.ents if e.label_ == "NORP"))
        self._canon_cache: dict[int, Entity] = {}
        self._sex_cache: dict[int, str | None] = {}

    # -- canonical entity
    def canonical(self, entity: Entity) -> Entity:
        key = id(entity)
        if key in self._canon_cache:
            return self._canon_cache[key]
        words = set(_name_words(entity.name)) or set(_name_words(entity.name, keep_titles=True))
        best = entity
        if words:
            for other in self.entities:
                if other is entity or other.label != entity.label:
                    continue
                other_words = set(_name_words(other.name, keep_titles=True))
                for alias in other.aliases:
                    other_words |= set(_name_words(alias, keep_titles=True))
                if words <= other_words and len(other.name) > len(best.name):
                    if best is entity or other.mentions >= best.mentions or len(_name_words(other.name)) > len(_name_words(best.name)):
                        best = other
        if best is entity and entity.label == "PERSON":
            best = self._misspelt_surname(entity) or entity
        self._canon_cache[key] = best
        return best

    def _misspelt_surname(self, entity: Entity) -> Entity | None:
        """A one-word person name that is no other person's word but one edit (two from 7 letters) from
        exactly one full name's surname, with the same first letter ("Bauchtman" for Lydia Buchtmann,
        "Cowen" for William Cowan); never a word that is a given name."""
        words = _name_words(entity.name)
        if len(words) != 1 or len(words[0]) < MISSPELT_MIN_CHARS:
            return None
        word = words[0]
        if word in given_name_sexes():
            return None  # "Jonas" beside Mike Jones is more likely someone called Jonas
        edits = 2 if len(word) >= MISSPELT_LONG_CHARS else 1
        near = {}
        for other in self.entities:
            other_words = _name_words(other.name) if other is not entity and other.label == "PERSON" else []
            if len(other_words) < 2:
                continue
            surname = other_words[-1]
            if surname != word and surname[:1] == word[:1] and Levenshtein.distance(surname, word, score_cutoff=edits) <= edits:
                near[id(other)] = other
        return next(iter(near.values())) if len(near) == 1 else None

    def speaker_of(self, m, mention_text: str | None = None) -> Speaker:
        entity = self.canonical(m.entity)
        span = self.doc[m.start : m.end]
        text = mention_text or span.text
        kind = _entity_type(entity, text)
        if kind == "place" and span[0].ent_type_ not in ("GPE", ""):
            kind = "region"  # "the Middle East", "the South China Sea": a region or a sea, not a state
        if kind == "region":  # no speaker; the mention is kept
            return Speaker.unknown(text, (span.start_char, span.end_char))
        return Speaker(entity.name, text, kind, (span.start_char, span.end_char), entity)

    def mention_in(self, s: int, e: int, head: Token | None):
        """The mention naming the source phrase doc[s:e]."""
        if head is not None and head.i in self.by_token:
            return self.by_token[head.i]
        inside = [m for m in self.mentions if m.start >= s and m.end <= e]
        if not inside:
            return None
        if head is not None:
            # an apposition names the head: "a spokeswoman, Anna White,"
            for child in head.children:
                if child.dep_ == "appos":
                    for m in inside:
                        if m.start <= child.i < m.end:
                            return m
            # "a Twitter spokesman", "Hamas officials": an organisation modifying the head
            for m in inside:
                tok = self.doc[m.end - 1]
                if tok.head is head and tok.dep_ in {"compound", "nmod", "amod"} and m.entity.label in {"ORG", "LOC"}:
                    return m
            return None
        persons = [m for m in inside if m.entity.label == "PERSON"]
        return (persons or inside)[0]

    def resolve(self, span: tuple[int, int] | None, head: Token | None, at: int) -> Speaker:
        """The speaker the source phrase doc[span] (its head `head`, at token `at`) names: a mention in
        it, a pronoun's antecedent, a document's author, an outlet, a role's holder, a description's
        referent, else no one (the phrase kept as the mention)."""
        if span is None or head is None:
            return Speaker.unknown()
        phrase = self.doc[span[0] : span[1]]
        low = head.lower_
        named = self._named(phrase, head)
        if named is not None:
            return named
        if low in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_FIRST:
            return self._pronoun(head, at)
        char_span = (phrase.start_char, phrase.end_char)
        lex = cue_lexicon()
        if low in lex["document_nouns"]:
            # "Cornyn's statement said", "a statement from the Pentagon": its author; "the statement": no one
            author = self._author(head)
            if author is not None:
                return self.speaker_of(author).with_mention(phrase.text, char_span)
            return Speaker.unknown(phrase.text, char_span)
        outlet = self._outlet(phrase, head, at)
        if outlet is not None:
            return outlet
        for step in (self._role, self._described, self._person_named):
            found = step(head, at)
            if found is not None:
                return found.with_mention(phrase.text, char_span)
        return Speaker.unknown(phrase.text, char_span)

    def _named(self, phrase, head: Token) -> Speaker | None:
        """The mention naming the phrase ("Najib said" where another "Najib" was read as a place: the
        person the article names so)."""
        m = self.mention_in(phrase.start, phrase.end, head)
        if m is None:
            return None
        if m.entity.label != "PERSON" and head.ent_type_ == "PERSON":
            m = self._person_mention(head) or m
        sp = self.speaker_of(m, phrase.text if len(phrase) <= 12 else None)
        return sp.with_mention(sp.mention, (phrase.start_char, phrase.end_char))

    def _pronoun(self, head: Token, at: int) -> Speaker:
        low = head.lower_
        where = (head.idx, head.idx + len(head))
        ante = None
        if low in PRONOUNS_PERSON:
            ante = self._antecedent(at, person=True, sex=PRONOUN_SEX.get(low))
        elif low in PRONOUNS_GROUP:
            ante = self._antecedent(at, person=False)
        if ante is not None:  # "I", "we": the author's or a transcript's voice, no one
            return ante.with_mention(head.text, where)
        return Speaker.unknown(head.text, where)

    def _outlet(self, phrase, head: Token, at: int) -> Speaker | None:
        """An outlet named by the phrase; "the paper", "the agency", "local media": the outlet last named,
        else no one (of type outlet)."""
        lex = cue_lexicon()
        low = head.lower_
        if not (low in lex["outlet_heads"] or _looks_like_outlet(phrase.text)):
            return None
        if not (low in lex["outlet_heads"] or phrase.root.lower_ in lex["outlet_heads"]):
            return None
        char_span = (phrase.start_char, phrase.end_char)
        name = outlet_name(phrase)
        if is_named_outlet(name, not_outlets=self.not_outlets):
            return Speaker(name, phrase.text, "outlet", char_span, None)
        ante = self._outlet_antecedent(at)
        if ante is not None:
            return Speaker(ante.name, phrase.text, "outlet", char_span, ante.entity)
        return Speaker.unknown(phrase.text, char_span, type="outlet")

    def _described(self, head: Token, at: int) -> Speaker | None:
        """ "the company", "the department": the organisation last named; "the Gunners manager", "the
        senator": a definite role refers back like "he"."""
        lex = cue_lexicon()
        low = head.lower_
        if low in ORG_NOUNS and any(t.lower_ in {"the", "its"} for t in head.lefts):
            ante = self._org_antecedent(at, None if low in GENERIC_ORG_NOUNS else low)
            if ante is not None:
                return ante
        if low in lex["role_nouns"] and any(t.lower_ == "the" for t in head.lefts) and not head.tag_.endswith("S"):
            return self._antecedent(at, person=True)
        return None

    def _person_named(self, head: Token, at: int) -> Speaker | None:
        """A word the recogniser tags as a person that no entity of its own holds ("Daalder wrote",
        its entity dropped or cut): the article's one person whose name holds it. Never a role or
        title word ("Ayatollah", "Holiness")."""
        lex = cue_lexicon()
        if head.ent_type_ != "PERSON" or head.pos_ != "PROPN" or head.lower_ in lex["role_nouns"] | TITLE_WORDS:
            return None
        m = self._person_mention(head)
        return self.speaker_of(m) if m is not None else None

    def _person_mention(self, head: Token):
        """A mention of the one person entity whose name holds the word `head` ("Najib" -> Najib Razak)."""
        word = head.lower_
        people = {id(e): e for e in self.entities if e.label == "PERSON" and word in _name_words(e.name)}
        if len(people) != 1:
            return None
        person = next(iter(people.values()))
        return next((m for m in self.mentions if self.canonical(m.entity) is person), None)

    def _author(self, head: Token):
        """The mention of who issued a document noun: its possessor, the name modifying it ("the White
        House statement", "a Trump tweet"), or the object of "by"/"from"."""
        for child in head.children:
            if child.dep_ in {"poss", "compound", "nmod"} and child.i in self.by_token:
                return self.by_token[child.i]
            if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.i in self.by_token:
                    return self.by_token[pobj.i]
        return None

    def sex_of(self, entity: Entity) -> str | None:
        """ "m" / "f" when the article or the given name says: a "Mr."/"Mrs."/"Ms." before one of its
        mentions, else the census sex of its given name; None when neither does."""
        key = id(entity)
        if key not in self._sex_cache:
            self._sex_cache[key] = self._honorific_sex(entity) or _given_name_sex(entity)
        return self._sex_cache[key]

    def _honorific_sex(self, entity: Entity) -> str | None:
        for m in self.mentions:
            if m.entity is entity or self.canonical(m.entity) is entity:
                before = self.doc[m.start - 1].lower_.rstrip(".") if m.start > 0 else ""
                if before in HONORIFIC_SEX:
                    return HONORIFIC_SEX[before]
        return None

    def _agrees(self, entity: Entity | None, sex: str | None) -> bool:
        if sex is None or entity is None:
            return True
        known = self.sex_of(self.canonical(entity))
        return known is None or known == sex

    def _antecedent(self, at: int, person: bool, sex: str | None = None) -> Speaker | None:
        """The person (or group) a pronoun at token `at` refers to: the subject earlier in the
        sentence, else the later of the last subject mention and the last speaker (people named
        inside quotes are never antecedents; "he" is never a woman's name nor "she" a man's)."""
        doc = self.doc
        in_quote = self.in_quote

        def fits(m) -> bool:
            if in_quote and in_quote[m.start]:
                return False
            # "it"/"they" stand for organisations; places rarely speak
            return m.entity.label == "PERSON" and self._agrees(m.entity, sex) if person else m.entity.label == "ORG"

        k = bisect.bisect_right(self.sent_starts, at) - 1
        sent_start = self.sent_starts[k] if k >= 0 else 0
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if m.end <= sent_start:
                break
            if fits(m) and doc[m.end - 1].dep_ in SUBJECT_DEPS:
                return self.speaker_of(m)
        if not person:
            # "they"/"it": only an organisation that just spoke; "they" is more often people
            for i, sp in reversed(self.recent_speakers):
                if i < at:
                    if sp.type in {"organization", "outlet"} and at - i <= 150:
                        return sp
                    break
            return None
        subj = last = None
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if at - m.start > 400:
                break
            if not fits(m):
                continue
            if last is None:
                last = m
            if self.reported is not None and self.reported[m.start]:
                continue  # a subject inside someone's reported words is not the next speaker
            if doc[m.end - 1].dep_ in SUBJECT_DEPS or doc[m.end - 1].head.dep_ in SUBJECT_DEPS:
                subj = m
                break
        spk_at, spk = None, None
        for i, sp in reversed(self.recent_speakers):
            if i < at and sp.name is not None and person == (sp.type == "person") and self._agrees(sp.entity, sex):
                spk_at, spk = i, sp
                break
        if spk is not None and at - spk_at > 400:
            spk = None
        if subj is not None and (spk is None or subj.start > spk_at):
            return self.speaker_of(subj)
        if spk is not None:
            return spk
        if last is not None:
            return self.speaker_of(last)
        return None

    def _outlet_antecedent(self, at: int) -> Speaker | None:
        """The outlet a generic outlet noun ("the paper", "the agency") refers back to: the last one
        named before it, outside quotes."""
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if at - m.start > 400:
                break
            if m.entity.kind == "outlet" and not (self.in_quote and self.in_quote[m.start]):
                return self.speaker_of(m)
        return None

    def _org_antecedent(self, at: int, kind: str | None = None) -> Speaker | None:
        """The organisation a definite description ("the company") refers back to: the last one
        named outside quotes, as a subject if there is one nearby. With `kind` ("ministry", "bank"),
        only one whose name carries that word."""
        last = None
        for m in reversed(self.mentions):
            if m.start >= at:
                continue
            if at - m.start > 400:
                break
            if m.entity.label != "ORG" or (self.in_quote and self.in_quote[m.start]):
                continue
            if kind is not None and kind not in self.canonical(m.entity).name.lower():
                continue
            if self.doc[m.end - 1].dep_ in SUBJECT_DEPS:
                return self.speaker_of(m)
            last = last or m
        return self.speaker_of(last) if last is not None else None

    def _role(self, head: Token, at: int) -> Speaker | None:
        """ "the Ayatollah", "the president": the person carrying that word in name, alias, role or title."""
        word = head.text.lower()
        if not head.text[:1].isalpha():
            return None
        lex = cue_lexicon()
        if word not in lex["role_nouns"] and not head.text[:1].isupper():
            return None
        best = None
        # mentions before the source, nearest first; then (names only: a headline) those after
        order = [m for m in reversed(self.mentions) if m.start < at]
        if head.text[:1].isupper() and word not in lex["role_nouns"]:
            order += [m for m in self.mentions if m.start > head.i]
        for m in order:
            entity = self.canonical(m.entity)
            words = self._words.get(id(entity))
            if words is None:
                words = set(_name_words(entity.name, keep_titles=True))
                for alias in entity.aliases:
                    words |= set(_name_words(alias, keep_titles=True))
                if entity.role:
                    words |= set(_name_words(entity.role, keep_titles=True))
                words |= {TITLE_SYNONYMS.get(w, w) for w in words}
                self._words[id(entity)] = words
            title_before = {TITLE_SYNONYMS.get(w, w) for w in (t.text.lower().rstrip(".") for t in self.doc[max(0, m.start - 3) : m.start])}
            if word in words or (word in lex["role_nouns"] and TITLE_SYNONYMS.get(word.rstrip("."), word.rstrip(".")) in title_before):
                if m.entity.label == "PERSON" or word not in lex["role_nouns"]:
                    best = m
                    break
        if best is None:
            return None
        return self.speaker_of(best)

    def remember(self, at: int, speaker: Speaker) -> None:
        if speaker.name is not None:
            self.recent_speakers.append((at, speaker))



def _sentence_starts(doc: Doc) -> list[int]:
    """Tokens that start a sentence or follow a paragraph break, in order."""
    starts = {i for i, v in enumerate(doc.to_array(SENT_START).tolist()) if v == 1}
    starts.update(i + 1 for i in numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist()
                  if i + 1 < len(doc) and is_break(doc[i]))
    if len(doc):
        starts.add(0)  # spaCy's first token is always a sentence start
    return sorted(starts)


def _given_name_sex(entity: Entity) -> str | None:
    words = [w for w in _name_words(entity.name) if w]
    return given_name_sexes().get(words[0]) if len(words) >= 2 else None


def _name_words(name: str, keep_titles: bool = False) -> list[str]:
    words = [w.lower().strip(".") for w in re.split(r"[\s\-]+", name) if w]
    words = [w[:-2] if w.endswith("'s") or w.endswith("’s") else w for w in words]
    if keep_titles:
        return [w for w in words if w]
    return [w for w in words if w and w not in TITLE_WORDS and w not in {"al", "el", "bin", "abu", "van", "von", "de"}]


def outlet_name(span) -> str:
    """ "the country's Tasnim news agency" -> "Tasnim news agency"; "Iranian state media"."""
    toks = list(span)
    # drop leading determiners and possessive phrases
    start = 0
    for k, t in enumerate(toks):
        if t.dep_ == "case" or t.text in {"'s", "’s"}:
            start = k + 1
    while start < len(toks) and (toks[start].text.lower() in DETERMINERS or toks[start].is_punct):
        start += 1
    words = toks[start:] or toks
    text = span.doc[words[0].i : words[-1].i + 1].text
    return text[:1].upper() + text[1:] if text[:1].islower() and words[0].pos_ == "PROPN" else text
