"""The spaCy component ``presswatch_quotes`` (sets ``doc._.quotes``, ``doc._.cited_outlets`` and
``doc._.quote_details``) and ``install(nlp)``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .. import contract  # noqa: F401 - declares the Doc extensions this component sets
from .extract import extract
from .lexicon import cue_lexicon
from .linker import QuoteLinker, load_linker


class QuoteComponent:
    """`linker`: the trained linker to use (default: the shipped one; None in `rules_only` mode)."""

    def __init__(self, nlp: Language | None = None, name: str = "presswatch_quotes", rules_only: bool = False):
        self.name = name
        cue_lexicon()  # fail early if the cue data is missing
        self.linker: QuoteLinker | None = None if rules_only else load_linker()

    def __call__(self, doc: Doc) -> Doc:
        # An exception fails this article alone, with the reason (`Enricher.enrich_each`): an
        # article indexed without its quotes and no word of it would be a silent loss.
        quotes, details, outlets = extract(doc, self.linker)
        doc._.quotes = quotes
        doc._.quote_details = details
        doc._.cited_outlets = outlets
        return doc


@Language.factory("presswatch_quotes", default_config={"rules_only": False})
def make_quotes(nlp: Language, name: str, rules_only: bool) -> QuoteComponent:
    return QuoteComponent(nlp, name, rules_only)


def install(nlp: Language) -> None:
    nlp.add_pipe("presswatch_quotes", last=True)
