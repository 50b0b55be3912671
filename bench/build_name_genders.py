"""Build ``indexer/data/given_name_genders.json``: given names that are (almost) always one sex's, for
the quote resolver's pronoun agreement ("he" is not Meredith Vieira).

    .venv/bin/python bench/build_name_genders.py [--names-dir DIR] [--out FILE]

Source: the US Census 1990 first-name lists (public domain), as shipped by the PyPI package ``names``
0.3.0 (``dist.male.first``, ``dist.female.first``: name, frequency in percent, cumulative, rank), the
same lists ``bench/build_given_names.py`` reads. A name is written with the sex whose frequency is at
least ``MIN_SHARE`` of its total ("Jordan", "Taylor", "Leslie" are in both lists about equally and are
left out). The census counts are of US residents, so names common elsewhere and rare in the US are not
there: the resolver then has no evidence and does not use sex at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from build_given_names import census_dir  # noqa: E402  (bench/build_given_names.py)

OUT = REPO / "indexer" / "data" / "given_name_genders.json"
MIN_SHARE = 0.95


def frequencies(names_dir: Path, fname: str) -> dict[str, float]:
    out = {}
    for line in (names_dir / fname).read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--names-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    names_dir = census_dir(args.names_dir)
    male = frequencies(names_dir, "dist.male.first")
    female = frequencies(names_dir, "dist.female.first")
    genders = {}
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= MIN_SHARE * (m + f):
            genders[name] = "m"
        elif f >= MIN_SHARE * (m + f):
            genders[name] = "f"
    data = {"about": "Given names and the sex the US Census 1990 lists give them in at least "
                     f"{MIN_SHARE:.0%} of uses (public domain; bench/build_name_genders.py).",
            "names": genders}
    args.out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(genders)} names to {args.out} ({sum(v == 'm' for v in genders.values())} m)")


if __name__ == "__main__":
    main()
