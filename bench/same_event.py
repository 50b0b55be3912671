"""Cross-document entity resolution, scored against hand labels: does every article about the same
person or organisation use one canonical facet value for it?

    .venv/bin/python bench/same_event.py [--split tune|heldout|all] [--keep] [--alias-map FILE]

1. Takes the labelled PolNeAR articles (bench/data/same_event/labels.jsonl: ids and gold entities only)
   from ../shared/corpora and writes them into a temporary folder as one .jsonl file
   (id, outlet, url, date, title, text).
2. Ingests the folder into a fresh index on the running Elasticsearch through the product CLI:
   `PRESSWATCH_INDEX=<unique> presswatch ingest --no-prefect <folder>`, then runs
   `presswatch entities consolidate` when the CLI has that command.
3. Reads each article back (`_id` = the input's id) and matches every gold (article, entity) to one of the
   document's `entities` (by its name, surface or aliases, titles and dots ignored).
4. Prints, per split (tune = polnear-train, heldout = polnear-dev) and label (PERSON, ORG):
   canonical share   gold pairs whose matched facet value `name` is the gold canonical name
                     (case and diacritics ignored; no alias map: exact canonical; unmatched = miss);
   consistency       gold entities seen in articles of >= 2 outlets whose matched articles all carry one
                     facet value (an unmatched article makes the entity inconsistent);
   and the most frequent wrong values, and the entities that split, with their values.
5. Deletes its index (and the entity index, if the product made one) unless --keep.

The connection is the one `presswatch es env` prints: ES_* from the environment when ES_URL is set,
else the embedded node of $PRESSWATCH_HOME, ./.presswatch of this checkout, or of the main checkout
when this is a git worktree. The CLI is run from the checkout given by --code (default: this one).

The last line printed is one JSON object with every figure. Skips (exit 0) without the corpora.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
LABELS = REPO / "bench" / "data" / "same_event" / "labels.jsonl"
SPLITS = {"tune": "polnear-train", "heldout": "polnear-dev"}
LABEL_KINDS = ("PERSON", "ORG")
UNMATCHED = "<unmatched>"

# titles and roles taken off the front of a name before forms are compared ("Mr. Obama", "Sen. Cruz")
TITLES = (
    "mr", "mrs", "ms", "miss", "dr", "president", "vice president", "former president", "president-elect",
    "sen", "senator", "gov", "governor", "rep", "representative", "speaker", "house speaker",
    "secretary", "secretary of state", "attorney general", "director", "chief justice", "justice", "judge",
    "gen", "general", "lt gen", "lt", "col", "adm", "rev", "the rev", "the", "former", "first lady",
)
_TITLE_RE = re.compile(r"^(?:{})\s+".format("|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))))


# -- names -------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Case, diacritics, curly apostrophes and spacing folded away."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def canon_key(name: str) -> str:
    """The key two facet values must share to be the same canonical value ("George H.W. Bush" =
    "George H. W. Bush"); nothing else is forgiven."""
    return re.sub(r"\.\s*", ". ", _fold(name)).strip()


def form_key(form: str) -> str:
    """The key a gold form and a predicted name/surface/alias are matched on: folded, dots and
    possessives dropped, leading titles taken off ("Mr. Obama" = "obama", "F.B.I." = "fbi")."""
    text = _fold(form)
    text = re.sub(r"'s$|'$", "", text)
    text = text.replace(".", "")
    text = re.sub(r"[^\w' -]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous, text = text, _TITLE_RE.sub("", text)
    return text


# -- data --------------------------------------------------------------------------------------

def load_labels(path: Path, splits: list[str]) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["split"] in splits]


def load_articles(labels: list[dict]) -> dict[str, dict]:
    wanted = collections.defaultdict(set)
    for row in labels:
        wanted[row["corpus"]].add(row["id"])
    found: dict[str, dict] = {}
    for corpus, ids in wanted.items():
        with gzip.open(CORPORA / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                if item["id"] in ids:
                    found[item["id"]] = item
    missing = [row["id"] for row in labels if row["id"] not in found]
    if missing:
        raise SystemExit(f"{len(missing)} labelled article(s) are not in the corpora, e.g. {missing[0]}")
    return found


def write_input(folder: Path, labels: list[dict], articles: dict[str, dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "same-event.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for row in labels:
            item = articles[row["id"]]
            record = {k: item.get(k) for k in ("id", "outlet", "url", "date", "title", "text")}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    old = time.time() - 60  # settled: not "still being written"
    os.utime(path, (old, old))
    return path


# -- the product -------------------------------------------------------------------------------

def _main_checkout_home() -> Path | None:
    """The .presswatch of the main checkout when REPO is a git worktree of it."""
    try:
        common = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--path-format=absolute",
                                 "--git-common-dir"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if common.returncode != 0 or not common.stdout.strip():
        return None
    return Path(common.stdout.strip()).parent / ".presswatch"


def connection_env() -> dict[str, str | None]:
    """ES_* as `presswatch es env` would print them (the environment's when ES_URL is set)."""
    sys.path.insert(0, str(REPO))
    from indexer.config import Settings

    if os.environ.get("ES_URL"):
        return Settings.from_env().connection().env()
    homes = [Path(os.environ["PRESSWATCH_HOME"])] if os.environ.get("PRESSWATCH_HOME") else []
    homes += [REPO / ".presswatch", _main_checkout_home()]
    for home in homes:
        if home is not None and (home / "elasticsearch" / "credentials.json").exists():
            return Settings.from_env(home=home.expanduser().absolute()).connection().env()
    raise SystemExit("no Elasticsearch to use: start the local node (presswatch es start) or "
                     'eval "$(presswatch es env)" before running this bench')


class Product:
    """The `presswatch` CLI of a checkout, run as a child process on one index."""

    def __init__(self, code: Path, index: str, home: Path, es_env: dict[str, str | None]):
        self.code = code
        env = {k: v for k, v in os.environ.items() if not k.startswith("ES_")}
        env.update({k: v for k, v in es_env.items() if v is not None})
        env.update(PRESSWATCH_INDEX=index, PRESSWATCH_HOME=str(home), PREFECT_LOGGING_LEVEL="WARNING",
                   PYTHONPATH=os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])]))
        self.env = env
        script = Path(sys.executable).with_name("presswatch")
        self.command = ([str(script)] if script.exists() else
                        [sys.executable, "-c", ("import sys; sys.argv[0] = 'presswatch'; "
                                                "from indexer.cli import main; sys.exit(main())")])

    def run(self, *args: str, timeout: float = 3600) -> subprocess.CompletedProcess:
        return subprocess.run([*self.command, *args], env=self.env, cwd=self.code, capture_output=True,
                              text=True, timeout=timeout, check=False)


