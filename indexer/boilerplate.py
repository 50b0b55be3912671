"""Page furniture out of the body before NLP: what an outlet repeats in many articles, and common patterns.

An article's body is cut into *units*: its lines, the sentences of each line, and the bracketed groups
("(China Daily European Weekly 02/10/2017 page31)", "[Getty Images]"). A unit is furniture when

- a shipped pattern (``indexer/data/boilerplate.yaml``, extended by ``$PRESSWATCH_HOME/boilerplate.yaml``)
  matches it: photo credits, video players, newsletter and sign-up prompts, share bars, copyright and
  source lines. The pattern's match is removed (with the brackets around it);
- or it is **learned from the corpus**: its normalised text (lower case, spaces
  collapsed; digits kept, so tables of figures do not look alike) is in at least ``min_articles`` distinct
  articles of the same outlet, and in at least ``min_share`` of them. Units of more than
  ``MAX_UNIT_WORDS`` words, units holding a quotation mark and the headline are never learned as furniture,
  so a background sentence repeated by a wire service, or a quote, stays.

The statistics of units per outlet are kept in ``$PRESSWATCH_HOME/boilerplate.sqlite`` (:class:`UnitStats`):
an ingest first counts the units of a window of articles (the same article twice counts once), then strips
each article of the window with what the corpus knows so far. So the first 500 articles of a new outlet
already teach each other, and a lone article dropped later is stripped with what earlier ones taught.

``strip`` returns a :class:`Stripped`: the article with its body cleaned and what was removed, and why.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import TypeVar

import yaml

from .document import article_id
from .errors import ConfigurationError, FurnitureStoreError
from .model import Article
from .outlets import registrable_domain

T = TypeVar("T")

PATTERNS_FILE = Path(__file__).parent / "data" / "boilerplate.yaml"
MIN_UNIT_WORDS = 3  # "Learn more", "(AFP, dpa)", "(ISIL)" and "Reuter" are too short to tell from content
MAX_UNIT_WORDS = 30
WINDOW = 500  # articles counted before the first of them is stripped
# A unit is furniture in >= MIN_ARTICLES articles of its outlet and >= MIN_SHARE of them: chosen on the tune
# half of 640 judged units (bench/data/boilerplate_judgements.jsonl), reported on the other half by
# bench/boilerplate.py.
MIN_ARTICLES = 3
MIN_SHARE = 0.005
EDGE = 1.0  # learned units anywhere in the body (< 1: only in its first / last EDGE)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# a sentence ends at . ! ? (and a closing quote or bracket) before a space and a capital, digit or opening
# mark, but not after an abbreviation or an initial ("Mr.", "Sen.", "U.S.", "J.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Cpl|Adm|Maj|Rev|St|Jr|Sr|Mt|Ft|No|Vol|Inc|Corp|Co|"
    r"Ltd|Bros|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|Calif|Fla|Mass|Wash|Pa|Va|Ky|Tex)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.){1,4}[A-Za-z])\.$")
_BRACKETED = re.compile(r"\([^()\n]{2,160}\)|\[[^\[\]\n]{2,160}\]")
_QUOTE_MARKS = re.compile(r"[\"“”]|''")
_SPACES = re.compile(r"\s+")
_EDGE = " \t-–—:;,.|•·"
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\s]*[^\W\d_][^\s]*")  # a word with a letter in it


@dataclass(frozen=True)
class Unit:
    """A line, sentence or bracketed group of a body: ``body[start:end]``, and its normalised hash."""

    start: int
    end: int
    key: int
    words: int
    quoted: bool
    kind: str = "sentence"  # "paragraph", "sentence" or "bracket"


@dataclass(frozen=True)
class Removal:
    text: str
    reason: str  # "pattern NAME" or "repeated in N articles of OUTLET"


@dataclass(frozen=True)
class Stripped:
    article: Article
    removed: tuple[Removal, ...] = ()

    @property
    def words_removed(self) -> int:
        return words_in(self.removed)  # also added to article.furniture_words


def words_in(removed: Iterable[Removal]) -> int:
    return sum(len(r.text.split()) for r in removed)


@dataclass(frozen=True)
class Prepared:
    """An article's body once the patterns' furniture is out, what they took, and the units left."""

    body: str
    removed: tuple[Removal, ...]
    units: list[Unit]


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern
    when: tuple[str, ...] = ()  # the body must contain one of these for the regex to be tried

    def applies(self, body: str) -> bool:
        return not self.when or any(s in body for s in self.when)


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip(_EDGE)


def unit_key(text: str) -> int:
    digest = hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # fits SQLite's INTEGER


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Blank-line paragraphs; lines too, unless the text is hard-wrapped (fixed-width agency copy)."""
    blocks, at = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(body):
        blocks.append((at, brk.start()))
        at = brk.end()
    blocks.append((at, len(body)))
    lines = [len(line) for line in body.split("\n") if line.strip()]
    wrapped = len(lines) >= 5 and sum(40 <= n <= 90 for n in lines) >= 0.6 * len(lines)
    if wrapped:
        return blocks
    out = []
    for start, end in blocks:
        for line in re.finditer(r"[^\n]+", body[start:end]):
            out.append((start + line.start(), start + line.end()))
    return out


