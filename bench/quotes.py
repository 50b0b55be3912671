"""Benchmark quote extraction and speaker attribution against PolNeAR's hand-labelled attributions.

    .venv/bin/python bench/quotes.py --split dev            # the figures to report
    .venv/bin/python bench/quotes.py --split train --limit 100

Runs the real enrichment (``build_pipeline()``: the spaCy model, ``presswatch_entities``,
``presswatch_quotes``) on each article and compares the quotes with the gold attributions.

Scoring (documented choices):
- **Units** are word tokens (``\\w+`` runs) of the doc text, so quotation marks and punctuation
  never count. A predicted quote's content is its text span. The parts of one quote interrupted
  by its cue (``"A," he said, "B."``: one cue, two Quote objects) and the unattributed paragraphs
  that continue it are scored as one attribution (``doc._.quote_details[i]["group"]``), as PolNeAR
  labels them as one discontinuous content.
  Gold content is the union of the attribution's ``content`` offsets.
- **Match**: a prediction and a gold attribution match when
  ``|P & G| / max(|P|, |G|) >= 0.5`` (both half of the prediction and half of the gold are shared);
  one-to-one, greedily by overlap. **Exact**: the same set of word tokens.
- **Direct subset**: gold whose content contains a quotation mark (``" “ ” '' ``); predictions of
  kind direct or mixed. Matched within the subset.
- **Speaker accuracy**, on matched pairs whose gold has a source: correct when the predicted speaker
  mention's character span overlaps the gold source span (the gold source is the local mention:
  "he", "a spokeswoman"), or when a word of the resolved speaker's name (or of one of its aliases)
  other than stop words appears in the gold source text (gold "Mr. Trump", predicted span elsewhere
  but speaker "Donald Trump"). A prediction with no speaker mention is wrong.
- Gold attributions without content (34 in train) are skipped; PolNeAR labels beliefs and
  intentions too, so "all" is a hard target by design.

Exits 0 with a message when the corpora are not there.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
WORD = re.compile(r"\w+")
QUOTE_MARK = re.compile(r"[\"“”]|''|``")
STOP = {"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "and", "s", "sen", "gov", "rep", "president"}


def load(split: str, limit: int | None, skip: int = 0) -> list[dict] | None:
    path = CORPORA / f"polnear-{split}.jsonl.gz"
    if not path.exists():
        return None
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k < skip:
                continue
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def split_title(text: str) -> tuple[str, str]:
    """PolNeAR's text starts with the headline line; keep offsets identical to the gold's."""
    from indexer.nlp import compose_text

    first, sep, rest = text.partition("\n\n")
    if sep and "\n" not in first:
        composed, _ = compose_text(first, rest)
        if composed == text:
            return first, rest
    return "", text


class Tokens:
    """Word-token indices of a text, for turning char spans into token sets."""

    def __init__(self, text: str):
        self.starts = []
        self.ends = []
        for m in WORD.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def of(self, spans) -> frozenset[int]:
        import bisect

        out = set()
        for s, e in spans:
            i = bisect.bisect_right(self.ends, s)
            while i < len(self.starts) and self.starts[i] < e:
                out.add(i)
                i += 1
        return frozenset(out)


def match(preds: list[frozenset], golds: list[frozenset]) -> tuple[list[tuple[int, int, float]], int]:
    """Greedy one-to-one matching at overlap >= 0.5; returns pairs and the number of exact pairs."""
    cands = []
    for i, p in enumerate(preds):
        if not p:
            continue
        for j, g in enumerate(golds):
            if not g:
                continue
            inter = len(p & g)
            if not inter:
                continue
            ov = inter / max(len(p), len(g))
            if ov >= 0.5:
                cands.append((ov, i, j))
    cands.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for ov, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j, ov))
    exact = sum(1 for i, j, _ in pairs if preds[i] == golds[j])
    return pairs, exact


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def speaker_ok(pred: dict, gold_source: dict | None, text: str) -> bool:
    if not gold_source:
        return False
    span = pred["speaker_span"]
    gspans = gold_source["offsets"]
    if span and any(span[0] < e and s < span[1] for s, e in gspans):
        return True
    names = [pred["speaker"]] + list(pred["aliases"])
    gwords = {w.lower() for w in WORD.findall(gold_source["text"])} - STOP
    for name in names:
        if name and {w.lower() for w in WORD.findall(name)} - STOP & gwords:
            return True
    return False


@dataclass
class Scored:
    """One article's predictions (grouped as attributions) and what they matched."""

    preds: list[dict]
    golds: list[dict]
    pairs: list[tuple[int, int, float]]  # (pred, gold, overlap) at >= 0.5
    direct_pairs: int
    direct_exact: int
    n_direct_pred: int
    n_direct_gold: int
    exact: int


