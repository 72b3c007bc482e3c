"""The HTTP fetcher: polite (robots.txt, per-host rate limit, clear User-Agent) and safe.

Safety: every hop of a redirect chain is resolved with `resolve_host` and each address checked with
`address_refusal` before connecting, and the connection is then made to the checked address (so a
second DNS answer cannot swap in a private one). Redirects are followed by hand for that reason.
Bodies are streamed and cut off past `max_bytes`. A bad page never raises: `Fetcher.fetch` returns
a `RawDocument` or an `IngestError` with a specific kind (http, unreachable, robots, private-address,
content-type, too-large, unsupported, malformed, decode).

`resolve_host` and `address_refusal` are small module-level functions looked up at call time, so
tests (and callers with their own DNS policy) can replace them.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from protego import Protego

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions

__all__ = [
    "ANY_TYPES",
    "FEED_TYPES",
    "HTML_TYPES",
    "Fetcher",
    "address_refusal",
    "resolve_host",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES: frozenset[str] = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",  # many servers send feeds as plain text; feedparser judges the body
    }
)
ANY_TYPES: frozenset[str] = frozenset()  # empty = accept every content type

BACKOFF_SECONDS = 0.5  # first retry wait; doubles each retry
MAX_RETRY_WAIT = 30.0  # longest wait for one retry, whatever Retry-After asks
MAX_REDIRECTS = 10
ROBOTS_MAX_BYTES = 512_000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


_SHARED_SLOTS: dict[str, float] = {}  # host -> earliest monotonic time of its next request
_SHARED_LOCK = threading.Lock()


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in resolver order (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    seen: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 scope id
        if address not in seen:
            seen.append(address)
    return seen


def address_refusal(host: str, address: IPAddress) -> str | None:
    """Why `address` (an address of `host`) must not be fetched, e.g. "loopback"; None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks: list[tuple[str, bool]] = [
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),  # e.g. 100.64.0.0/10 shared address space
    ]
    for name, hit in checks:
        if hit:
            return name
    return None


@dataclass(slots=True)
class _Response:
    """What one hop returned: status, headers and (for a final 2xx) the capped body."""

    url: httpx.URL
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes = b""
    charset: str | None = None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n:,} bytes"


