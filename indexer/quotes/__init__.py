"""Who said what: quotes attributed to speakers, and the outlets an article cites.

The component ``presswatch_quotes`` runs last in the pipeline, on the parse and the canonical
entities already in the doc (``doc._.mentions``); it does no parsing of its own (~6 ms for a
1,000-word article). Cue words live in ``data/quote_cues.json`` (inflected forms: the pipeline has
no lemmatizer).

How it works, in four passes over one doc:

1. **Paragraphs and quotation marks** (character level): paragraphs end at line breaks, or for
   hard-wrapped newswire (Reuters) at blank and indented lines only. Marks: straight, curly,
   doubled apostrophes (NYT ``''``), guillemets and -- outside double quotes -- single quotes
   (BBC ``'...'``; apostrophes inside words are never marks). A quote left open at a paragraph
   end continues only when the next paragraph opens with a quotation mark (the multi-paragraph
   convention, at most 6 paragraphs); otherwise it stops at the paragraph end. Overlong spans
   (stray marks) are dropped.
2. **Cues** (dependency parse): speech verbs (said, told, tweeted, argued ...), belief and
   intention verbs with a clause (believes, thinks, wants to ...), stance verbs with an object
   (praised X, called for X, accused X of Y), "according to X", "Name: ..." opening a headline
   or paragraph, "“...” ― Name" signatures, and naming verbs framing a quoted phrase (called it a
   "disaster"). Each cue gets a source (its subject, climbing through "went on to say" /
   ", saying" / relative clauses; the one cited in "was cited by X saying"; a name right before
   the verb when the parse has none) and a content (its clausal complement, its object, or the
   rest of the clause for parentheticals "..., he said, ..."), kept inside the cue's paragraph.
3. **Linking**: each quoted span is claimed by the cue whose content covers it (the innermost
   one) or that sits right next to it ("...," he said / she said: "..." / a paragraph ending in
   "said:"); quotes that fill their cue's content are *direct*, quotes inside a longer reported
   clause make one *mixed* quote for that cue, and cues with no quote give *indirect* quotes.
   Unclaimed sentence-like quotes continue the previous speaker (next paragraph); short
   unattributed ones and Title Case names of shows or books are not quotes. Grouping: "X said A,
   saying “B”" is one quote (B); "X says A and calls her “B”" is two. Reports by an outlet that
   wrap someone else's statement ("Fars reported that X said ...") are not quotes themselves:
   they only add the outlet to ``doc._.cited_outlets``.
4. **Speakers**: the source phrase is resolved to an entity mention (the head, an apposition,
   an organisation in "a Twitter spokesman"); he/she to the subject person earlier in the
   sentence, else the later of the last speaker and the last subject person outside quotes and
   reported words; they/it only to an organisation that just spoke; role nouns ("the
   Ayatollah", "the president", "the senator") to the person whose name, aliases, role or
   preceding title carries that word, else back like "he"; "the company" to the last
   organisation. A resolved entity is replaced by the most-mentioned, longest entity of the same
   label whose name contains it, so "Khamenei" lines up with "Ali Khamenei" even without entity
   canonicalisation. Unresolved sources keep ``speaker=None`` with their ``speaker_mention``.

Besides ``doc._.quotes`` and ``doc._.cited_outlets`` the component sets ``doc._.quote_details``:
for each quote, doc-level character spans of its text, speaker mention, cue and content, and the
attribution group it belongs to (used by ``bench/quotes.py``; not part of the indexed document). All
three are declared by the Doc contract (``indexer.contract``), with the text layout and the
paragraphs the passes use.

Modules: ``lexicon`` (word lists, limits, the cue data), ``marks`` (pass 1, on the contract's
paragraphs), ``phrases`` and ``cues`` (pass 2), ``linking`` (pass 3 and the output; ``extract`` runs
all passes), ``speakers`` (pass 4), ``component`` (the spaCy factory ``presswatch_quotes`` and
``install``).
"""

from __future__ import annotations

from .component import QuoteComponent, install, make_quotes
from .cues import DASHES, Cue, find_cues
from .lexicon import (
    CLIMB_DEPS,
    CUE_CLASSES,
    DATA_PATH,
    DETERMINERS,
    MAX_INDIRECT_TOKENS,
    MAX_QUOTE_CHARS,
    MAX_QUOTE_PARAGRAPHS,
    MIN_OBJECT_TOKENS,
    OBJECT_CLASSES,
    ORG_NOUNS,
    PRONOUNS_FIRST,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    RELATIVE,
    SAY_LIKE,
    SENTENCE_LIKE_WORDS,
    SUBJECT_DEPS,
)
from .emit import emit
from .extract import attribute, extract
from .linker import QuoteLinker, load_linker
from .marks import QuoteSpan, find_double_quotes, find_single_quotes
from .records import Attribution, Candidate
from .speakers import Resolver, Speaker

__all__ = [
    "CLIMB_DEPS", "CUE_CLASSES", "DASHES", "DATA_PATH", "DETERMINERS", "MAX_INDIRECT_TOKENS", "MAX_QUOTE_CHARS",
    "MAX_QUOTE_PARAGRAPHS", "MIN_OBJECT_TOKENS", "OBJECT_CLASSES", "ORG_NOUNS", "PRONOUNS_FIRST", "PRONOUNS_GROUP",
    "PRONOUNS_PERSON", "RELATIVE", "SAY_LIKE", "SENTENCE_LIKE_WORDS", "SUBJECT_DEPS",
    "Attribution", "Candidate", "Cue", "QuoteLinker", "QuoteSpan", "QuoteComponent", "Resolver", "Speaker",
    "attribute", "emit", "extract", "find_cues", "find_double_quotes", "find_single_quotes", "install", "load_linker", "make_quotes",
]