def group_predictions(quotes, details) -> list[dict]:
    """The parts of one interrupted direct quote (same group) as one prediction; `members` are the
    indices of the quotes it holds."""
    groups: dict = {}
    for k, (q, d) in enumerate(zip(quotes, details)):
        key = ("group", d["group"]) if q.kind == "direct" else ("q", k)
        g = groups.setdefault(key, {"spans": [], "kind": q.kind, "speaker": q.speaker, "speaker_span": d["speaker_span"],
                                    "aliases": d.get("speaker_aliases", []), "mention": q.speaker_mention, "cue": q.cue,
                                    "text": [], "members": [], "confidence": q.confidence})
        g["spans"].extend(d["content_spans"])
        g["text"].append(q.text)
        g["members"].append(k)
    return list(groups.values())


def score_article(row: dict, quotes, details) -> Scored:
    text = row["text"]
    toks = Tokens(text)
    preds = group_predictions(quotes, details)
    pred_sets = [toks.of(p["spans"]) for p in preds]
    golds = [a for a in row["attributions"] if a.get("content")]
    gold_sets = [toks.of(a["content"]["offsets"]) for a in golds]
    gold_direct = [bool(QUOTE_MARK.search(a["content"]["text"])) for a in golds]
    pairs, exact = match(pred_sets, gold_sets)
    di = [i for i, p in enumerate(preds) if p["kind"] in {"direct", "mixed"}]
    dj = [j for j, d in enumerate(gold_direct) if d]
    dpairs, dexact = match([pred_sets[i] for i in di], [gold_sets[j] for j in dj])
    return Scored(preds, golds, pairs, len(dpairs), dexact, len(di), len(dj), exact)


def gold_speaker_name(doc, gold_source: dict | None, resolver) -> str | None:
    """The canonical name of the entity the gold source names, when the source phrase's head is a
    name ("Clinton", "Stein spokeswoman Melezia Figueroa" -> Melezia Figueroa): the speaker a reader
    would index. None for "he", "a spokeswoman for Hillary Clinton", "the Trump campaign"."""
    if not gold_source or not gold_source.get("offsets"):
        return None
    by_token = {i: m for m in (doc._.mentions or []) if m.entity.label in {"PERSON", "ORG", "LOC"}
                for i in range(m.start, m.end)}
    for gs, ge in gold_source["offsets"]:
        span = doc.char_span(gs, ge, alignment_mode="expand")
        if span is None or not len(span):
            continue
        m = by_token.get(span.root.i)
        if m is not None:
            return resolver.canonical(m.entity).name
    return None


