"""Pages made at build time by mkdocs-gen-files (see `plugins:` in mkdocs.yml).

- `catalogue/*.md`: the formula catalogue, one page per category, written from the formula
  repository itself (`neurogebra.repository`), so it can never drift from the library: each
  entry shows its formula and gradients rendered with KaTeX, what it computes, where it is used,
  its valid inputs and default parameters.
- `projects/notebooks/<name>.ipynb` (rendered by mkdocs-jupyter) and `downloads/<name>.ipynb`:
  the student version of each assignment, made from `course/source/` with nbgrader's own
  preprocessors (solutions replaced by stubs, hidden tests removed), as `nbgrader
  generate_assignment` releases it.
"""

from __future__ import annotations

from pathlib import Path

import mkdocs_gen_files
import nbformat
import sympy as sp
from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions
from traitlets.config import Config

from neurogebra.repository import CATEGORIES, all_entries

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
ASSIGNMENTS = ("autograd", "linear_regression", "spiral_network")

TITLES = {
    "activations": "Activations",
    "losses": "Losses",
    "regularizers": "Regularizers",
    "algebra": "Algebra",
    "calculus": "Calculus",
    "statistics": "Statistics",
    "linear_algebra": "Linear algebra",
    "metrics": "Metrics",
    "optimization": "Optimization",
    "transforms": "Transforms",
}


def readable(expr: sp.Expr) -> sp.Expr:
    """A formula as a reader wants it: SymPy's Heaviside step written as the two cases it
    stands for, and unwieldy fractions (``8943/200000``) as decimals."""
    expr = expr.replace(sp.Heaviside, lambda arg, *_: sp.Piecewise((1, arg > 0), (0, True)))
    unwieldy = {
        r: sp.Float(r, 4)
        for r in expr.atoms(sp.Rational)
        if not r.is_Integer and (r.q > 100 or abs(r.p) > 1000)
    }
    return expr.xreplace(unwieldy)


def display_latex(expr: sp.Expr, width: int = 70) -> str:
    """LaTeX for display math; a long sum is broken into aligned lines of about ``width``
    characters of LaTeX, so it fits a phone's screen."""
    whole = sp.latex(expr)
    if len(whole) <= width or not isinstance(expr, sp.Add):
        return whole
    lines: list[str] = []
    for term in expr.as_ordered_terms():
        text = sp.latex(term)
        piece = text if not lines or text.startswith("-") else "+ " + text
        if lines and len(lines[-1]) + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return r"\begin{aligned} " + r" \\ ".join("&" + line for line in lines) + r" \end{aligned}"


def entry_markdown(entry) -> str:
    """One catalogue entry: heading, formula, gradients and the entry's words."""
    expression = entry.to_expression()
    inputs = ", ".join(sp.latex(sp.Symbol(v)) for v in expression.variables)
    title = entry.name.replace("_", r"\_")
    formula = display_latex(readable(expression.symbolic_expr))
    lines = [
        f"### `{entry.name}`",
        "",
        entry.description,
        "",
        f"$$\\mathrm{{{title}}}({inputs}) = {formula}$$",
        "",
    ]
    gradients = expression.gradients()
    if gradients:
        lines.append("Gradients:")
        lines.append("")
        for variable, gradient in gradients.items():
            slope = display_latex(readable(gradient.symbolic_expr))
            symbol = sp.latex(sp.Symbol(variable))
            lines.append(
                f"$$\\frac{{\\partial\\,\\mathrm{{{title}}}}}{{\\partial {symbol}}} = {slope}$$"
            )
            lines.append("")
    lines += [f"**Used for:** {entry.usage}", "", f"**Valid inputs:** {entry.domain}", ""]
    if entry.params:
        defaults = ", ".join(f"`{k} = {v:g}`" for k, v in entry.params.items())
        lines += [f"**Parameters (defaults):** {defaults}", ""]
    if entry.pitfalls:
        lines += [f"**Watch out:** {entry.pitfalls}", ""]
    lines += [f'In code: `MathForge().get("{entry.name}")`', "", "---", ""]
    return "\n".join(lines)


def write_catalogue() -> None:
    entries = all_entries()
    by_category = {c: [e for e in entries if e.category == c] for c in CATEGORIES}
    index = [
        "# The formula catalogue",
        "",
        f"Every one of the **{len(entries)} formulas** that `MathForge` knows, in "
        f"{len(CATEGORIES)} categories. These pages are generated from the formula repository "
        "each time the site is built, so what you read here is exactly what "
        "`MathForge().get(name)` gives you.",
        "",
        "| Category | Formulas | Examples |",
        "|---|---:|---|",
    ]
    for category, members in by_category.items():
        examples = ", ".join(f"`{e.name}`" for e in members[:5])
        index.append(f"| [{TITLES[category]}]({category}.md) | {len(members)} | {examples} |")
    index += [
        "",
        "Each entry shows the formula, its gradient with respect to every input, what it is "
        "used for, which inputs are valid, and the default values of its parameters. To try "
        "one, see [Expressions and MathForge](../learn/expressions.md).",
        "",
    ]
    with mkdocs_gen_files.open("catalogue/index.md", "w") as out:
        out.write("\n".join(index))
    for category, members in by_category.items():
        page = [
            f"# {TITLES[category]}",
            "",
            f"{len(members)} formulas. Get any of them with `MathForge().get(name)`; list them "
            f'with `MathForge().list_all("{category}")`.',
            "",
        ]
        page += [entry_markdown(e) for e in members]
        with mkdocs_gen_files.open(f"catalogue/{category}.md", "w") as out:
            out.write("\n".join(page))


def student_version(source: Path) -> nbformat.NotebookNode:
    """The notebook a student receives: nbgrader's release preprocessors applied."""
    nb = nbformat.read(source, as_version=4)
    config = Config()
    config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    config.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    resources: dict = {}
    preprocessors = (
        ClearSolutions(config=config),
        ClearHiddenTests(config=config),
        ClearOutput(config=config),
    )
    for preprocessor in preprocessors:
        nb, resources = preprocessor.preprocess(nb, resources)
    return nb


def write_notebooks() -> None:
    for name in ASSIGNMENTS:
        nb = student_version(COURSE / "source" / name / f"{name}.ipynb")
        text = nbformat.writes(nb)
        for path in (f"projects/notebooks/{name}.ipynb", f"downloads/{name}.ipynb"):
            with mkdocs_gen_files.open(path, "w") as out:
                out.write(text)


write_catalogue()
write_notebooks()
