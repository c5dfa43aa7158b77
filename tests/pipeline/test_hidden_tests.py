"""Red team, section 5 of issue #12: hidden tests stay hidden.

The hidden tests run in the student's kernel, so each attacker here watches them (its own
function records the inputs it is called with, a trace hook, IPython event hooks, ``In``) and
then tries one way to get what it saw back to the student: printing, displaying, returning a
value, raising it as an error message or as an exception's class name, writing stderr and
warnings, writing a file, or dying or hanging right after printing it. What leaks is marked
``LEAKED[...]``; the hidden inputs of the toy course are ``square(-2.5)`` and
``mean([1, 2, 3, 4])``. Nothing of it may reach anything a student is shown: the graded
notebook, the feedback HTML, the verdicts, the errors in the report and export, or a file.
"""

from __future__ import annotations

import re

import pytest
import toycourse as tc
from classroom import HONEST_SCORES, grade_class, honest_class, leftover_mounts, notebook

RECORDS = "SEEN = []\ndef square(x):\n    SEEN.append(x)\n    return x * x\n"
WRONG_MEAN = "def mean(xs):\n    return 0.0\n"
# what the hidden tests of the toy course try (and what square(-2.5) gives)
HIDDEN_INPUTS = ("-2.5", "[1, 2, 3, 4]", "6.25", "1, 2, 3, 4")

NOT_KEPT = "not kept"  # the report's note on cells whose output was cut
# student: (answer to square, answer to mean, what the report must name: a tamper flag's
# code, or a text in its errors or verdicts)
WATCHERS: dict[str, tuple[str, str, str]] = {
    "prints_later": (RECORDS, WRONG_MEAN + "print(f'LEAKED[{SEEN}]')\n", NOT_KEPT),
    "prints_during_the_test": (
        "def square(x):\n    print(f'LEAKED[{x}]')\n    return x * x\n",
        WRONG_MEAN,
        NOT_KEPT,
    ),
    "returns_it": (RECORDS, WRONG_MEAN + "f'LEAKED[{SEEN}]'\n", NOT_KEPT),
    "displays_it": (
        RECORDS,
        WRONG_MEAN
        + "from IPython.display import HTML, Markdown, display\n"
        + "display(HTML(f'<b>LEAKED[{SEEN}]</b>'), Markdown(f'LEAKED[{SEEN}]'))\n",
        NOT_KEPT,
    ),
    "raises_it": (RECORDS, WRONG_MEAN + "raise ValueError(f'LEAKED[{SEEN}]')\n", NOT_KEPT),
    "names_an_exception_class_after_it": (
        RECORDS,
        WRONG_MEAN + "raise type(f'LEAKED[{SEEN}]', (Exception,), {})('boom')\n",
        NOT_KEPT,
    ),
    "raises_inside_the_hidden_test": (
        "def square(x):\n    if x < 0:\n        raise ValueError(f'LEAKED[{x}]')\n"
        "    return x * x\n",
        WRONG_MEAN,
        "ValueError",
    ),
    "stderr_and_warnings": (
        RECORDS,
        WRONG_MEAN
        + "import sys, warnings\nsys.stderr.write(f'LEAKED[{SEEN}]\\n')\n"
        + "warnings.warn(f'LEAKED[{SEEN}]')\n",
        NOT_KEPT,
    ),
    "trace_hook": (
        "import sys\nSEEN = []\n"
        "def watch(frame, event, arg):\n"
        "    if event == 'call' and frame.f_code.co_name == 'square':\n"
        "        SEEN.append(dict(frame.f_locals))\n"
        "sys.settrace(watch)\n"
        "print('shown: printed before any hidden test ran')\n"
        "def square(x):\n    return x * x\n",
        WRONG_MEAN + "print(f'LEAKED[{SEEN}]')\n",
        "trace-hook",
    ),
    "event_hooks_print_the_test_code": (
        "def show(result):\n    print(f'LEAKED[{result.info.raw_cell}]')\n"
        "get_ipython().events.register('post_run_cell', show)\n"
        "def square(x):\n    return x * x\n",
        WRONG_MEAN + "print(f'LEAKED[{In}]')\n",
        "input-transformer",
    ),
    "hook_raises_the_test_code": (
        "def boom(info):\n    raise RuntimeError(f'LEAKED[{info.raw_cell}]')\n"
        "get_ipython().events.register('pre_run_cell', boom)\n"
        "def square(x):\n    return x * x\n",
        WRONG_MEAN,
        "input-transformer",
    ),
    "writes_it_to_files": (
        RECORDS,
        WRONG_MEAN
        + "for path in ['leak.txt', '/tmp/leak.txt', '../leak.txt', '../../leak.txt']:\n"
        + "    try:\n        open(path, 'w').write(f'LEAKED[{SEEN}]')\n"
        + "    except OSError:\n        pass\n",
        "paths-outside",
    ),
    "prints_then_hangs": (
        RECORDS,
        WRONG_MEAN + "print(f'LEAKED[{SEEN}]', flush=True)\nwhile True:\n    pass\n",
        "ran longer than",
    ),
    "prints_then_dies": (
        RECORDS,
        WRONG_MEAN + "import os\nprint(f'LEAKED[{SEEN}]', flush=True)\nos._exit(1)\n",
        "process-control",
    ),
}


