"""Where a check's expected value comes from (pipeline/expected.py): constant, instructor,
recomputed from the student's reported data, or refused; and the trusted recomputation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from neurogebra_grader.checks.check import FIXED_SOURCE
from neurogebra_grader.checks.registry import REGISTRY
from neurogebra_grader.pipeline.cachekey import PACKAGE, grader_files, reference_key
from neurogebra_grader.pipeline.expected import (
    Recipe,
    entry_taints,
    expected_data,
    verify_reference,
)
from neurogebra_grader.pipeline.plaindata import decode, encode
from neurogebra_grader.pipeline.rewrite import BadTestCell, rewrite_test_cell

SOLUTION = "def f(x):\n    y = 2 * x\n    return y\n\nclass Net:\n    pass\n\nnet = Net()\n"


def recipes_of(cell: str, role: str = "student", tainted: set[str] | None = None):
    rewritten = rewrite_test_cell(cell, role, tainted or {"f", "net"})
    return rewritten.code, rewritten.recipes


def test_solution_cells_taint_what_they_bind_at_top_level_only():
    taints = entry_taints(
        [
            ("setup", False, "import numpy as np\nX = np.ones(3)"),
            ("answer", True, SOLUTION),
            ("locked", False, "out = f(X)\nlimit = 3.0\nlabels = [int(v) for v in out]"),
            ("test", False, "pass"),
        ]
    )
    assert taints["answer"] == set()
    assert taints["locked"] == {"f", "Net", "net"}  # not the function's local y, nor X
    assert taints["test"] == {"f", "Net", "net", "out", "labels"}  # not limit


def test_a_literal_is_a_constant_and_untainted_code_is_the_instructors():
    rewritten = rewrite_test_cell(
        "w, h = [1.0], f(1)\ncheck_close(f(2), 4.0, what='f')\ncheck_close(f(w), 2 * w[0])\n"
        "check_close(f(3), -h)",
        "student",
        {"f"},
    )
    assert rewritten.sources == [
        {"expected": "constant", "what": "constant"},
        {"expected": "instructor"},
        {"expected": "recomputed"},
    ]
    _, recipes = recipes_of("check_close(f(2), 4.0)\ncheck_close(f(3), -6.0 * -1)")
    assert recipes == [{}, {}]
    _, recipes = recipes_of("import numpy as np\nw = np.arange(3)\ncheck_close(f(w), 2 * w)")
    assert recipes == [{}]


def test_tainted_names_are_reported_and_the_expected_side_recomputed():
    cell = "h = [v for v in f([1.0, 2.0])]\nlr = 0.1\ncheck_close(net.out, -sum(h) - lr)"
    code, recipes = recipes_of(cell)
    recipe = recipes[0]["expected"]
    assert recipe == Recipe("-sum(h) - lr", "array", ("h",), ("lr",))
    assert "'$h': h" in code and "$lr" not in code and "lr = 0.1" not in code  # lr stays out
    reference_code, _ = recipes_of(cell, "reference")
    assert "'$h': h" in reference_code and "'$lr': lr" in reference_code


def test_loops_tuples_comprehensions_and_appends_carry_the_taint():
    cell = """before, (first, *rest) = [], [p for p in f(1)]
for k, v in enumerate(f(2)):
    before.append(v)
squares = {i: w * w for i, w in enumerate(rest)}
check_close(net.a, [b * 2 for b in before])
check_close(net.b, first)
check_close(net.c, squares[0])
check_close(net.d, k)"""
    _, recipes = recipes_of(cell)
    assert [r["expected"].tainted for r in recipes] == [
        ("before",),
        ("first",),
        ("squares",),
        ("k",),
    ]


def test_a_name_rebound_from_instructor_data_is_clean_again_but_not_inside_a_branch():
    cell = """expected = f(1)
expected = [1.0, 2.0]
check_close(net.a, expected)
if net.flag:
    expected = f(2)
check_close(net.b, expected)
for row in [1, 2]:
    want = row * 2
    check_close(net.c(row), want)"""
    _, recipes = recipes_of(cell)
    assert recipes[0] == {} and recipes[2] == {}  # rebound; a loop's own fresh value
    assert recipes[1]["expected"].tainted == ("expected",)  # may come from the branch


def test_a_helper_function_reading_the_students_objects_is_tainted():
    cell = """def helper(x):
    return f(x) + 1

def pure(x):
    return x + 1

