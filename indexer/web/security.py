"""The web UI's guards: who may use it (an optional password, or a reverse proxy's user header), a
CSRF token on every action, and response headers that keep the browser from running what an article
smuggles in (a Content-Security-Policy without inline scripts)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

SESSION_COOKIE = "presswatch_session"
CSRF_FIELD = "csrf"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address, IPv4-mapped IPv6 ones (a dual-stack socket's IPv4 peers) as IPv4."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    address = _address(host)
    return bool(address and address.is_loopback)


def is_trusted(peer: str, proxies: tuple[str, ...]) -> bool:
    """A loopback peer, or one in `proxies` (addresses or networks: "10.0.0.2", "10.0.0.0/24")."""
    address = _address(peer)
    if address is None:
        return False
    if address.is_loopback:
        return True
    for proxy in proxies:
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


@dataclass(frozen=True)
class Access:
    """Who may use the UI: anyone on this machine (the default, on 127.0.0.1), the holders of a
    password (HTTP basic auth, any user name), or the users a reverse proxy names in a header (only
    from the proxy: loopback or `trusted_proxies`). `any_host`: an open UI served beyond loopback on
    purpose (`--no-auth`) answers whatever name it is reached by."""

    password: str | None = None
    user_header: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    any_host: bool = False

    @property
    def open(self) -> bool:
        return not self.password and not self.user_header

    def user(self, request: Request) -> str | None:
        """The user this request is from ('' when the UI is open), or None when it is refused."""
        if self.user_header:
            peer = request.client.host if request.client else ""
            if not is_trusted(peer, self.trusted_proxies):
                return None  # straight to the port, past the proxy: the header could be anyone's
            return request.headers.get(self.user_header) or None
        if self.password:
            return _basic_user(request.headers.get("authorization", ""), self.password)
        return ""

    def host_allowed(self, host_header: str) -> bool:
        """An open UI answers only to this machine's own names: a page elsewhere that rebinds its DNS
        name to 127.0.0.1 is refused (its requests carry its own name)."""
        if not self.open or self.any_host:
            return True
        try:
            return is_loopback(urlsplit(f"//{host_header}").hostname or "")
        except ValueError:  # not a host at all ("[::1", "[x]:80")
            return False


def _basic_user(header: str, password: str) -> str | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, given = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user or "presswatch" if hmac.compare_digest(given.encode(), password.encode()) else None


class Guard(BaseHTTPMiddleware):
    """Refuses who may not use the UI, gives each browser a session cookie (the CSRF token is derived
    from it), and adds the security headers to every response, with the time the page took to make
    (`Server-Timing`, shown by the browser's developer tools; bench/web.py reads it)."""

    def __init__(self, app, access: Access, secret: bytes):
        super().__init__(app)
        self.access, self.secret = access, secret

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        user = self.access.user(request)
        if not self.access.host_allowed(request.headers.get("host", "")):
            response: Response = PlainTextResponse(
                f"Forbidden: this UI answers to 127.0.0.1 or localhost, not {request.headers.get('host')!r}", 403)
        elif user is None:
            response = _refusal(self.access)
        else:
            request.state.user = user
            session = request.cookies.get(SESSION_COOKIE) or secrets.token_urlsafe(32)
            request.state.csrf = csrf_token(self.secret, session)
            started = time.perf_counter()
            response = await call_next(request)
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            if request.cookies.get(SESSION_COOKIE) != session:
                response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
        response.headers.update(HEADERS)
        return response


def _refusal(access: Access) -> Response:
    if access.user_header:
        return PlainTextResponse(f"Forbidden: sign in through the proxy (no {access.user_header} header from "
                                 f"a trusted proxy)", 403)
    return PlainTextResponse("PressWatch: the password is asked for", 401,
                             headers={"WWW-Authenticate": 'Basic realm="PressWatch", charset="UTF-8"'})


def csrf_token(secret: bytes, session: str) -> str:
    return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()


async def checked_form(request: Request, secret: bytes) -> FormData:
    """The form of an action, once its CSRF token matches this browser's session and its Origin (when
    the browser sends one) is this site; else a 403."""
    form = await request.form()
    session = request.cookies.get(SESSION_COOKIE)
    given = str(form.get(CSRF_FIELD) or "")
    if not session or not hmac.compare_digest(given, csrf_token(secret, session)):
        raise HTTPException(403, "This action's form is stale or came from another site (CSRF check): "
                                 "reload the page and try again.")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, f"An action from another site ({origin}) is refused.")
    return form
