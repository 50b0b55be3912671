"""Source files -> `Article`s.

`read_file(path)` yields one item per record: an `Article`, or a `SourceError` for a record that
cannot be used (a bad line in a .jsonl fails alone). A file that cannot be read at all raises
`SourceError`.

Formats:
- ``.txt`` / ``.md``: optional YAML front matter (url, outlet, published_at/date, authors, id,
  title), then the headline on the first line and the body after it.
- ``.html`` / ``.htm``: main text, title, byline, site name and date, by trafilatura.
- ``.json``: one article object, or a list of them.
- ``.jsonl`` / ``.ndjson``: one article object a line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from dateutil import parser as dateparser

from .errors import SourceError
from .model import Article, Source

FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}
MAX_FILE_BYTES = 200 * 1024 * 1024
MIN_HTML_WORDS = 8  # less main text than this is a menu, an error page or a paywall stub

Record = Article | SourceError


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def read_file(path: Path) -> Iterator[Record]:
    fmt = format_of(path)
    if fmt is None:
        raise SourceError(f"unsupported file type {path.suffix or '(none)'!r}; "
                          f"expected one of {', '.join(sorted(FORMATS))}", where=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(f"file is {size} bytes, over the {MAX_FILE_BYTES} limit", where=str(path))
        if fmt == "jsonl":
            yield from _read_jsonl(path, size)
            return
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", where=str(path)) from exc
    source = Source(str(path), fmt, hashlib.sha256(raw).hexdigest(), len(raw))
    text = _decode(raw, path)
    if fmt in ("txt", "md"):
        yield _from_text(text, source, markdown=fmt == "md")
    elif fmt == "html":
        yield _from_html(text, source)
    else:
        yield from _read_json(text, source)


def _decode(raw: bytes, path: Path) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("binary file, not text", where=str(path))
    for encoding in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not valid UTF-8 or Windows-1252 text ({exc.reason} at byte {exc.start})",
                          where=str(path)) from exc


# -- plain text and markdown ---------------------------------------------------------------

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def _from_text(text: str, source: Source, *, markdown: bool) -> Article:
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.load(match.group(1), Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            raise SourceError(f"front matter is not valid YAML: {exc}", where=source.path) from exc
        if not isinstance(loaded, dict):
            raise SourceError("front matter must be a mapping of fields", where=source.path)
        meta = loaded
        text = text[match.end():]
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    title = str(meta.get("title") or "").strip()
    if not title and lines:
        title = lines.pop(0).strip()
        if markdown:
            title = title.lstrip("#").strip()
    body = "\n".join(lines).strip()
    if not body and title:  # a single line is the text, not a headline
        title, body = "", title
    if not body:
        raise SourceError("the file has no text", where=source.path)
    return _article(meta, source, title=title, body=body)


# -- html ----------------------------------------------------------------------------------

def _from_html(html: str, source: Source) -> Article:
    import trafilatura  # imported here: it takes ~0.5 s to import

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
        # Dates from markup only: the "extensive" search loads every dateparser locale (seconds).
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    words = len((getattr(extracted, "text", None) or "").split())
    if words < MIN_HTML_WORDS:
        raise SourceError(f"no article text found in the HTML page ({words} words of main text)",
                          where=source.path)
    meta = {
        "url": extracted.url,
        "outlet": extracted.sitename,
        "published_at": extracted.date,
        "authors": [a.strip() for a in re.split(r";|\band\b", extracted.author or "") if a.strip()],
        "language": extracted.language,
    }
    return _article(meta, source, title=(extracted.title or "").strip(), body=extracted.text.strip())


# -- json and jsonl ------------------------------------------------------------------------

def _read_json(text: str, source: Source) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          where=source.path) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield _from_mapping(data, source)
        return
    if not isinstance(data, list):
        raise SourceError("JSON must be an article object or a list of them", where=source.path)
    for number, item in enumerate(data, start=1):
        record_source = _with_line(source, number)
        try:
            yield _from_mapping(item, record_source)
        except SourceError as exc:
            yield exc


def _read_jsonl(path: Path, size: int) -> Iterator[Record]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    source = Source(str(path), "jsonl", digest.hexdigest(), size)
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            record_source = _with_line(source, number)
            try:
                line = raw.decode("utf-8-sig")
                item = json.loads(line)
            except UnicodeDecodeError:
                yield SourceError("line is not valid UTF-8", where=f"{path}:{number}")
                continue
            except json.JSONDecodeError as exc:
                yield SourceError(f"invalid JSON: {exc.msg} (column {exc.colno})", where=f"{path}:{number}")
                continue
            try:
                yield _from_mapping(item, record_source)
            except SourceError as exc:
                yield exc


def _with_line(source: Source, number: int) -> Source:
    return Source(source.path, source.format, source.sha256, source.bytes, number)


def _from_mapping(item: Any, source: Source) -> Article:
    where = f"{source.path}:{source.line}" if source.line else source.path
    if not isinstance(item, dict):
        raise SourceError(f"expected an article object, got {type(item).__name__}", where=where)
    body = item.get("body") if item.get("body") is not None else item.get("text")
    if body is not None and not isinstance(body, str):
        raise SourceError("'body'/'text' must be a string", where=where)
    title = item.get("title") if item.get("title") is not None else item.get("headline")
    if title is not None and not isinstance(title, str):
        raise SourceError("'title' must be a string", where=where)
    if not (body or "").strip():
        raise SourceError("article has no 'body' or 'text'", where=where)
    return _article(item, source, title=(title or "").strip(), body=(body or "").strip())


# -- shared --------------------------------------------------------------------------------

def _article(meta: dict[str, Any], source: Source, *, title: str, body: str) -> Article:
    where = f"{source.path}:{source.line}" if source.line else source.path
    article_id = meta.get("id")
    if article_id is not None and not isinstance(article_id, (str, int)):
        raise SourceError("'id' must be a string or a number", where=where)
    return Article(
        title=title,
        body=body,
        source=source,
        id=str(article_id) if article_id not in (None, "") else None,
        url=_text_field(meta.get("url")),
        outlet=_text_field(meta.get("outlet") or meta.get("source_name") or meta.get("site_name")),
        published_at=parse_date(meta.get("published_at") or meta.get("date") or meta.get("published")),
        authors=_authors(meta.get("authors") or meta.get("author")),
        language=_text_field(meta.get("language") or meta.get("lang")),
    )


def _text_field(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _authors(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = re.split(r";|,(?![^()]*\))| and ", value)
    if isinstance(value, dict):
        value = [value.get("name")]
    names = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if name and str(name).strip():
            names.append(str(name).strip())
    return names


def parse_date(value: Any) -> datetime | None:
    """A timestamp from the usual forms; naive times are taken as UTC. Unparseable gives None."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, (int, float)):
            parsed = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
        else:
            parsed = dateparser.parse(str(value))
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
