"""Train the quote linker (``indexer/quotes/linker.py``) on PolNeAR train, and report 5-fold
cross-validation on train beside the rules alone.

    PYTHONPATH=. .venv/bin/python bench/train_quote_linker.py [--out indexer/data/quote_linker.json] [--dry-run]

Needs scikit-learn (``pip install -e '.[bench]'``); the product only reads the weights it writes.

1. PolNeAR train is parsed once (the pipeline without the quote component). Each article's
   attributions are built by the rules, with every speaker candidate and its features
   (``indexer.quotes.candidates``) and each attribution's features (``linker.attribution_features``).
2. Labels, from the gold attributions, scored as ``bench/quotes.py`` scores (word overlap >= 0.5):
   - **keep**: an attribution is positive when its prediction (its group) matches a gold attribution;
   - **speaker**: for a matched attribution whose gold source's head is a name, the candidate of that
     entity is positive and the others negative. Pronouns and descriptions ("he", "the senator", "the
     company") give no speaker example: PolNeAR does not say whom they stand for. Nor does a quote we
     found no cue for whose gold cue is in its own paragraph: that is a cue we missed, and its names
     nearby would teach the linker to take a nearby name for a continued quote's speaker.
3. Folds are by article (5, seeded). The regularisation of each model is chosen by out-of-fold log loss;
   the keep threshold, and whether to judge *open cues* too (verbs outside the cue lexicon whose subject
   can speak, ``cues._open_cue``: the examples include them), by the out-of-fold end-to-end F1 of all
   attributions (each held-out fold run through the real extraction with the model trained on the
   other four).
4. The figures of the rules alone and of the linker are printed for the same folds, then the models are
   refitted on all of train and written. Dev is never read here: ``bench/quotes.py --split dev`` reports it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import quotes as bench  # noqa: E402  (bench/quotes.py)

from indexer.contract import clear_breaks  # noqa: E402
from indexer.quotes import QuoteLinker, attribute, emit, extract  # noqa: E402
from indexer.quotes.linker import MODEL_FILE, attribution_features  # noqa: E402

FOLDS = 5
SEED = 13
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
OPEN_CUES_MIN_GAIN = 0.005
# the rules as a linker: the candidate the rules chose always wins, every attribution is kept
RULES = QuoteLinker({"from=rule": 30.0}, -15.0, {}, 0.0, 0.0, open_cues=True)
MIN_GROUPS = 20  # the linker chooses speakers for a kind of source with at least this many examples
# PolNeAR's source of "he said" is "he": its examples with a named source are the cases where a cue was
# misread, not what a pronoun stands for. The resolver keeps deciding pronouns.
PRONOUN_SOURCES = frozenset({"pron_person", "pron_group"})


def cue_in_paragraph(ctx, a, gold: dict) -> bool:
    """The gold attribution's cue is in the paragraph of a quote we found no cue for: a cue we missed,
    not a quote continuing an earlier one. Its speaker is no example of choosing a continuation's."""
    offsets = (gold.get("cue") or {}).get("offsets") or []
    return any(ctx.para_index(s) == ctx.para_index(a.start) for s, _ in offsets)


def examples_of(row: dict, doc) -> tuple[list[dict], list[tuple[list[dict], list[int]]]]:
    """(keep examples, speaker groups) of one article: keep examples are (features, label) dicts;
    a speaker group is the candidates' features and their labels."""
    found = attribute(doc, RULES)
    if found is None:
        return [], []
    ctx, atts = found
    try:
        quotes, details = emit(ctx, atts)
        scored = bench.score_article(row, quotes, details)
        matched = {i: j for i, j, _ in scored.pairs}
        keep, speaker = [], []
        for i, pred in enumerate(scored.preds):
            label = int(i in matched)
            for k in pred["members"]:
                keep.append({"features": attribution_features(ctx, atts[k]), "label": label})
            source = scored.golds[matched[i]].get("source") if label else None
            if not source:
                continue
            name = bench.gold_speaker_name(doc, source, ctx.resolver)
            first = atts[pred["members"][0]]
            if name is None or (first.cue is None and cue_in_paragraph(ctx, first, scored.golds[matched[i]])):
                continue
            cands = first.candidates
            labels = [int(c.speaker.name == name) for c in cands]
            if 0 < sum(labels) < len(labels):
                speaker.append(([c.features for c in cands], labels))
        return keep, speaker
    finally:
        clear_breaks(doc)


def fit(feature_dicts: list[dict], labels: list[int], c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform(feature_dicts)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, labels)
    return vec, model


def as_weights(vec, model) -> tuple[dict[str, float], float]:
    coef = model.coef_[0]
    return ({name: round(float(w), 5) for name, w in zip(vec.feature_names_, coef) if abs(w) > 1e-6},
            round(float(model.intercept_[0]), 5))


def log_loss_cv(feature_dicts, labels, folds_of, c) -> float:
    import math

    total, n = 0.0, 0
    for k in range(FOLDS):
        tr = [i for i, f in enumerate(folds_of) if f != k]
        te = [i for i, f in enumerate(folds_of) if f == k]
        vec, model = fit([feature_dicts[i] for i in tr], [labels[i] for i in tr], c)
        probs = model.predict_proba(vec.transform([feature_dicts[i] for i in te]))[:, 1]
        for i, p in zip(te, probs):
            p = min(max(p, 1e-6), 1 - 1e-6)
            total -= math.log(p if labels[i] else 1 - p)
            n += 1
    return total / max(n, 1)


def flatten_speaker(groups, fold_of_group):
    feats, labels, folds = [], [], []
    for (fs, ls), f in zip(groups, fold_of_group):
        feats.extend(fs)
        labels.extend(ls)
        folds.extend([f] * len(ls))
    return feats, labels, folds