check_close(net.a, pure(2))"""
    _, recipes = recipes_of(cell)
    assert recipes == [{}]
    with pytest.raises(BadTestCell, match=r"check_close\(\.\.\.\) on line 1: .*calls `helper`"):
        recipes_of("check_close(net.a, helper(2))", tainted={"helper"})
    with pytest.raises(BadTestCell, match="`pure`, code of the test cell"):
        recipes_of(cell + "\nh = f(1)\ncheck_close(net.b, pure(h))")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("check_close(out, f(2))", "calls `f`"),
        ("scores = net(1)\ncheck_close(out, scores[1].data)", "reads `scores\\[1\\].data`"),
        ("check_close(out, [p.data for p in net.parameters()])", "`p.data` of the student's `p`"),
        ("hs = f(1)\ncheck_close(out, [h.data for h in hs])", "reads `h.data`"),
        ("check_close(out, max(range(3), key=lambda i: f(i)))", "calls `f`"),
        ("check_gradient(lambda w: f(w), [1.0], out)", "takes `f` only as instructor"),
    ],
)
def test_an_expected_side_that_needs_the_students_objects_is_refused(cell, reason):
    with pytest.raises(BadTestCell, match=reason):
        recipes_of(cell)


@pytest.mark.parametrize(
    ("cell", "refusal"),
    [
        (  # the reference run differentiates the instructor's f, never the student's
            "check_gradient(lambda w: f(w)[0], [1.0], out)",
            r"check_gradient\(\.\.\.\) on line 1: check_gradient takes `f` only as "
            r"instructor \(the instructor's run\), but `lambda w: f\(w\)\[0\]` would be recomputed "
            r"\(it reads `f`, which hold the student's work\)",
        ),
        (  # plain data, so recomputable, but the reference run's gradient is at its own point
            "h = f(1)\ncheck_gradient(lambda w: w * w, h, out)",
            r"on line 2: check_gradient takes `at` only as constant \(a literal\) or "
            r"instructor \(the instructor's run\), but `h` would be recomputed \(it reads `h`",
        ),
        (  # isinstance runs in the kernel: the class must not be the student's
            "check_type(net, Net, what='net')",
            r"check_type takes `expected` only as constant .* but `Net` would be recomputed",
        ),
    ],
)
def test_an_expected_source_its_check_does_not_admit_is_refused(cell, refusal):
    with pytest.raises(BadTestCell, match=refusal):
        recipes_of(cell, tainted={"f", "net", "Net"})


def test_the_sources_a_check_admits_are_read_from_its_declaration(monkeypatch):
    cell = "h = f(1)\ncheck_close(net.out, 2 * h)\ncheck_accuracy(net.p, h, at_least=0.5)"
    rewritten = rewrite_test_cell(cell, "student", {"f", "net"})
    assert [s["expected" if "expected" in s else "labels"] for s in rewritten.sources] == [
        "recomputed",
        "recomputed",
    ]
    assert [sorted(r) for r in rewritten.recipes] == [["expected"], ["labels"]]
    assert rewrite_test_cell("check_type(net, float, what='x')", "student", {"net"}).sources == [
        {"expected": "instructor", "what": "constant"}
    ]
    close = REGISTRY["check_close"]  # the same check, declared to take no recomputed value
    fixed = dataclasses.replace(close, expected={"expected": FIXED_SOURCE})
    monkeypatch.setitem(REGISTRY, "check_close", fixed)
    assert rewrite_test_cell("check_close(net.out, 2.0)", "student", {"net"}).sources
    with pytest.raises(BadTestCell, match="check_close takes `expected` only as constant"):
        rewrite_test_cell(cell, "student", {"f", "net"})


def test_the_trusted_process_recomputes_from_the_students_data_and_the_reference():
    recipe = Recipe(
        "[w - lr * g for w, g in zip(before, grads)]", "array", ("before", "grads"), ("lr",)
    )
    student = {"$before": encode([1.0, 2.0]), "$grads": encode([10.0, -10.0]), "$lr": 99}
    reference = {"expected": encode(np.array([0.0, 0.0])), "$lr": encode(0.1), "what": "step"}
    data, failure = expected_data({"expected": recipe}, student, reference, "step")
    assert failure is None and "$lr" not in data
    assert decode(data["expected"]).tolist() == [0.0, 3.0]  # their data, the instructor's lr


def test_unreadable_or_ill_fitting_student_data_fails_the_check_with_a_reason():
    recipe = Recipe("-sum(h) - 2.0", "array", ("h",), ())
    _, failure = expected_data({"expected": recipe}, {"$h": {"not_plain": "a Foo"}}, {}, "mlp")
    assert failure is not None and "a Foo" in failure.got
    _, failure = expected_data({"expected": recipe}, {}, {}, "mlp")
    assert failure is not None and "not reported" in failure.got
    recipe = Recipe("np.dot(a, b)", "array", ("a",), ("b",))
    student, reference = {"$a": encode([1.0, 2.0, 3.0])}, {"$b": encode([1.0, 2.0])}
    _, failure = expected_data({"expected": recipe}, student, reference, "dot")
    assert failure is not None and "ValueError" in failure.got


def test_a_huge_whole_number_from_the_student_is_refused_before_the_formula_runs():
    """`range(n)` over a reported n of 10**12 would stall the judge for every later student."""
    recipe = Recipe("[0.0 for _ in range(n)]", "array", ("n",), ())
    _, failure = expected_data({"expected": recipe}, {"$n": encode(10**12)}, {}, "zeros")
    assert failure is not None and "beyond" in failure.got
    _, failure = expected_data({"expected": recipe}, {"$n": encode([3, 10**12])}, {}, "zeros")
    assert failure is not None and "beyond" in failure.got
    data, failure = expected_data({"expected": recipe}, {"$n": encode(3)}, {}, "zeros")
    assert failure is None and decode(data["expected"]).tolist() == [0.0, 0.0, 0.0]


def test_data_far_larger_than_the_reference_runs_is_refused_before_the_formula_runs():
    """`np.outer(h, h)` over a million reported numbers would stall the judge for everyone."""
    recipe = Recipe("np.sum(h)", "array", ("h",), ())  # cheap here; the guard is the same
    reference = {"$h": encode([1.0] * 1000)}
    _, failure = expected_data({"expected": recipe}, {"$h": encode([1.0] * 9000)}, reference, "o")
    assert failure is not None and "9,000 numbers" in failure.got and "8,000" in failure.got
    student = {"$h": encode([2.0] * 8000)}
    data, failure = expected_data({"expected": recipe}, student, reference, "o")
    assert failure is None and float(decode(data["expected"])) == 16000.0
    small = {"$h": encode([1.0, 2.0])}  # a tiny reference still allows MIN_ITEMS
    _, failure = expected_data({"expected": recipe}, {"$h": encode([1.0] * 4096)}, small, "o")
    assert failure is None


def test_the_recomputation_has_no_builtins_beyond_plain_arithmetic():
    recipe = Recipe("open('x')", "value", ("h",), ())
    _, failure = expected_data({"what": recipe}, {"$h": 1}, {}, "x")
    assert failure is not None and "NameError" in failure.got


def test_release_verifies_the_recomputation_on_the_reference_data():
    recipe = Recipe("-sum(h) - 2.0", "array", ("h",), ())
    good = {"expected": encode(np.array(-5.0)), "$h": encode([1.0, 2.0])}
    assert verify_reference({"expected": recipe}, good) is None
    changed = {"expected": encode(np.array(-4.0)), "$h": encode([1.0, 2.0])}
    assert "differs" in str(verify_reference({"expected": recipe}, changed))


def test_the_cache_key_follows_the_imports_and_everything_that_changes_a_result(tmp_path):
    names = {p.relative_to(PACKAGE).as_posix() for p in grader_files()}
    for module in ("observer.py", "rewrite.py", "probes.py", "expected.py", "judges.py"):
        assert f"pipeline/{module}" in names
    assert {"checks/battery.py", "checks/node_graphs.py"} <= names
    assert "cli/main.py" not in names
    config = tmp_path / "nbgrader_config.py"
    config.write_text("c = get_config()\n")
    key = reference_key(b"{}", {"data.csv": b"1,2"}, config)
    assert key == reference_key(b"{}", {"data.csv": b"1,2"}, config)
    assert key != reference_key(b"{}", {"data.csv": b"1,3"}, config)
    assert key != reference_key(b"{ }", {"data.csv": b"1,2"}, config)
    config.write_text("c = get_config()\nc.Execute.timeout = 5\n")
    assert key != reference_key(b"{}", {"data.csv": b"1,2"}, config)


@pytest.mark.parametrize(
    ("test", "refusal"),
    [
        (
            "out = make(3)\ncheck_equal(len(out), out.count(0) + 2)",
            r"check_equal\(\.\.\.\) on line 2",
        ),
        (
            "check_gradient(lambda x: make(2)[1] * x, [1.0], [1.0])",
            r"check_gradient\(\.\.\.\) on line 1: check_gradient takes `f` only as instructor",
        ),
    ],
)
def test_release_refuses_a_test_cell_whose_expected_side_needs_the_students_objects(
    tmp_path, test, refusal
):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from neurogebra_grader.pipeline.course import Course, CourseError
    from neurogebra_grader.pipeline.reference import reference_for
    from neurogebra_grader.sandbox.limits import Limits

    def meta(grade_id: str, **flags: object) -> dict:
        return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, **flags}}

    cells = [
        new_code_cell("def make(n):\n    return list(range(n))", metadata=meta("a", solution=True)),
        new_code_cell(
            test, metadata=meta("test-a", grade=True, solution=False, locked=True, points=1)
        ),
    ]
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "x"\n'
    )
    for step in ("source", "release"):
        (tmp_path / step / "hw").mkdir(parents=True)
        nbformat.write(new_notebook(cells=cells), tmp_path / step / "hw" / "hw.ipynb")
    with pytest.raises(CourseError, match=r"hw/hw, test cell test-a: " + refusal):
        reference_for(Course.load(tmp_path), "hw", "hw", Limits(), sandbox=False)
