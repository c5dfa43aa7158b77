"""MkDocs hooks of the course site (listed under `hooks:` in mkdocs.yml).

- KaTeX ships with the site: its files come from the npm registry (`npm ci` reads package.json
  and package-lock.json at the repository root) and are added to the build from node_modules,
  so the math renders with no CDN and no network.
- Notebook pages rendered by mkdocs-jupyter carry nbconvert's scripts that load MathJax and
  mermaid from a CDN; they are removed (KaTeX renders those pages' math too), so no request
  leaves the site.
- Every page gets its own browser title: pages the sidebar names alike ("Guide", "Student
  notebook") are told apart by their section ("3 · A network from scratch: Guide").
- The search index is made for reading: math in the snippets as plain text instead of raw
  LaTeX, and no "¶" (the heading permalinks) at the end of result titles.
"""

from __future__ import annotations

import collections
import json
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


def on_page_content(html: str, page, config, files) -> str:
    # Output blocks (```text title="Output"```) get a class of their own, for the stylesheet
    return html.replace(
        '<div class="highlight"><span class="filename">Output</span>',
        '<div class="highlight output"><span class="filename">Output</span>',
    )


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        return CDN_SCRIPTS.sub("", output)
    return output


QUALIFIED_TITLES: dict[str, str] = {}  # source file -> browser title, filled by on_nav


def on_nav(nav, config, files):
    """Pages that share a sidebar title get a browser title naming their section too."""
    pages = [p for p in nav.pages if p.title]
    counts = collections.Counter(p.title for p in pages)
    QUALIFIED_TITLES.clear()
    for page in pages:
        if counts[page.title] > 1 and page.parent is not None:
            QUALIFIED_TITLES[page.file.src_uri] = f"{page.parent.title}: {page.title}"
    return nav


def on_page_markdown(markdown: str, page, config, files) -> str:
    # page.meta comes from the page's front matter, read after on_nav: set the title here
    if page.file.src_uri in QUALIFIED_TITLES:
        page.meta["title"] = QUALIFIED_TITLES[page.file.src_uri]
    return markdown


# ---- the search index, made for reading ----------------------------------------------------

MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.DOTALL)
NOTEBOOK_MATH = re.compile(r"(?<![\\$\w])\$([^$\n]+?)\$(?!\w)")
LATEX_WORDS = {
    r"\cdot": "·",
    r"\times": "×",
    r"\leftarrow": "←",
    r"\to": "→",
    r"\rightarrow": "→",
    r"\le": "≤",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\geq": "≥",
    r"\neq": "≠",
    r"\approx": "≈",
    r"\partial": "∂",
    r"\nabla": "∇",
    r"\sum": "Σ",
    r"\infty": "∞",
    r"\sqrt": "√",
    r"\alpha": "α",
    r"\beta": "β",
    r"\gamma": "γ",
    r"\delta": "δ",
    r"\epsilon": "ε",
    r"\eta": "η",
    r"\theta": "θ",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\sigma": "σ",
    r"\pi": "π",
    r"\tanh": "tanh",
    r"\log": "log",
    r"\exp": "exp",
    r"\max": "max",
}


def plain_math(latex: str) -> str:
    """LaTeX as readable plain text for a search snippet: ``\\frac{a}{b}`` → a/b, Greek
    letters and operators as symbols, layout commands dropped."""
    text = latex
    for _ in range(4):  # innermost braces first: sub- and superscripts, then fractions
        text = re.sub(r"_\{([^{}]*)\}", r"\1", text)
        text = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)
        text = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", text)
    for command, symbol in sorted(LATEX_WORDS.items(), key=lambda item: -len(item[0])):
        text = re.sub(re.escape(command) + r"(?![A-Za-z])", symbol, text)
    text = re.sub(
        r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle|mathrm|text|mathit|"
        r"operatorname|mathbf|qquad|quad|begin\{[a-z*]*\}|end\{[a-z*]*\})",
        "",
        text,
    )
    text = re.sub(r"\\[,;:! ]|&|\\\\", " ", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
    text = text.replace("{", "").replace("}", "").replace("^", "^").replace("_", "")
    return re.sub(r"\s+", " ", text).strip()


def readable_search_text(text: str) -> str:
    return MATH.sub(lambda m: plain_math(next(g for g in m.groups() if g is not None)), text)


def on_post_build(config) -> None:
    """Rewrite the search index that the search plugin wrote (it runs before this hook)."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text())
    for doc in index.get("docs", []):
        doc["title"] = readable_search_text(re.sub(r"\s*¶\s*$", "", doc.get("title", "")))
        doc["text"] = readable_search_text(doc.get("text", ""))
        if doc.get("location", "").startswith("projects/notebooks/"):
            # the notebooks' Markdown cells write math between single dollars
            doc["text"] = NOTEBOOK_MATH.sub(lambda m: plain_math(m.group(1)), doc["text"])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")))