def decided_sources(groups) -> frozenset[str]:
    """The source kinds with at least MIN_GROUPS speaker examples (read off the rule candidate)."""
    from collections import Counter

    counts = Counter(k.split("&src=")[1] for feats, _ in groups for k in feats[0] if k.startswith("from=rule&src="))
    return frozenset(kind for kind, n in counts.items() if n >= MIN_GROUPS and kind not in PRONOUN_SOURCES)


def linker_from(keep_model, speaker_model, threshold: float, decides: frozenset[str], open_cues: bool) -> QuoteLinker:
    kw, kb = as_weights(*keep_model)
    sw, sb = as_weights(*speaker_model)
    return QuoteLinker(sw, sb, kw, kb, threshold, decides, open_cues)


def evaluate(rows, docs, linker) -> bench.Figures:
    figures = bench.Figures()
    for row, doc in zip(rows, docs):
        quotes, details, _ = extract(doc, linker)
        figures.add(row, doc, quotes, details)
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = ap.parse_args(argv)
    rows = bench.load("train", args.limit)
    if rows is None:
        print(f"PolNeAR not found under {bench.CORPORA}; nothing to train.")
        return 0
    from indexer.nlp import build_pipeline

    nlp = build_pipeline()
    docs = bench.parse(nlp, rows)
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    fold = {a: k % FOLDS for k, a in enumerate(order)}
    per_article = [examples_of(r, d) for r, d in zip(rows, docs)]

    keep_x, keep_y, keep_f, groups, group_f = [], [], [], [], []
    for a, (keep, speaker) in enumerate(per_article):
        for ex in keep:
            keep_x.append(ex["features"])
            keep_y.append(ex["label"])
            keep_f.append(fold[a])
        groups.extend(speaker)
        group_f.extend([fold[a]] * len(speaker))
    sp_x, sp_y, sp_f = flatten_speaker(groups, group_f)
    print(f"PolNeAR train: {len(rows)} articles; keep examples {len(keep_y)} ({sum(keep_y)} positive); "
          f"speaker groups {len(groups)} ({len(sp_y)} candidates)")

    keep_c = min(C_GRID, key=lambda c: log_loss_cv(keep_x, keep_y, keep_f, c))
    speaker_c = min(C_GRID, key=lambda c: log_loss_cv(sp_x, sp_y, sp_f, c))
    print(f"chosen by out-of-fold log loss: keep C={keep_c}, speaker C={speaker_c}")
    decides = decided_sources(groups)
    print(f"speaker sources decided by the linker: {sorted(decides)}")

    fold_linkers = []
    for k in range(FOLDS):
        keep_model = fit([x for x, f in zip(keep_x, keep_f) if f != k], [y for y, f in zip(keep_y, keep_f) if f != k], keep_c)
        sp_model = fit([x for x, f in zip(sp_x, sp_f) if f != k], [y for y, f in zip(sp_y, sp_f) if f != k], speaker_c)
        fold_linkers.append((keep_model, sp_model))

    def cv(threshold: float | None, open_cues: bool = True) -> bench.Figures:
        total = bench.Figures()
        for k in range(FOLDS):
            idx = [a for a in range(len(rows)) if fold[a] == k]
            linker = None if threshold is None else linker_from(*fold_linkers[k], threshold, decides, open_cues)
            part = evaluate([rows[a] for a in idx], [docs[a] for a in idx], linker)
            for key in total.tot:
                total.tot[key] = [x + y for x, y in zip(total.tot[key], part.tot[key])]
            for name in ("speaker_ok", "speaker_n", "canonical_ok", "canonical_n", "articles"):
                setattr(total, name, getattr(total, name) + getattr(part, name))
        return total

    rules = cv(None)
    print("5-fold CV on train, rules alone:", rules.summary())
    grid = {(t, o): cv(t, o) for o in (False, True) for t in THRESHOLDS}
    for (t, o), figs in grid.items():
        print(f"5-fold CV on train, linker, keep threshold {t}, open cues {o}:", figs.summary())
    def best(open_cues: bool) -> float:
        return max((t for t in THRESHOLDS), key=lambda t: (round(grid[(t, open_cues)].f1("all"), 4), -t))

    closed_t, open_t = best(False), best(True)
    # open cues add thousands of judged candidates: used only when they gain clearly
    gain = grid[(open_t, True)].f1("all") - grid[(closed_t, False)].f1("all")
    threshold, open_cues = (open_t, True) if gain >= OPEN_CUES_MIN_GAIN else (closed_t, False)
    print(f"open cues: all F1 {gain:+.4f} in cross-validation (used from {OPEN_CUES_MIN_GAIN:+.3f})")
    chosen = grid[(threshold, open_cues)]
    print(f"chosen keep threshold {threshold}, open cues {open_cues}")

    keep_model = fit(keep_x, keep_y, keep_c)
    sp_model = fit(sp_x, sp_y, speaker_c)
    linker = linker_from(keep_model, sp_model, threshold, decides, open_cues)
    data = {
        "about": "Quote linker of indexer/quotes/linker.py, written by bench/train_quote_linker.py on PolNeAR train.",
        "trained_on": {"articles": len(rows), "keep_examples": len(keep_y), "speaker_groups": len(groups)},
        "keep": {"weights": linker.keep_weights, "bias": linker.keep_bias, "threshold": threshold, "C": keep_c,
                 "open_cues": open_cues},
        "speaker": {"weights": linker.speaker_weights, "bias": linker.speaker_bias, "C": speaker_c,
                    "decides": sorted(decides)},
        "cv_train": {"rules": rules.summary(), "linker": chosen.summary()},
    }
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    args.out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