def client_for(es_env: dict[str, str | None]):
    from elasticsearch import Elasticsearch

    kwargs: dict = {"request_timeout": 60}
    if es_env.get("ES_API_KEY"):
        kwargs["api_key"] = es_env["ES_API_KEY"]
    elif es_env.get("ES_USERNAME"):
        kwargs["basic_auth"] = (es_env["ES_USERNAME"], es_env.get("ES_PASSWORD") or "")
    if es_env.get("ES_CA_CERTS"):
        kwargs["ca_certs"] = es_env["ES_CA_CERTS"]
    return Elasticsearch(es_env["ES_URL"], **kwargs)


def read_documents(client, index: str, ids: list[str]) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for start in range(0, len(ids), 100):
        reply = client.mget(index=index, ids=ids[start:start + 100]).body
        for item in reply["docs"]:
            if item.get("found"):
                docs[item["_id"]] = item["_source"]
    return docs


def drop_index(client, index: str) -> list[str]:
    """Delete every index behind the bench's alias (articles, entities) and its templates, by name."""
    quiet = client.options(ignore_status=404)
    names = sorted(client.indices.get(index=f"{index}-*", allow_no_indices=True, expand_wildcards="all").body)
    for name in names:
        client.indices.delete(index=name)
    templates = quiet.indices.get_index_template(name=f"presswatch-{index}*").body.get("index_templates", [])
    for template in templates:
        client.indices.delete_index_template(name=template["name"])
    return names


