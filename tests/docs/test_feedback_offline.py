"""Feedback pages render their math with no network: KaTeX travels inside the HTML.

The course's nbgrader_config.py makes nbgrader write feedback with the grader's
OfflineMathHTMLExporter. Here that exporter, configured as the course configures it, turns a
notebook with math into a feedback page; headless Chromium opens it from disk with every
outside host unreachable, and the math must come out rendered by KaTeX with no request made.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbgrader.converters import GenerateFeedback
from test_browser import SCREENSHOTS  # the browser itself is the shared `browser_context`

from neurogebra_grader.offline_math import OfflineMathHTMLExporter, katex_dist

MATH_CELL = r"The gradient: $\frac{\partial L}{\partial w} = 2x(wx - y)$, and $$\sum_i e^{s_i}$$"


def feedback_page(folder: Path) -> Path:
    """A feedback page as `nbgrader generate_feedback` writes it with the course's config:
    nbgrader's feedback template (which loads MathJax), through the offline exporter."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(MATH_CELL), nbformat.v4.new_code_cell("x = 1")]
    config = GenerateFeedback().config  # sets the template as generate_feedback does
    exporter = OfflineMathHTMLExporter(config=config)
    assert exporter.template_name == "feedback"
    resources = {
        "nbgrader": {"notebook": "autograd", "score": 3, "max_score": 5, "late_penalty": 0}
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    path = folder / "feedback.html"
    path.write_text(html)
    return path


def test_feedback_html_holds_katex_and_fetches_nothing(tmp_path: Path) -> None:
    assert katex_dist() is not None, "run `npm ci` at the repository root (nox -s docs does)"
    html = feedback_page(tmp_path).read_text()
    assert "mathjax" not in html.lower()
    assert 'src="http' not in html and "src='http" not in html and 'href="http' not in html
    assert not re.search(r"import\(\s*[\"']https?://", html), "a script imports from the web"
    assert "renderMathInElement" in html and "data:font/woff2;base64," in html


def test_feedback_math_renders_offline_in_a_browser(tmp_path: Path, browser_context) -> None:
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(feedback_page(tmp_path).as_uri(), wait_until="load")
    page.wait_for_selector(".katex", state="attached", timeout=20_000)
    rendered = page.locator(".katex").count()
    text = page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "feedback-offline.png"))
    page.close()
    assert rendered == 2, rendered
    assert "\\frac" not in text and "$$" not in text, text[:300]
    remote = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not remote, f"the page reached for: {remote}"
