"""MkDocs hooks of the course site (listed under `hooks:` in mkdocs.yml).

- KaTeX ships with the site: its files come from the npm registry (`npm ci` reads package.json
  and package-lock.json at the repository root) and are added to the build from node_modules,
  so the math renders with no CDN and no network.
- Notebook pages rendered by mkdocs-jupyter carry nbconvert's scripts that load MathJax and
  mermaid from a CDN; they are removed (KaTeX renders those pages' math too), so no request
  leaves the site.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_URL = "assets/katex"
# What the site needs from KaTeX's distribution: the renderer, its stylesheet, the auto-render
# extension and the fonts the stylesheet refers to.
KATEX_FILES = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")

# What nbconvert's notebook template adds to each notebook page that would reach for a CDN:
# the MathJax loader (a script tag, with an empty src when no URL is configured) with its inline
# configuration, and a module script that imports mermaid from a CDN when a notebook holds
# diagrams (ours hold none). KaTeX renders the notebooks' math instead.
CDN_SCRIPTS = re.compile(
    r"<script[^>]*\bsrc=\"(?:https?://[^\"]*)?\"[^>]*>\s*</script>"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>"
    r"|<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>",
    re.IGNORECASE | re.DOTALL,
)


def katex_sources() -> list[tuple[str, Path]]:
    """Site path and source file of every KaTeX file the site ships."""
    if not (KATEX_DIST / "katex.min.js").is_file():
        raise PluginError(
            "KaTeX is missing from node_modules; run `npm ci` at the repository root first "
            "(`nox -s docs` does)"
        )
    sources = [(f"{KATEX_URL}/{name}", KATEX_DIST / name) for name in KATEX_FILES]
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        sources.append((f"{KATEX_URL}/fonts/{font.name}", font))
    return sources


def on_files(files: Files, config) -> Files:
    for site_path, source in katex_sources():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    return files


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        return CDN_SCRIPTS.sub("", output)
    return output
