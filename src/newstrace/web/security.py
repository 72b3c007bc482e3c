"""Security headers on every response, the optional access token, and read-only mode.

Scraped pages are hostile: a strict Content-Security-Policy (no inline script or style, nothing from
another origin) means that even a missed escape could not run code. With a token configured every
request must carry it: `Authorization: Bearer T`, or `?token=T` once, which sets an HttpOnly
SameSite=Strict cookie and redirects to the same address without the token.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
COOKIE = "newstrace_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much of a guess was right."""
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class SecurityMiddleware:
    """Adds the headers to every response (errors included); checks the token; refuses writes when read-only."""

    def __init__(self, app: ASGIApp, token: str | None = None, read_only: bool = True) -> None:
        self.app = app
        self.token = token or None
        self.read_only = read_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in HEADERS]
                headers.extend((k.encode(), v.encode()) for k, v in HEADERS.items())
                message = {**message, "headers": headers}
            await send(message)

        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> Response | None:
        if self.read_only and request.method not in SAFE_METHODS:
            return PlainTextResponse("this server is read-only", status_code=405)
        if self.token is None:
            return None
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and token_matches(auth[7:].strip(), self.token):
            return None
        if token_matches(request.cookies.get(COOKIE), self.token):
            return None
        given = request.query_params.get("token")
        if given is not None and token_matches(given, self.token):
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + ("?" + urlencode(rest) if rest else "")
            resp = RedirectResponse(target, status_code=303)
            resp.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
            return resp
        message = "a token is required: send 'Authorization: Bearer <token>' or open the page once with ?token=<token>"
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": message}, status_code=401, headers={"www-authenticate": "Bearer"})
        return PlainTextResponse(message, status_code=401, headers={"www-authenticate": "Bearer"})
