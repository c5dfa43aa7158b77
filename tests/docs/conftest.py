"""Fixtures of the site tests: the built site (built once per run) and a local server for it."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site folder: built by `nox -s docs` before the tests (NEUROGEBRA_SITE names it), or
    built here with `mkdocs build --strict` when missing."""
    site = Path(os.environ.get("NEUROGEBRA_SITE", ROOT / "site"))
    if not (site / "index.html").is_file():
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=ROOT, check=True,
        )  # fmt: skip
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served over HTTP on 127.0.0.1 (a free port) for the browser test."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
