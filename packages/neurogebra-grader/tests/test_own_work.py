"""Own work: answer cells that use the library's version of what they must build are flagged,
in any spelling, and the flagged notebook earns nothing for the tests of what it had to build."""

from __future__ import annotations

import nbformat
import pytest

from neurogebra_grader.pipeline.match import match
from neurogebra_grader.pipeline.own_work import CODE, Rule, runtime_flags, scan, uses, withhold
from neurogebra_grader.pipeline.plan import build_plan
from neurogebra_grader.pipeline.submitted import read_notebook
from neurogebra_grader.pipeline.tamper import Flag
from neurogebra_grader.pipeline.verdict import CellVerdict

RULE = Rule(
    what="your own engine",
    forbidden=("neurogebra",),
    names=("NeurogebraValue",),
    tests=("test-engine",),
)
METADATA = {
    "neurogebra": {
        "own_work": {
            "what": RULE.what,
            "forbidden": list(RULE.forbidden),
            "names": list(RULE.names),
            "tests": list(RULE.tests),
        }
    }
}


@pytest.mark.parametrize(
    "code",
    [
        "import neurogebra",
        "import neurogebra.core.autograd as ag",
        "from neurogebra import Value",
        "from neurogebra.core.autograd import Value as V",
        "from neurogebra.core import autograd",
        "import numpy as np, neurogebra as ng",
        "def add(self, other):\n    import neurogebra\n    return neurogebra.Value(1)",
        "ng = __import__('neurogebra')",
        "ng = __import__('neuro' + 'gebra' + '.core.autograd')",
        "import importlib\nng = importlib.import_module('neurogebra')",
        "from importlib import import_module as im\nng = im(f'neurogebra')",
        "import importlib\nng = importlib.import_module(''.join(['neuro', 'gebra']))",
        "import sys\nV = getattr(sys.modules['neurogebra'], 'Value')",
        "def mul(self, other):\n    return NeurogebraValue(self.data) * other.data",
        "%time import neurogebra",
        "exec('import neuro' + 'gebra')",
        "get_ipython().run_line_magic('time', 'from neurogebra import Value')",
    ],
)
def test_every_spelling_of_using_the_library_is_found(code):
    assert uses(code, RULE), code


@pytest.mark.parametrize(
    "code",
    [
        "import numpy as np\nimport math",
        "import neurogebra_grader_helpers_not_real as h",  # another module, not neurogebra's
        "# compare with neurogebra's Value later\nx = 1",  # a comment
        "print('my engine agrees with neurogebra')",  # a sentence, not a module name
        "def gradients(value_class, f, inputs):\n    return [value_class(x) for x in inputs]",
        "this is not Python (",
    ],
)
def test_own_code_is_not_flagged(code):
    assert uses(code, RULE) == []


def test_library_names_imported_from_an_allowed_module_are_found():
    rule = Rule(forbidden=("neurogebra_models",), names=("ModelBuilder", "Tensor"))
    assert uses("from neurogebra import ModelBuilder", rule) == ["imports ModelBuilder"]
    assert uses("import neurogebra as ng\nnet = ng.Tensor([1.0])", rule) == ["uses ng.Tensor"]
    assert uses("from neurogebra.core.autograd import Value", rule) == []


def test_scan_flags_each_cell_once_per_use_and_only_with_a_rule():
    code = {"add-mul": "import neurogebra\nimport neurogebra", "fit": "x = 1"}
    flags = scan(code, METADATA)
    assert [(f.code, f.cell) for f in flags] == [(CODE, "add-mul")]
    assert "build yourself" in flags[0].detail
    assert scan(code, {}) == []
    assert scan(code, {"neurogebra": {"own_work": "nonsense"}}) == []


def test_withhold_zeroes_only_the_own_work_tests_and_says_why():
    verdicts = [
        CellVerdict("test-engine", 10.0, 10.0, "passed"),
        CellVerdict("test-fit", 10.0, 10.0, "passed"),
    ]
    flags = [Flag(CODE, "add-mul", "imports neurogebra, which this assignment asks ...")]
    out = withhold(verdicts, flags, METADATA)
    assert [(v.grade_id, v.score) for v in out] == [("test-engine", 0.0), ("test-fit", 10.0)]
    assert "your own engine" in out[0].message and "imports neurogebra" in out[0].message
    unflagged = [CellVerdict("test-engine", 10.0, 10.0, "passed")]
    assert withhold(unflagged, [Flag("network", "x", "y")], METADATA)[0].score == 10.0


