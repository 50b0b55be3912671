"""The search page's state as URL parameters, the same names as `presswatch search`'s flags:
`/?q=TEXT&person=NAME&org=NAME&outlet=NAME&speaker=NAME&place=NAME&cited=NAME&from=DATE&to=DATE`
`&min-confidence=C&page=N`, each filter repeatable; `more=person` (repeatable) lists more values of a
facet. A state is read from a URL and written back to one; nothing else holds it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from ..errors import QueryError
from ..search import FACET_SIZE, SearchQuery

PAGE_SIZE = 20
MAX_PAGE = 500  # Elasticsearch's from+size window is 10,000
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# URL parameter -> (SearchQuery attribute, facet name in SearchResult, label shown)
FILTERS: dict[str, tuple[str, str, str]] = {
    "person": ("persons", "persons", "Persons"),
    "org": ("organizations", "organizations", "Organisations"),
    "place": ("locations", "locations", "Places"),
    "outlet": ("outlets", "outlets", "Outlets"),
    "speaker": ("speakers", "speakers", "Quote speakers"),
    "cited": ("cited_outlets", "cited_outlets", "Cited outlets"),
}


@dataclass(frozen=True)
class SearchState:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # URL parameter -> values
    date_from: str | None = None
    date_to: str | None = None
    min_confidence: float | None = None
    more: tuple[str, ...] = ()  # facets listed longer (URL parameter names)
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SearchState:
        """From a multi-valued mapping (`request.query_params` gives one with `getlist`)."""
        def values(name: str) -> list[str]:
            return [v.strip() for v in params.get(name, ()) if v.strip()]

        filters = {name: tuple(dict.fromkeys(values(name))) for name in FILTERS if values(name)}
        dates = {name: _date(name, (values(name) or [None])[0]) for name in ("from", "to")}
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            raise QueryError(f"from={dates['from']} is after to={dates['to']}")
        more = tuple(dict.fromkeys(name for name in values("more") if name in FILTERS))
        return cls(text=" ".join(values("q")), filters=filters, date_from=dates["from"], date_to=dates["to"],
                   min_confidence=_confidence((values("min-confidence") or [None])[0]), more=more,
                   page=_page((values("page") or ["1"])[0]))

    def query(self, *, size: int = PAGE_SIZE, facet_size: int = FACET_SIZE) -> SearchQuery:
        chosen = {FILTERS[name][0]: values for name, values in self.filters.items()}
        return SearchQuery(text=self.text or None, date_from=self.date_from, date_to=self.date_to, size=size,
                           offset=(self.page - 1) * size, facet_size=facet_size, histogram=True, exact=True, snippets=True,
                           min_confidence=self.min_confidence, expanded=tuple(FILTERS[n][1] for n in self.more),
                           **chosen)

    def pages(self, total: int, size: int = PAGE_SIZE) -> int:
        """How many pages `total` hits make (at least one, at most what Elasticsearch pages through)."""
        return min(max(1, -(-total // size)), MAX_PAGE)

    def items(self) -> list[tuple[str, str]]:
        pairs = [("q", self.text)] if self.text else []
        pairs += [(name, value) for name in FILTERS for value in self.filters.get(name, ())]
        pairs += [(name, value) for name, value in (("from", self.date_from), ("to", self.date_to)) if value]
        if self.min_confidence is not None:
            pairs.append(("min-confidence", f"{self.min_confidence:g}"))
        pairs += [("more", name) for name in self.more]
        return pairs + ([("page", str(self.page))] if self.page > 1 else [])

    def url(self) -> str:
        items = self.items()
        return "/?" + urlencode(items) if items else "/"

    # -- the links a page offers: each a new state, always back on page 1 ------------------------
    def adding(self, name: str, value: str) -> SearchState:
        current = self.filters.get(name, ())
        if value in current:
            return replace(self, page=1)
        return replace(self, filters={**self.filters, name: (*current, value)}, page=1)

    def removing(self, name: str, value: str) -> SearchState:
        rest = tuple(v for v in self.filters.get(name, ()) if v != value)
        filters = {k: v for k, v in {**self.filters, name: rest}.items() if v}
        return replace(self, filters=filters, page=1)

    def expanding(self, name: str) -> SearchState:
        return replace(self, more=(*self.more, name)) if name not in self.more else self

    def collapsing(self, name: str) -> SearchState:
        return replace(self, more=tuple(n for n in self.more if n != name))

    def at_dates(self, date_from: str | None, date_to: str | None) -> SearchState:
        return replace(self, date_from=date_from, date_to=date_to, page=1)

    def without_dates(self) -> SearchState:
        return self.at_dates(None, None)

    def without_text(self) -> SearchState:
        return replace(self, text="", page=1)

    def at_page(self, page: int) -> SearchState:
        return replace(self, page=page)

    def chosen(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())

    def chips(self) -> list[tuple[str, str, str]]:
        """(label, value, URL without it) for each filter in force."""
        chips = [(FILTERS[name][2], value, self.removing(name, value).url())
                 for name in FILTERS for value in self.filters.get(name, ())]
        if self.date_from or self.date_to:
            chips.append(("Published", f"{self.date_from or '…'} – {self.date_to or '…'}", self.without_dates().url()))
        if self.min_confidence is not None:
            chips.append(("Quotes", f"confidence ≥ {self.min_confidence:g}",
                          replace(self, min_confidence=None, page=1).url()))
        if self.text:
            chips.append(("Text", self.text, self.without_text().url()))
        return chips


def _date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not DATE.fullmatch(value):
        raise QueryError(f"{name}={value!r}: a date is written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}={value!r}: no such day") from None
    return value


def _confidence(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        confidence = float(value)
    except ValueError:
        raise QueryError(f"min-confidence={value!r}: a number from 0 to 1") from None
    if not 0 <= confidence <= 1:
        raise QueryError(f"min-confidence={value!r}: a number from 0 to 1")
    return confidence


def _page(value: str) -> int:
    try:
        page = int(value)
    except ValueError:
        raise QueryError(f"page={value!r}: a page is a number") from None
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page={page}: pages run from 1 to {MAX_PAGE}")
    return page
