"""A corpus of bad inputs for the fault tests (tests/test_bad_input.py) and the fault bench
(bench/faults.py): `write_bad_inputs(inbox)` writes every kind into one inbox folder and says, per
entry (its path relative to the inbox), what must become of it.

Every text here is made up for the purpose. Each indexed entry carries a made-up word of its own
(`pwtok...`) so that "indexed exactly once" can be checked by a search, whatever the document's id.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.inbox import sidecar_path
from indexer.sources import printable_path

from . import traps

DELETE_AFTER_CLAIM = "delete-after-claim"  # the test unlinks the entry right after it is claimed


@dataclass(frozen=True)
class Expect:
    """What must happen to one inbox entry.

    indexed: the entry ends in processed/ and `documents` documents carry it as `source.inbox_path`
             (`same_as`: it is the same article as that entry, and the two have one document between
             them); `text` finds exactly `hits` documents in the whole index; `person`/`org` are facet
             values of one of its documents; `ids` are ids of its documents; `absent` finds nothing;
             `failed_records` are record numbers listed in failed/ENTRY.error.json (and copied to
             failed/ENTRY), each with one of `reason`; `warning` is part of a warning of the file's
             report (checked when the reports are given to `verify`).
    failed:  the entry ends in failed/ with ENTRY.error.json whose `file` names it and whose `reason`
             contains one of `reason`; no document carries it.
    ignored: not an input (an empty folder): left alone, no document, nothing in failed/.
    """

    outcome: str  # "indexed" | "failed" | "ignored"
    note: str = ""
    documents: int = 1
    text: str | None = None
    hits: int = 1
    person: str | None = None
    org: str | None = None
    ids: tuple[str, ...] = ()
    absent: str | None = None
    failed_records: tuple[int, ...] = ()
    reason: tuple[str, ...] = ()
    same_as: str | None = None
    warning: str | None = None  # indexed: a warning of the file's report contains this
    hook: str | None = None
    big: bool = False  # tens of megabytes: the bench's quick mode may leave it out

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.reason


def indexed(note: str, text: str | None, **kw) -> Expect:
    return Expect("indexed", note, text=text, **kw)


def failed(note: str, *reasons: str, **kw) -> Expect:
    return Expect("failed", note, documents=0, reason=reasons, **kw)


def _article(token: str, sentence: str = "Angela Merkel spoke in Berlin on Monday.") -> str:
    return f"{sentence} The word of this file is {token}."


def write_bad_inputs(inbox: Path, *, traps_on: bool = True, hooks: bool = True, big: bool = True
                     ) -> dict[str, Expect]:
    """Write the corpus into `inbox` (created if needed); returns {relative path: Expect}.

    traps_on: include the article that makes its worker exceed its memory budget (needs a worker pool
              with tests.traps' component, `PipelineSpec(imports=("tests.traps",), components=
              ("presswatch_test_trap",))`, and a `Budget`).
    hooks:    include the file the test deletes right after it is claimed (`Expect.hook`).
    big:      include the 30 MB .txt and the .jsonl with a 20 MB line.
    """
    inbox.mkdir(parents=True, exist_ok=True)
    home = inbox.parent
    out: dict[str, Expect] = {}
    rng = random.Random(20261201)

    def put(name: str, content: bytes | str, expect: Expect) -> None:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        out[name] = expect

    # -- empty, binary, not text ----------------------------------------------------------------
    put("empty.txt", b"", failed("an empty file", "no text"))
    put("blank-lines.txt", "\n\n  \t\n\n", failed("only white space", "no text"))
    put("binary.txt", rng.randbytes(8192), failed("random bytes named .txt", "binary"))
    put("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2048),
        failed("a PNG named .txt", "PNG"))
    put("archive.json", gzip.compress(json.dumps({"body": "x"}).encode()),
        failed("gzip bytes named .json", "gzip"))
    put("scan.pdf", b"%PDF-1.4\n" + rng.randbytes(512), failed("an unsupported type", "unsupported file type"))
    put("README", "Headline\n\nNo extension at all.", failed("no extension", "unsupported file type"))

    # -- encodings (must be decoded and indexed) --------------------------------------------------
    put("invalid-utf8.txt",
        ("Städte im Süden\n\nIn Zürich, München, Köln und Genève sprach Jürgen Müller über Straßen, "
         "Brücken und Gebäude; São Paulo und Düsseldorf folgten. Das Wort ist pwtokinvalidutf.\n").encode()
        .replace(b"Stra\xc3\x9fen", b"Stra\xdfen").replace(b"folgten", b"folg\xffen"),
        indexed("UTF-8 with two invalid bytes", "pwtokinvalidutf", absent="ZÃ¼rich"))
    put("utf16-bom.txt", ("Genève talks\n\nDiplomats met in Genève on Tuesday, said Zoë Brontë. "
                          "The word is pwtokutfsixteen.").encode("utf-16"),
        indexed("UTF-16 with a BOM", "pwtokutfsixteen"))
    put("utf16le-nobom.txt", ("Headline here\n\nOfficials in Zürich confirmed the plan on Monday. "
                              "The word is pwtokutfsixteenle.").encode("utf-16-le"),
        indexed("UTF-16-LE without a BOM", "pwtokutfsixteenle"))
    put("latin1.txt", ("Titre\n\nJosé Müller a parlé à Genève, près du lac Léman. "
                       "Le mot est pwtoklatinone.").encode("latin-1"),
        indexed("Latin-1", "pwtoklatinone"))
    put("cp1252.txt", ("Zagreb\n\n\u201cWe will win,\u201d said \u0160imun \u017dagar \u2014 the "
                       "\u20ac5 million deal was signed in Zagreb. The word is pwtokcpwin.").encode("cp1252"),
        indexed("Windows-1252 (curly quotes, the euro, \u0160 and \u017d)", "pwtokcpwin"))
    put("utf8-bom.json", "\ufeff" + json.dumps({"id": "bad-utf8-bom", "title": "BOM",
                                                  "body": _article("pwtokutfeightbom")}),
        indexed("JSON with a UTF-8 BOM", "pwtokutfeightbom", ids=("bad-utf8-bom",)))
    put("controls.txt", "Berlin\x00 talks\n\nAngela\x00 Merkel spoke\x07 in Ber\x01lin\x1b on Monday.\x0b"
        "Olaf Scholz\x7f replied\x0c later. The word is pwtok\x00controls.\n",
        indexed("NUL and control characters (stripped)", "pwtokcontrols", person="Angela Merkel"))

    # -- sizes -----------------------------------------------------------------------------------
    if big:
        paragraph = ("The committee met again on Thursday to discuss the harbour project, and members "
                     "said the budget would be reviewed before the next session of the council.\n")
        repeat = 30 * 2**20 // len(paragraph)
        put("huge-30mb.txt", "A very long report\n\n" + paragraph * repeat + "The word is pwtokthirtymb.\n",
            indexed("a 30 MB .txt", "pwtokthirtymb", big=True))
        line = json.dumps({"id": "bad-20mb-line", "title": "A 20 MB record",
                           "body": paragraph * (20 * 2**20 // len(paragraph)) + "The word is pwtoktwentymb."})
        put("long-line.jsonl", "\n".join([
            json.dumps({"id": "bad-long-1", "body": _article("pwtoklongbefore")}), line,
            json.dumps({"id": "bad-long-3", "body": _article("pwtoklongafter")})]) + "\n",
            indexed("a .jsonl with a 20 MB line between two small ones", "pwtoktwentymb", documents=3,
                    ids=("bad-long-1", "bad-20mb-line", "bad-long-3"), big=True))

    # -- json: wrong types, nesting, a million empty objects -------------------------------------
    put("wrong-types.json", json.dumps([
        {"id": "wt-1", "body": 42},
        {"id": "wt-2", "title": ["a", "list"], "body": "Text."},
        {"id": {"nested": 1}, "body": "Text."},
        {"id": True, "body": "Text."},
        "just a string",
        None,
        {"id": "wt-7", "body": ["a", "list"]},
        {"id": "wt-8", "body": _article("pwtokwrongtypes"), "authors": 17, "date": [2020, 1],
         "url": 5, "outlet": {"name": "x"}, "language": 3},
        {"id": 12345, "text": _article("pwtoknumericid"), "body": None},
        {"id": 1.5, "body": "A float id."},
    ]), indexed("a JSON list of records with wrong types: the good ones indexed, the others listed",
                "pwtokwrongtypes", documents=2, ids=("wt-8", "12345"),
                failed_records=(1, 2, 3, 4, 5, 6, 7, 10),
                reason=("must be a string", "expected an article object", "must be a string or a number")))
    put("deep.json", "[" * 100_000 + "]" * 100_000, failed("100,000 levels of nesting", "nested too deeply"))
    put("deep.jsonl", '{"body": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + json.dumps({"id": "deep-ok", "body": _article("pwtokdeepline")}) + "\n",
        indexed("a .jsonl line nested 100,000 deep, then a good line", "pwtokdeepline", ids=("deep-ok",),
                failed_records=(1,), reason=("nested too deeply",)))
    put("million-empty.json", "[" + ",".join(["{}"] * 1_000_000) + "]",
        failed("a list of a million empty objects", "none of its 1000000 records"))
    put("not-an-article.json", json.dumps(42), failed("a JSON number", "article object"))
    put("truncated.json", '{"title": "x", "body": "cut sho', failed("truncated JSON", "invalid JSON"))
    put("wrapped.json", json.dumps({"articles": [
        {"id": "wrapped-1", "body": _article("pwtokwrappedone")},
        {"id": "wrapped-2", "body": _article("pwtokwrappedtwo")}]}),
        indexed('{"articles": [...]}', "pwtokwrappedone", documents=2, ids=("wrapped-1", "wrapped-2")))
    put("mixed.jsonl", b"\n".join([
        b"", json.dumps({"id": "mixed-1", "body": _article("pwtokmixedone")}).encode(),
        b'{"id": "mixed-bad", "body": "caf\xe9"}', b"not json at all", b"   ",
        json.dumps({"id": "mixed-5", "body": _article("pwtokmixedfive")}).encode()]) + b"\n",
        indexed("a .jsonl with blank, non-UTF-8 and invalid lines", "pwtokmixedone", documents=2,
                ids=("mixed-1", "mixed-5"), failed_records=(3, 4), reason=("UTF-8", "invalid JSON")))
    put("bad-date.json", json.dumps({"id": "bad-date", "body": _article("pwtokbaddate"),
                                     "published_at": "the thirty-first of never"}),
        indexed("an invalid date: indexed without one, with a warning", "pwtokbaddate", ids=("bad-date",),
                warning="is not a date"))
    put("bad-front-matter.md", "---\ntitle: [unclosed\n---\n# Headline\n\nBody text here.",
        failed("front matter that is not YAML", "front matter"))

    # -- html --------------------------------------------------------------------------------------
    put("no-body.html", "<html><head><title>Only a title</title><meta charset='utf-8'></head></html>",
        failed("HTML with no body", "no article text"))
    words = " ".join(["The harbour authority said on Monday that the new pier would open next spring,"
                      " officials told reporters."] * 4)
    put("nested-divs.html", "<html><head><title>Deep page</title></head><body>" + "<div>" * 5000
        + f"<article><h1>Deep page</h1><p>{words} The word is pwtoknesteddivs.</p></article>"
        + "</div>" * 5000 + "</body></html>",
        # libxml2 reads HTML 256 elements deep: the text below that is not seen, and the page fails
        # with that reason rather than being indexed empty (noted as a known limit).
        failed("HTML with 5,000 nested divs", "no article text found in the HTML page"))

    # -- what is not a regular file -------------------------------------------------------------
    outside = home / "outside-the-inbox"
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text("Secret\n\nThis must never be indexed: pwtoksecret.")
    (inbox / "outside-link.txt").symlink_to(secret)
    out["outside-link.txt"] = failed("a symlink to a file out of the inbox", "outside the inbox")
    (inbox / "outside-folder-link.txt").symlink_to(outside, target_is_directory=True)
    out["outside-folder-link.txt"] = failed("a symlink to a folder out of the inbox",
                                            "outside the inbox", "not a regular file")
    (inbox / "dangling.txt").symlink_to(home / "no-such-file.txt")
    out["dangling.txt"] = failed("a symlink to nothing", "symlink to nothing")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    out["loop.txt"] = failed("a symlink to itself", "symlink loop")
    (inbox / "loop-a.txt").symlink_to(inbox / "loop-b.txt")
    (inbox / "loop-b.txt").symlink_to(inbox / "loop-a.txt")
    out["loop-a.txt"] = failed("a symlink loop of two", "symlink loop")
    out["loop-b.txt"] = failed("a symlink loop of two", "symlink loop")
    os.mkfifo(inbox / "pipe.txt")
    out["pipe.txt"] = failed("a FIFO", "FIFO")
    (inbox / "empty-folder.txt").mkdir()
    out["empty-folder.txt"] = Expect("ignored", "an empty folder named .txt", documents=0)
    put("folder.txt/inside.txt", "Inside a folder\n\n" + _article("pwtokinsidefolder"),
        indexed("a file inside a folder named x.txt", "pwtokinsidefolder"))

    # -- names -------------------------------------------------------------------------------------
    put("name with  spaces .txt", "Spaces\n\n" + _article("pwtokspaces"), indexed("spaces in the name", "pwtokspaces"))
    put("new\nline.txt", "Newline\n\n" + _article("pwtoknewline"), indexed("a newline in the name", "pwtoknewline"))
    long_name = "l" * 196 + ".txt"
    put(long_name, "Long name\n\n" + _article("pwtoklongname"), indexed("a 200-character name", "pwtoklongname"))
    long_bad = "b" * 191 + ".json"
    put(long_bad, "{not json", failed("a 196-character name that fails", "invalid JSON"))
    put(os.fsdecode(b"caf\xe9 name.txt"), "Latin-1 name\n\n" + _article("pwtoknonutfname"),
        indexed("a name that is not UTF-8 (a Latin-1 byte)", "pwtoknonutfname"))
    put(os.fsdecode(b"caf\xe9 broken.json"), "{not json",
        failed("a failing file whose name is not UTF-8", "invalid JSON"))
    put("sub/dir/ünïcödé name.md", "---\noutlet: BBC News\n---\n# Unicode name\n\n" + _article("pwtokunicode"),
        indexed("a non-ASCII name in sub-folders", "pwtokunicode"))

    # -- deleted between claim and read (the test does it) -------------------------------------------
    if hooks:
        put("deleted.txt", "Deleted\n\n" + _article("pwtokdeleted"),
            failed("deleted between claim and read", "No such file", "gone", hook=DELETE_AFTER_CLAIM))

    # -- duplicates and ids ----------------------------------------------------------------------
    put("dup-ids.jsonl", "\n".join([
        json.dumps({"id": "dup-1", "body": _article("pwtokdupearlier")}),
        json.dumps({"id": "dup-other", "body": _article("pwtokdupother")}),
        json.dumps({"id": "dup-1", "body": _article("pwtokduplater")})]) + "\n",
        indexed("two records with one id: one document, the later", "pwtokduplater", documents=2,
                ids=("dup-1", "dup-other"), absent="pwtokdupearlier"))
    same = "The same story\n\n" + _article("pwtoksamestory", "Emmanuel Macron arrived in Lyon.")
    put("same-one.txt", same, indexed("the same article under two names (one)", "pwtoksamestory",
                                      documents=0, same_as="same-two.txt"))
    put("same-two.txt", same, indexed("the same article under two names (two)", "pwtoksamestory",
                                      documents=0, same_as="same-one.txt"))
    put("traversal.json", json.dumps([
        {"id": "../../etc/passwd", "title": "Traversal", "body": _article("pwtoktraversal")},
        {"id": "../../../../tmp/presswatch-escape", "body": 7}]),
        indexed("an id like ../../etc/passwd (and a failed record, copied to failed/)", "pwtoktraversal",
                ids=("../../etc/passwd",), failed_records=(2,), reason=("must be a string",)))

    # -- NLP stress --------------------------------------------------------------------------------
    put("quotes-20000.txt", "Quotes\n\nAngela Merkel said " + " ".join(['"ja"'] * 10_000)
        + " in Berlin. The word is pwtokquotes.",
        indexed("20,000 quotation marks in one article", "pwtokquotes"))
    put("quote-run.txt", "Unclosed\n\nOlaf Scholz said " + '"' * 20_000 + " and left. The word is pwtokquoterun.",
        indexed("a run of 20,000 quotation marks", "pwtokquoterun"))
    firsts = ["Angela", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
              "Kemal", "Lucia", "Marek", "Nadia", "Oskar", "Priya", "Rafael", "Sofia", "Tomas", "Ulla"]
    lasts = ["Merkel", "Novak", "Rossi", "Ivanov", "Petrova", "Haddad", "Lindqvist", "Tanaka", "Moreno",
             "Becker", "Yilmaz", "Ferreira", "Kowalski", "Rahman", "Berg", "Sharma", "Ortega", "Weber",
             "Dvorak", "Nieminen"]
    cities = ["Berlin", "Paris", "Madrid", "Warsaw", "Vienna", "Prague", "Lisbon", "Oslo", "Athens", "Rome"]
    sentences = [f"{firsts[i % 20]} {lasts[(i * 7) % 20]} met {firsts[(i + 3) % 20]} {lasts[(i * 3 + 1) % 20]} "
                 f"in {cities[i % 10]}." for i in range(1700)]
    put("entities-5000.txt", "Many names\n\n" + " ".join(sentences) + " The word is pwtokentities.",
        indexed("5,100 entity mentions", "pwtokentities"))
    put("earnings-co-of.txt",
        "NORTHERN GASKET CO OF ONTARIO LTD <NGO> 3RD QTR NET\n"
        "    Shr 1.12 dlrs vs 87 cts\n    Net 14.2 mln vs 11.0 mln\n    Revs 212.5 mln vs 198.3 mln\n"
        "    Nine mths\n    Shr 3.05 dlrs vs 2.41 dlrs\n    Net 38.7 mln vs 30.6 mln\n"
        "    Revs 640.1 mln vs 588.9 mln\n    Note: Northern Gasket Co is 75 pct owned by Halvard "
        "Holdings Inc. pwtokearnings\n",
        indexed("an earnings table under an ALL-CAPS 'CO OF' headline", "pwtokearnings",
                org="Northern Gasket Co"))

    if traps_on:
        put("memory-hog.txt", f"A hoard\n\nThis article grows its worker. {traps.MEMORY_HOG}",
            failed("makes its worker exceed its memory budget", "enrichment used over", "SIGKILL"))
        put("trap-feed.jsonl", "\n".join([
            json.dumps({"id": "trap-1", "body": _article("pwtoktrapone")}),
            json.dumps({"id": "trap-2", "body": f"Crash here. {traps.SEGFAULT}"}),
            json.dumps({"id": "trap-3", "body": f"Refuse this. {traps.RAISES}"}),
            json.dumps({"id": "trap-4", "body": _article("pwtoktrapfour")})]) + "\n",
            indexed("a .jsonl whose records kill their worker and make a component raise",
                    "pwtoktrapone", documents=2, ids=("trap-1", "trap-4"), failed_records=(2, 3),
                    reason=("SIGSEGV", "the trap component refused")))

    _age(inbox)
    return out


def _age(inbox: Path, seconds: float = 30) -> None:
    """Everything looks written `seconds` ago: settled, not "still being written"."""
    when = time.time() - seconds
    for folder, dirs, files in os.walk(inbox):
        for name in [*dirs, *files]:
            os.utime(Path(folder) / name, (when, when), follow_symlinks=False)


# -- checking ------------------------------------------------------------------------------------
@dataclass
class Verdict:
    """What became of each entry: `status` is one of indexed_once, failed_with_reason, lost,
    duplicated, ignored; `problems` lists, per entry (and "*" for the whole run), every way the
    outcome differs from its `Expect`."""

    status: dict[str, str]
    problems: dict[str, list[str]]

    def count(self, status: str) -> int:
        return sum(1 for s in self.status.values() if s == status)

    def report(self) -> str:
        return "\n".join(f"{entry!r}: {'; '.join(items)}" for entry, items in self.problems.items() if items)


def documents(store) -> list[dict]:
    """Every document's id, source and facets (not its body: some are 30 MB)."""
    from elasticsearch import helpers

    if not store.client.indices.exists_alias(name=store.alias):
        return []
    store.refresh()
    return [hit["_source"] for hit in helpers.scan(
        store.client, index=store.alias, size=500,
        query={"query": {"match_all": {}}, "_source": ["id", "source", "persons", "organizations"]})]


def sidecar_of(path: Path) -> dict | None:
    sidecar = sidecar_path(path)
    try:
        return json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return None


def leftovers(folder: Path) -> list[str]:
    """Entries that are not folders (files, links, FIFOs) below `folder`, relative to it; a claim
    folder's .lease is not one."""
    found = []
    for base, dirs, files in os.walk(folder):
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(base, d)))]:
            if name != ".lease":
                found.append(os.path.relpath(os.path.join(base, name), folder))
    return sorted(found)


def verify(expect: dict[str, Expect], settings, store, reports=()) -> Verdict:
    """Check every entry against its `Expect`, and the run as a whole: nothing left in inbox/ or
    processing/, no document that is not expected, no article twice."""
    docs = documents(store)
    by_path: dict[str | None, list[dict]] = {}
    for doc in docs:
        by_path.setdefault(doc["source"].get("inbox_path"), []).append(doc)
    outcomes = {f.name: f for report in reports for f in report.files}
    status: dict[str, str] = {}
    problems: dict[str, list[str]] = {"*": []}

    def hits(text: str) -> int:
        return store.count({"match_phrase": {"body": text}})

    for rel, e in expect.items():
        wrong: list[str] = problems.setdefault(rel, [])
        mine = by_path.get(printable_path(rel), [])  # a name that is not UTF-8 is stored with U+FFFD
        processed = os.path.lexists(settings.processed_dir / rel)
        failed_copy = os.path.lexists(settings.failed_dir / rel)
        sidecar = sidecar_of(settings.failed_dir / rel)
        if os.path.lexists(settings.inbox / rel) and e.outcome != "ignored":
            wrong.append("still in the inbox")
        if e.outcome == "ignored":
            status[rel] = "ignored"
            if mine or processed or sidecar:
                wrong.append(f"expected to be left alone: {len(mine)} document(s), processed={processed}, "
                             f"sidecar={sidecar and sidecar.get('reason')}")
            continue
        if e.outcome == "indexed":
            pair = mine + (by_path.get(e.same_as, []) if e.same_as else [])
            expected = 1 if e.same_as else e.documents
            found = hits(e.text) if e.text else None
            if len(pair) > expected or (found is not None and found > e.hits):
                status[rel] = "duplicated"
                wrong.append(f"{len(pair)} document(s) where {expected} expected; the text found {found}")
            elif pair and (processed or not sidecar):
                status[rel] = "indexed_once"
            elif sidecar:
                status[rel] = "failed_with_reason"
                wrong.append(f"expected indexed, but failed: {sidecar.get('reason')!r}")
            else:
                status[rel] = "lost"
                wrong.append("neither indexed nor in failed/ with a reason")
            if not processed:
                wrong.append("not in processed/")
            if len(pair) != expected:
                wrong.append(f"{len(pair)} document(s), expected {expected}")
            if found is not None and found != e.hits:
                wrong.append(f"{e.text!r} finds {found} document(s), expected {e.hits}")
            ids = {d["id"] for d in mine}
            if missing := [i for i in e.ids if i not in ids]:
                wrong.append(f"ids {missing} not among its documents {sorted(ids)[:10]}")
            if e.person and not any(e.person in d.get("persons", []) for d in mine):
                wrong.append(f"no document with the person {e.person!r}: "
                             f"{[d.get('persons') for d in mine]}")
            if e.org and not any(e.org in d.get("organizations", []) for d in mine):
                wrong.append(f"no document with the organisation {e.org!r}")
            if e.absent and (n := hits(e.absent)):
                wrong.append(f"{e.absent!r} should find nothing, finds {n}")
            if e.warning and rel in outcomes and not any(
                    e.warning in w["warning"] for w in outcomes[rel].warnings):
                wrong.append(f"no warning with {e.warning!r}: {outcomes[rel].warnings}")
            if e.failed_records:
                if not (sidecar and failed_copy):
                    wrong.append(f"records {list(e.failed_records)} failed, but failed/{rel} (and its "
                                 f"sidecar) is not there")
                else:
                    listed = sorted(r.get("record") or 0 for r in sidecar.get("records", []))
                    if listed != sorted(e.failed_records):
                        wrong.append(f"failed records listed {listed}, expected {list(e.failed_records)}")
                    for r in sidecar.get("records", []):
                        if not any(s in r.get("reason", "") for s in e.reasons):
                            wrong.append(f"record {r.get('record')}: reason {r.get('reason')!r} has none "
                                         f"of {list(e.reasons)}")
            elif sidecar and status[rel] == "indexed_once":
                wrong.append(f"unexpected sidecar in failed/: {sidecar.get('reason')!r}")
            continue
        # failed
        if sidecar:
            status[rel] = "failed_with_reason"
            reason = sidecar.get("reason") or ""
            if not any(s in reason for s in e.reasons):
                wrong.append(f"reason {reason!r} has none of {list(e.reasons)}")
            if sidecar.get("file") != Path(rel).name:
                wrong.append(f"the sidecar names {sidecar.get('file')!r}")
            if not failed_copy and e.hook != DELETE_AFTER_CLAIM:
                wrong.append("the entry itself is not in failed/")
        elif mine:
            status[rel] = "indexed_once" if len(mine) == 1 else "duplicated"
        else:
            status[rel] = "lost"
            wrong.append("neither in failed/ with a reason nor indexed")
        if mine:
            wrong.append(f"expected to fail, but {len(mine)} document(s) carry it")
        if processed:
            wrong.append("expected to fail, but it is in processed/")

    run = problems["*"]
    ignored = {rel for rel, e in expect.items() if e.outcome == "ignored"}
    if left := [p for p in leftovers(settings.inbox) if p not in ignored]:
        run.append(f"left in the inbox: {left}")
    if stuck := leftovers(settings.processing_dir):
        run.append(f"left in processing/: {stuck}")
    if unknown := sorted({str(p) for p in by_path if p not in {printable_path(rel) for rel in expect}}):
        run.append(f"documents of no entry: {unknown}")
    pairs = {frozenset((rel, e.same_as)) for rel, e in expect.items() if e.same_as}
    total = sum(e.documents for e in expect.values() if e.outcome == "indexed" and not e.same_as) + len(pairs)
    if len(docs) != total:
        run.append(f"{len(docs)} documents in the index, expected {total}")
    return Verdict(status, problems)


def delete_right_after_claim(app, names: set[str]) -> list[str]:
    """Wrap the inbox's claim so that the files named are unlinked as soon as they are claimed."""
    deleted: list[str] = []
    claim = app.inbox.claim

    def claim_then_delete(*args, **kwargs):
        claimed = claim(*args, **kwargs)
        for c in claimed:
            if c.relative.as_posix() in names:
                c.path.unlink()
                deleted.append(c.relative.as_posix())
        return claimed

    app.inbox.claim = claim_then_delete
    return deleted