class Fetcher:
    """Fetch pages politely and safely; one instance per run keeps robots and rate-limit state.

    `sleep`, `clock`, `backoff` and `max_retry_wait` are injectable so tests run in milliseconds;
    `verify` is httpx's TLS verification (an SSLContext trusting a test CA, for instance).
    Use as a context manager (or call `close`) to release the connection pool.
    """

    def __init__(
        self,
        options: SourceOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        backoff: float | None = None,
        max_retry_wait: float | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.options = options
        self._sleep = sleep
        self._clock = clock
        self._backoff = BACKOFF_SECONDS if backoff is None else backoff
        self._max_retry_wait = MAX_RETRY_WAIT if max_retry_wait is None else max_retry_wait
        self._robots: dict[str, Protego | None] = {}
        # With the real clock, the per-host schedule is shared by every Fetcher in the process, so
        # separate sources (several URLs on one command line) still respect options.rate_limit together.
        if clock is time.monotonic:
            self._next_slot, self._lock = _SHARED_SLOTS, _SHARED_LOCK
        else:
            self._next_slot, self._lock = {}, threading.Lock()
        # No keep-alive: connections go to pinned IP addresses, and a pooled TLS connection opened
        # for one host name must never be reused for another host on the same address.
        # trust_env=False: an environment proxy would bypass the address checks.
        self.client = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,
            trust_env=False,
            verify=verify,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": options.user_agent},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, accept: Collection[str] = HTML_TYPES) -> RawDocument | IngestError:
        """Fetch `url` following redirects; a RawDocument (ingest_source "url") or an IngestError.

        `accept` lists the media types wanted (HTML_TYPES, FEED_TYPES, or ANY_TYPES for all);
        a missing Content-Type is accepted and left to the reader to judge.
        """
        result = self._follow(url, accept, self.options.max_bytes, check_robots=self.options.respect_robots)
        if isinstance(result, IngestError):
            return result
        return RawDocument(
            source=url,
            ingest_source="url",
            url=str(result.url),
            html=result.body,
            encoding=result.charset,
            fetched_at=datetime.now(UTC),
        )

    # -- redirects, robots -------------------------------------------------------------------

    def _follow(
        self, url: str, accept: Collection[str], max_bytes: int, *, check_robots: bool, retries: int | None = None
    ) -> _Response | IngestError:
        """Follow redirects by hand, checking scheme, addresses and robots.txt at every hop."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                parsed = httpx.URL(current)
            except (httpx.InvalidURL, ValueError) as exc:
                return IngestError(url, f"malformed URL {current!r}: {exc}", "malformed")
            if parsed.scheme not in ("http", "https"):
                return IngestError(url, f"only http and https URLs can be fetched, not {current!r}", "unsupported")
            if not parsed.host:
                return IngestError(url, f"URL has no host: {current!r}", "malformed")
            if check_robots and not self._robots_allow(parsed):
                return IngestError(url, f"robots.txt of {parsed.host} disallows {current}", "robots")
            response = self._request(url, parsed, accept, max_bytes, retries)
            if isinstance(response, IngestError):
                return response
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    return IngestError(url, f"HTTP {response.status} redirect without a Location at {current}", "http")
                try:
                    current = str(parsed.join(location))
                except (httpx.InvalidURL, ValueError) as exc:
                    return IngestError(url, f"redirect to a malformed URL {location!r}: {exc}", "malformed")
                continue
            if response.status >= 300:
                where = "" if current == url else f" at {current}"
                return IngestError(url, f"HTTP {response.status} {response.reason}{where}".rstrip(), "http")
            return response
        return IngestError(url, f"more than {MAX_REDIRECTS} redirects (last: {current})", "http")

    def _robots_allow(self, url: httpx.URL) -> bool:
        """Whether robots.txt of the URL's host lets our User-Agent fetch it; fetch failures allow."""
        key = f"{url.scheme}://{url.netloc.decode('ascii')}"
        if key not in self._robots:
            got = self._follow(f"{key}/robots.txt", ANY_TYPES, ROBOTS_MAX_BYTES, check_robots=False, retries=0)
            parser = None
            if isinstance(got, _Response) and got.status == 200:
                try:
                    parser = Protego.parse(got.body.decode("utf-8", errors="replace"))
                except Exception:  # a robots.txt that Protego cannot parse counts as no robots.txt
                    parser = None
            self._robots[key] = parser
        parser = self._robots[key]
        return parser is None or bool(parser.can_fetch(str(url), self.options.user_agent))

    # -- one hop -------------------------------------------------------------------------------

    def _addresses(self, source: str, url: httpx.URL) -> list[IPAddress] | IngestError:
        """Resolve the hop's host and refuse non-public addresses (unless allow_private)."""
        port = url.port or (443 if url.scheme == "https" else 80)
        host = url.host
        try:
            addresses = resolve_host(url.raw_host.decode("ascii"), port)  # IDN hosts resolve in punycode
        except (OSError, UnicodeError) as exc:
            detail = getattr(exc, "strerror", None) or str(exc)
            return IngestError(source, f"cannot resolve host {host}: {detail}", "unreachable")
        if not addresses:
            return IngestError(source, f"host {host} resolves to no address", "unreachable")
        if not self.options.allow_private:
            for address in addresses:
                why = address_refusal(host, address)
                if why is not None:
                    return IngestError(
                        source, f"refused {url}: {host} resolves to {address}, a {why} address", "private-address"
                    )
        return addresses

    def _request(
        self, source: str, url: httpx.URL, accept: Collection[str], max_bytes: int, retries: int | None
    ) -> _Response | IngestError:
        """GET one URL (no redirects) with retries, backoff and the per-host rate limit."""
        addresses = self._addresses(source, url)
        if isinstance(addresses, IngestError):
            return addresses
        retries = self.options.retries if retries is None else retries
        attempt = 0
        while True:
            self._wait_turn(url.netloc.decode("ascii"))  # host and port: one server
            outcome = self._try_addresses(source, url, addresses, accept, max_bytes)
            wait: float | None = None
            if isinstance(outcome, httpx.TransportError):
                wait = self._backoff * 2**attempt
            elif isinstance(outcome, _Response) and outcome.status in RETRY_STATUSES:
                asked = _retry_after(outcome.headers.get("retry-after"), datetime.now(UTC))
                wait = self._backoff * 2**attempt if asked is None else asked
            if wait is None or attempt >= retries:
                if isinstance(outcome, httpx.TransportError):
                    tries = f" (after {attempt + 1} attempts)" if attempt else ""
                    return IngestError(source, f"cannot reach {url}: {_describe(outcome)}{tries}", "unreachable")
                return outcome
            self._sleep(min(wait, self._max_retry_wait))
            attempt += 1

    def _try_addresses(
        self, source: str, url: httpx.URL, addresses: list[IPAddress], accept: Collection[str], max_bytes: int
    ) -> _Response | IngestError | httpx.TransportError:
        """Try each checked address in turn until one connects; returns the last transport error if none does."""
        last: httpx.TransportError | None = None
        for address in addresses:
            try:
                return self._get(source, url, address, accept, max_bytes)
            except httpx.ConnectError as exc:
                last = exc
            except httpx.TransportError as exc:
                return exc
        assert last is not None
        return last

    def _get(
        self, source: str, url: httpx.URL, address: IPAddress, accept: Collection[str], max_bytes: int
    ) -> _Response | IngestError:
        """One GET to a pinned address, reading the body only for a final 2xx of an accepted type."""
        pinned = url.copy_with(host=str(address))
        host_header = url.netloc.decode("ascii")
        extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
        headers = {"Host": host_header, "Accept": _accept_header(accept)}
        try:
            with self.client.stream("GET", pinned, headers=headers, extensions=extensions) as resp:
                result = _Response(url, resp.status_code, resp.reason_phrase, resp.headers)
                if not 200 <= resp.status_code < 300:
                    return result
                media = _media_type(resp.headers.get("content-type"))
                if accept and media and media not in accept:
                    wanted = "a feed" if accept is FEED_TYPES else "HTML" if accept is HTML_TYPES else "/".join(accept)
                    return IngestError(source, f"{url} is {media}, not {wanted}", "content-type")
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    return IngestError(
                        source, f"{url} is {_mb(int(declared))}, over the {_mb(max_bytes)} cap", "too-large"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return IngestError(source, f"{url} is over the {_mb(max_bytes)} cap", "too-large")
                    chunks.append(chunk)
                result.body = b"".join(chunks)
                result.charset = resp.charset_encoding
                return result
        except httpx.DecodingError as exc:
            return IngestError(source, f"cannot decode the body of {url}: {exc}", "decode")

    def _wait_turn(self, host: str) -> None:  # `host` is host[:port]
        """Sleep until this host may get its next request (options.rate_limit per second; <= 0 = no limit)."""
        rate = self.options.rate_limit
        if rate <= 0:
            return
        interval = 1.0 / rate
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + interval
        if slot > now:
            self._sleep(slot - now)


def _accept_header(accept: Collection[str]) -> str:
    if not accept:
        return "*/*"
    return ", ".join(sorted(accept)) + ", */*;q=0.1"


def _describe(exc: httpx.TransportError) -> str:
    """A short human reason for a transport failure."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused"
    return text
