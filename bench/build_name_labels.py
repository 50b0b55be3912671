"""Build ``indexer/data/name_labels.json``: what kind of name each frequent name is, by the stock recogniser's votes.

    .venv/bin/python bench/build_name_labels.py [--corpora DIR] [--out FILE] [--min-articles 3]

en_core_web_sm's stock entity recogniser (all its OntoNotes labels: it tells laws, buildings, events,
works and products from people and organisations, which the wire weights do not) is run over every
article of ``../shared/corpora`` (Dai 2017, BBC, PolNeAR, Reuters-21578; never CoNLL-2003, and never
an article of ``bench/data/ner-doc-labels.jsonl``, so the hand labels stay unseen). For each name
(``name_key`` of the entity text) seen in at least ``--min-articles`` articles it counts the articles
where it was tagged as each group:

    PERSON | ORG | PLACE (GPE, LOC) | NORP | OTHER (FAC, LAW, EVENT, PRODUCT, WORK_OF_ART, LANGUAGE)

The entity judge (``indexer/entities/judge.py``) reads the shares as features: a name the recogniser
mostly calls a law or a building ("Obamacare", "Capitol Hill") is not an organisation here either, even
in an article where it was tagged ORG. Only names and counts are written, no text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpora import corpus_texts  # noqa: E402  (bench/corpora.py)
from indexer.names import name_key  # noqa: E402
from indexer.nlp import MODEL_PACKAGE  # noqa: E402

GROUPS = ("PERSON", "ORG", "PLACE", "NORP", "OTHER")
GROUP_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "NORP": "NORP",
            "FAC": "OTHER", "LAW": "OTHER", "EVENT": "OTHER", "PRODUCT": "OTHER", "WORK_OF_ART": "OTHER",
            "LANGUAGE": "OTHER"}
CORPORA = ("dai2017", "bbc2225", "polnear-train", "polnear-dev", "reuters21578")
OUT = REPO / "indexer" / "data" / "name_labels.json"
LABELS = REPO / "bench" / "data" / "ner-doc-labels.jsonl"
MAX_CHARS = 20_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-articles", type=int, default=3)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"corpora not found at {args.corpora}: nothing to build from")
        return 0
    import spacy

    skip = set()
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            skip.add((d["corpus"], d["id"]))
    nlp = spacy.load(MODEL_PACKAGE, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    votes: dict[str, Counter] = defaultdict(Counter)
    n = 0
    for doc in nlp.pipe(corpus_texts(args.corpora, CORPORA, max_chars=MAX_CHARS, skip=frozenset(skip)),
                           batch_size=64, n_process=args.processes):
        seen = set()
        for ent in doc.ents:
            group = GROUP_OF.get(ent.label_)
            key = name_key(ent.text) if group else ""
            if key and (key, group) not in seen:
                seen.add((key, group))
                votes[key][group] += 1
        n += 1
        if n % 2000 == 0:
            print(f"  {n} articles", flush=True)
    kept = {key: [c[g] for g in GROUPS] for key, c in sorted(votes.items()) if sum(c.values()) >= args.min_articles}
    args.out.write_text(json.dumps({"about": __doc__.split("\n")[0], "groups": GROUPS, "articles": n,
                                    "names": kept}, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{n} articles, {len(kept)} names seen in >= {args.min_articles} articles: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