# an honest student whose answer to part 3 prints progress, as a training loop does; the mean
# cell runs after the first hidden test, so its output is cut (and says so), but it is no error
CHATTY_MEAN = (
    "def mean(xs):\n    return sum(xs) / len(xs)\n"
    "for epoch in range(3):\n    print(f'epoch {epoch}: loss {0.5 / (epoch + 1):.4f}')\n"
)


def _class(course, port):
    students = honest_class(course)
    for name, (square, mean, _) in WATCHERS.items():
        students[name] = notebook(course, square=square, mean=mean)
    students["chatty"] = notebook(course, mean=CHATTY_MEAN)
    return students


@pytest.fixture(scope="module")
def watched(released, tmp_path_factory):
    graded = grade_class(tmp_path_factory.mktemp("hidden"), released, _class)
    tc.grader("feedback", tc.ASSIGNMENT, "--no-release", course=graded.course)
    return graded


def _feedback_html(graded, student: str) -> str:
    """The feedback HTML's content (its style sheets and scripts left out)."""
    folder = graded.course / "feedback" / student / tc.ASSIGNMENT
    html = "\n".join(path.read_text() for path in sorted(folder.glob("*.html")))
    return re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)


def test_the_honest_feedback_is_written_and_free_of_hidden_inputs(watched):
    """A control for the search below: honest feedback has the verdicts and no hidden input."""
    html = _feedback_html(watched, "bob")
    assert "a hidden test failed" in html
    assert not any(hidden in html for hidden in HIDDEN_INPUTS)


@pytest.mark.parametrize("student", sorted(WATCHERS))
def test_what_a_kernel_saw_of_the_hidden_tests_never_reaches_the_student(watched, student):
    scores, rows = watched.scores(), watched.ledger()
    # nothing earned by watching: parts 1 and 2 as answered, part 3 no more than blank
    assert scores[student]["test_mean"] <= HONEST_SCORES["blank"]["test_mean"]
    assert rows[student]["score"] <= 30.0
    for honest, expected in HONEST_SCORES.items():
        assert scores[honest] == expected, (honest, rows[honest])
    assert watched.after == watched.before and watched.outside_after == watched.outside_before
    assert watched.survivors() == []
    # the graded notebook's outputs, verdicts and errors (report and export), the feedback
    surfaces = {
        "graded notebook, verdicts, errors": watched.visible_text(student),
        "export": watched.export(),
        "feedback HTML": _feedback_html(watched, student),
    }
    assert surfaces["feedback HTML"], "no feedback was written"
    for surface, text in surfaces.items():
        for hidden in HIDDEN_INPUTS:
            at = text.find(hidden)
            assert at < 0, (surface, hidden, text[max(0, at - 300) : at + 100])
    # no file written in the sandbox comes back
    returned = [p.name for p in watched.course.rglob("*") if "leak" in p.name]
    assert returned == []
    # named in the report: a tamper flag where the code shows the trick, else an error or a
    # verdict saying what happened (a note where output was cut)
    _, _, named = WATCHERS[student]
    verdicts = [v["message"] for vs in rows[student]["verdicts"].values() for v in vs]
    said = rows[student]["errors"] + verdicts + [f["code"] for f in rows[student]["flags"]]
    assert any(named in item for item in said), said
    assert student in watched.export()


