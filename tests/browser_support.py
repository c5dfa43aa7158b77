"""Headless Chromium for the browser tests (the site's and the submission service's).

Playwright drives Debian's `chromium` (`executable_path`), so no browser is downloaded: of the
two usual clients it is the one that needs no separate driver binary (selenium would need
chromium-driver too) and it reports every request and its failure as events, which is what
the "nothing failed, nothing left the site" checks need. Every host name but 127.0.0.1 and
localhost resolves to nothing, so a page that reaches for a CDN fails to load it, visibly.

The `browser_context` fixture (tests/conftest.py) is the one way the tests open the browser:

    def test_home_page(browser_context, site_url):
        page = browser_context.new_page()
        page.goto(site_url)

Playwright is imported only when a browser starts, so sessions without it (the course's
`assignments` session loads tests/conftest.py too) are unaffected.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

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
    """Debian's chromium on PATH, or the test fails saying how to install it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Debian's chromium is needed for the browser tests: `apt-get install chromium` "
            "(tools/setup.sh installs it)"
        )
    return path


@contextmanager
def chromium_context(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A Playwright browser context on Debian's chromium, with a fresh profile that is removed
    afterwards.

    Example: ``with chromium_context() as context: context.new_page().goto(url)``.
    """
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="neurogebra-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": width, "height": height},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
