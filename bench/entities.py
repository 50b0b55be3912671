"""Entity quality benchmark: PressWatch's canonical entities vs raw en_core_web_sm.

    .venv/bin/python bench/entities.py [--limit N] [--corpora PATH] [--skip-reuters]
                                       [--labels | --no-labels] [--labels-only] [--errors]
                                       [--no-resolution] [--no-aliases]

Four parts, each printed as a small table:

1. seed: the product's sample article (``seeds/khamenei-hosts-hamas-delegation.txt``) against its
   targets: persons exactly the ten people it names, organizations that must (and must not) appear,
   outlet entities Tasnim and Fars. PressWatch's values are those of its indexed document
   (``Enricher.enrich_one``, then resolved as a corpus of its own: ``indexer.identity.resolve_documents``).
2. Reuters-21578 hand tags: per article, the ``organisations`` tags (ec, imf, opec, ...) and ``places``
   tags (usa, uk, west-germany, ...) are mapped to the names and acronyms the text uses for them;
   we report document-level recall of tagged orgs/places among extracted ORG/LOC entities (names and
   aliases), for PressWatch and for raw spaCy. The tags are a closed vocabulary (32 organisations,
   mostly intergovernmental; 147 countries), so this measures recall only, on that vocabulary; we also
   report how many ORG/PERSON values per article each system produces, how many of them come only
   from the ALL-CAPS headline (junk, as the headline's names repeat in the body), and how many PERSON
   values are a part of another one in the same article ("Khamenei" beside "Ali Khamenei"). This part
   scores the article-level pipeline (``doc._.entities``), without cross-document resolution.
3. Dai 2017: ``outlets.normalize_outlet(None, url)`` against the corpus' outlet names (accuracy).
4. labels (``--labels``, on by default when ``bench/data/ner-doc-labels.jsonl`` exists): ~60 hand-labelled
   articles (BBC, Dai 2017, Reuters; guidelines in ``bench/data/README.md``). Per article, the set of
   persons and of organisations from PressWatch (``Enricher().enrich_one``, then the labelled articles
   resolved together with ``indexer.identity.resolve_documents``: ``persons``, ``organizations``, the
   canonical names a user of the index sees) and from raw en_core_web_sm (PERSON / ORG entity texts on
   title + "\n\n" + text) is compared with the gold sets: micro-averaged precision / recall / F1, overall
   and per corpus. Scored with aliases (``bench/scoring.py``): a predicted value matches a gold value when
   the gold value's ``name_key`` (``person=True`` for persons) equals the key of the value, of its
   entity's ``surface`` or of one of its article ``aliases``; one to one, no partial-name credit.
   ``--errors`` lists each article's PressWatch false positives and negatives, and the values to review
   (renamed by resolution; two gold values merged in one). The last line printed is a JSON object with
   the figures.

``--no-resolution`` scores the article-level values (no cross-document resolution); ``--no-aliases``
matches the value itself only. Both together are the bench as it was before resolution.

The corpora are read from ``../shared/corpora`` (relative to the repo); the bench exits 0 with a
message when they are absent. Nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.names import name_key  # noqa: E402
from corpora import corpus_article, read_jsonl  # noqa: E402,F401  (bench/corpora.py; read_jsonl used by other benches too)
from scoring import micro_prf, facet_names, review, score_facet  # noqa: E402  (bench/scoring.py: shared with bench/conll.py)

SEED = ROOT / "seeds" / "khamenei-hosts-hamas-delegation.txt"
LABELS = ROOT / "bench" / "data" / "ner-doc-labels.jsonl"
SEED_PERSONS = {
    "Ali Khamenei", "Ismail Haniyeh", "Saleh al-Arouri", "Moussa Abu Marzouk", "Maher Salah",
    "Husam Badran", "Osama Hamdan", "Ezzat al-Rishq", "Ismail Radwan", "Kamal Kharazi",
}
SEED_ORGS_REQUIRED = {"Hamas", "Izz ad-Din al-Qassam Brigades", "Strategic Council of Foreign Relations"}
SEED_ORGS_JUNK = {"Khamenei Hosts Hamas Delegation", "Supreme", "Izz", "Islam", "Ayatollah", "Council of Foreign Relations"}
SEED_OUTLETS = ("Tasnim", "Fars")

# Reuters organisation tags -> names/acronyms that denote them in the text.
ORG_TAGS = {
    "ec": ["EC", "EEC", "European Community", "European Economic Community", "Common Market", "European Commission", "EC Commission"],
    "imf": ["IMF", "International Monetary Fund"],
    "opec": ["OPEC", "Organization of Petroleum Exporting Countries", "Organization of the Petroleum Exporting Countries"],
    "worldbank": ["World Bank", "IBRD"],
    "gatt": ["GATT", "General Agreement on Tariffs and Trade"],
    "ico-coffee": ["ICO", "International Coffee Organization", "International Coffee Organisation"],
    "oecd": ["OECD", "Organisation for Economic Cooperation and Development", "Organization for Economic Cooperation and Development"],
    "icco": ["ICCO", "International Cocoa Organization", "International Cocoa Organisation"],
    "adb-asia": ["ADB", "Asian Development Bank"],
    "adb-africa": ["ADB", "African Development Bank", "AFDB"],
    "itc": ["ITC", "International Tin Council"],
    "un": ["UN", "U.N.", "United Nations"],
    "unctad": ["UNCTAD", "United Nations Conference on Trade and Development"],
    "fao": ["FAO", "Food and Agriculture Organization", "Food and Agriculture Organisation"],
    "inro": ["INRO", "International Natural Rubber Organization", "International Natural Rubber Organisation"],
    "eib": ["EIB", "European Investment Bank"],
    "iea": ["IEA", "International Energy Agency"],
    "ida": ["IDA", "International Development Association"],
    "atpc": ["ATPC", "Association of Tin Producing Countries"],
    "gcc": ["GCC", "Gulf Cooperation Council"],
    "isa": ["ISA", "International Sugar Agreement", "International Sugar Organization"],
    "bis": ["BIS", "Bank for International Settlements"],
    "oapec": ["OAPEC", "Organization of Arab Petroleum Exporting Countries"],
    "iwc-wheat": ["IWC", "International Wheat Council"],
    "asean": ["ASEAN", "Association of South East Asian Nations", "Association of Southeast Asian Nations"],
    "escap": ["ESCAP", "Economic and Social Commission for Asia and the Pacific"],
    "eca": ["ECA", "Economic Commission for Africa"],
    "imco": ["IMCO"],
    "euratom": ["Euratom", "EURATOM"],
    "iwcc": ["IWCC"],
    "comecon": ["Comecon", "COMECON", "CMEA"],
    "efta": ["EFTA", "European Free Trade Association"],
}
PLACE_EXTRA = {
    "usa": ["U.S.", "US", "United States", "America", "USA"],
    "uk": ["U.K.", "UK", "Britain", "United Kingdom", "Great Britain", "England", "London"],
    "west-germany": ["West Germany", "W. Germany", "Germany", "Bonn", "Frankfurt"],
    "ussr": ["Soviet Union", "USSR", "Moscow", "Soviet"],
    "uae": ["UAE", "United Arab Emirates", "U.A.E.", "Abu Dhabi", "Dubai"],
    "hong-kong": ["Hong Kong"],
    "south-korea": ["South Korea", "Korea", "Seoul"],
    "japan": ["Japan", "Tokyo"],
    "china": ["China", "Peking", "Beijing"],
    "canada": ["Canada", "Ottawa", "Toronto"],
    "france": ["France", "Paris"],
    "netherlands": ["Netherlands", "Holland", "Amsterdam", "The Netherlands"],
}


def doc_for(nlp, title: str, body: str):
    from indexer.nlp import make_doc
    from indexer.repair import repair_body, repair_punctuation

    return make_doc(nlp, repair_punctuation(title or ""), repair_body(body or ""))  # as the product reads it


def ours_facets(doc) -> dict[str, set[str]]:
    out = {"PERSON": set(), "ORG": set(), "LOC": set(), "names": {"PERSON": set(), "ORG": set(), "LOC": set()}}
    for e in doc._.entities:
        if e.kind == "generic_outlet":
            continue
        out[e.label].add(e.name)
        for n in [e.name, *e.aliases]:
            out["names"][e.label].add(name_key(n))
    return out


RAW = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def raw_facets(doc) -> dict[str, set[str]]:
    out = {"PERSON": set(), "ORG": set(), "LOC": set(), "names": {"PERSON": set(), "ORG": set(), "LOC": set()}}
    for e in doc.ents:
        lab = RAW.get(e.label_)
        if lab:
            out[lab].add(e.text)
            out["names"][lab].add(name_key(e.text))
    return out


def headline_only(doc, facets_fn) -> int:
    """Values that occur only in the headline (the body never names them)."""
    bs = doc._.body_start
    if not bs:
        return 0
    head_names, body_names = set(), set()
    if facets_fn is ours_facets:
        ment = doc._.mentions or []
        for m in ment:
            if m.entity.label in ("PERSON", "ORG"):
                (head_names if doc[m.start].idx < bs else body_names).add(m.entity.name)
    else:
        for e in doc.ents:
            if e.label_ in ("PERSON", "ORG"):
                (head_names if e.start_char < bs else body_names).add(e.text)
    return len(head_names - body_names)


def partial_duplicates(persons: set[str]) -> int:
    """PERSON values that are only part of another PERSON value of the same article ("Khamenei")."""
    keys = [tuple(name_key(p, person=True).split()) for p in persons]
    count = 0
    for k in keys:
        if k and any(len(o) > len(k) and all(w in o for w in k) for o in keys):
            count += 1
    return count


# -- parts ---------------------------------------------------------------------------------------
def indexed_documents(nlp, articles, resolve: bool) -> list[dict]:
    """Each article's document as the index holds it: enriched, then (`resolve`) the set resolved together."""
    from indexer.enrich import Enricher
    from indexer.identity import Knowledge, resolve_documents

    enricher = Enricher(nlp)
    docs = [enricher.enrich_one(article) for article in articles]
    if resolve:
        resolve_documents(docs, Knowledge.load())
    return docs


