"""Train the entity judge (``indexer/entities/judge.py``): person / organisation / neither, per article entity.

    PYTHONPATH=. .venv/bin/python bench/train_entity_judge.py [--out indexer/data/entity_judge.json]
        [--corpora ../shared/corpora] [--dry-run]

Needs scikit-learn (``pip install -e '.[bench]'``); the product only reads the weights it writes.

1. The hand-labelled articles of ``bench/data/ner-doc-labels.jsonl`` are stripped of page furniture as an
   index of their corpora would be (``bench/entities.py``), and run through the pipeline with the judge
   switched off. Each PERSON / ORG entity of an article (not an outlet, not of kind misc, not a name the
   registry labels) gets its features (``judge.features``) and a class: PERSON or ORG when its name or
   an alias matches a gold value of that kind (``name_key``, as the bench scores), else NONE.
2. Only the **tune** split is used to train and choose. The regularisation C and, per label, the two
   thresholds (``drop_at``, ``relabel_at``) are chosen by 5-fold cross-validation grouped by article:
   out-of-fold probabilities, and the person and organisation F1 that keeping, dropping or relabelling
   by them would give (gold values the pipeline never produced count as misses). A label's thresholds
   are used only when they gain in every one of the 5 folds: otherwise that label is not judged.
3. The model is refitted on the whole tune split and written with its thresholds. The held-out third is
   scored once, at the end, with that model: the same figure before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpora import corpus_article, read_jsonl  # noqa: E402  (bench/corpora.py)
from entities import LABELS, without_furniture  # noqa: E402  (bench/entities.py)

from indexer.contract import make_doc  # noqa: E402
from indexer.entities.judge import JUDGED, MODEL_FILE, features  # noqa: E402
from indexer.names import name_key  # noqa: E402
from indexer.nlp import build_pipeline  # noqa: E402

CLASSES = ("NONE", "ORG", "PERSON")
C_GRID = (0.1, 0.3, 1.0, 3.0)
DROP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
RELABEL_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
NEVER = (1.01, 1.01)  # a probability never reaches it: keep as is


def load_examples(corpora: Path):
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted: dict[str, set[str]] = {}
    for lab in labels:
        wanted.setdefault(lab["corpus"], set()).add(lab["id"])
    texts = {}
    for corpus, ids in wanted.items():
        for d in read_jsonl(corpora / f"{corpus}.jsonl.gz", keep=lambda d, ids=ids: d.get("id") in ids):
            texts[(corpus, d["id"])] = d
    labels = [lab for lab in labels if (lab["corpus"], lab["id"]) in texts]
    articles = [corpus_article(texts[(lab["corpus"], lab["id"])], lab["corpus"]) for lab in labels]
    articles = without_furniture(articles, corpora, sorted(wanted))
    nlp = build_pipeline()
    component = nlp.get_pipe("presswatch_entities")
    context = component.context
    component.context = replace(context, judge=None)
    docs = nlp.pipe(make_doc(nlp, a.title, a.body) for a in articles)
    rows = []
    for group, (lab, doc) in enumerate(zip(labels, docs)):
        gold = {"PERSON": {name_key(v, person=True) for v in lab["persons"]},
                "ORG": {name_key(v) for v in lab["organizations"]}}
        by_entity: dict[int, list] = {}
        for m in doc._.mentions or []:
            by_entity.setdefault(id(m.entity), []).append(m)
        for e in doc._.entities or []:
            if e.label not in JUDGED or e.kind or name_key(e.name) in context.registry.labels:
                continue
            names = (e.name, *e.aliases)
            target = next((label for label in ("PERSON", "ORG") if any(
                name_key(n, person=label == "PERSON") in gold[label] for n in names)), "NONE")
            rows.append({"group": group, "split": lab.get("split", "tune"), "label": e.label, "target": target,
                         "name": e.name,
                         "keys": {label: {name_key(n, person=label == "PERSON") for n in names} & gold[label]
                                  for label in ("PERSON", "ORG")},
                         "features": features(doc, e, by_entity.get(id(e), []), context.given_names, context.prior)})
        gold_counts = {"PERSON": len(gold["PERSON"]), "ORG": len(gold["ORG"])}
        rows.append({"group": group, "split": lab.get("split", "tune"), "gold": gold_counts})
    return rows


def f1s(rows, probabilities, thresholds: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Person and organisation F1 (document level, micro) after keeping / dropping / relabelling each
    entity by its label's (drop_at, relabel_at)."""
    tp = {"PERSON": 0, "ORG": 0}
    fp = {"PERSON": 0, "ORG": 0}
    gold = {"PERSON": 0, "ORG": 0}
    found: dict[tuple[int, str], set] = {}
    for row, p in zip(rows, probabilities):
        if "gold" in row:
            for label in gold:
                gold[label] += row["gold"][label]
            continue
        label = row["label"]
        other = "ORG" if label == "PERSON" else "PERSON"
        drop_at, relabel_at = thresholds.get(label, NEVER)
        if p is not None and p["NONE"] >= drop_at:
            continue
        if p is not None and p[other] >= relabel_at:
            label = other
        keys = row["keys"][label]
        seen = found.setdefault((row["group"], label), set())
        if keys and not keys <= seen:
            tp[label] += 1
            seen.update(keys)
        else:
            fp[label] += 1
    out = {}
    for label in gold:
        precision = tp[label] / max(tp[label] + fp[label], 1)
        recall = tp[label] / max(gold[label], 1)
        out[label] = 2 * precision * recall / max(precision + recall, 1e-9)
    out["mean"] = (out["PERSON"] + out["ORG"]) / 2
    return out


