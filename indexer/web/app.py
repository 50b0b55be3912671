"""The web UI: search with facets, an article's marked body, an entity's page with curation, and the
inbox's state. A thin Starlette app over the `PressWatch` library: every page is one or two library
calls and a Jinja2 template (autoescaped); actions are POST forms behind a CSRF token."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..app import PressWatch
from ..errors import ConfigurationError, NotFound, PressWatchError, QueryError, StoreError, StoreUnavailable
from ..model import FACET_FIELDS
from ..search import FACET_SIZE, highlight_parts
from . import charts
from .marks import mark_body, shown_entities
from .params import FILTERS, PAGE_SIZE, SearchState
from .security import CSRF_FIELD, Access, Guard, checked_form

HERE = Path(__file__).resolve().parent
ENTITY_PATHS = {"person": "PERSON", "org": "ORG", "place": "LOC"}  # URL word (and filter name) -> label
ACTIONS = ("merge", "rename", "split", "drop")
FILTER_OF_LABEL = {label: word for word, label in ENTITY_PATHS.items()}
LABEL_OF_FIELD = {field_name: label for label, field_name in FACET_FIELDS.items()}  # "persons" -> "PERSON"


def safe_url(url: str | None) -> str | None:
    """A link to the original only for http(s) URLs: never `javascript:` or `data:`."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def highlight(fragment: str | None) -> Markup:
    """An Elasticsearch highlight (HTML: its text escaped, the words in <em>), its words in <mark>.
    It is escaped again from its plain text here, so nothing but the marks is ever markup."""
    return Markup("".join(f"<mark>{escape(text)}</mark>" if marked else str(escape(text))
                          for text, marked in highlight_parts(fragment or "")))


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["highlight"] = highlight
    env.filters["day"] = lambda value: (value or "")[:10]
    env.globals.update(FILTERS=FILTERS, FACET_SIZE=FACET_SIZE, CSRF_FIELD=CSRF_FIELD, ENTITY_PATHS=ENTITY_PATHS, LABEL_OF_FIELD=LABEL_OF_FIELD,
                       search_url=lambda name, value: SearchState().adding(name, value).url(),
                       entity_url=lambda label, name: f"/{FILTER_OF_LABEL.get(label, 'person')}/{quote(name, safe='')}")
    return env