def bench_seed(nlp, raw, resolve: bool = True) -> bool:
    from indexer.model import Article, Source

    print(f"\n## seed: seeds/khamenei-hosts-hamas-delegation.txt ({'resolved' if resolve else 'no resolution'})")
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    article = Article(title=title.strip(), body=body.strip(), source=Source(SEED.name, "txt", "0" * 64, 0))
    (pw,) = indexed_documents(nlp, [article], resolve)
    f = {"PERSON": set(pw["persons"]), "ORG": set(pw["organizations"])}
    rdoc = raw(doc_for(raw, title.strip(), body.strip()))
    rf = raw_facets(rdoc)
    outlets = {e["name"] for e in pw["entities"] if e.get("kind") == "outlet" and not e.get("dropped")}
    checks = [
        ("persons == the ten people", f["PERSON"] == SEED_PERSONS, rf["PERSON"] == SEED_PERSONS),
        ("required orgs present", SEED_ORGS_REQUIRED <= f["ORG"], SEED_ORGS_REQUIRED <= rf["ORG"]),
        ("no junk orgs/persons", not (SEED_ORGS_JUNK & (f["ORG"] | f["PERSON"])), not (SEED_ORGS_JUNK & (rf["ORG"] | rf["PERSON"]))),
        (
            "outlet entities Tasnim, Fars (kind outlet)",
            all(any(o.startswith(x) for o in outlets) for x in SEED_OUTLETS),
            False,
        ),
    ]
    print(f"{'check':45} {'presswatch':>10} {'raw spaCy':>10}")
    for name, ours, theirs in checks:
        print(f"{name:45} {'PASS' if ours else 'FAIL':>10} {'PASS' if theirs else 'FAIL':>10}")
    extra = f["PERSON"] - SEED_PERSONS
    missing = SEED_PERSONS - f["PERSON"]
    if extra or missing:
        print(f"  persons extra: {sorted(extra)}  missing: {sorted(missing)}")
    print(f"  presswatch orgs: {sorted(f['ORG'])}")
    print(f"  presswatch outlets: {sorted(outlets)}")
    print(f"  raw persons: {sorted(rf['PERSON'])}")
    print(f"  raw orgs: {sorted(rf['ORG'])}")
    return all(c[1] for c in checks)


