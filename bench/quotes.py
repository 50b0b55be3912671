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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--skip", type=int, default=0, help="start after this many articles")
    ap.add_argument("--errors", type=int, default=0, help="print this many misses / false alarms")
    args = ap.parse_args(argv)

    rows = load(args.split, args.limit, args.skip)
    if rows is None:
        print(f"PolNeAR corpora not found under {CORPORA}; skipping the quotes benchmark.")
        return 0

    from indexer.nlp import build_pipeline

    nlp = build_pipeline()
    quotes_pipe = nlp.get_pipe("presswatch_quotes")

    docs = []
    for r in rows:
        title, body = split_title(r["text"])
        from indexer.nlp import compose_text

        text, bs = compose_text(title, body)
        assert text == r["text"]
        doc = nlp.make_doc(text)
        doc._.body_start = bs
        docs.append(doc)

    t0 = time.perf_counter()
    t_quotes = 0.0
    out_docs = []
    with nlp.select_pipes(disable=["presswatch_quotes"]):
        for doc in nlp.pipe(docs, batch_size=16):
            t1 = time.perf_counter()
            quotes_pipe(doc)
            t_quotes += time.perf_counter() - t1
            out_docs.append(doc)
    elapsed = time.perf_counter() - t0

    tot = {"all": [0, 0, 0, 0], "direct": [0, 0, 0, 0]}  # tp, exact, n_pred, n_gold
    sp_ok = sp_n = 0
    shown = 0
    for r, doc in zip(rows, out_docs):
        text = r["text"]
        toks = Tokens(text)
        # predictions: group the parts of one interrupted direct quote (same cue)
        groups: dict = {}
        for q, d in zip(doc._.quotes, doc._.quote_details):
            key = ("group", d["group"]) if q.kind == "direct" else ("q", id(q))
            g = groups.setdefault(key, {"spans": [], "kind": q.kind, "speaker": q.speaker, "speaker_span": d["speaker_span"], "aliases": d.get("speaker_aliases", []), "mention": q.speaker_mention, "cue": q.cue, "text": []})
            g["spans"].extend(d["content_spans"])
            g["text"].append(q.text)
        preds = list(groups.values())
        pred_sets = [toks.of(p["spans"]) for p in preds]
        golds = [a for a in r["attributions"] if a.get("content")]
        gold_sets = [toks.of(a["content"]["offsets"]) for a in golds]
        gold_direct = [bool(QUOTE_MARK.search(a["content"]["text"])) for a in golds]

        pairs, exact = match(pred_sets, gold_sets)
        t = tot["all"]
        t[0] += len(pairs)
        t[1] += exact
        t[2] += len(preds)
        t[3] += len(golds)
        for i, j, _ in pairs:
            if golds[j].get("source"):
                sp_n += 1
                ok = speaker_ok(preds[i], golds[j].get("source"), text)
                sp_ok += ok
                if not ok and shown < args.errors:
                    shown += 1
                    print(f"SPEAKER {r['id']}: gold {golds[j]['source']['text']!r} pred {preds[i]['speaker']!r} ({preds[i]['mention']!r}) :: {preds[i]['text'][0][:80]!r}")

        di = [i for i, p in enumerate(preds) if p["kind"] in {"direct", "mixed"}]
        dj = [j for j, d in enumerate(gold_direct) if d]
        dpairs, dexact = match([pred_sets[i] for i in di], [gold_sets[j] for j in dj])
        t = tot["direct"]
        t[0] += len(dpairs)
        t[1] += dexact
        t[2] += len(di)
        t[3] += len(dj)

        if args.errors and shown < args.errors:
            matched_p = {i for i, _, _ in pairs}
            matched_g = {j for _, j, _ in pairs}
            for i, p in enumerate(preds):
                if i not in matched_p and shown < args.errors:
                    shown += 1
                    print(f"FALSE {r['id']} [{p['kind']}] cue={p['cue']!r} {p['speaker']!r}: {' | '.join(p['text'])[:160]!r}")
            for j, a in enumerate(golds):
                if j not in matched_g and shown < args.errors:
                    shown += 1
                    cue = (a.get("cue") or {}).get("text")
                    print(f"MISS  {r['id']} cue={cue!r}: {a['content']['text'][:160]!r}")

    print(f"PolNeAR {args.split}: {len(rows)} articles, {tot['all'][3]} gold attributions "
          f"({tot['direct'][3]} direct); {elapsed:.1f}s pipeline, quotes component {t_quotes * 1000 / max(1, len(rows)):.1f} ms/article")
    print(f"{'subset':8} {'P@0.5':>6} {'R@0.5':>6} {'F1@0.5':>7} {'P=':>6} {'R=':>6} {'F1=':>6}  pred  gold")
    for name, (tp, ex, npred, ngold) in tot.items():
        p, rr, f = prf(tp, npred, ngold)
        pe, re_, fe = prf(ex, npred, ngold)
        print(f"{name:8} {p:6.3f} {rr:6.3f} {f:7.3f} {pe:6.3f} {re_:6.3f} {fe:6.3f} {npred:5d} {ngold:5d}")
    print(f"speaker accuracy on matched quotes with a gold source: {sp_ok / sp_n if sp_n else 0:.3f} ({sp_ok}/{sp_n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
