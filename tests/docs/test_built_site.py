"""Checks on the built site's files: offline, complete, and generated from the library."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from neurogebra.repository import CATEGORIES, all_entries

# A tag that makes the browser fetch something: its URL attribute.
FETCHING_TAG = re.compile(
    r"<(script|link|img|iframe|source|audio|video|embed)\b[^>]*?\b(src|href)=[\"']([^\"']*)",
    re.IGNORECASE,
)
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20, "the site looks incomplete"
    return pages


def test_no_request_can_leave_the_site(built_site: Path) -> None:
    outside = []
    for page in html_pages(built_site):
        html = page.read_text()
        for tag, _, url in FETCHING_TAG.findall(html):
            if tag.lower() == "link" and 'rel="canonical"' in url:
                continue
            if re.match(r"(https?:)?//", url):
                outside.append(f"{page.relative_to(built_site)}: <{tag} {url}>")
        for script in INLINE_SCRIPT.findall(html):
            if re.search(r"import\s*\(\s*[\"']https?://|fetch\(\s*[\"']https?://", script):
                outside.append(f"{page.relative_to(built_site)}: a script loads from the web")
    assert not outside, "\n".join(outside[:20])


def test_katex_and_its_fonts_ship_with_the_site(built_site: Path) -> None:
    katex = built_site / "assets" / "katex"
    for name in ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js"):
        assert (katex / name).is_file(), name
    css = (katex / "katex.min.css").read_text()
    fonts = set(re.findall(r"fonts/(KaTeX_[\w-]+\.woff2)", css))
    assert fonts and all((katex / "fonts" / f).is_file() for f in fonts)


def test_the_catalogue_lists_every_formula_of_the_repository(built_site: Path) -> None:
    for category in CATEGORIES:
        html = (built_site / "catalogue" / category / "index.html").read_text()
        entries = [e for e in all_entries() if e.category == category]
        for entry in entries:
            assert f'id="{entry.name}"' in html, f"{entry.name} missing from {category}"
        # every entry's formula is rendered math (plus its gradients)
        assert html.count('class="arithmatex"') >= len(entries)


def test_student_notebooks_hold_no_solutions_or_hidden_tests(built_site: Path) -> None:
    for name in ("autograd", "linear_regression", "spiral_network"):
        nb = nbformat.read(built_site / "downloads" / f"{name}.ipynb", as_version=4)
        text = "\n".join(cell.source for cell in nb.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "raise NotImplementedError()" in text
        page = (built_site / "projects" / "notebooks" / name / "index.html").read_text()
        assert "BEGIN SOLUTION" not in page and "jp-Notebook" in page


def test_search_index_covers_the_site(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for page in ("learn/autograd/", "catalogue/losses/", "instructor/", "reference/core/"):
        assert page in locations, page
