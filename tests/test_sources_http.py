"""The HTTP fetcher against a local server: redirects, retries, caps, robots, rate limits, address checks."""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from localserver import (
    LocalServer,
    Reply,
    Request,
    closed_port,
    local_server,  # noqa: F401  # a fixture, used by name below
    offline_fetching,  # noqa: F401  # a fixture, used by every test here
    redirect,
    serve,
)
from localserver import (
    fetch_options as opts,
)
from newstrace.models import IngestError, RawDocument
from newstrace.sources import UnitDone, iter_source
from newstrace.sources import http as http_mod
from newstrace.sources.http import FEED_TYPES, Fetcher, address_refusal, resolve_host

PAGE = "<html><head><title>T</title></head><body><p>Hello from the test server.</p></body></html>"


pytestmark = pytest.mark.usefixtures("offline_fetching")


class Sleeps:
    """A fake sleep that records the waits asked for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_fetch_page_records_final_url_charset_and_user_agent() -> None:
    routes = {
        "/a": redirect("/b", 301),
        "/b": redirect("/c?x=1", 302),
        "/c": Reply(200, {"Content-Type": "text/html; charset=windows-1251"}, PAGE),
    }
    with serve(routes) as server, Fetcher(opts(user_agent="newstrace-test/9")) as fetcher:
        doc = fetcher.fetch(server.url("/a"))
    assert isinstance(doc, RawDocument)
    assert doc.url == server.url("/c?x=1")
    assert doc.source == server.url("/a")
    assert doc.html == PAGE.encode()
    assert doc.encoding == "windows-1251"
    assert doc.ingest_source == "url"
    assert doc.fetched_at is not None and abs(datetime.now(UTC) - doc.fetched_at) < timedelta(seconds=30)
    page_requests = [r for r in server.requests if r.path != "/robots.txt"]
    assert [r.path for r in page_requests] == ["/a", "/b", "/c?x=1"]
    assert all(r.headers["user-agent"] == "newstrace-test/9" for r in server.requests)


def test_redirect_loop_is_an_http_error() -> None:
    with serve({"/loop": redirect("/loop")}) as server, Fetcher(opts(respect_robots=False)) as fetcher:
        err = fetcher.fetch(server.url("/loop"))
    assert isinstance(err, IngestError) and err.kind == "http"
    assert "more than 10 redirects" in err.reason
    assert server.hits("/loop") == 11


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_errors_are_http_errors_with_the_status(status: int) -> None:
    with serve({"/x": (status, {"Content-Type": "text/html"}, "no")}) as server, Fetcher(opts()) as fetcher:
        err = fetcher.fetch(server.url("/x"))
    assert isinstance(err, IngestError) and err.kind == "http"
    assert str(status) in err.reason
    assert server.hits("/x") == 1  # no retry for a 4xx other than 429


def test_server_error_is_retried_with_backoff_then_reported() -> None:
    sleeps = Sleeps()
    with serve({"/x": (500, {}, "boom")}) as server, Fetcher(opts(retries=3), sleep=sleeps, backoff=0.1) as fetcher:
        err = fetcher.fetch(server.url("/x"))
    assert isinstance(err, IngestError) and err.kind == "http"
    assert "500" in err.reason
    assert server.hits("/x") == 4
    assert sleeps.waits == pytest.approx([0.1, 0.2, 0.4])


def test_transient_errors_recover_and_retry_after_is_respected_within_bound() -> None:
    calls = {"n": 0}

    def flaky(_: Request) -> Reply:
        calls["n"] += 1
        if calls["n"] == 1:
            return Reply(429, {"Retry-After": "7"}, "slow down")
        if calls["n"] == 2:
            return Reply(503, {"Retry-After": "3600"}, "later")
        return Reply(body=PAGE)

    sleeps = Sleeps()
    with serve({"/x": flaky}) as server:
        fetcher = Fetcher(opts(retries=3, respect_robots=False), sleep=sleeps, backoff=0.1, max_retry_wait=60)
        with fetcher:
            doc = fetcher.fetch(server.url("/x"))
    assert isinstance(doc, RawDocument) and doc.html == PAGE.encode()
    assert sleeps.waits == [7.0, 60.0]  # Retry-After honoured, the hour-long one capped


def test_unreachable_port_is_unreachable_after_retries() -> None:
    port = closed_port()
    sleeps = Sleeps()
    with Fetcher(opts(retries=2, respect_robots=False), sleep=sleeps, backoff=0.01) as fetcher:
        err = fetcher.fetch(f"http://127.0.0.1:{port}/page")
    assert isinstance(err, IngestError) and err.kind == "unreachable"
    assert "refused" in err.reason and "3 attempts" in err.reason
    assert len(sleeps.waits) == 2


def test_timeout_is_unreachable() -> None:
    with serve({"/slow": Reply(body=PAGE, delay=1.0)}) as server, Fetcher(opts(timeout=0.2)) as fetcher:
        err = fetcher.fetch(server.url("/slow"))
    assert isinstance(err, IngestError) and err.kind == "unreachable"
    assert "timed out" in err.reason


def test_unresolvable_host_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    with Fetcher(opts(respect_robots=False)) as fetcher:
        err = fetcher.fetch("http://no-such-host.invalid/")
    assert isinstance(err, IngestError) and err.kind == "unreachable"
    assert "cannot resolve host no-such-host.invalid" in err.reason


def test_size_cap_by_content_length_and_while_streaming() -> None:
    big = "<html>" + "x" * 5000 + "</html>"
    routes = {"/declared": Reply(body=big), "/streamed": Reply(body=big, length=False), "/small": Reply(body=PAGE)}
    with serve(routes) as server, Fetcher(opts(max_bytes=1000, respect_robots=False)) as fetcher:
        declared = fetcher.fetch(server.url("/declared"))
        streamed = fetcher.fetch(server.url("/streamed"))
        small = fetcher.fetch(server.url("/small"))
    assert isinstance(declared, IngestError) and declared.kind == "too-large"
    assert "5,013 bytes, over the 1,000 bytes cap" in declared.reason
    assert isinstance(streamed, IngestError) and streamed.kind == "too-large"
    assert "over the 1,000 bytes cap" in streamed.reason
    assert isinstance(small, RawDocument)


def test_compressed_body_is_capped_after_decompression() -> None:
    bomb = gzip.compress(b"<html>" + b" " * 200_000 + b"</html>")
    routes = {"/bomb": Reply(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)}
    with serve(routes) as server, Fetcher(opts(max_bytes=50_000, respect_robots=False)) as fetcher:
        err = fetcher.fetch(server.url("/bomb"))
    assert len(bomb) < 50_000
    assert isinstance(err, IngestError) and err.kind == "too-large"


def test_retry_after_forms() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert http_mod._retry_after("120", now) == 120.0
    assert http_mod._retry_after("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert http_mod._retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0  # already past
    assert http_mod._retry_after("soon", now) is None
    assert http_mod._retry_after(None, now) is None


def test_content_type_must_match_what_is_wanted() -> None:
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title></channel></rss>'
    routes = {
        "/img": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, rss),
        "/untyped": (200, {}, PAGE),
    }
    with serve(routes) as server, Fetcher(opts(respect_robots=False)) as fetcher:
        img = fetcher.fetch(server.url("/img"))
        feed_as_page = fetcher.fetch(server.url("/feed"))
        feed = fetcher.fetch(server.url("/feed"), accept=FEED_TYPES)
        page_as_feed = fetcher.fetch(server.url("/img"), accept=FEED_TYPES)
        untyped = fetcher.fetch(server.url("/untyped"))
    assert isinstance(img, IngestError) and img.kind == "content-type" and "image/png, not HTML" in img.reason
    assert isinstance(feed_as_page, IngestError) and feed_as_page.kind == "content-type"
    assert isinstance(feed, RawDocument) and feed.html == rss.encode()
    assert isinstance(page_as_feed, IngestError) and "not a feed" in page_as_feed.reason
    assert isinstance(untyped, RawDocument)


def test_robots_disallow_and_cache() -> None:
    robots = "User-agent: newstrace\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    routes = {"/robots.txt": (200, {"Content-Type": "text/plain"}, robots), "/ok": PAGE, "/private/x": PAGE}
    with serve(routes) as server, Fetcher(opts()) as fetcher:
        ok = fetcher.fetch(server.url("/ok"))
        ok_again = fetcher.fetch(server.url("/ok"))
        refused = fetcher.fetch(server.url("/private/x"))
    assert isinstance(ok, RawDocument) and isinstance(ok_again, RawDocument)
    assert isinstance(refused, IngestError) and refused.kind == "robots"
    assert server.hits("/private/x") == 0
    assert server.hits("/robots.txt") == 1  # cached per host


def test_robots_redirect_target_is_checked_too() -> None:
    robots = "User-agent: *\nDisallow: /secret\n"
    routes = {"/robots.txt": robots, "/go": redirect("/secret/page"), "/secret/page": PAGE}
    with serve(routes) as server, Fetcher(opts()) as fetcher:
        err = fetcher.fetch(server.url("/go"))
    assert isinstance(err, IngestError) and err.kind == "robots"
    assert server.hits("/secret/page") == 0


@pytest.mark.parametrize("robots_route", [(404, {}, "none"), (500, {}, "oops")])
def test_robots_fetch_failure_allows(robots_route: tuple[int, dict[str, str], str]) -> None:
    with serve({"/robots.txt": robots_route, "/p": PAGE}) as server, Fetcher(opts()) as fetcher:
        doc = fetcher.fetch(server.url("/p"))
    assert isinstance(doc, RawDocument)


def test_respect_robots_false_skips_robots() -> None:
    routes = {"/robots.txt": "User-agent: *\nDisallow: /\n", "/p": PAGE}
    with serve(routes) as server, Fetcher(opts(respect_robots=False)) as fetcher:
        doc = fetcher.fetch(server.url("/p"))
    assert isinstance(doc, RawDocument)
    assert server.hits("/robots.txt") == 0


def test_rate_limit_spaces_requests_per_host() -> None:
    sleeps = Sleeps()
    now = [100.0]
    fetcher = Fetcher(opts(rate_limit=2.0, respect_robots=False), sleep=sleeps, clock=lambda: now[0])
    with serve({"/p": PAGE}) as server, fetcher:
        for _ in range(3):
            assert isinstance(fetcher.fetch(server.url("/p")), RawDocument)
    assert sleeps.waits == pytest.approx([0.5, 1.0])  # the clock stood still: each waits one more slot


def test_rate_limit_is_shared_by_fetchers_in_one_process() -> None:
    sleeps = Sleeps()
    with serve({"/p": PAGE}) as server:
        for _ in range(2):  # two sources, two fetchers, one host
            with Fetcher(opts(rate_limit=0.5, respect_robots=False), sleep=sleeps) as fetcher:
                assert isinstance(fetcher.fetch(server.url("/p")), RawDocument)
    assert len(sleeps.waits) == 1 and 1.0 < sleeps.waits[0] <= 2.0


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_refusal(address: str, why: str | None) -> None:
    assert address_refusal("h", ipaddress.ip_address(address)) == why


def test_resolve_host_literal_and_localhost() -> None:
    assert resolve_host("127.0.0.1", 80) == [ipaddress.ip_address("127.0.0.1")]
    assert resolve_host("[::1]", 80) == [ipaddress.ip_address("::1")]
    assert all(a.is_loopback for a in resolve_host("localhost", 80))


def test_private_addresses_refused_before_connecting() -> None:
    with serve({"/p": PAGE}) as server, Fetcher(opts(allow_private=False)) as fetcher:
        err = fetcher.fetch(server.url("/p"))
        err_localhost = fetcher.fetch(f"http://localhost:{server.port}/p")
    assert isinstance(err, IngestError) and err.kind == "private-address"
    assert "127.0.0.1, a loopback address" in err.reason
    assert isinstance(err_localhost, IngestError) and err_localhost.kind == "private-address"
    assert server.requests == []  # nothing reached the server, robots.txt included


def _fake_public(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """`names` (default public.test) resolve to 127.0.0.1 but pass the address check; all else is checked as usual."""
    fake = set(names or ("public.test",))
    real_resolve, real_refusal = http_mod.resolve_host, http_mod.address_refusal

    def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address("127.0.0.1")] if host in fake else real_resolve(host, port)

    def refusal(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if host in fake else real_refusal(host, address)

    monkeypatch.setattr(http_mod, "resolve_host", resolve)
    monkeypatch.setattr(http_mod, "address_refusal", refusal)


def test_public_host_is_fetched_from_its_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_public(monkeypatch)
    with serve({"/p": PAGE}) as server, Fetcher(opts(allow_private=False)) as fetcher:
        doc = fetcher.fetch(f"http://public.test:{server.port}/p")
    assert isinstance(doc, RawDocument) and doc.url == f"http://public.test:{server.port}/p"
    page = [r for r in server.requests if r.path == "/p"]
    assert page and page[0].headers["host"] == f"public.test:{server.port}"


def test_redirect_from_public_to_private_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_public(monkeypatch)
    with serve({"/start": redirect("/unused")}) as server:
        server.routes["/start"] = redirect(f"http://127.0.0.1:{server.port}/target")
        server.routes["/target"] = PAGE
        with Fetcher(opts(allow_private=False)) as fetcher:
            err = fetcher.fetch(f"http://public.test:{server.port}/start")
    assert isinstance(err, IngestError) and err.kind == "private-address"
    assert "127.0.0.1" in err.reason and "loopback" in err.reason
    assert server.hits("/start") == 1
    assert server.hits("/target") == 0


def _self_signed(folder: Path, name: str) -> tuple[str, str]:
    """A throwaway certificate for `name` made with the openssl command (skips when it is missing)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", key, "-out", cert, "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_public(monkeypatch, "public.test", "other.test")
    cert, key = _self_signed(tmp_path, "public.test")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=cert)
    fetcher = Fetcher(opts(allow_private=False, respect_robots=False), verify=client_tls)
    with serve({"/p": PAGE}, tls=server_tls) as server, fetcher:
        doc = fetcher.fetch(f"https://public.test:{server.port}/p")
        wrong_name = fetcher.fetch(f"https://other.test:{server.port}/p")
    assert isinstance(doc, RawDocument) and doc.html == PAGE.encode()
    assert server.requests[0].headers["host"] == f"public.test:{server.port}"
    # same address, but the certificate does not name other.test: TLS checks the name, not the IP
    assert isinstance(wrong_name, IngestError) and wrong_name.kind == "unreachable"
    assert "CERTIFICATE_VERIFY_FAILED" in wrong_name.reason or "certificate" in wrong_name.reason.lower()