def bench_reuters(nlp, raw, path: Path, limit: int) -> None:
    print(f"\n## Reuters-21578 hand tags (first {limit} articles with text and an organisations tag)")
    org_names = {tag: {name_key(n) for n in names} for tag, names in ORG_TAGS.items()}

    def place_names(tag: str) -> set[str]:
        names = PLACE_EXTRA.get(tag) or [tag.replace("-", " ").title()]
        return {name_key(n) for n in names}

    stats = {s: Counter() for s in ("presswatch", "raw")}
    t_ours = t_raw = 0.0
    docs = list(read_jsonl(path, limit, keep=lambda d: d.get("text") and d.get("organisations")))
    for d in docs:
        title, body = d.get("title") or "", d["text"]
        t0 = time.perf_counter()
        doc = nlp(doc_for(nlp, title, body))
        t1 = time.perf_counter()
        rdoc = raw(doc_for(raw, title, body))
        t2 = time.perf_counter()
        t_ours += t1 - t0
        t_raw += t2 - t1
        for sysname, f, hd in (
            ("presswatch", ours_facets(doc), headline_only(doc, ours_facets)),
            ("raw", raw_facets(rdoc), headline_only(rdoc, raw_facets)),
        ):
            st = stats[sysname]
            st["docs"] += 1
            st["orgs"] += len(f["ORG"])
            st["persons"] += len(f["PERSON"])
            st["headline_only"] += hd
            st["partial_dups"] += partial_duplicates(f["PERSON"])
            found_names = f["names"]["ORG"] | f["names"]["LOC"] | f["names"]["PERSON"]
            for tag in d.get("organisations") or []:
                if tag not in org_names:
                    continue
                st["org_tags"] += 1
                if org_names[tag] & found_names:
                    st["org_hit"] += 1
                    if org_names[tag] & f["names"]["ORG"]:
                        st["org_hit_as_org"] += 1
            for tag in d.get("places") or []:
                st["place_tags"] += 1
                if place_names(tag) & f["names"]["LOC"]:
                    st["place_hit"] += 1
    print(f"{'metric':48} {'presswatch':>10} {'raw spaCy':>10}")
    rows = [
        ("org tag recall (any label)", lambda s: s["org_hit"] / max(1, s["org_tags"])),
        ("org tag recall (labelled ORG)", lambda s: s["org_hit_as_org"] / max(1, s["org_tags"])),
        ("place tag recall (labelled LOC)", lambda s: s["place_hit"] / max(1, s["place_tags"])),
        ("ORG values per article", lambda s: s["orgs"] / max(1, s["docs"])),
        ("PERSON values per article", lambda s: s["persons"] / max(1, s["docs"])),
        ("headline-only PERSON/ORG values per article", lambda s: s["headline_only"] / max(1, s["docs"])),
        ("partial-name duplicate PERSON values per article", lambda s: s["partial_dups"] / max(1, s["docs"])),
    ]
    for name, fn in rows:
        print(f"{name:48} {fn(stats['presswatch']):>10.3f} {fn(stats['raw']):>10.3f}")
    n = max(1, len(docs))
    print(f"  ({len(docs)} articles, {stats['raw']['org_tags']} org tags, {stats['raw']['place_tags']} place tags;"
          f" full pipeline {1000 * t_ours / n:.1f} ms/article, raw spaCy {1000 * t_raw / n:.1f} ms/article)")