# -- matching ----------------------------------------------------------------------------------

def _keys(entity: dict) -> tuple[str, set[str]]:
    name = form_key(entity.get("name") or "")
    keys = {name, form_key(entity.get("surface") or "")}
    keys.update(form_key(a) for a in entity.get("aliases") or [])
    keys.discard("")
    return name, keys


def _tier(gold: dict, name: str, keys: set[str]) -> int | None:
    """How well a predicted entity (its name key and all its keys) matches a gold entity: 0 best."""
    gold_name = form_key(gold["name"])
    forms = {form_key(f) for f in gold["forms"]} - {""}
    if gold_name == name:
        return 0
    if any(" " in f and f in keys for f in forms | {gold_name}):
        return 1
    if any(f in keys for f in forms | {gold_name}):
        return 2
    last_words = {f.split()[-1] for f in forms if f}
    if name in last_words:
        return 3
    return None


def match_article(gold_entities: list[dict], predicted: list[dict]) -> list[dict | None]:
    """One predicted entity per gold entity (or None). Best tiers first, a predicted entity used once;
    a gold entity left over may then share a predicted entity it matches by name or full form."""
    keyed = [_keys(p) for p in predicted]
    options = []
    for g, gold in enumerate(gold_entities):
        for p, (name, keys) in enumerate(keyed):
            tier = _tier(gold, name, keys)
            if tier is not None:
                same_label = predicted[p].get("label") == gold["label"]
                overlap = len(keys & ({form_key(f) for f in gold["forms"]} | {form_key(gold["name"])}))
                options.append((tier, not same_label, -overlap, -(predicted[p].get("mentions") or 0), g, p))
    options.sort()
    chosen: list[dict | None] = [None] * len(gold_entities)
    used: set[int] = set()
    for tier, _, _, _, g, p in options:
        if chosen[g] is None and p not in used:
            chosen[g] = predicted[p]
            used.add(p)
    for tier, _, _, _, g, p in options:
        if chosen[g] is None and tier <= 1:
            chosen[g] = predicted[p]
    return chosen


# -- scoring -----------------------------------------------------------------------------------

def load_alias_map(path: Path | None) -> dict[str, str]:
    """canonical -> accepted variants (JSON object of lists), folded to variant key -> canonical key.
    Used only for the lenient share; the canonical share is exact."""
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {canon_key(v): canon_key(k) for k, variants in data.items() for v in [k, *variants]}


def match_pairs(labels: list[dict], docs: dict[str, dict]) -> list[dict]:
    """One row per gold (article, entity): the facet value it got, or None."""
    pairs = []
    for row in labels:
        doc = docs.get(row["id"])
        predicted = [e for e in (doc or {}).get("entities") or [] if not e.get("dropped")]
        for gold, pred in zip(row["entities"], match_article(row["entities"], predicted)):
            value = pred.get("name") if pred else None
            pairs.append({"split": row["split"], "id": row["id"], "outlet": row["outlet"], "gold": gold["name"],
                          "label": gold["label"], "value": value, "pred_label": pred.get("label") if pred else None,
                          "pred_aliases": pred.get("aliases") if pred else None, "indexed": doc is not None})
    return pairs


def score(pairs: list[dict], alias_map: dict[str, str], top: int) -> dict:
    report = {}
    for split in dict.fromkeys(p["split"] for p in pairs):
        report[split] = {}
        for label in (*LABEL_KINDS, "ALL"):
            chosen = [p for p in pairs if p["split"] == split and (label == "ALL" or p["label"] == label)]
            if chosen:
                report[split][label] = _figures(chosen, alias_map, top)
    return report


