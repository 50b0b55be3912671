"""Serving the web UI with uvicorn: in the foreground (`presswatch serve`) or on a thread beside the
inbox watcher (`presswatch up`). The socket is bound here, first, so a port in use is a clear error
and port 0 gives a free one (the tests use it)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from ..app import PressWatch
from ..errors import ConfigurationError
from .app import create_app
from .security import Access, is_loopback


def check_exposure(host: str, access: Access, *, allow_open: bool = False) -> None:
    """Bound beyond this machine, the UI needs a password or a proxy's user header, unless told it may
    be open (`--no-auth`)."""
    if not is_loopback(host) and access.open and not allow_open:
        raise ConfigurationError(
            f"the web UI would be open to anyone who reaches {host}: set PRESSWATCH_WEB_PASSWORD (or "
            f"PRESSWATCH_WEB_USER_HEADER behind a reverse proxy), or pass --no-auth")


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigurationError(f"the web UI cannot listen on {host}:{port} ({exc.strerror}): another program "
                                 f"has the port? Set PRESSWATCH_WEB_PORT or --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@dataclass
class WebServer:
    """A bound, not yet running, web UI server."""

    server: uvicorn.Server
    sock: socket.socket
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def run(self) -> None:
        """In the foreground until Ctrl-C (uvicorn's own signal handling)."""
        self.server.run(sockets=[self.sock])

    def start(self) -> WebServer:
        """On a daemon thread (no signal handlers there); `stop` ends it."""
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="presswatch-web", daemon=True)
        self.thread.start()
        return self

    def wait_started(self, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.server.started

    def stop(self, timeout: float = 3) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout)
        self.sock.close()


def web_server(app: PressWatch, *, host: str | None = None, port: int | None = None, allow_open: bool = False,
               access: Access | None = None) -> WebServer:
    settings = app.settings
    host = host or settings.web_host
    port = settings.web_port if port is None else port
    access = access or Access(settings.web_password, settings.web_user_header, settings.web_trusted_proxies,
                              any_host=allow_open and not is_loopback(host))
    check_exposure(host, access, allow_open=allow_open)
    sock = bind(host, port)
    # proxy_headers off: the user-header check must see the peer that connected, never X-Forwarded-For
    config = uvicorn.Config(create_app(app, access=access), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2, proxy_headers=False)
    return WebServer(uvicorn.Server(config), sock)