@dataclass
class Figures:
    tot: dict = field(default_factory=lambda: {"all": [0, 0, 0, 0], "direct": [0, 0, 0, 0]})  # tp, exact, pred, gold
    speaker_ok: int = 0
    speaker_n: int = 0
    canonical_ok: int = 0
    canonical_n: int = 0
    articles: int = 0

    def add(self, row: dict, doc, quotes, details, errors: list[str] | None = None, shown: int = 0) -> None:
        from indexer.quotes import Resolver

        sc = score_article(row, quotes, details)
        self.articles += 1
        t = self.tot["all"]
        t[0] += len(sc.pairs)
        t[1] += sc.exact
        t[2] += len(sc.preds)
        t[3] += len(sc.golds)
        t = self.tot["direct"]
        t[0] += sc.direct_pairs
        t[1] += sc.direct_exact
        t[2] += sc.n_direct_pred
        t[3] += sc.n_direct_gold
        resolver = Resolver(doc) if doc is not None else None
        for i, j, _ in sc.pairs:
            source = sc.golds[j].get("source")
            if not source:
                continue
            self.speaker_n += 1
            ok = speaker_ok(sc.preds[i], source, row["text"])
            self.speaker_ok += ok
            if errors is not None and not ok:
                errors.append(f"SPEAKER {row['id']}: gold {source['text']!r} pred {sc.preds[i]['speaker']!r} "
                              f"({sc.preds[i]['mention']!r}) :: {sc.preds[i]['text'][0][:80]!r}")
            gold_name = gold_speaker_name(doc, source, resolver) if resolver is not None else None
            if gold_name is not None:
                self.canonical_n += 1
                self.canonical_ok += sc.preds[i]["speaker"] == gold_name
        if errors is not None:
            matched_p = {i for i, _, _ in sc.pairs}
            matched_g = {j for _, j, _ in sc.pairs}
            for i, p in enumerate(sc.preds):
                if i not in matched_p:
                    errors.append(f"FALSE {row['id']} [{p['kind']}] cue={p['cue']!r} {p['speaker']!r}: {' | '.join(p['text'])[:160]!r}")
            for j, a in enumerate(sc.golds):
                if j not in matched_g:
                    cue = (a.get("cue") or {}).get("text")
                    errors.append(f"MISS  {row['id']} cue={cue!r}: {a['content']['text'][:160]!r}")

    def f1(self, subset: str = "all", exact: bool = False) -> float:
        tp, ex, npred, ngold = self.tot[subset]
        return prf(ex if exact else tp, npred, ngold)[2]

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.speaker_n if self.speaker_n else 0.0

    @property
    def canonical_accuracy(self) -> float:
        return self.canonical_ok / self.canonical_n if self.canonical_n else 0.0

    def summary(self) -> dict:
        return {"all_f1": round(self.f1("all"), 3), "direct_f1": round(self.f1("direct"), 3),
                "all_exact_f1": round(self.f1("all", exact=True), 3), "speaker": round(self.speaker_accuracy, 3),
                "speaker_canonical": round(self.canonical_accuracy, 3)}

    def report(self, title: str) -> str:
        lines = [title, f"{'subset':8} {'P@0.5':>6} {'R@0.5':>6} {'F1@0.5':>7} {'P=':>6} {'R=':>6} {'F1=':>6}  pred  gold"]
        for name, (tp, ex, npred, ngold) in self.tot.items():
            p, rr, f = prf(tp, npred, ngold)
            pe, re_, fe = prf(ex, npred, ngold)
            lines.append(f"{name:8} {p:6.3f} {rr:6.3f} {f:7.3f} {pe:6.3f} {re_:6.3f} {fe:6.3f} {npred:5d} {ngold:5d}")
        lines.append(f"speaker accuracy on matched quotes with a gold source: {self.speaker_accuracy:.3f} "
                     f"({self.speaker_ok}/{self.speaker_n})")
        lines.append(f"speaker by exact canonical name, gold sources that name an entity: {self.canonical_accuracy:.3f} "
                     f"({self.canonical_ok}/{self.canonical_n})")
        return "\n".join(lines)


def parse(nlp, rows: list[dict]) -> list:
    """The docs of `rows` through the pipeline up to (not including) the quote component."""
    from indexer.nlp import compose_text, make_doc
    from indexer.repair import repair_body, repair_punctuation

    docs = []
    for r in rows:
        title, body = split_title(r["text"])
        assert compose_text(title, body)[0] == r["text"]
        doc = make_doc(nlp, repair_punctuation(title), repair_body(body))  # as the product reads it: same length
        docs.append(doc)
    with nlp.select_pipes(disable=["presswatch_quotes"]):
        return list(nlp.pipe(docs, batch_size=16))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--skip", type=int, default=0, help="start after this many articles")
    ap.add_argument("--errors", type=int, default=0, help="print this many misses / false alarms")
    ap.add_argument("--rules", action="store_true", help="the rules alone, without the trained linker")
    args = ap.parse_args(argv)

    rows = load(args.split, args.limit, args.skip)
    if rows is None:
        print(f"PolNeAR corpora not found under {CORPORA}; skipping the quotes benchmark.")
        return 0

    from indexer.nlp import build_pipeline
    from indexer.quotes import extract, load_linker

    nlp = build_pipeline()
    linker = None if args.rules else load_linker()
    t0 = time.perf_counter()
    docs = parse(nlp, rows)
    elapsed = time.perf_counter() - t0
    figures = Figures()
    errors: list[str] | None = [] if args.errors else None
    t_quotes = 0.0
    for r, doc in zip(rows, docs):
        t1 = time.perf_counter()
        quotes, details, _ = extract(doc, linker)
        t_quotes += time.perf_counter() - t1
        figures.add(r, doc, quotes, details, errors)
    for line in (errors or [])[: args.errors]:
        print(line)
    mode = "rules only" if linker is None else "trained linker"
    print(figures.report(
        f"PolNeAR {args.split} ({mode}): {len(rows)} articles, {figures.tot['all'][3]} gold attributions "
        f"({figures.tot['direct'][3]} direct); {elapsed:.1f}s pipeline, quotes component "
        f"{t_quotes * 1000 / max(1, len(rows)):.1f} ms/article"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
