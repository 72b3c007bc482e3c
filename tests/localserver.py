"""A tiny threaded HTTP server on 127.0.0.1 for tests that must never touch the internet.

Serve a dict of path -> route, where a route is one of:
  - ``(status, headers, body)``            e.g. ``(200, {"Content-Type": "text/html"}, b"<p>hi</p>")``
  - a ``Reply``                            (adds streaming without Content-Length, delays)
  - ``bytes`` or ``str``                   a 200 ``text/html; charset=utf-8`` page
  - a callable ``(Request) -> route``      computed per request (count hits, vary replies)
Unknown paths answer 404. Paths match with their query string first, then without it.

Usage::

    from localserver import serve, redirect

    with serve({"/": "<p>home</p>", "/old": redirect("/")}) as server:
        httpx.get(server.url("/old"))
        assert server.requests[0].path == "/old"

or, in pytest, the ``local_server`` fixture (a factory; servers stop at teardown): import it into a
test module (``from localserver import local_server  # noqa: F401``) and take ``local_server`` as an
argument (``# noqa: F811`` on that line), or register this module as a plugin in the root conftest.
``serve(routes, tls=ctx)`` serves HTTPS with a server-side ``ssl.SSLContext``; ``closed_port()`` gives
a port nothing listens on; ``forbid_internet(monkeypatch)`` makes any connection or DNS lookup beyond
loopback fail.
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

import pytest

__all__ = ["LocalServer", "Reply", "Request", "closed_port", "fetch_options", "forbid_internet", "local_server",
           "offline_fetching", "redirect", "serve"]


@dataclass
class Reply:
    """One response. `length=False` sends the body without Content-Length and closes the connection."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    body: bytes | str = b""
    length: bool = True
    delay: float = 0.0  # seconds to wait before answering (to provoke client timeouts)


@dataclass
class Request:
    """What the server received: method, path with query, headers (lower-cased names), body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


Route = Union[Reply, tuple[int, dict[str, str], bytes | str], bytes, str, Callable[[Request], Any]]  # noqa: UP007


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect reply to `location` (absolute or relative)."""
    return Reply(status, {"Location": location, "Content-Type": "text/plain"}, b"")


def _as_reply(route: Any, request: Request) -> Reply:
    if callable(route) and not isinstance(route, Reply):
        route = route(request)
    if isinstance(route, Reply):
        return route
    if isinstance(route, bytes | str):
        return Reply(body=route)
    if isinstance(route, tuple) and len(route) == 3:
        status, headers, body = route
        return Reply(status, dict(headers), body)
    raise TypeError(f"unsupported route {route!r}")


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (size caps, rejected content types) are normal here, not errors."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class LocalServer:
    """A running server: `url(path)`, `port`, `routes` (editable while running), `requests` (log)."""

    def __init__(self, routes: dict[str, Route] | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="localserver", daemon=True
        )

    def url(self, path: str = "/") -> str:
        """Absolute URL of `path` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def hits(self, path: str) -> int:
        """How many requests asked for `path` (query included if given)."""
        return sum(1 for r in self.requests if r.path == path or r.path.split("?", 1)[0] == path)

    def start(self) -> LocalServer:
        """Start serving (idempotent, so `with serve(...)` works)."""
        if not self._thread.is_alive():
            self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _route(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            route = self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        return _as_reply(route, request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                reply = server._route(request)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if self.command != "HEAD":
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        self.close_connection = True  # the client gave up (size cap); nothing to do

            do_GET = do_POST = do_HEAD = _answer  # noqa: N815  # http.server's naming

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # base class signature
                return

        return Handler


def serve(routes: dict[str, Route] | None = None, tls: ssl.SSLContext | None = None) -> LocalServer:
    """Start a server for `routes` (HTTPS when given a server-side `tls` context); use it in a `with`."""
    return LocalServer(routes, tls).start()


_LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def forbid_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any connection or name lookup beyond 127.0.0.1/::1/localhost fail loudly (OSError)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in _LOCAL_HOSTS and not host.startswith("/"):
            raise OSError(f"test tried to reach the internet: {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in _LOCAL_HOSTS:
            raise socket.gaierror(socket.EAI_NONAME, f"test tried to reach the internet: resolve {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def offline_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    """No internet, and no waiting between HTTP retries: for tests of the sources that fetch."""
    from newstrace.sources import http as http_mod

    forbid_internet(monkeypatch)
    monkeypatch.setattr(http_mod, "BACKOFF_SECONDS", 0.0)


def fetch_options(**kw: Any) -> Any:
    """SourceOptions for fetching from this server: loopback allowed, no rate limit, short timeouts, no retries."""
    from newstrace.sources import SourceOptions

    base: dict[str, Any] = {"allow_private": True, "rate_limit": 0, "timeout": 2.0, "retries": 0}
    base.update(kw)
    return SourceOptions(**base)


def closed_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def local_server() -> Iterator[Callable[..., LocalServer]]:
    """Factory fixture: `local_server(routes)` starts a server that stops at teardown."""
    started: list[LocalServer] = []

    def start(routes: dict[str, Route] | None = None) -> LocalServer:
        server = serve(routes)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
