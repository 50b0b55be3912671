"""Who said what: quotes attributed to speakers, and the outlets an article cites.

The component ``presswatch_quotes`` runs last in the pipeline, on the parse and the canonical
entities already in the doc (``doc._.mentions``); it does no parsing of its own (~8 ms for a
1,000-word article). Cue words live in ``data/quote_cues.json`` (inflected forms: the pipeline has
no lemmatizer).

Six phases over one doc, each a module with typed records, each testable alone (``extract`` runs them):

1. **marks** (``context.mark_quotes``, ``marks``) -> ``QuoteSpan``: paragraphs end at line breaks, or
   for hard-wrapped newswire (Reuters) at blank and indented lines only. Marks: straight, curly,
   doubled apostrophes (NYT ``''``), guillemets and -- outside double quotes -- single quotes (BBC
   ``'...'``; apostrophes inside words are never marks). A quote left open at a paragraph end
   continues only when the next paragraph opens with a quotation mark (at most 6 paragraphs).
2. **cues** (``cues``, ``phrases``) -> ``Cue``: speech verbs, belief and intention verbs with a clause,
   stance verbs with an object, "according to X", "Name: ..." opening a headline or paragraph,
   "“...” ― Name" signatures, naming verbs framing a quoted phrase. Each gets a source phrase (its
   subject, climbing through "went on to say" / ", saying" / relative clauses; a name right before the
   verb when the parse has none) and a content (its clausal complement, its object, or the rest of the
   clause for parentheticals), kept inside the cue's paragraph. With a linker that judges them,
   *open cues* too: verbs outside the lexicon whose subject can speak.
3. **claims** (``claims``): each cue's source resolved to a ``Speaker`` (``speakers.Resolver``: the
   head's mention, an apposition, "a Twitter spokesman"'s organisation, the author of "Cornyn's
   statement"; he/she to a person of the same sex -- honorifics, census given names -- by subject and
   recency; role nouns to the person holding the role; a misspelt surname to the full name one or two
   edits away). Each quoted span is claimed by the cue whose content covers it (the innermost) or
   that sits right next to it.
4. **attributions** (``attributions``) -> ``Attribution``: direct (quotes that fill their cue's
   content), mixed (quotes inside a longer reported clause), indirect (a cue with no quote), and
   unclaimed sentence-like quotes without a cue. What only looks like a statement is dropped ("Fars
   reported that X said" cites Fars, "I think", "Update:"), nested statements of one speaker are
   narrowed, each is trimmed to its text.
5. **linking** (``linking``, ``candidates``, ``linker``) -> speaker, group, ``confidence``: the rules
   give each attribution its cue's speaker, or the speaker a cue-less quote continues. The trained
   linker (``data/quote_linker.json``) scores the ``Candidate`` speakers (the rules' choice, the last
   speakers, people named nearby, the article's main actor) and whether to keep the attribution.
6. **emit** (``emit``) -> ``Quote`` with exact field offsets, and ``doc._.quote_details`` (doc-level
   spans, group, candidates; read by ``bench/quotes.py``, not indexed).

Besides ``doc._.quotes`` and ``doc._.quote_details`` the component sets ``doc._.cited_outlets``. All
three are declared by the Doc contract (``indexer.contract``).
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