def test_ipv6_and_mapped_loopback_literals_are_refused() -> None:
    with Fetcher(opts(allow_private=False)) as fetcher:
        for url in ("http://[::1]:9/", "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/", "http://169.254.169.254/"):
            err = fetcher.fetch(url)
            assert isinstance(err, IngestError) and err.kind == "private-address", url


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https(url: str) -> None:
    with Fetcher(opts()) as fetcher:
        err = fetcher.fetch(url)
    assert isinstance(err, IngestError) and err.kind == "unsupported"


def test_redirect_to_other_scheme_is_refused() -> None:
    with serve({"/r": redirect("file:///etc/passwd")}) as server, Fetcher(opts(respect_robots=False)) as fetcher:
        err = fetcher.fetch(server.url("/r"))
    assert isinstance(err, IngestError) and err.kind == "unsupported"


def test_iter_source_url_yields_unit_done_and_resumes() -> None:
    with serve({"/p": PAGE, "/gone": (404, {}, "")}) as server:
        url = server.url("/p")
        first = list(iter_source(url, opts()))
        skipped = list(iter_source(url, opts(), done={url: "fetched"}))
        refreshed = list(iter_source(url, opts(refresh=True), done={url: "fetched"}))
        gone = list(iter_source(server.url("/gone"), opts()))
    assert isinstance(first[0], RawDocument) and first[1] == UnitDone(url, "fetched")
    assert skipped == []
    assert isinstance(refreshed[0], RawDocument)
    assert server.hits("/p") == 2
    assert len(gone) == 1 and isinstance(gone[0], IngestError)  # a failure is not marked done: retried next run


