"""Every hidden check in the course still reads as words once its numbers are redacted.

A failed hidden check shows its ``what=`` (and the test's ``hint=``) through
:func:`~neurogebra_grader.pipeline.hidden.scrub_numbers`, so a text such as
``Value(-0.5).relu().local_grads`` reaches the student as ``Value(…).relu().local_grads``: code
with holes. The course sources are parsed here (never run) and each hidden check's texts are
redacted as the pipeline does; what is left of a ``what=`` (and of a ``hint=`` that lost a
number) must be a phrase: at least three plain words, and plain words for at least half of it.
A plain word is letters only (``relu's``, ``(w,``), so code such as ``mse_gradients`` or
``x.grad`` never counts.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from neurogebra_grader.pipeline.hidden import scrub_numbers
from neurogebra_grader.pipeline.plan import hidden_lines

SOURCES = Path(__file__).resolve().parents[3] / "course" / "notebook_sources"
ASSIGNMENTS = ("linear_regression", "spiral_network", "autograd")
PLAIN_WORD = re.compile(r"^[(\[\"']?[A-Za-z]+(?:'s?)?[\"')\],.:;]*$")
MIN_WORDS = 3


def _text(node: ast.expr) -> str:
    """A what= or hint= as the student's run would print it (an f-string's values as numbers)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(part) if isinstance(part, ast.Constant) else "-1.250" for part in node.values
        )
    raise AssertionError(f"line {node.lineno}: what= and hint= must be strings")


def _test_cells(assignment: str) -> list[tuple[str, str]]:
    """(grade id, code) of each ``tests(...)`` cell with hidden tests, dedented as cells.py does."""
    module = ast.parse((SOURCES / f"{assignment}.py").read_text(encoding="utf-8"))
    cells = []
    for node in ast.walk(module):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tests":
            grade_id, _, code = (arg.value for arg in node.args if isinstance(arg, ast.Constant))
            if "BEGIN HIDDEN TESTS" in code:
                cells.append((grade_id, textwrap.dedent(code).strip("\n")))
    return cells


def hidden_texts() -> list[tuple[str, str, ast.expr]]:
    """(where, keyword, value) of every what= and hint= of a check in a hidden-test region."""
    found = []
    for assignment in ASSIGNMENTS:
        for grade_id, code in _test_cells(assignment):
            hidden = hidden_lines(code)
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Call) and node.lineno in hidden:
                    for keyword in node.keywords:
                        if keyword.arg in ("what", "hint"):
                            where = f"{assignment}/{grade_id} line {node.lineno}"
                            found.append((where, keyword.arg, keyword.value))
    return found


def readable(text: str) -> bool:
    """At least three plain words, and plain words for at least half the text.

    Example:
        >>> readable("Value(…).relu().local_grads"), readable("relu's local gradient at …")
        (False, True)
    """
    tokens = text.split()
    words = [token for token in tokens if PLAIN_WORD.match(token)]
    return len(words) >= MIN_WORDS and 2 * len(words) >= len(tokens)


TEXTS = hidden_texts()


def test_the_course_sources_have_hidden_checks_with_texts():
    whats = [where for where, keyword, _ in TEXTS if keyword == "what"]
    assert len(whats) >= 50, whats  # every assignment has several hidden test cells


@pytest.mark.parametrize(("where", "keyword", "value"), TEXTS, ids=[t[0] for t in TEXTS])
def test_a_hidden_checks_text_reads_as_words_after_redaction(where, keyword, value):
    text = _text(value)
    redacted = scrub_numbers(text)
    if keyword == "hint" and redacted == text:  # a short hint that loses nothing may stay terse
        return
    assert readable(redacted), f"{where}: {keyword}={redacted!r} reads as code with holes"


@pytest.mark.parametrize(("where", "keyword", "value"), TEXTS, ids=[t[0] for t in TEXTS])
def test_a_hidden_check_does_not_quote_its_inputs(where, keyword, value):
    # an f-string's only use in what= is to quote the inputs, which the student never sees
    assert not isinstance(value, ast.JoinedStr), f"{where}: {keyword}= is an f-string"


def test_the_thin_texts_this_replaced_would_fail():
    for old in ("Value({x}).relu().local_grads", "(Value({x}) + Value({y})).data", "mse(y, y)"):
        assert not readable(scrub_numbers(old.format(x=-1.25, y=0.5)))
    assert readable(scrub_numbers("relu's local gradient at a random positive or negative input"))
