"""Open key pages of the built site in headless Chromium with the outside network refused.

Checked on every page: the math rendered (KaTeX elements present, no raw `\\(` or `$$` left in
the text), no request failed or went anywhere but the local server, and no script error.
Screenshots go to `site-screenshots/` (or NEUROGEBRA_SCREENSHOTS) for a person to look at.

Playwright drives Debian's `chromium` (`executable_path`), so no browser is downloaded: of the
two usual clients it is the one that needs no separate driver binary (selenium would need
chromium-driver too) and it reports every request and its failure as events, which is what
the "nothing failed, nothing left the site" checks need.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("NEUROGEBRA_SCREENSHOTS", ROOT / "site-screenshots"))

# Pages a student or instructor lands on first, and those with the most math.
KEY_PAGES = {
    "home": "",
    "how-it-works": "learn/",
    "autograd": "learn/autograd/",
    "expressions": "learn/expressions/",
    "catalogue-activations": "catalogue/activations/",
    "project-3": "projects/spiral-network/",
    "notebook-1": "projects/notebooks/autograd/",
    "instructor": "instructor/",
    "api-core": "reference/core/",
}
MATH_PAGES = {"autograd", "expressions", "catalogue-activations", "project-3", "notebook-1"}

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Every host name but the local server's resolves to nothing: the outside is unreachable.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Debian's chromium is needed for the browser test: `apt-get install chromium` "
            "(tools/setup.sh installs it)"
        )
    return path


@pytest.fixture(scope="module")
def browser_context():
    profile = tempfile.mkdtemp(prefix="neurogebra-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 900},
            )
            yield context
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize("name", list(KEY_PAGES))
def test_page_renders_offline(name: str, browser_context, site_url: str) -> None:
    page = browser_context.new_page()
    failed: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host != "127.0.0.1":
            outside.append(request.url)

    page.on("request", on_request)
    response = page.goto(site_url + KEY_PAGES[name], wait_until="networkidle")
    assert response is not None and response.ok, f"{name}: {response and response.status}"
    if name in MATH_PAGES:  # KaTeX renders after the page's scripts start; give a busy CI time
        page.wait_for_selector(".katex", state="attached", timeout=20_000)
        page.locator(".katex").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)

    katex_count = page.locator(".katex").count()
    visible_text = page.inner_text("article")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    page.close()

    assert not failed, f"{name}: requests failed: {failed}"
    assert not outside, f"{name}: requests left the site: {outside}"
    assert not errors, f"{name}: script errors: {errors}"
    assert "\\(" not in visible_text and "\\[" not in visible_text, f"{name}: raw math left"
    if name in MATH_PAGES:
        assert katex_count > 0, f"{name}: no KaTeX-rendered math found"
        assert "$$" not in visible_text, f"{name}: raw $$ math left"


def test_search_works_offline(browser_context, site_url: str) -> None:
    page = browser_context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    page.keyboard.type("backward")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    count = results.count()
    page.wait_for_timeout(500)
    snippets = page.inner_text(".md-search-result__list")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    page.close()
    assert count > 0
    assert not failed, failed
    assert "\\(" not in snippets and "\\[" not in snippets, "raw math in search results"
