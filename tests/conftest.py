"""Print how long releasing and autograding took, and the scores seen, after the test run."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from test_assignments import TIMINGS

    if not TIMINGS:
        return
    terminalreporter.section("course: nbgrader runs")
    for what, value in TIMINGS.items():
        shown = f"{value:.1f} s" if isinstance(value, float) else " / ".join(map(str, value))
        terminalreporter.write_line(f"{what}: {shown}")
