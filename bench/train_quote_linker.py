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
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import quotes as bench  # noqa: E402  (bench/quotes.py)

from indexer.contract import clear_breaks  # noqa: E402
from indexer.quotes import QuoteLinker, attribute, emit, extract  # noqa: E402
from indexer.quotes.candidates import SOURCE_KINDS  # noqa: E402
from indexer.quotes.linker import MODEL_FILE, attribution_features  # noqa: E402

FOLDS = 5
SEED = 13
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
OPEN_CUES_MIN_GAIN = 0.005
def rules_linker(open_cues: bool) -> QuoteLinker:
    """The rules as a linker: it scores the candidates of every kind of source (so each attribution
    has them, as examples), the candidate the rules chose always wins, every attribution is kept."""
    return QuoteLinker({"from=rule": 30.0}, -15.0, {}, 0.0, 0.0, SOURCE_KINDS, open_cues)
MIN_GROUPS = 20  # the linker chooses speakers for a kind of source with at least this many examples
# PolNeAR's source of "he said" is "he": its examples with a named source are the cases where a cue was
# misread, not what a pronoun stands for. The resolver keeps deciding pronouns.
PRONOUN_SOURCES = frozenset({"pron_person", "pron_group"})
# Nor does it decide a cue-less quote's speaker: PolNeAR's examples of those are mostly quotes after a cue
# the rules missed, and a linker deciding them took nearby names for continued quotes' speakers on the
# tune half of the reader-judged Dai 2017 quotes (bench/data/quote_speakers.jsonl: 54 of 77 right
# against 56 of 77 without it).
NEVER_DECIDED = PRONOUN_SOURCES | {"nocue"}


def cue_in_paragraph(ctx, a, gold: dict) -> bool:
    """The gold attribution's cue is in the paragraph of a quote we found no cue for: a cue we missed,
    not a quote continuing an earlier one. Its speaker is no example of choosing a continuation's."""
    offsets = (gold.get("cue") or {}).get("offsets") or []
    return any(ctx.para_index(s) == ctx.para_index(a.start) for s, _ in offsets)


def examples_of(row: dict, doc, open_cues: bool) -> tuple[list[dict], list[tuple[list[dict], list[int]]]]:
    """(keep examples, speaker groups) of one article: keep examples are (features, label) dicts;
    a speaker group is the candidates' features and their labels."""
    found = attribute(doc, rules_linker(open_cues))
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
    return frozenset(kind for kind, n in counts.items() if n >= MIN_GROUPS and kind not in NEVER_DECIDED)


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


@dataclass
class Examples:
    """The training examples of all articles, with each one's fold."""

    keep_x: list[dict] = field(default_factory=list)
    keep_y: list[int] = field(default_factory=list)
    keep_f: list[int] = field(default_factory=list)
    groups: list = field(default_factory=list)
    group_f: list[int] = field(default_factory=list)


def collect(rows, docs, fold: dict[int, int], open_cues: bool) -> Examples:
    ex = Examples()
    for a, (row, doc) in enumerate(zip(rows, docs)):
        keep, speaker = examples_of(row, doc, open_cues)
        for item in keep:
            ex.keep_x.append(item["features"])
            ex.keep_y.append(item["label"])
            ex.keep_f.append(fold[a])
        ex.groups.extend(speaker)
        ex.group_f.extend([fold[a]] * len(speaker))
    return ex


@dataclass
class Setting:
    """One way to train (with or without open cues): its examples, regularisation, decided sources and
    the model of each fold (trained on the other four)."""

    open_cues: bool
    examples: Examples
    keep_c: float
    speaker_c: float
    decides: frozenset[str]
    fold_models: list

    def fold_linker(self, k: int, threshold: float) -> QuoteLinker:
        return linker_from(*self.fold_models[k], threshold, self.decides, self.open_cues)

    def final_linker(self, threshold: float) -> QuoteLinker:
        ex = self.examples
        sp_x, sp_y, _ = flatten_speaker(ex.groups, ex.group_f)
        return linker_from(fit(ex.keep_x, ex.keep_y, self.keep_c), fit(sp_x, sp_y, self.speaker_c), threshold,
                           self.decides, self.open_cues)


