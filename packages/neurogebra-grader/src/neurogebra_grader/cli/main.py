"""``neurogebra-grader``: release, collect, autograde, feedback, export, report, demo.

Example (from a shell, in the folder holding the course)::

    neurogebra-grader release autograd
    neurogebra-grader collect autograd
    neurogebra-grader autograde autograd --workers 2
    neurogebra-grader report autograd
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from neurogebra_grader.course_imports import require_modules
from neurogebra_grader.pipeline import nbgrader_steps, summary
from neurogebra_grader.pipeline.autograde import autograde
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.course_limits import describe, resolve_limits, slow_solution_cells
from neurogebra_grader.pipeline.intake import IntakeLimits
from neurogebra_grader.pipeline.ledger import SubmissionResult
from neurogebra_grader.pipeline.reference import reference_for, reference_seconds
from neurogebra_grader.sandbox.bwrap import SandboxUnavailable
from neurogebra_grader.sandbox.limits import Limits

# wide enough for the grade table when the output is a log rather than a terminal
console = Console(width=None if sys.stdout.isatty() else 132)
# notes that must not mix with output meant for a file or a pipe (export's CSV)
notes = Console(stderr=True, width=None if sys.stderr.isatty() else 132)


def _course_root(value: str | None) -> Path:
    if value:
        return Path(value)
    here = Path.cwd()
    return here if (here / "nbgrader_config.py").exists() else here / "course"


def limits_from(args: argparse.Namespace, course: Course) -> tuple[Limits, dict[str, str]]:
    """The caps to grade with, and where each time limit came from (see course_limits.py)."""
    base = Limits(
        memory_mb=args.memory_mb,
        processes=args.processes,
        cpu_seconds=args.cpu_seconds,
        output_bytes=args.output_bytes,
    )
    return resolve_limits(
        course.config, base, cell_seconds=args.cell_timeout, wall_seconds=args.timeout
    )


def _add_limits(parser: argparse.ArgumentParser) -> None:
    d = Limits()
    parser.add_argument(
        "--cell-timeout",
        type=float,
        default=None,
        help=f"seconds per cell (default: the course's c.Execute.timeout, else {d.cell_seconds:g})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=f"seconds per notebook, restarts included (default: {d.wall_seconds:g})",
    )
    parser.add_argument("--memory-mb", type=int, default=d.memory_mb, help="memory cap per kernel")
    parser.add_argument("--processes", type=int, default=d.processes, help="process/thread cap")
    parser.add_argument("--cpu-seconds", type=int, default=d.cpu_seconds, help="CPU time cap")
    parser.add_argument("--output-bytes", type=int, default=d.output_bytes, help="output cap")
    parser.add_argument(
        "--unsandboxed",
        action="store_true",
        help="run student code WITHOUT bubblewrap (only for code you trust)",
    )


def _add_intake_limits(parser: argparse.ArgumentParser) -> None:
    d = IntakeLimits()
    parser.add_argument(
        "--max-files", type=int, default=d.files, help="files per submission (else rejected)"
    )
    parser.add_argument(
        "--max-file-mb", type=float, default=d.file_bytes / 1e6, help="MB per file (else left out)"
    )
    parser.add_argument(
        "--max-submission-mb",
        type=float,
        default=d.submission_bytes / 1e6,
        help="MB per submission (else rejected)",
    )


def intake_limits_from(args: argparse.Namespace) -> IntakeLimits:
    return IntakeLimits(
        files=args.max_files,
        file_bytes=int(args.max_file_mb * 1e6),
        submission_bytes=int(args.max_submission_mb * 1e6),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neurogebra-grader", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--course",
        help="the course folder (default: . if it has nbgrader_config.py, else ./course)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate and release assignments to the exchange")
    p.add_argument("assignments", nargs="*", help="default: every assignment in source/")
    _add_limits(p)
    p = sub.add_parser("collect", help="collect submissions from the exchange")
    p.add_argument("assignment")
    p.add_argument(
        "--system-user",
        default="{student}",
        help="a student's system user, which must own the submission (default: {student}; "
        "The Littlest JupyterHub: jupyter-{student})",
    )
    _add_intake_limits(p)
    p = sub.add_parser("autograde", help="grade submissions in sandboxes")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: cores)")
    p.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded")
    _add_limits(p)
    _add_intake_limits(p)
    p = sub.add_parser("feedback", help="write feedback HTML (no hidden tests) and release it")
    p.add_argument("assignment")
    p.add_argument("--no-release", action="store_true", help="only write the HTML")
    p = sub.add_parser("export", help="grades, lateness and flags as CSV")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--output", "-o", help="file to write (default: print)")
    p = sub.add_parser("report", help="per-student and per-question tables")
    p.add_argument("assignment", nargs="?")
    p = sub.add_parser("demo", help="the whole course pipeline on bundled sample submissions")
    p.add_argument("--workdir", help="where to build the demo course (default: a temp folder)")
    p.add_argument("--workers", type=int, default=None)
    _add_limits(p)
    from neurogebra_grader.cli.service import add_parsers

    add_parsers(sub)
    return parser


def cmd_release(args: argparse.Namespace) -> None:
    course = Course.load(_course_root(args.course))
    assignments = args.assignments or course.assignments()
    # a module missing here fails every notebook: say so before blaming the solution
    require_modules([n for a in assignments for n in course.path("source", ".", a).glob("*.ipynb")])
    limits, said = limits_from(args, course)
    console.print(describe(limits, said))
    for assignment in assignments:
        with console.status(f"releasing {assignment}"):
            nbgrader_steps.release(course, assignment)
            for notebook in course.notebooks(assignment):
                reference_for(course, assignment, notebook, limits, sandbox=not args.unsandboxed)
        console.print(f"[green]released[/] {assignment} (solution checked against every test)")
        for notebook in course.notebooks(assignment):
            seconds = reference_seconds(course, assignment, notebook)
            for warning in slow_solution_cells(seconds, limits):
                console.print(
                    f"[bold yellow]warning:[/] {escape(assignment)}/{escape(notebook)}: "
                    f"the instructor's solution's {escape(warning)}: a slower student's code "
                    "may run out of time; speed the cell up or raise c.Execute.timeout"
                )


def grade_with_progress(course: Course, assignment: str | list[str], **kwargs: object) -> list:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        names = assignment if isinstance(assignment, str) else ", ".join(assignment)
        task = bar.add_task(f"grading {names}", total=None)

        def progress(kind: str, data: object) -> None:
            if kind == "start":
                bar.update(task, total=float(data) if isinstance(data, int | float) else None)
            elif kind == "graded" and isinstance(data, SubmissionResult):
                bar.advance(task)
                # student names are theirs to choose: escaped, never read as markup
                name = escape(f"{data.assignment}/{data.student}")
                bar.console.print(
                    f"  {name}: {data.score:g} / {data.max_score:g}"
                    + (" [yellow]flagged[/]" if data.flags else "")
                    + (" [red]errors[/]" if data.errors else "")
                )
            elif kind == "skipped":
                bar.console.print(f"  {escape(str(data))}: already graded, skipped")

        return autograde(course, assignment, progress=progress, **kwargs)  # type: ignore[arg-type]


def cmd_autograde(args: argparse.Namespace) -> None:
    course = Course.load(_course_root(args.course))
    if args.unsandboxed:
        console.print("[bold red]warning:[/] student code runs WITHOUT a sandbox (--unsandboxed)")
    limits, said = limits_from(args, course)
    grade_with_progress(
        course,
        args.assignment,
        students=args.student,
        workers=args.workers,
        scheduler=args.scheduler,
        sandbox=not args.unsandboxed,
        limits=limits,
        limit_sources=said,
        intake_limits=intake_limits_from(args),
        force=args.force,
    )
    show_report(course, args.assignment)


def nothing_graded(course: Course, assignment: str | None) -> str:
    """What export and report say when the gradebook holds no graded submission."""
    if assignment is None:
        return "nothing graded yet: run `neurogebra-grader autograde ASSIGNMENT` first"
    waiting = course.students_with_submissions(assignment)
    if waiting:
        return (
            f"nothing graded yet for {assignment}: {len(waiting)} collected submission(s) "
            f"wait for `neurogebra-grader autograde {assignment}`"
        )
    return (
        f"nothing graded yet for {assignment}, and no submission collected: run "
        f"`neurogebra-grader collect {assignment}`, then `autograde {assignment}`"
    )


def show_report(course: Course, assignment: str | None) -> None:
    from neurogebra_grader.pipeline.collect import collect_report

    rows = summary.student_rows(course, assignment)
    if rows:
        console.print(_students(rows))
    else:
        console.print(f"[yellow]{nothing_graded(course, assignment)}[/]")
    for name in [assignment] if assignment else sorted({r["assignment"] for r in rows}):
        if rows:
            console.print(_questions(summary.question_rows(course, name), name))
        console.print(f"{escape(name)}: {escape(summary.limits_line(course, name))}")
        for outcome in collect_report(course, name):
            if outcome.status in ("rejected", "refused"):
                console.print(
                    f"[yellow]collect {outcome.status}[/] {escape(name)}/"
                    f"{escape(outcome.student)}: {escape(outcome.detail)}"
                )


def _students(rows: list) -> object:
    from neurogebra_grader.cli.tables import students_table

    return students_table(rows)


def _questions(rows: list, assignment: str) -> object:
    from neurogebra_grader.cli.tables import questions_table

    return questions_table(rows, f"Questions of {assignment}")


def cmd_feedback(args: argparse.Namespace) -> None:
    course = Course.load(_course_root(args.course))
    released = nbgrader_steps.feedback(course, args.assignment, release=not args.no_release)
    folder = Path(course.coursedir.root) / course.coursedir.feedback_directory
    console.print(f"[green]feedback written[/] under {folder}")
    if released:
        console.print(f"released to the exchange for: {', '.join(released)}")


def cmd_export(args: argparse.Namespace) -> None:
    course = Course.load(_course_root(args.course))
    if not summary.student_rows(course, args.assignment):  # still a valid (empty) table
        notes.print(f"[yellow]{nothing_graded(course, args.assignment)}[/]")
    text = summary.export_csv(course, args.assignment)
    if args.output:
        Path(args.output).write_text(text)
        console.print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)


def cmd_report(args: argparse.Namespace) -> None:
    show_report(Course.load(_course_root(args.course)), args.assignment)


def cmd_collect(args: argparse.Namespace) -> None:
    from neurogebra_grader.pipeline.collect import collect

    course = Course.load(_course_root(args.course))
    outcomes = collect(course, args.assignment, intake_limits_from(args), args.system_user)
    collected = [o.student for o in outcomes if o.status in ("collected", "unchanged")]
    console.print(f"collected {escape(args.assignment)}: {escape(str(collected))}")
    for outcome in outcomes:
        if outcome.status in ("rejected", "refused", "collected") and outcome.detail:
            console.print(
                f"  [yellow]{outcome.status}[/] {escape(outcome.student)}: {escape(outcome.detail)}"
            )


def cmd_demo(args: argparse.Namespace) -> None:
    from neurogebra_grader.cli.demo import run_demo

    run_demo(args, console)


COMMANDS = {
    "release": cmd_release,
    "collect": cmd_collect,
    "autograde": cmd_autograde,
    "feedback": cmd_feedback,
    "export": cmd_export,
    "report": cmd_report,
    "demo": cmd_demo,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("serve", "students", "submit"):
            from neurogebra_grader.cli.service import run

            return run(args, _course_root(args.course), console)
        COMMANDS[args.command](args)
    except (CourseError, SandboxUnavailable, nbgrader_steps.StepFailed, ImportError) as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}")  # [extras] are not markup
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