def _figures(pairs: list[dict], alias_map: dict[str, str], top: int) -> dict:
    def exact(p):
        return p["value"] is not None and canon_key(p["value"]) == canon_key(p["gold"])

    def lenient(p):
        if p["value"] is None:
            return False
        value, gold = canon_key(p["value"]), canon_key(p["gold"])
        return alias_map.get(value, value) == alias_map.get(gold, gold)

    matched = sum(p["value"] is not None for p in pairs)
    by_entity = collections.defaultdict(list)
    for p in pairs:
        by_entity[p["gold"]].append(p)
    eligible = {g: ps for g, ps in by_entity.items() if len({p["outlet"] for p in ps}) >= 2}
    consistent = {g for g, ps in eligible.items()
                  if all(p["value"] is not None for p in ps) and len({canon_key(p["value"]) for p in ps}) == 1}
    wrong = collections.Counter((p["gold"], p["value"] or UNMATCHED) for p in pairs if not exact(p))
    splits = []
    for g, ps in sorted(eligible.items(), key=lambda kv: -len(kv[1])):
        if g in consistent:
            continue
        values = collections.Counter(p["value"] or UNMATCHED for p in ps)
        splits.append({"entity": g, "articles": len(ps), "outlets": len({p["outlet"] for p in ps}),
                       "values": values.most_common()})
    return {
        "pairs": len(pairs), "articles": len({p["id"] for p in pairs}), "entities": len(by_entity),
        "matched": matched, "matched_share": round(matched / len(pairs), 4),
        "canonical": sum(map(exact, pairs)), "canonical_share": round(sum(map(exact, pairs)) / len(pairs), 4),
        "lenient_share": round(sum(map(lenient, pairs)) / len(pairs), 4) if alias_map else None,
        "label_agrees": sum(p["pred_label"] == p["label"] for p in pairs if p["value"] is not None),
        "cross_outlet_entities": len(eligible), "consistent_entities": len(consistent),
        "consistency": round(len(consistent) / len(eligible), 4) if eligible else None,
        "wrong_values": [{"gold": g, "value": v, "count": n} for (g, v), n in wrong.most_common(top)],
        "split_entities": splits[:top],
    }


def print_report(report: dict, top: int) -> None:
    for split, by_label in report.items():
        print(f"\n== {split} ({SPLITS.get(split, split)}) ==")
        print(f"{'label':<7} {'pairs':>5} {'matched':>8} {'canonical share':>16} {'cross-outlet consistency':>26}")
        for label, f in by_label.items():
            consistency = (f"{f['consistency']:.1%} ({f['consistent_entities']}/{f['cross_outlet_entities']})"
                           if f["consistency"] is not None else "-")
            lenient = f"  lenient {f['lenient_share']:.1%}" if f["lenient_share"] is not None else ""
            print(f"{label:<7} {f['pairs']:>5} {f['matched_share']:>8.1%} "
                  f"{f['canonical_share']:>9.1%} ({f['canonical']:>3}) {consistency:>26}{lenient}")
        everything = by_label.get("ALL")
        if not everything:
            continue
        print(f"-- {split}: the {top} most frequent wrong values (gold -> facet value, count)")
        for w in everything["wrong_values"]:
            print(f"   {w['count']:>3}  {w['gold']} -> {w['value']}")
        print(f"-- {split}: cross-outlet entities that split (articles/outlets: values)")
        for s in everything["split_entities"]:
            values = ", ".join(f"{v} x{n}" for v, n in s["values"])
            print(f"   {s['entity']} ({s['articles']}/{s['outlets']}): {values}")


