"""Open key pages of the built site in headless Chromium with the outside network refused.

Checked on every page: the math rendered (KaTeX elements present, no raw `\\(` or `$$` left in
the text), no request failed or went anywhere but the local server, and no script error.
Screenshots go to `site-screenshots/` (or NEUROGEBRA_SCREENSHOTS) for a person to look at.

The browser (the `browser_context` fixture, tests/conftest.py) is Debian's chromium driven by
Playwright, with every host but 127.0.0.1 unreachable: see tests/browser_support.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

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


# ---- layout faults, on every page -----------------------------------------------------------

# Runs in the page: what a reader would see go wrong. Math is checked in the article's text
# outside KaTeX's output; code is "cut off" when a block needs scrolling sideways to be read.
FAULTS_JS = """() => {
  const article = document.querySelector("article") || document.body;
  const clone = article.cloneNode(true);
  clone.querySelectorAll(".katex, script, pre, code").forEach(e => e.remove());
  const text = clone.innerText || clone.textContent;
  const raw = [];
  for (const pattern of [/\\\\\\(|\\\\\\[|\\$\\$/, /\\\\(frac|mathrm|partial|sum|sigma)\\b/,
                         /:(class|meth|func|attr|mod):`/]) {
    const found = text.match(pattern);
    if (found) raw.push(text.substr(Math.max(0, found.index - 30), 70).replace(/\\s+/g, " "));
  }
  const cut = [];
  for (const pre of article.querySelectorAll("pre")) {
    const code = pre.querySelector("code") || pre;
    if (code.scrollWidth > code.clientWidth + 2 && code.offsetParent !== null) {
      const longest = code.innerText.split("\\n").sort((a, b) => b.length - a.length)[0];
      cut.push(longest.slice(0, 60));
    }
  }
  const codeText = Array.from(article.querySelectorAll("pre")).map(p => p.innerText).join("\\n");
  const copyOverNotebook = Array.from(document.querySelectorAll(".jupyter-wrapper .md-clipboard"))
    .filter(b => b.offsetParent !== null).length;
  return {raw, cut, fmtSkip: codeText.includes("fmt: skip"), copyOverNotebook,
          title: document.title};
}"""
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# New and changed pages: screenshots at both widths for a person to look at.
SHOT_PAGES = ("learn/", "learn/autograd/", "learn/expressions/", "learn/training/",
              "learn/tensors/", "learn/models/", "projects/spiral-network/",
              "catalogue/losses/", "catalogue/activations/", "reference/core/",
              "instructor/")  # fmt: skip


def site_pages(site: Path) -> list[str]:
    pages = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        if not relative.startswith(("assets", "search")):
            pages.append("" if relative == "." else relative + "/")
    return pages


def page_faults(page, label: str, screenshot: str | None = None) -> tuple[list[str], str]:
    """The faults of the page open in `page` (at 1280 px, then at 390 px), and its title."""
    page.set_viewport_size({"width": 1280, "height": 900})
    if page.locator(".arithmatex").count():
        page.wait_for_selector(".katex", state="attached", timeout=20_000)
    # collapsed blocks (exercise solutions) are opened, so that their code is measured too
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    found = page.evaluate(FAULTS_JS)
    problems = [f"{label}: raw markup left: {r!r}" for r in found["raw"]]
    problems += [f"{label}: code cut off at 1280 px: {c!r}" for c in found["cut"]]
    if found["fmtSkip"]:
        problems.append(f"{label}: '# fmt: skip' shows in code")
    if found["copyOverNotebook"]:
        problems.append(f"{label}: copy buttons cover notebook code")
    if screenshot:
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(150)
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow > 1:
        problems.append(f"{label}: scrolls sideways by {overflow} px at 390 px")
    if screenshot:
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-390.png"))
    return problems, found["title"]


def shared_titles(titles: dict[str, list[str]]) -> list[str]:
    """One line per browser title that more than one page carries."""
    return [f"pages {', '.join(p)} share the title {t!r}" for t, p in titles.items() if len(p) > 1]


def test_no_page_has_layout_faults(browser_context, site_url: str, built_site: Path) -> None:
    """On every page: no raw LaTeX or Sphinx roles, no cut-off code at 1280 px, no sideways
    scrolling at 390 px (a phone), no `# fmt: skip`, no copy button over notebook code, and a
    browser title of its own."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_context.new_page()
    problems: list[str] = []
    titles: dict[str, list[str]] = {}
    for path in site_pages(built_site):
        page.goto(site_url + path, wait_until="networkidle")
        name = path.strip("/").replace("/", "_") or "home"
        found, title = page_faults(page, path or "/", name if path in SHOT_PAGES else None)
        problems += found
        titles.setdefault(title, []).append(path or "/")
    page.close()
    problems += shared_titles(titles)
    assert not problems, f"{len(problems)} faults:\n" + "\n".join(problems[:60])


# A page with one of each fault, to show that the checks above see them. Code blocks scroll
# sideways, as the theme's do.
FAULTY_PAGE = """<!doctype html><html><head><title>Guide - Neurogebra</title>
<style>pre > code { display: block; overflow: auto; }</style></head><body>
<article>
<p>The loss \\(\\frac{1}{n}\\sum_i x_i\\) and the class :class:`Value`.</p>
<pre><code>total = 0  # fmt: skip
LONG_LINE</code></pre>
<div style="width: 700px">a formula wider than a phone</div>
</article></body></html>""".replace("LONG_LINE", "total = " + " + ".join(["weight"] * 40))


def test_the_fault_checks_see_each_fault(browser_context, tmp_path: Path) -> None:
    html = tmp_path / "faulty.html"
    html.write_text(FAULTY_PAGE)
    page = browser_context.new_page()
    page.goto(html.as_uri())
    problems, title = page_faults(page, "faulty")
    page.close()
    kinds = " | ".join(problems)
    assert "raw markup left" in kinds and "\\frac" in kinds and ":class:`" in kinds, kinds
    assert "code cut off at 1280 px" in kinds, kinds
    assert "fmt: skip" in kinds, kinds
    assert "scrolls sideways" in kinds, kinds
    assert shared_titles({title: ["guide/", "notebooks/guide/"]}), "shared titles not seen"


def test_search_reads_well(browser_context, site_url: str) -> None:
    """Search for "softmax": a chapter ranks above the API reference, and neither snippets nor
    titles show raw LaTeX or permalink marks."""
    page = browser_context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("softmax")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    first = results.first.locator("a").first.get_attribute("href") or ""
    text = page.inner_text(".md-search-result__list")
    page.close()
    assert "reference/" not in first, f"the API reference ranks first: {first}"
    assert "$" not in text and "\\(" not in text and "\\frac" not in text, text[:500]
    assert "¶" not in text, "result titles end in ¶"
