"""Keep the garbage collector from pausing the serving process for long.

The service grades in threads of its own process, so that process holds the grading code:
nbgrader, nbconvert, jupyter_client, SQLAlchemy, about 250,000 objects after start. Python's
full (oldest-generation) collection walks every one of them and stops every thread while it
does: 0.3 to 0.5 s on a busy two-core machine, during which no status request is answered
(measured with the load test, issue 16 §5). Those objects live as long as the process, so
``settle`` imports what grading would import on its first submission, then moves everything
alive to the collector's permanent generation (``gc.freeze``): later collections walk only
what was made since, which takes milliseconds. Garbage made later is collected as before.

Example:
    >>> settle()
    >>> gc.get_freeze_count() > 0
    True
"""

from __future__ import annotations

import gc
import importlib

# imported by grading only inside functions (so the CLI starts fast): load them now, while
# the heap is settled, not in a worker thread under load
GRADING_IMPORTS = (
    "nbgrader.api",
    "nbgrader.apps.api",
    "nbgrader.preprocessors",
    "nbgrader.utils",
    "neurogebra_grader.pipeline.autograde",
    "neurogebra_grader.pipeline.nbgrader_steps",
    "neurogebra_grader.pipeline.observer",
    "neurogebra_grader.pipeline.plaindata",
    "neurogebra_grader.checks.check",
    "neurogebra_grader.checks.equal",
    "neurogebra_grader.checks.registry",
    "neurogebra_grader.checks.value_engine",
    "neurogebra_grader.plain",
)


def settle() -> None:
    """Load the grading code, collect once, then freeze what is alive (call once, at start,
    before the server and its workers run)."""
    for name in GRADING_IMPORTS:
        importlib.import_module(name)
    _render_once()
    gc.collect()
    gc.freeze()


def _render_once() -> None:
    """Render a two-cell notebook as HTML, as a feedback page is: nbconvert loads its Markdown
    renderer and Pygments' Python and IPython lexers only when it first needs them."""
    import nbformat
    from nbconvert.exporters import HTMLExporter

    cells = [nbformat.v4.new_markdown_cell("# *x*"), nbformat.v4.new_code_cell("x = 1")]
    HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=cells))
