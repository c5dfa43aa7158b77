"""Feedback pages that render their math offline: KaTeX inside the HTML, no CDN.

nbgrader writes feedback with nbconvert's HTML exporter, whose page loads MathJax (and
require.js) from a CDN: offline, or on a network that blocks it, a student sees raw LaTeX.
:class:`OfflineMathHTMLExporter` removes every script and stylesheet the page would fetch from
the web and puts KaTeX into the page itself: its stylesheet (fonts as data URIs), its script,
its auto-render extension and the call that renders the page's ``$...$``, ``$$...$$``,
``\\(...\\)`` and ``\\[...\\]``. The course's ``nbgrader_config.py`` selects it:

    c.GenerateFeedback.exporter_class = OfflineMathHTMLExporter

KaTeX comes from the npm registry, as for the course site: ``npm ci`` at the repository root
puts it in ``node_modules/katex``. ``NEUROGEBRA_KATEX_DIST`` can name another ``dist`` folder.
Without KaTeX the pages are left as nbconvert made them, and a warning says how to fix it.

Example:
    >>> strip_remote('<head><script src="https://cdn.example/MathJax.js"></script></head><p>$x$</p>')
    '<head></head><p>$x$</p>'
"""

from __future__ import annotations

import base64
import functools
import logging
import os
import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter

log = logging.getLogger(__name__)

# A tag that would fetch from the web: a script or stylesheet with an http(s) or // address.
REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=[\"'](?:https?:)?//[^\"']*[\"'][^>]*>\s*</script>", re.IGNORECASE
)
REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"'](?:https?:)?//[^\"']*[\"'][^>]*>", re.IGNORECASE)
MATHJAX_CONFIG = re.compile(
    r"<script\b[^>]*type=[\"']text/x-mathjax-config[\"'][^>]*>.*?</script>",
    re.IGNORECASE | re.DOTALL,
)
# An inline script that imports from the web (nbconvert's mermaid loader, which would run if a
# Markdown cell held a mermaid diagram).
REMOTE_IMPORT = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*?\bimport\((?:(?!</script>).)*?[\"']https?://"
    r"(?:(?!</script>).)*</script>",
    re.IGNORECASE | re.DOTALL,
)
# nbconvert's comments around the MathJax it no longer loads here.
MATHJAX_COMMENT = re.compile(r"<!--[^>]*mathjax[^>]*-->\n*", re.IGNORECASE)
FONT_SOURCES = re.compile(
    r"src:url\(fonts/(?P<name>[\w-]+)\.woff2\) format\(\"woff2\"\)"
    r"(?:,url\([^)]*\) format\(\"\w+\"\))*"
)
RENDER_CALL = """
document.addEventListener("DOMContentLoaded", function () {
  renderMathInElement(document.body, {
    delimiters: [
      {left: "$$", right: "$$", display: true},
      {left: "\\\\[", right: "\\\\]", display: true},
      {left: "$", right: "$", display: false},
      {left: "\\\\(", right: "\\\\)", display: false}
    ],
    ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"],
    throwOnError: false
  });
});
"""


def katex_dist() -> Path | None:
    """KaTeX's ``dist`` folder: NEUROGEBRA_KATEX_DIST, else ``node_modules/katex/dist`` in the
    current folder, this package's checkout, or any folder above them."""
    named = os.environ.get("NEUROGEBRA_KATEX_DIST")
    if named:
        return Path(named) if (Path(named) / "katex.min.js").is_file() else None
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            dist = folder / "node_modules" / "katex" / "dist"
            if (dist / "katex.min.js").is_file():
                return dist
    return None


@functools.cache
def warn_without_katex() -> None:
    """Say once per process (not once per page) that feedback will need the web for math."""
    log.warning(
        "KaTeX not found: feedback pages will load MathJax from the web. Run `npm ci` "
        "at the repository root (or set NEUROGEBRA_KATEX_DIST) to bundle it"
    )


def inline_stylesheet(dist: Path) -> str:
    """KaTeX's stylesheet with its WOFF2 fonts as data URIs (the other formats dropped: every
    browser that runs KaTeX reads WOFF2)."""

    def data_uri(match: re.Match[str]) -> str:
        font = (dist / "fonts" / f"{match['name']}.woff2").read_bytes()
        encoded = base64.b64encode(font).decode("ascii")
        return f'src:url(data:font/woff2;base64,{encoded}) format("woff2")'

    return FONT_SOURCES.sub(data_uri, (dist / "katex.min.css").read_text())


def strip_remote(html: str) -> str:
    """The page without the scripts and stylesheets it would fetch from the web, and without
    MathJax's configuration."""
    for pattern in (MATHJAX_CONFIG, MATHJAX_COMMENT, REMOTE_IMPORT, REMOTE_SCRIPT, REMOTE_LINK):
        html = pattern.sub("", html)
    return html


def bundle_math(html: str, dist: Path) -> str:
    """The page without remote scripts and stylesheets, with KaTeX inside it."""
    html = strip_remote(html)
    katex = (
        f"<style>{inline_stylesheet(dist)}</style>\n"
        f"<script>{(dist / 'katex.min.js').read_text()}</script>\n"
        f"<script>{(dist / 'contrib' / 'auto-render.min.js').read_text()}</script>\n"
        f"<script>{RENDER_CALL}</script>\n"
    )
    head_end = html.lower().rfind("</head>")
    if head_end < 0:
        return katex + html
    return html[:head_end] + katex + html[head_end:]


class OfflineMathHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter, whose pages carry KaTeX instead of loading MathJax."""

    # HTMLExporter returns the page as text, though nbconvert's base Exporter annotates a notebook.
    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        output, resources = super().from_notebook_node(nb, resources, **kw)
        dist = katex_dist()
        if dist is None:
            warn_without_katex()
            return output, resources
        return bundle_math(output, dist), resources