def test_urls_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with serve({"/a": PAGE, "/b": PAGE}) as server:
        listing = tmp_path / "list.txt"
        listing.write_text(
            f"# my list\n{server.url('/a')}\n\nnot a url\n{server.url('/b')}\n{server.url('/a')}\n{server.url('/c')}\n"
        )
        items = list(iter_source(str(listing), opts(), done={server.url("/b"): "fetched"}))
    assert [type(i).__name__ for i in items] == ["RawDocument", "UnitDone", "IngestError", "IngestError"]
    assert items[0].url == server.url("/a")  # type: ignore[union-attr]
    bad_line, missing = items[2], items[3]
    assert isinstance(bad_line, IngestError) and bad_line.kind == "unsupported" and "line 4" in bad_line.reason
    assert isinstance(missing, IngestError) and missing.kind == "http" and "404" in missing.reason
    assert server.hits("/a") == 1 and server.hits("/b") == 0


def test_local_server_fixture_factory(local_server: Callable[..., LocalServer]) -> None:  # noqa: F811
    server = local_server({"/p": PAGE})
    with Fetcher(opts()) as fetcher:
        doc = fetcher.fetch(server.url("/p"))
    assert isinstance(doc, RawDocument) and server.hits("/p") == 1


def test_guard_blocks_the_internet() -> None:
    with pytest.raises(OSError, match="internet"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