def sentences(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    at = start
    for brk in _SENTENCE_END.finditer(body, start, end):
        if _ABBREVIATION.search(body, max(at, brk.start() - 12), brk.start()):
            continue
        yield at, brk.start()
        at = brk.end()
    yield at, end


def units(body: str) -> list[Unit]:
    """The body's paragraphs, their sentences and its bracketed groups, trimmed, each with its key."""
    spans: dict[tuple[int, int], str] = {}
    for start, end in paragraphs(body):
        for span in sentences(body, start, end):
            spans.setdefault(span, "sentence")
        spans.setdefault((start, end), "paragraph")
    for m in _BRACKETED.finditer(body):
        spans.setdefault(m.span(), "bracket")
    out = []
    for (start, end), kind in sorted(spans.items()):
        text = body[start:end]
        stripped = text.strip()
        if not _LETTER.search(stripped):
            continue
        start += len(text) - len(text.lstrip())
        end = start + len(stripped)
        words = len(_WORD.findall(stripped))
        out.append(Unit(start, end, unit_key(stripped), words, bool(_QUOTE_MARKS.search(stripped)), kind))
    return out


def article_key(body: str, body_units: list[Unit]) -> int:
    """What identifies an article among its outlet's: the longest sentence of `body` (`body_units` are its
    units). Two copies of one story (an update, a reprint with another headline or footer) share it, so
    a box they share is not counted twice."""
    sentences_only = [u for u in body_units if u.kind == "sentence"] or body_units
    longest = max(sentences_only, key=lambda u: (u.words, -u.start), default=None)
    if longest is None:
        return unit_key(body)
    return unit_key(body[longest.start:longest.end])


def learnable(unit: Unit, length: int, edge: float = 1.0) -> bool:
    """Whether a unit can be furniture: 3 to 30 words, no quotation mark, and (``edge`` < 1) starting in
    the first or ending in the last ``edge`` of the body, where credits, sign-offs and boxes sit."""
    if not MIN_UNIT_WORDS <= unit.words <= MAX_UNIT_WORDS or unit.quoted:
        return False
    return edge >= 1 or unit.start <= edge * length or unit.end >= (1 - edge) * length


# -- shipped and user patterns ------------------------------------------------------------------
def load_patterns(user_file: Path | None = None) -> tuple[Pattern, ...]:
    """The shipped patterns, then the user's (``patterns: {name: regex}`` in either file)."""
    patterns = []
    for path in (PATTERNS_FILE, user_file):
        if path is None or not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigurationError(f"{path}: cannot be read as YAML: {exc}") from exc
        entries = data.get("patterns") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise ConfigurationError(f"{path}: expected `patterns:` mapping names to regular expressions")
        for name, entry in entries.items():
            regex, when = (entry.get("regex"), entry.get("when") or ()) if isinstance(entry, dict) else (entry, ())
            try:
                patterns.append(Pattern(str(name), re.compile(str(regex), re.MULTILINE), tuple(str(w) for w in when)))
            except re.error as exc:
                raise ConfigurationError(f"{path}: pattern {name!r} is not a valid regular expression: {exc}") from exc
    return tuple(patterns)


# -- statistics ---------------------------------------------------------------------------------
class UnitStats:
    """How many distinct articles of each outlet hold each unit: SQLite at ``path`` (a connection per
    call, so any process or thread may use it; WAL lets readers and one writer share the file: keep the
    home on a local disk, not NFS), or in memory when ``path`` is None. SQLite's errors (a lock held too
    long, a full disk, a read-only home) are raised as `FurnitureStoreError` (transient)."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS seen (outlet TEXT, article INTEGER, PRIMARY KEY (outlet, article)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS units (outlet TEXT, unit INTEGER, articles INTEGER,"
        " PRIMARY KEY (outlet, unit)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS outlets (outlet TEXT PRIMARY KEY, articles INTEGER) WITHOUT ROWID",
    )

    def __init__(self, path: Path | None = None):
        self.path = path
        self._memory = sqlite3.connect(":memory:", check_same_thread=False) if path is None else None
        self._lock = threading.Lock()
        self._ready = False
        if self._memory is not None:
            for statement in self.SCHEMA:
                self._memory.execute(statement)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = None
            try:
                db = self._memory or self._open()
                with db:
                    yield db
            except sqlite3.Error as exc:
                raise FurnitureStoreError(f"page furniture statistics ({self.path or 'memory'}): {exc}") from exc
            finally:
                if db is not None and db is not self._memory:
                    db.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path), timeout=60)
        if not self._ready:
            db.execute("PRAGMA journal_mode=WAL")
            for statement in self.SCHEMA:
                db.execute(statement)
            self._ready = True
        return db

    def observe(self, articles: Iterable[tuple[str, int, set[int]]]) -> int:
        """Count (outlet, article key, unit keys) of articles not seen before. Returns how many were new."""
        new = 0
        with self._connection() as db:
            for outlet, article, keys in articles:
                if not db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (outlet, article)).rowcount:
                    continue
                new += 1
                db.execute("INSERT INTO outlets VALUES (?, 1) ON CONFLICT (outlet) DO UPDATE SET articles = articles + 1",
                           (outlet,))
                db.executemany(
                    "INSERT INTO units VALUES (?, ?, 1) ON CONFLICT (outlet, unit) DO UPDATE SET articles = articles + 1",
                    [(outlet, key) for key in keys])
        return new

    def counts(self, outlet: str, keys: Iterable[int]) -> tuple[int, dict[int, int]]:
        """How many articles of `outlet` were counted, and how many of them hold each of `keys` (those
        seen at all)."""
        keys = list(set(keys))
        out: dict[int, int] = {}
        with self._connection() as db:
            row = db.execute("SELECT articles FROM outlets WHERE outlet = ?", (outlet,)).fetchone()
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(f"SELECT unit, articles FROM units WHERE outlet = ? AND unit IN ({marks})",
                                  (outlet, *part))
                out.update(rows.fetchall())
        return (row[0] if row else 0), out

    def articles(self, outlet: str) -> int:
        """How many distinct articles of `outlet` were counted."""
        return self.counts(outlet, ())[0]


# -- the stage ------------------------------------------------------------------------------------
class Boilerplate:
    """Strips furniture from articles: shipped patterns always, repeated units once the corpus shows them.

    ``outlet_of`` names whose furniture an article has (default: its outlet as given, else its URL's
    domain); the app passes the outlet catalogue's normalisation, so "BBC" and bbc.co.uk count as one."""

    def __init__(self, patterns: tuple[Pattern, ...] | None = None, stats: UnitStats | None = None, *,
                 min_articles: int = MIN_ARTICLES, min_share: float = MIN_SHARE, edge: float = EDGE,
                 outlet_of: Callable[[Article], str | None] | None = None):
        self.patterns = load_patterns() if patterns is None else patterns
        self.stats = stats
        self.min_articles = min_articles
        self.min_share = min_share
        self.edge = edge
        self._outlet_of = outlet_of or given_outlet

    def outlet_key(self, article: Article) -> str:
        return (self._outlet_of(article) or "").strip().lower()

    def threshold(self, outlet: str, articles: int | None = None) -> float:
        """How many of the outlet's articles must hold a unit for it to be furniture."""
        if articles is None:
            articles = self.stats.articles(outlet) if self.stats is not None else 0
        return max(self.min_articles, self.min_share * articles)

    def learn(self, articles: Iterable[Article]) -> int:
        """Count the units of `articles` (those with an outlet), once the patterns' furniture is out.
        Returns how many articles were new."""
        return self._learn([(article, self._prepare(article)) for article in articles])

    def strip(self, article: Article) -> Stripped:
        """The article without its furniture: the patterns' first, then the repeated units of what is left
        (so "The views ... of China Daily." repeats although its dated credit line differs). An article
        with neither id nor URL keeps the id of the text as it came (`document.article_id`)."""
        return self._strip(article, self._prepare(article))

    def strip_stream(self, records: Iterable[tuple[Article, T]], window: int = WINDOW
                     ) -> Iterator[tuple[Stripped, T]]:
        """Each record stripped, learning a window of records before stripping its first."""
        records = iter(records)
        while chunk := list(islice(records, window)):
            prepared = [(article, self._prepare(article)) for article, _ in chunk]
            self._learn(prepared)
            for (article, ready), (_, tag) in zip(prepared, chunk):
                yield self._strip(article, ready), tag

    def _prepare(self, article: Article) -> Prepared:
        """The body without the patterns' furniture, what they took, and the units of what is left."""
        spans = self._pattern_spans(article.body)
        body, removed = _cut(article.body, spans) if spans else (article.body, ())
        return Prepared(body, removed, units(body))

    def _learn(self, prepared: list[tuple[Article, Prepared]]) -> int:
        if self.stats is None:
            return 0
        rows = []
        for article, ready in prepared:
            outlet = self.outlet_key(article)
            if outlet:
                rows.append((outlet, article_key(ready.body, ready.units),
                             {u.key for u in ready.units if learnable(u, len(ready.body), self.edge)}))
        return self.stats.observe(rows)

    def _strip(self, article: Article, ready: Prepared) -> Stripped:
        body, by_pattern = ready.body, ready.removed
        repeated = self._repeated_spans(article, ready)
        by_repetition: tuple[Removal, ...] = ()
        if repeated:
            body, by_repetition = _cut(body, repeated)
        removed = by_pattern + by_repetition
        if not removed:
            return Stripped(article)
        return Stripped(replace(article, id=article_id(article), body=body,
                                furniture_words=article.furniture_words + words_in(removed)), removed)

    def _pattern_spans(self, body: str) -> list[tuple[int, int, str]]:
        spans = []
        for pattern in self.patterns:
            if not pattern.applies(body):
                continue
            for m in pattern.regex.finditer(body):
                if m.end() > m.start():
                    start, end = _with_brackets(body, m.start(), m.end())
                    spans.append((start, end, f"pattern {pattern.name}"))
        return spans

    def _repeated_spans(self, article: Article, ready: Prepared) -> list[tuple[int, int, str]]:
        outlet = self.outlet_key(article)
        if self.stats is None or not outlet:
            return []
        candidates = [u for u in ready.units if learnable(u, len(ready.body), self.edge)]
        articles, counts = self.stats.counts(outlet, (u.key for u in candidates))
        needed = self.threshold(outlet, articles)
        name = self._outlet_of(article) or outlet
        return [(u.start, u.end, f"repeated in {counts[u.key]} articles of {name}")
                for u in candidates if counts.get(u.key, 0) >= needed]


def given_outlet(article: Article) -> str | None:
    """The outlet as given, else the URL's registrable domain."""
    return article.outlet or (registrable_domain(article.url) if article.url else None)


def _with_brackets(body: str, start: int, end: int) -> tuple[int, int]:
    """The match widened to the bracketed group it fills ("[Getty Images]", "(AP Photo/Evan Vucci)")."""
    for group in _BRACKETED.finditer(body, max(0, start - 160), min(len(body), end + 160)):
        if group.start() <= start and end <= group.end():
            inner = body[group.start() + 1:group.end() - 1]
            if len(inner.strip()) <= (end - start) + 40:
                return group.start(), group.end()
    return start, end


def _cut(body: str, spans: list[tuple[int, int, str]]) -> tuple[str, tuple[Removal, ...]]:
    """`body` without the (merged) spans. Only the seams are tidied: one space where a cut was inside a
    line, no line left empty, no stop left orphaned; the rest of the text (its indentation, its tables)
    is untouched."""
    merged: list[list] = []
    for start, end, reason in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            continue
        merged.append([start, end, reason])
    text, removed, at = "", [], 0
    for start, end, reason in merged:
        text = body[at:start] if not removed else _seam(text, body[at:start])
        removed.append(Removal(body[start:end], reason))
        at = end
    text = _seam(text, body[at:])
    return text.strip(), tuple(removed)


def _seam(left: str, right: str) -> str:
    """Two pieces joined where something was cut out between them."""
    core_left, core_right = left.rstrip(" \t"), right.lstrip(" \t")
    if core_right[:1] in (".", ",", ";", ":") and (not core_left.strip() or core_left.rstrip()[-1:] in tuple(".!?:;,")):
        core_right = core_right[1:].lstrip(" \t")  # "Replay More Videos." leaves no stop of its own
    if core_right[:1] in tuple(".,;:!?)"):
        return core_left + core_right  # "He said so (AP Photo)." -> "He said so."
    breaks_left = len(core_left) - len(core_left.rstrip("\n"))
    breaks_right = len(core_right) - len(core_right.lstrip("\n"))
    if breaks_left or breaks_right or not core_left or not core_right:
        lines = min(max(breaks_left, breaks_right), 2)
        return core_left.rstrip("\n") + "\n" * lines + core_right.lstrip("\n")
    return core_left + " " + core_right