def prepare(ex: Examples, open_cues: bool) -> Setting:
    sp_x, sp_y, sp_f = flatten_speaker(ex.groups, ex.group_f)
    print(f"open cues {open_cues}: keep examples {len(ex.keep_y)} ({sum(ex.keep_y)} positive); "
          f"speaker groups {len(ex.groups)} ({len(sp_y)} candidates)")
    keep_c = min(C_GRID, key=lambda c: log_loss_cv(ex.keep_x, ex.keep_y, ex.keep_f, c))
    speaker_c = min(C_GRID, key=lambda c: log_loss_cv(sp_x, sp_y, sp_f, c))
    decides = decided_sources(ex.groups)
    print(f"  chosen by out-of-fold log loss: keep C={keep_c}, speaker C={speaker_c}; decides {sorted(decides)}")
    models = []
    for k in range(FOLDS):
        keep = fit([x for x, f in zip(ex.keep_x, ex.keep_f) if f != k], [y for y, f in zip(ex.keep_y, ex.keep_f) if f != k], keep_c)
        speaker = fit([x for x, f in zip(sp_x, sp_f) if f != k], [y for y, f in zip(sp_y, sp_f) if f != k], speaker_c)
        models.append((keep, speaker))
    return Setting(open_cues, ex, keep_c, speaker_c, decides, models)


def cross_validate(rows, docs, fold: dict[int, int], setting: Setting | None, threshold: float = 0.0) -> bench.Figures:
    """Each fold's articles through the real extraction with the model trained on the other folds
    (the rules alone for `setting` None), summed."""
    total = bench.Figures()
    for k in range(FOLDS):
        idx = [a for a in range(len(rows)) if fold[a] == k]
        linker = None if setting is None else setting.fold_linker(k, threshold)
        part = evaluate([rows[a] for a in idx], [docs[a] for a in idx], linker)
        for key in total.tot:
            total.tot[key] = [x + y for x, y in zip(total.tot[key], part.tot[key])]
        for name in ("speaker_ok", "speaker_n", "canonical_ok", "canonical_n", "articles"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
    return total


def choose(rows, docs, fold, settings: dict[bool, Setting]) -> tuple[Setting, float, bench.Figures]:
    """The keep threshold of each setting by cross-validated all-attributions F1; open cues only when
    they gain at least OPEN_CUES_MIN_GAIN over the best without (they add thousands of candidates)."""
    best = {}
    for open_cues, setting in settings.items():
        grid = {t: cross_validate(rows, docs, fold, setting, t) for t in THRESHOLDS}
        for t, figs in grid.items():
            print(f"5-fold CV on train, linker, open cues {open_cues}, keep threshold {t}:", figs.summary())
        t = max(THRESHOLDS, key=lambda t: (round(grid[t].f1("all"), 4), -t))
        best[open_cues] = (settings[open_cues], t, grid[t])
    gain = best[True][2].f1("all") - best[False][2].f1("all")
    print(f"open cues: all F1 {gain:+.4f} in cross-validation (used from {OPEN_CUES_MIN_GAIN:+.3f})")
    return best[gain >= OPEN_CUES_MIN_GAIN]


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

    docs = bench.parse(build_pipeline(), rows)
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    fold = {a: k % FOLDS for k, a in enumerate(order)}
    print(f"PolNeAR train: {len(rows)} articles")
    settings = {o: prepare(collect(rows, docs, fold, o), o) for o in (False, True)}
    rules = cross_validate(rows, docs, fold, None)
    print("5-fold CV on train, rules alone:", rules.summary())
    setting, threshold, chosen = choose(rows, docs, fold, settings)
    print(f"chosen: open cues {setting.open_cues}, keep threshold {threshold}")
    linker = setting.final_linker(threshold)
    ex = setting.examples
    data = {
        "about": "Quote linker of indexer/quotes/linker.py, written by bench/train_quote_linker.py on PolNeAR train.",
        "trained_on": {"articles": len(rows), "keep_examples": len(ex.keep_y), "speaker_groups": len(ex.groups)},
        "keep": {"weights": linker.keep_weights, "bias": linker.keep_bias, "threshold": threshold,
                 "C": setting.keep_c, "open_cues": setting.open_cues},
        "speaker": {"weights": linker.speaker_weights, "bias": linker.speaker_bias, "C": setting.speaker_c,
                    "decides": sorted(setting.decides)},
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
