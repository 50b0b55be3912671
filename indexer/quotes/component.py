"""The spaCy component ``presswatch_quotes`` (sets ``doc._.quotes``, ``doc._.cited_outlets`` and
``doc._.quote_details``) and ``install(nlp)``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .. import contract  # noqa: F401 - declares the Doc extensions this component sets
from .lexicon import cue_lexicon
from .linking import extract


class QuoteComponent:
    def __init__(self, nlp: Language | None = None, name: str = "presswatch_quotes"):
        self.name = name
        cue_lexicon()  # fail early if the cue data is missing

    def __call__(self, doc: Doc) -> Doc:
        # An exception fails this article alone, with the reason (`Enricher.enrich_each`): an
        # article indexed without its quotes and no word of it would be a silent loss.
        quotes, details, outlets = extract(doc)
        doc._.quotes = quotes
        doc._.quote_details = details
        doc._.cited_outlets = outlets
        return doc


@Language.factory("presswatch_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent(nlp, name)


def install(nlp: Language) -> None:
    nlp.add_pipe("presswatch_quotes", last=True)