def choose(tune, oof, folds) -> tuple[dict[str, tuple[float, float]], dict]:
    """Per label, the (drop_at, relabel_at) with the best mean gain in F1 over judging nothing, among
    those that gain in every one of the 5 folds; judging nothing when none does."""
    chosen, gains = {}, {}
    for label in JUDGED:
        best = (0.0, NEVER)
        for setting in ((d, r) for d in DROP_GRID for r in RELABEL_GRID):
            fold_gains = []
            for fold in folds:
                rows = [(r, p) for r, p in zip(tune, oof) if r["group"] in fold]
                judged = f1s([r for r, _ in rows], [p for _, p in rows], {label: setting})
                plain = f1s([r for r, _ in rows], [None] * len(rows), {})
                fold_gains.append(sum(judged[k] - plain[k] for k in JUDGED))
            mean = sum(fold_gains) / len(fold_gains)
            if all(g > 0 for g in fold_gains) and mean > best[0]:
                best = (mean, setting)
        chosen[label] = best[1]
        gains[label] = round(best[0], 4)
    return chosen, gains


def fit(train, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([r["features"] for r in train])
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x, [r["target"] for r in train])
    return vectorizer, model


def predict(vectorizer, model, rows):
    entity_rows = [r for r in rows if "features" in r]
    if not entity_rows:
        return [None] * len(rows)
    probs = model.predict_proba(vectorizer.transform([r["features"] for r in entity_rows]))
    it = iter(probs)
    out = []
    for r in rows:
        out.append(dict(zip(model.classes_, next(it))) if "features" in r else None)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = ap.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"corpora not found at {args.corpora}: nothing to train on")
        return 0
    rows = load_examples(args.corpora)
    tune = [r for r in rows if r["split"] == "tune"]
    heldout = [r for r in rows if r["split"] == "heldout"]
    groups = sorted({r["group"] for r in tune})
    folds = [set(groups[k::5]) for k in range(5)]
    print(f"{sum('features' in r for r in tune)} tune entities in {len(groups)} articles;"
          f" {sum('features' in r for r in heldout)} held-out entities")
    baseline = f1s(tune, [None] * len(tune), {})
    print(f"tune, no judge: persons F1 {baseline['PERSON']:.3f}, organisations F1 {baseline['ORG']:.3f}")
    best = None
    for c in C_GRID:
        oof: list = [None] * len(tune)
        for fold in folds:
            train = [r for r in tune if r["group"] not in fold and "features" in r]
            vectorizer, model = fit(train, c)
            index = [i for i, r in enumerate(tune) if r["group"] in fold]
            for i, p in zip(index, predict(vectorizer, model, [tune[i] for i in index])):
                oof[i] = p
        thresholds, gains = choose(tune, oof, folds)
        score = f1s(tune, oof, thresholds)
        print(f"  C={c}: {thresholds} -> CV persons F1 {score['PERSON']:.3f}, organisations F1 {score['ORG']:.3f}")
        if best is None or score["mean"] > best[0]["mean"]:
            best = (score, c, thresholds, gains)
    score, c, thresholds, gains = best
    print(f"5-fold CV on tune: C={c}, thresholds {thresholds}:"
          f" persons F1 {score['PERSON']:.3f}, organisations F1 {score['ORG']:.3f}")
    vectorizer, model = fit([r for r in tune if "features" in r], c)
    before = f1s(heldout, [None] * len(heldout), {})
    after = f1s(heldout, predict(vectorizer, model, heldout), thresholds)
    print(f"held-out (never seen): persons F1 {before['PERSON']:.3f} -> {after['PERSON']:.3f},"
          f" organisations F1 {before['ORG']:.3f} -> {after['ORG']:.3f}")
    names = vectorizer.get_feature_names_out()
    order = [list(model.classes_).index(k) for k in CLASSES]
    data = {
        "about": "bench/train_entity_judge.py: multinomial logistic regression over judge.features",
        "classes": list(CLASSES),
        "weights": {str(n): [round(float(model.coef_[k][j]), 5) for k in order] for j, n in enumerate(names)},
        "bias": [round(float(model.intercept_[k]), 5) for k in order],
        "thresholds": {label: {"drop_at": d, "relabel_at": r} for label, (d, r) in thresholds.items()},
        "C": c, "cv_gain": gains,
        "trained_on": {"entities": sum("features" in r for r in tune), "articles": len(groups)},
        "cv_tune": {k: round(v, 4) for k, v in score.items()},
        "heldout": {"before": {k: round(v, 4) for k, v in before.items()},
                    "after": {k: round(v, 4) for k, v in after.items()}},
    }
    print(json.dumps({"bench": "train-entity-judge", **{k: v for k, v in data.items() if k not in ("weights", "bias")}}))
    if not args.dry_run:
        args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