class WebUI:
    """The routes, over one `PressWatch`."""

    def __init__(self, app: PressWatch, *, secret: bytes | None = None):
        self.app = app
        self.secret = secret or secrets.token_bytes(32)
        self.env = templates()

    def render(self, request: Request, name: str, *, code: int = 200, **context) -> HTMLResponse:
        context |= {"request": request, "csrf": request.state.csrf, "user": request.state.user,
                    "index": self.app.settings.index, "flash": request.query_params.get("done")}
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=code)

    # -- pages -------------------------------------------------------------------------------
    def search_page(self, request: Request) -> Response:
        state = SearchState.from_params({k: request.query_params.getlist(k) for k in request.query_params})
        if not self.app.store.exists():
            return self.render(request, "empty.html", state=state, settings=self.app.settings)
        result = self.app.search(state.query())
        pages = state.pages(result.total)
        if state.page > pages:  # past the last page (a link from a larger index): the last one
            return RedirectResponse(state.at_page(pages).url(), 303)
        return self.render(request, "search.html", state=state, result=result, pages=pages, page_size=PAGE_SIZE,
                           chart=charts.bars(result.histogram, result.interval, state))

    def article_page(self, request: Request) -> Response:
        document = self.app.article(request.path_params["doc_id"])
        if document is None:
            raise HTTPException(404, f"No article {request.path_params['doc_id']!r} in the index {self.app.settings.index}.")
        return self.render(request, "article.html", doc=document, blocks=mark_body(document),
                           entities=shown_entities(document),
                           title_quotes=[q for q in document.get("quotes") or [] if q.get("field") == "title"])

    def entity_by_name(self, request: Request) -> Response:
        """`/person/NAME`, `/org/NAME`, `/place/NAME`: the entity's page, found by name or alias."""
        if request.path_params["kind"] not in ENTITY_PATHS:
            raise HTTPException(404, f"No page {request.url.path!r}.")
        kind = request.path_params["kind"]
        name = request.path_params["name"]
        entity = self.app.find_entity(name, label=ENTITY_PATHS[kind])
        if entity is None and kind == "person":  # a speaker's link: a speaker may be an organisation
            entity = self.app.find_entity(name)
        if entity is None:
            raise HTTPException(404, f"No entity named {name!r} in the entity index yet (it is built after ingest, "
                                     f"by the consolidation).")
        return RedirectResponse(f"/entity/{quote(entity['id'], safe='')}", 303)

    def entity_page(self, request: Request) -> Response:
        entity = self.app.entity(request.path_params["entity_id"])
        if entity is None:
            raise HTTPException(404, f"No entity {request.path_params['entity_id']!r} (it may have been merged, "
                                     f"renamed or dropped).")
        text = request.query_params.get("q", "").strip() or None
        profile = self.app.entity_profile(entity, text=text)
        return self.render(request, "entity.html", entity=entity, profile=profile, text=text or "",
                           filter_name=FILTER_OF_LABEL.get(entity["label"], "person"),
                           chart=charts.bars(profile.quotes_over_time, profile.interval))

    def status_page(self, request: Request) -> Response:
        return self.render(request, "status.html", status=self.app.inbox_status(), settings=self.app.settings,
                           indexed=self._indexed())

    def status_json(self, request: Request) -> Response:
        status = self.app.inbox_status(reasons=False)
        return JSONResponse({"inbox": status.inbox, "processing": status.processing, "processed": status.processed,
                             "failed": status.failed, "indexed": self._indexed(), "time": time.time()})

    def _indexed(self) -> int | None:
        try:
            return self.app.store.count()
        except StoreError:  # down, or refusing the credentials: the page says so
            return None

    # -- actions (POST, CSRF-checked) ---------------------------------------------------------
    async def entity_action(self, request: Request) -> Response:
        form = await checked_form(request, self.secret)
        entity = await run_in_threadpool(self.app.entity, request.path_params["entity_id"])
        if entity is None:
            raise HTTPException(404, "That entity is gone (merged, renamed or dropped meanwhile).")
        action = request.path_params["action"]
        if action not in ACTIONS:
            raise HTTPException(404, f"No action {action!r}: {', '.join(ACTIONS)}.")
        value = str(form.get("name") or "").strip()
        if action != "drop" and not value:
            raise HTTPException(400, f"{action}: give a name.")
        name, label = entity["name"], entity["label"]
        if action == "drop":
            await run_in_threadpool(lambda: self.app.drop_entity(name, label))
            return RedirectResponse("/?" + urlencode({"done": f"dropped {name}"}), 303)
        if action == "merge":
            await run_in_threadpool(lambda: self.app.merge_entities([name], value, label=label))
            return self._after_curation(value, label, f"merged {name} into {value}")
        if action == "rename":
            await run_in_threadpool(lambda: self.app.rename_entity(name, value, label=label))
            return self._after_curation(value, label, f"renamed {name} to {value}")
        await run_in_threadpool(lambda: self.app.split_entity(name, [value], label=label))
        return self._after_curation(name, label, f"split {value} from {name}")

    def _after_curation(self, name: str, label: str, done: str) -> Response:
        entity = self.app.find_entity(name, label=label) or self.app.find_entity(name)
        target = f"/entity/{quote(entity['id'], safe='')}" if entity else "/"
        return RedirectResponse(target + "?" + urlencode({"done": done}), 303)

    async def retry(self, request: Request) -> Response:
        form = await checked_form(request, self.secret)
        relative = str(form.get("file") or "")
        moved = await run_in_threadpool(self.app.retry_failed, relative)
        return RedirectResponse("/status?" + urlencode({"done": f"{relative} is back in the inbox as {moved.name}"}), 303)

    # -- errors -------------------------------------------------------------------------------
    def error(self, request: Request, status: int, message: str) -> Response:
        if not hasattr(request.state, "csrf"):  # refused before the guard let it in
            return Response(message, status)
        return self.render(request, "error.html", code=status, status=status, message=message)

    def routes(self) -> list:
        return [
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
            Route("/", self.search_page),
            Route("/article/{doc_id:path}", self.article_page),
            Route("/entity/{entity_id}", self.entity_page),
            Route("/entity/{entity_id}/{action:str}", self.entity_action, methods=["POST"]),
            Route("/status", self.status_page),
            Route("/api/status", self.status_json),
            Route("/status/retry", self.retry, methods=["POST"]),
            Route("/{kind:str}/{name:path}", self.entity_by_name),
        ]


def create_app(app: PressWatch, *, access: Access | None = None, secret: bytes | None = None) -> Starlette:
    """The ASGI app of the web UI over `app` (its settings' index and home)."""
    ui = WebUI(app, secret=secret)
    access = access or Access(app.settings.web_password, app.settings.web_user_header,
                              app.settings.web_trusted_proxies)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return ui.error(request, exc.status_code, str(exc.detail))

    async def library_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StoreUnavailable):
            return ui.error(request, 503, f"Elasticsearch is not answering at {app.settings.url}: {exc}")
        if isinstance(exc, NotFound):
            return ui.error(request, 404, str(exc))
        if isinstance(exc, (QueryError, ConfigurationError)):
            return ui.error(request, 400, str(exc))
        return ui.error(request, 500, f"{type(exc).__name__}: {exc}")

    return Starlette(routes=ui.routes(), middleware=[Middleware(Guard, access=access, secret=ui.secret)],
                     exception_handlers={HTTPException: http_error, PressWatchError: library_error})