def test_cut_output_is_replaced_by_a_note_that_says_why(watched):
    # output from before the first hidden test is shown as usual
    assert "shown: printed before any hidden test ran" in watched.autograded_text("trace_hook")
    text = watched.autograded_text("prints_later")
    assert "produced after the hidden tests had started" in text
    errors = watched.visible_text("raises_it")
    assert "ValueError" in errors and "message not shown" in errors


def test_an_honest_student_who_prints_after_the_hidden_tests_gets_no_error_row(watched):
    row = watched.ledger()["chatty"]
    assert row["score"] == 40.0 and row["errors"] == [] and row["flags"] == [], row
    text = watched.autograded_text("chatty")
    assert "produced after the hidden tests had started" in text and "epoch 1" not in text


def test_a_hidden_test_that_errors_names_the_question_and_the_kind_of_mistake(watched):
    verdicts = {
        v["grade_id"]: v
        for v in watched.ledger()["raises_inside_the_hidden_test"]["verdicts"][tc.ASSIGNMENT]
    }
    message = verdicts["test_square"]["message"]
    assert verdicts["test_square"]["score"] == 0.0
    assert "ValueError" in message and "LEAKED" not in message


def test_no_private_disk_stays_mounted(watched):
    assert leftover_mounts() == []


# test cells of the toy course's third part whose checks read what a statement before them did
# to the student's objects: `loss.backward()` sets x.grad (the student version keeps it) ...
BACKWARD_FEEDS_THE_GOT = """from neurogebra_grader import check_close
x = Value(3.0)
loss = x * x
loss.backward()
loss_value, x_value = loss.data, x.data
check_close(x.grad, 2 * loss_value / x_value, what="the gradient of x * x")"""
# ... (an expected side that reads the student's objects themselves is refused: issue #13)
READS_THE_STUDENTS_OBJECTS = BACKWARD_FEEDS_THE_GOT.replace(
    "loss_value / x_value", "loss.data / x.data"
)
# ... and `box.pop()` inside the expected value's binding, which the student version leaves out
POP_FEEDS_THE_GOT = """from neurogebra_grader import check_close
box = [1.0, 2.0, 3.0, 4.0]
expected_mean = box.pop() / 2
check_close(mean(box), expected_mean, what="the mean after a pop")"""


def _course_with_test_mean(tmp_path, source: str):
    import nbformat

    course = tc.make_course(tmp_path)
    path = course / "source" / tc.ASSIGNMENT / f"{tc.ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "test_mean"]
    cell.source = source
    nbformat.write(nb, path)
    return course


@pytest.mark.parametrize(
    ("source", "released"),
    [
        (BACKWARD_FEEDS_THE_GOT, True),
        (POP_FEEDS_THE_GOT, False),
        (READS_THE_STUDENTS_OBJECTS, None),
    ],
)
def test_release_grades_the_solution_as_a_student_and_names_a_cell_it_fails(
    tmp_path, source, released
):
    course = _course_with_test_mean(tmp_path, source)
    done = tc.grader("release", tc.ASSIGNMENT, course=course, check=False)
    said = " ".join((done.stdout + done.stderr).split())
    if released:
        assert done.returncode == 0, said
    elif released is None:
        assert done.returncode != 0
        assert "test cell test_mean: check_close(...) on line 6" in said, said
        assert "reads `x.data` of the student's `x`" in said, said
    else:
        assert done.returncode != 0
        assert "graded as a student's notebook" in said and "test_mean" in said, said
