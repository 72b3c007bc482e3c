"""The web UI in real headless Chromium (Debian's package, driven by Playwright) against a real uvicorn server.

Never downloads a browser: Chromium comes from NEWSTRACE_CHROMIUM or /usr/bin/chromium; the tests skip
with the reason when it or Playwright is missing. Screenshots go to NEWSTRACE_ARTIFACTS (or tmp_path).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newstrace.web import create_app
from test_web_api import HOSTILE_TITLE, web_db, web_store  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def _chromium() -> str:
    path = os.environ.get("NEWSTRACE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.skip(f"headless Chromium not found at {path} (install Debian's chromium or set NEWSTRACE_CHROMIUM)")
    return path


@pytest.fixture(scope="module")
def server(web_store) -> Iterator[str]:  # noqa: F811
    """A real uvicorn server on a free loopback port, in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(web_store), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", ws="none")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install 'newstrace[web-test]'; never `playwright install`)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    env = os.environ.get("NEWSTRACE_ARTIFACTS")
    out = Path(env) if env else tmp_path / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out


class Watch:
    """Records dialogs (none may open), console errors and requests that leave the server."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.foreign.append(r.url))
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"console errors (CSP violations?): {self.errors}"
        assert self.foreign == [], f"requests left the server: {self.foreign}"


def test_search_article_story_source_compare(server: str, browser: Any, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page, server)
    page.goto(f"{server}/")
    page.fill("#q", "harbour pier")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=harbour+pier*")
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)
    titles = page.locator("a.title")
    assert titles.count() == 2
    page.locator("a.title", has_text="Copied:").click()
    page.wait_for_url("**/articles/*")
    # the hostile title and body are visible as literal text, and nothing ran
    assert page.locator("h1.article-title").inner_text() == "Copied: " + HOSTILE_TITLE
    assert page.title().startswith("Copied: <img src=x onerror=alert(1)>")
    body = page.locator("section.text").inner_text()
    assert "<script>alert('body')</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert page.locator("section.text img, section.text script, h1 img, h1 script").count() == 0
    page.screenshot(path=str(artifacts / "article.png"), full_page=True)
    copy_url = page.url

    page.click("#open-story")
    page.wait_for_url("**/stories/*")
    assert page.locator("#story-tree a.node").count() >= 2
    assert page.locator("#legend").inner_text().count("credited") >= 2
    page.screenshot(path=str(artifacts / "story.png"), full_page=True)
    # click the origin's node: the tree's nodes open their article
    source_id = page.locator("table.results tr", has_text="origin").locator("a[href^='/articles/']").first \
        .get_attribute("href").split("/")[-1]
    page.locator(f"#story-tree a.node[data-id='{source_id}']").click()
    page.wait_for_url(f"**/articles/{source_id}")
    assert page.locator("h1.article-title").inner_text() == HOSTILE_TITLE

    page.goto(copy_url)
    page.click("#open-compare")
    page.wait_for_url("**/compare?*")
    assert page.locator("#compare tr.row-shared").count() >= 1
    assert "<svg onload=alert(3)>" in page.locator("#compare .m-added").all_inner_texts()[-1]
    page.screenshot(path=str(artifacts / "compare.png"), full_page=True)
    watch.check()
    page.close()


def test_demo_pages_render_without_errors(server: str, browser: Any, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page, server)
    page.goto(f"{server}/stories")
    page.locator("table.results a[href^='/stories/']").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#story-tree a.node").count() >= 3
    page.screenshot(path=str(artifacts / "story-demo.png"), full_page=True)
    page.goto(f"{server}/network")
    node = page.locator("#network a.site").first
    site = node.get_attribute("data-site")
    node.focus()  # keyboard users get the same neighbourhood highlight as a mouse hover
    assert site in page.locator("#netinfo").inner_text()
    assert page.locator("#network line.nedge.dim").count() < page.locator("#network line.nedge").count()
    page.screenshot(path=str(artifacts / "network.png"), full_page=True)
    node.press("Enter")
    page.wait_for_url(f"**/sites/{site}")
    page.screenshot(path=str(artifacts / "site.png"), full_page=True)
    page.goto(f"{server}/docs")
    page.wait_for_selector("#api-list .endpoint", timeout=10_000)
    assert page.locator("#api-list .endpoint").count() >= 15
    page.screenshot(path=str(artifacts / "docs.png"))
    watch.check()
    page.close()