# -- main --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    parser.add_argument("--labels", type=Path, default=LABELS, help="gold labels (jsonl)")
    parser.add_argument("--alias-map", type=Path, help="JSON {canonical: [variants]}: adds a lenient share "
                                                       "(the canonical share stays exact)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose CLI is run (default: this)")
    parser.add_argument("--index", help="index alias to use (default: a fresh unique name)")
    parser.add_argument("--reuse", action="store_true", help="score --index as it is: no ingest, no consolidation")
    parser.add_argument("--keep", action="store_true", help="leave the index in Elasticsearch")
    parser.add_argument("--top", type=int, default=20, help="wrong values / split entities listed")
    parser.add_argument("--dump", type=Path, help="write every gold pair and its match here (jsonl)")
    args = parser.parse_args(argv)

    if not SHARED.is_dir() or not all((CORPORA / f"{c}.jsonl.gz").exists() for c in SPLITS.values()):
        print(f"skipped: the PolNeAR corpora are not in {CORPORA}")
        return 0
    if args.reuse and not args.index:
        parser.error("--reuse needs --index")

    splits = list(SPLITS) if args.split == "all" else [args.split]
    labels = load_labels(args.labels, splits)
    articles = load_articles(labels)
    gold_pairs = sum(len(row["entities"]) for row in labels)
    per_split = collections.Counter(row["split"] for row in labels)
    print(f"{len(labels)} labelled articles, {gold_pairs} gold (article, entity) pairs "
          f"({', '.join(f'{s}: {per_split[s]}' for s in splits)})", flush=True)

    es_env = connection_env()
    client = client_for(es_env)
    try:
        client.options(request_timeout=10).cluster.health()
    except Exception as exc:  # any failure means there is nothing to bench against
        raise SystemExit(f"Elasticsearch at {es_env['ES_URL']} does not answer: {exc}") from exc
    index = args.index or f"bench-same-event-{os.getpid()}-{int(time.time())}"
    code = args.code.resolve()
    figures: dict = {"index": index, "code": str(code)}
    try:
        with tempfile.TemporaryDirectory(prefix="presswatch-same-event-") as tmp:
            product = Product(code, index, Path(tmp) / "home", es_env)
            if not args.reuse:
                folder = Path(tmp) / "input"
                write_input(folder, labels, articles)
                print(f"ingesting into {index}: presswatch ingest --no-prefect ({code}) ...", flush=True)
                started = time.monotonic()
                ingest = product.run("ingest", "--no-prefect", "--json", str(folder))
                figures["ingest_seconds"] = round(time.monotonic() - started, 1)
                if ingest.returncode != 0:
                    print(ingest.stdout[-2000:], ingest.stderr[-4000:], sep="\n", file=sys.stderr)
                    raise SystemExit(f"presswatch ingest failed (exit {ingest.returncode})")
                print(f"ingested in {figures['ingest_seconds']:.0f}s", flush=True)
                if product.run("entities", "consolidate", "--help", timeout=300).returncode == 0:
                    print("presswatch entities consolidate ...", flush=True)
                    started = time.monotonic()
                    consolidate = product.run("entities", "consolidate")
                    figures["consolidate_seconds"] = round(time.monotonic() - started, 1)
                    if consolidate.returncode != 0:
                        print(consolidate.stdout[-2000:], consolidate.stderr[-4000:], sep="\n", file=sys.stderr)
                        raise SystemExit(f"presswatch entities consolidate failed (exit {consolidate.returncode})")
                    figures["consolidated"] = True
                else:
                    print("no consolidation command: scoring raw ingest", flush=True)
                    figures["consolidated"] = False
            client.indices.refresh(index=index)
            docs = read_documents(client, index, [row["id"] for row in labels])
    finally:
        if not args.keep and not args.reuse:
            dropped = drop_index(client, index)
            print(f"dropped {', '.join(dropped) or 'nothing'}", flush=True)
    figures["documents"] = len(docs)
    if len(docs) < len(labels):
        print(f"warning: {len(labels) - len(docs)} labelled article(s) not found in {index}", file=sys.stderr)

    pairs = match_pairs(labels, docs)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for pair in pairs:
                f.write(json.dumps(pair, ensure_ascii=False) + "\n")
    report = score(pairs, load_alias_map(args.alias_map), args.top)
    print_report(report, args.top)
    figures["splits"] = {split: {label: {k: v for k, v in f.items() if k not in ("wrong_values", "split_entities")}
                                 for label, f in by_label.items()} for split, by_label in report.items()}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