def bench_dai(path: Path, limit: int | None) -> None:
    from indexer.outlets import normalize_outlet

    print("\n## Dai 2017: normalize_outlet(None, url) vs the corpus outlet")
    total, ok = Counter(), Counter()
    wrong: Counter = Counter()
    for d in read_jsonl(path, limit, keep=lambda d: d.get("url")):
        got = normalize_outlet(None, d["url"])
        total[d["outlet"]] += 1
        if got == d["outlet"]:
            ok[d["outlet"]] += 1
        else:
            wrong[(d["outlet"], got)] += 1
    print(f"{'outlet':20} {'articles':>8} {'accuracy':>9}")
    for outlet in sorted(total):
        print(f"{outlet:20} {total[outlet]:>8} {ok[outlet] / total[outlet]:>9.3f}")
    print(f"{'all':20} {sum(total.values()):>8} {sum(ok.values()) / max(1, sum(total.values())):>9.3f}")
    for (exp, got), c in wrong.most_common(5):
        print(f"  wrong: {exp!r} -> {got!r} x{c}")


# Reported sets: all labels; the modern news (Dai 2017, BBC, PolNeAR: not Reuters 1987) split into the part
# tuned on and the held-out third no rule, threshold or training ever looked at (bench/data/README.md).
GROUPS = ("all", "modern-tune", "modern-heldout")