def _notebook(answer: str, metadata: dict) -> nbformat.NotebookNode:
    def cell(kind, text, gid, **meta):
        new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        c = new(text)
        c.metadata["nbgrader"] = {
            "grade_id": gid,
            "schema_version": 3,
            "locked": False,
            "solution": False,
            "grade": False,
            **meta,
        }
        return c

    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata)
    nb.cells = [
        cell("code", "from neurogebra import Value as NeurogebraValue", "setup", locked=True),
        cell("code", answer, "engine", solution=True),
        cell("code", "assert True", "test-engine", grade=True, points=10, locked=True),
    ]
    return nb


def _submitted(answer: str):
    return read_notebook("nb", nbformat.writes(_notebook(answer, {})).encode())


def test_the_plan_flags_student_cells_and_never_the_locked_ones():
    source = _notebook("class Value:\n    pass", METADATA)
    release = _notebook("# YOUR CODE HERE", METADATA)
    honest = build_plan(
        match(_submitted("class Value:\n    pass"), source, release), source, release
    )
    assert [f.code for f in honest.flags if f.code == CODE] == []
    cheat = _submitted("import neurogebra\nValue = neurogebra.Value")
    plan = build_plan(match(cheat, source, release), source, release)
    assert [(f.code, f.cell) for f in plan.flags if f.code == CODE] == [(CODE, "engine")]


def test_the_engine_probe_counts_library_values_and_puts_the_class_back():
    from neurogebra.core.autograd import Value as LibraryValue
    from neurogebra_grader.pipeline.observer import probe

    original = LibraryValue.__init__

    class Delegating:
        """An engine whose arithmetic is the library's."""

        def __init__(self, data):
            self.inner = LibraryValue(data)

        data = property(lambda self: self.inner.data)
        grad = property(lambda self: self.inner.grad)

        def __add__(self, other):
            out = Delegating(0.0)
            out.inner = self.inner + getattr(other, "inner", other)
            return out

        def backward(self):
            self.inner.backward()

    from neurogebra_grader.checks.value_engine import LIBRARY_VALUES

    LIBRARY_VALUES.clear()
    probe("engine", Delegating, {"ops": ("add",), "seed": 0, "n_graphs": 2}, "check_value_engine")
    assert LIBRARY_VALUES.pop() > 0
    assert LibraryValue.__init__ is original


def test_an_engine_of_its_own_makes_no_library_values():
    """The battery is drawn with the library's engine; that must not count against anyone."""
    from student_engines import make_engine

    from neurogebra_grader.checks.value_engine import LIBRARY_VALUES
    from neurogebra_grader.pipeline.observer import probe

    LIBRARY_VALUES.clear()
    settings = {"ops": ("add", "mul", "tanh"), "seed": 3, "n_graphs": 4}
    probe("engine", make_engine(), settings, "check_value_engine")
    assert LIBRARY_VALUES.pop() == 0


def test_runtime_flags_come_from_the_engine_reports_only_under_a_rule():
    from types import SimpleNamespace

    cell = SimpleNamespace(grade_id="test-engine", index=0)
    plan = SimpleNamespace(graded=[cell])

    def run(made):
        data = {"value_cls": [], "library_values": made}
        seen = [{"site": 0, "check": "check_value_engine", "data": data}]
        return SimpleNamespace(cells=[SimpleNamespace(observations=seen)])

    flags = runtime_flags(plan, run(12), METADATA)
    assert [(f.code, f.cell) for f in flags] == [(CODE, "test-engine")]
    assert "12 of neurogebra's own Values" in flags[0].detail
    assert runtime_flags(plan, run(0), METADATA) == []
    assert runtime_flags(plan, run("12"), METADATA) == []  # malformed: no flag, no crash
    assert runtime_flags(plan, run(12), {}) == []
