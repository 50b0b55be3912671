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

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ftfy
import yaml
from dateutil import parser as dateparser

from .errors import SourceError
from .model import Article, Source
from .repair import repair_body, repair_punctuation

FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}
MAX_FILE_BYTES = 200 * 1024 * 1024
MIN_HTML_WORDS = 8  # less main text than this is a menu, an error page or a paywall stub

Record = Article | SourceError


def printable_path(path: Path | str) -> str:
    """The path as text: bytes of a file name that are not UTF-8 become U+FFFD (they cannot go into
    JSON or Elasticsearch as they are)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def read_file(path: Path) -> Iterator[Record]:
    """The records of a file. Whatever goes wrong reading it (a `RecursionError` in a deeply nested
    JSON, a `MemoryError`, a file gone) is a `SourceError` naming the file."""
    try:
        yield from _read(path)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is this file's, and fails it alone
        raise SourceError(f"cannot be read: {type(exc).__name__}: {str(exc)[:300]}", where=str(path)) from exc


def _read(path: Path) -> Iterator[Record]:
    fmt = format_of(path)
    if fmt is None:
        raise SourceError(f"unsupported file type {path.suffix or '(none)'!r}; "
                          f"expected one of {', '.join(sorted(FORMATS))}", where=str(path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file", where=str(path))  # a FIFO would block for good
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(f"file is {size} bytes, over the {MAX_FILE_BYTES} limit", where=str(path))
        if fmt == "jsonl":
            yield from _read_jsonl(path, size)
            return
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", where=str(path)) from exc
    source = Source(printable_path(path), fmt, hashlib.sha256(raw).hexdigest(), len(raw))
    text = _decode(raw, path)
    if fmt in ("txt", "md"):
        yield _from_text(text, source, markdown=fmt == "md")
    elif fmt == "html":
        yield _from_html(text, source)
    else:
        yield from _read_json(text, source)


_BINARY_SIGNATURES = {b"\x89PNG": "a PNG image", b"%PDF": "a PDF", b"GIF8": "a GIF image",
                      b"\xff\xd8\xff": "a JPEG image", b"PK\x03\x04": "a ZIP archive",
                      b"\x1f\x8b": "gzip-compressed", b"\x7fELF": "a program"}


def _decode(raw: bytes, path: Path) -> str:
    """Text in UTF-8 (BOM or not), UTF-16 (BOM or not), or else Windows-1252 / Latin-1."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise SourceError(f"binary file ({kind}), not text", where=str(path))
    encoding = _utf16_encoding(raw[:4096])
    if encoding:
        return raw.decode(encoding, errors="replace")
    if _looks_binary(raw[:4096]):
        raise SourceError("binary file, not text", where=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if sum(1 for ch in text if ord(ch) > 127) > 4 * bad:  # mostly UTF-8, with a few bad bytes
        return text
    return raw.decode("cp1252", errors="presswatch-latin-1")  # every byte means something in one of the two


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _looks_binary(head: bytes) -> bool:
    """More than 5% control bytes (NUL and the like): a stray NUL in a text is removed, not fatal."""
    return len(head) > 0 and sum(head.count(b) for b in _CONTROL_BYTES) > 0.05 * len(head)


def _utf16_encoding(head: bytes) -> str | None:
    """"utf-16" for a BOM; "utf-16-le"/"-be" for text whose every other byte is NUL."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined, read as Latin-1 (their C1 control)."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("presswatch-latin-1", _latin1_fallback)


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
    except RecursionError as exc:
        raise SourceError("JSON nested too deeply", where=source.path) from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield article_from_mapping(data, source)
        return
    if not isinstance(data, list):
        raise SourceError("JSON must be an article object or a list of them", where=source.path)
    for number, item in enumerate(data, start=1):
        yield _record(item, _with_line(source, number))


def _record(item: Any, source: Source) -> Record:
    """One record of a json list or a jsonl file: its article, or why it cannot be one."""
    try:
        return article_from_mapping(item, source)
    except SourceError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a bad record fails alone
        return SourceError(f"cannot be read: {type(exc).__name__}: {str(exc)[:300]}",
                           where=f"{source.path}:{source.line}")


def _read_jsonl(path: Path, size: int) -> Iterator[Record]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    source = Source(printable_path(path), "jsonl", digest.hexdigest(), size)
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
            except RecursionError:
                yield SourceError("JSON nested too deeply", where=f"{path}:{number}")
                continue
            yield _record(item, record_source)


def _with_line(source: Source, number: int) -> Source:
    return Source(source.path, source.format, source.sha256, source.bytes, number)


def article_from_mapping(item: Any, source: Source) -> Article:
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
    if article_id is not None and not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        raise SourceError("'id' must be a string or a number", where=where)
    title, body = repair_punctuation(_clean_text(title)), repair_body(_clean_text(body))
    if not body.strip():
        raise SourceError("the article has no text", where=where)
    date_value = meta.get("published_at") or meta.get("date") or meta.get("published")
    published_at = parse_date(date_value)
    warnings = []
    if date_value not in (None, "") and published_at is None:
        warnings.append(f"published_at {str(date_value)[:80]!r} is not a date; indexed without one")
    return Article(
        title=title,
        body=body,
        source=source,
        warnings=warnings,
        id=str(article_id) if article_id not in (None, "") else None,
        url=_text_field(meta.get("url")),
        outlet=_text_field(meta.get("outlet") or meta.get("source_name") or meta.get("site_name")),
        published_at=published_at,
        authors=_authors(meta.get("authors") or meta.get("author")),
        language=_text_field(meta.get("language") or meta.get("lang")),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")


def _clean_text(text: str) -> str:
    """NUL and other control characters removed; vertical tab and form feed become line breaks; text
    decoded with the wrong codec put right by ftfy ("TomÃ¡s" -> "Tomás"; ftfy leaves text alone when it
    is not sure). (Then punctuation flattened in transcoding is put back: :mod:`indexer.repair`.)"""
    return ftfy.fix_encoding(_CONTROL.sub("", _BREAKS.sub("\n", text))).strip()


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
    except (ValueError, OverflowError, TypeError, OSError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