def groups_of(label: dict) -> tuple[str, ...]:
    split = label.get("split", "tune")
    modern = () if label["corpus"] == "reuters21578" else (f"modern-{split}",)
    return (label["corpus"], "all", *modern)


def without_furniture(inputs: list, corpora: Path, names: list[str]) -> list:
    """The labelled articles stripped of page furniture as an index of their whole corpora would strip
    them: every article of each corpus is learned first (indexer.boilerplate, statistics in memory)."""
    from indexer.boilerplate import Boilerplate, UnitStats

    furniture = Boilerplate(stats=UnitStats())
    for name in names:
        furniture.learn(corpus_article(d, name) for d in read_jsonl(corpora / f"{name}.jsonl.gz") if d.get("text"))
    stripped = [furniture.strip(article) for article in inputs]
    words = sum(s.words_removed for s in stripped)
    print(f"  page furniture: {words} words removed from {sum(1 for s in stripped if s.removed)} labelled articles")
    return [s.article for s in stripped]


def bench_labels(nlp, raw, corpora: Path, labels_path: Path, show_errors: bool = False, *,
                 resolve: bool = True, aliases: bool = True, furniture: bool = True) -> dict | None:
    """Document-level facet P/R/F1 against the hand labels (see module docs and bench/data/README.md)."""
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    mode = f"{'resolved together' if resolve else 'no resolution'}; " \
           f"{'name_key matching with aliases' if aliases else 'strict name_key matching'}"
    print(f"\n## hand labels: {labels_path} ({len(labels)} articles; {mode})")
    wanted: dict[str, set[str]] = {}
    for lab in labels:
        wanted.setdefault(lab["corpus"], set()).add(lab["id"])
    articles: dict[tuple[str, str], dict] = {}
    for corpus, ids in wanted.items():
        path = corpora / f"{corpus}.jsonl.gz"
        if not path.is_file():
            print(f"  corpus {path} not found: skipping its {len(ids)} labelled articles")
            continue
        for d in read_jsonl(path, keep=lambda d, ids=ids: d.get("id") in ids):
            articles[(corpus, d["id"])] = d
    missing = [f"{lab['corpus']}/{lab['id']}" for lab in labels if (lab["corpus"], lab["id"]) not in articles]
    if missing:
        print(f"  {len(missing)} labelled articles not found in the corpora: {missing[:5]}")
    if not articles:
        print("  no labelled article available: skipping")
        return None

    systems = ("presswatch", "raw")
    kinds = (("persons", True), ("organizations", False))
    groups = (*wanted, *GROUPS)
    counts = {(s, k, c): Counter() for s in systems for k, _ in kinds for c in groups}
    errors, notes = [], []
    labelled = [lab for lab in labels if (lab["corpus"], lab["id"]) in articles]
    texts = [(articles[(lab["corpus"], lab["id"])].get("title") or "",
              articles[(lab["corpus"], lab["id"])].get("text") or "") for lab in labelled]
    inputs = [corpus_article(articles[(lab["corpus"], lab["id"])], lab["corpus"]) for lab in labelled]
    if furniture:
        inputs = without_furniture(inputs, corpora, sorted(wanted))
    docs = indexed_documents(nlp, inputs, resolve)
    for lab, (title, text), doc in zip(labelled, texts, docs):
        rdoc = raw(f"{title}\n\n{text}" if title else text)
        pred = {
            "presswatch": {k: facet_names(doc, k) if aliases else doc[k] for k in ("persons", "organizations")},
            "raw": {
                "persons": [e.text for e in rdoc.ents if e.label_ == "PERSON"],
                "organizations": [e.text for e in rdoc.ents if e.label_ == "ORG"],
            },
        }
        for kind, person in kinds:
            for s in systems:
                score = score_facet(lab[kind], pred[s][kind], person=person)
                for c in groups_of(lab):
                    counts[(s, kind, c)].update(score.counts())
                if s == "presswatch":
                    if score.false_positives or score.false_negatives:
                        errors.append((lab["id"], kind, sorted(score.false_positives), sorted(score.false_negatives)))
                    if aliases:
                        notes.extend((lab["id"], kind, n) for n in review(score, doc, kind, person=person))

    results: dict = {}
    print(f"{'facet':14} {'set':13} {'docs':>4}  {'PressWatch P':>12} {'R':>6} {'F1':>6}  {'raw spaCy P':>11} {'R':>6} {'F1':>6}")
    ndocs = Counter(c for lab in labelled for c in groups_of(lab))
    for kind, _ in kinds:
        for c in (*GROUPS, *sorted(wanted)):
            row = {s: micro_prf(**{k: counts[(s, kind, c)][k] for k in ("tp", "fp", "fn")}) for s in systems}
            results.setdefault(kind, {})[c] = row
            a, b = row["presswatch"], row["raw"]
            print(f"{kind:14} {c:13} {ndocs[c]:>4}  {a['p']:>12.3f} {a['r']:>6.3f} {a['f1']:>6.3f}"
                  f"  {b['p']:>11.3f} {b['r']:>6.3f} {b['f1']:>6.3f}")
    g = counts[("presswatch", "persons", "all")]
    h = counts[("presswatch", "organizations", "all")]
    print(f"  gold values: {g['tp'] + g['fn']} persons, {h['tp'] + h['fn']} organisations;"
          f" targets F1 >= 0.88 persons, >= 0.70 organisations")
    if show_errors:
        print("\n  PressWatch errors (FP: predicted, not gold; FN: gold, not predicted):")
        for aid, kind, fp, fn in errors:
            print(f"  {aid:22} {kind:13} FP {fp}  FN {fn}")
        print("\n  PressWatch values to review (renamed by resolution; two gold values merged in one):")
        for aid, kind, note in notes:
            print(f"  {aid:22} {kind:13} {note}")
    return {"articles": len(articles), "persons": results["persons"], "organizations": results["organizations"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=300, help="Reuters articles to run through NLP (default 300)")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--skip-reuters", action="store_true")
    ap.add_argument("--labels", action=argparse.BooleanOptionalAction, default=None,
                    help=f"score against the hand labels (default: on when {LABELS.relative_to(ROOT)} exists)")
    ap.add_argument("--labels-file", type=Path, default=LABELS)
    ap.add_argument("--labels-only", action="store_true", help="run only the hand-label part")
    ap.add_argument("--errors", action="store_true", help="list PressWatch's errors on the labelled articles")
    ap.add_argument("--no-resolution", action="store_true",
                    help="score the article-level values (no cross-document resolution of the bench's articles)")
    ap.add_argument("--no-furniture", action="store_true",
                    help="score bodies as read (no page furniture learned from the corpora and removed)")
    ap.add_argument("--ner", default="wire", help="entity recogniser weights: wire, stock or a folder (PRESSWATCH_NER)")
    ap.add_argument("--no-aliases", action="store_true",
                    help="strict scoring: a predicted value matches by its own name_key only")
    args = ap.parse_args(argv)
    use_labels = args.labels if args.labels is not None else args.labels_file.is_file()
    if args.labels_only:
        use_labels = True

    from indexer.nlp import build_pipeline, load_base_model

    nlp = build_pipeline(ner=args.ner)
    raw = load_base_model(exclude=("lemmatizer",))
    if args.labels_only:
        return _run_labels(nlp, raw, args)
    seed_ok = bench_seed(nlp, raw, resolve=not args.no_resolution)
    if not args.corpora.is_dir():
        print(f"\ncorpora not found at {args.corpora}: skipping the Reuters, Dai and hand-label parts")
        return 0
    reuters = args.corpora / "reuters21578.jsonl.gz"
    dai = args.corpora / "dai2017.jsonl.gz"
    if reuters.is_file() and not args.skip_reuters:
        bench_reuters(nlp, raw, reuters, args.limit)
    if dai.is_file():
        bench_dai(dai, None)
    print(f"\nseed targets: {'all met' if seed_ok else 'NOT met'}")
    if use_labels:
        return _run_labels(nlp, raw, args)
    return 0


def _run_labels(nlp, raw, args) -> int:
    if not args.corpora.is_dir():
        print(f"\ncorpora not found at {args.corpora}: skipping the hand-label part")
        return 0
    if not args.labels_file.is_file():
        print(f"\nlabels file {args.labels_file} not found: skipping the hand-label part")
        return 0
    res = bench_labels(nlp, raw, args.corpora, args.labels_file, args.errors,
                       resolve=not args.no_resolution, aliases=not args.no_aliases, furniture=not args.no_furniture)
    if res is not None:
        print(json.dumps({"bench": "entities-labels", "ner": args.ner, "resolution": not args.no_resolution,
                          "aliases": not args.no_aliases, **res}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
