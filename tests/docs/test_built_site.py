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


ARITHMATEX = re.compile(r'class="arithmatex">(.*?)</(?:div|span)>', re.DOTALL)


def test_catalogue_formulas_read_as_mathematics(built_site: Path) -> None:
    """Names like y_pred are typeset as y with a subscript (not y_p followed by "red"), no
    gradient is a raw SymPy step function, and no number is an unwieldy fraction."""
    faults = []
    for page in sorted((built_site / "catalogue").glob("*/index.html")):
        for latex in ARITHMATEX.findall(page.read_text()):
            where = f"{page.parent.name}: {latex[:90]}"
            if re.search(r"[A-Za-z]_[A-Za-z]{2,}", latex):
                faults.append(f"{where} (a subscript of several letters without braces)")
            if "Heaviside" in latex or "theta\\left" in latex:
                faults.append(f"{where} (a raw step function)")
            if re.search(r"\\frac\{\d{4,}\}|\\frac\{\d+\}\{\d{4,}\}", latex):
                faults.append(f"{where} (an unwieldy fraction)")
    assert not faults, "\n".join(faults[:20])


def test_api_reference_renders_examples_as_code_and_roles_as_names(built_site: Path) -> None:
    """Docstrings' "Example:" sections are code, not nested blockquotes; no Sphinx role shows."""
    for name in ("core", "models", "grader"):
        html = (built_site / "reference" / name / "index.html").read_text()
        assert "<blockquote" not in html, f"reference/{name}: an example became a blockquote"
        assert not re.search(r":(class|meth|func|attr|mod):`", html), f"reference/{name}: a role"
        assert "&gt;&gt;&gt;" in html, f"reference/{name}: no example sessions rendered"


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


LEARN_CHAPTERS = ("learn", "learn/autograd", "learn/expressions", "learn/training",
                  "learn/tensors", "learn/models")  # fmt: skip
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def images_of(html: str) -> list[tuple[str, str]]:
    """(src, alt) of every image of a page's article."""
    article = html.split("<article", 1)[-1].split("</article>", 1)[0]
    found = []
    for tag in IMAGE.findall(article):
        src = re.search(r'\bsrc="([^"]*)"', tag)
        alt = re.search(r'\balt="([^"]*)"', tag)
        found.append((src.group(1) if src else "", alt.group(1).strip() if alt else ""))
    return found


def test_every_learn_chapter_has_pictures_with_alt_text(built_site: Path) -> None:
    for chapter in (*LEARN_CHAPTERS, "projects/spiral-network"):
        page = built_site / chapter / "index.html"
        images = images_of(page.read_text())
        pictures = [(src, alt) for src, alt in images if "figures/" in src]
        needed = 1 if chapter.startswith("projects") else 2
        assert len(pictures) >= needed, f"{chapter}: {len(pictures)} generated figures"
        for src, alt in images:
            assert len(alt) > 20, f"{chapter}: image {src} has no real alt text"
            target = (page.parent / src).resolve()
            assert target.is_file(), f"{chapter}: {src} was not generated"
            svg = target.read_text()
            assert svg.lstrip().startswith(("<?xml", "<svg")) and len(svg) > 2000, src


def test_the_pictures_are_drawn_from_the_library(built_site: Path) -> None:
    figures = built_site / "figures"
    # the backward pass step by step: the output's gradient first, every gradient at the end
    steps = sorted(figures.glob("autograd-backward-*.svg"))
    assert len(steps) >= 3
    assert "grad ?" in steps[0].read_text() and "grad ?" not in steps[-1].read_text()
    assert "grad 4" in steps[-1].read_text() and "grad 3" in steps[-1].read_text()
    for name in ("expressions-activations", "training-surface", "models-boundaries",
                 "models-history", "models-neurons", "tensors-spirals"):  # fmt: skip
        assert (figures / f"{name}.svg").stat().st_size > 5000, name
    models = (built_site / "learn" / "models" / "index.html").read_text()
    assert "Figure Figure" not in models
