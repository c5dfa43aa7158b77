"""Shared by every test folder: headless Chromium for the browser tests (`browser_context`),
and, after the run, how long releasing and autograding took and the scores seen.
"""

from __future__ import annotations

import pytest
from browser_support import chromium_context


@pytest.fixture(scope="module")
def browser_context():
    """A Playwright browser context on Debian's chromium (see tests/browser_support.py), one
    per test module."""
    with chromium_context() as context:
        yield context


def pytest_terminal_summary(terminalreporter):
    from test_assignments import TIMINGS

    if not TIMINGS:
        return
    terminalreporter.section("course: nbgrader runs")
    for what, value in TIMINGS.items():
        shown = f"{value:.1f} s" if isinstance(value, float) else " / ".join(map(str, value))
        terminalreporter.write_line(f"{what}: {shown}")
