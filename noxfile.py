"""Every job the project runs, as nox sessions: `nox -l` lists them.

Plain `nox` runs every test session and lint (sessions marked default=False are run by name).
Each package has one test session, `tests-<package>`, that installs it from the checkout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"  # `default=False` on sessions
nox.options.error_on_missing_interpreters = True
# uv (installed by tools/setup.sh) creates the virtualenvs and installs into them: about ten
# times faster than pip here, which keeps CI well inside its time limit. Without uv, nox falls
# back to virtualenv and pip.
nox.options.default_venv_backend = "uv|virtualenv"

ROOT = Path(__file__).parent
CORE = "packages/neurogebra-core"
MODELS = "packages/neurogebra-models"
GRADER = "packages/neurogebra-grader"
RUFF = "ruff==0.17.5"  # pinned so that lint means the same thing on every machine
TORCH = "torch==2.13.0"  # comparison only; never a dependency of our packages


def local_torch_wheel() -> Path | None:
    """A CPU wheel of torch 2.13.0 in one of pip's find-links folders, if the machine has one.

    PyTorch is only a yardstick for tests and benchmarks. Where no local wheel lies, installing
    it would download gigabytes, so the comparisons are left out (the tests say so when run).
    """
    if os.environ.get("NEUROGEBRA_TORCH", "auto") == "0":
        return None
    folders = os.environ.get("PIP_FIND_LINKS", "").split()
    config = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    for line in config.splitlines():
        if "find-links" in line:
            folders += line.split("=", 1)[1].strip("'\" ").split()
    for folder in folders:
        wheels = sorted(Path(folder.removeprefix("file://")).glob("torch-2.13.0*.whl"))
        if wheels:
            return wheels[0]
    return None


def install_torch_if_local(session: nox.Session) -> None:
    wheel = local_torch_wheel()
    if wheel is not None:
        # By path: uv does not read pip's find-links, and torch==2.13.0 from PyPI is the
        # gigabytes-large CUDA build.
        session.install(str(wheel))
    else:
        session.log(f"no local {TORCH} wheel: PyTorch comparisons will be skipped")


@nox.session(name="tests-core")
def tests_core(session: nox.Session) -> None:
    """neurogebra-core's tests (gradients against central differences and PyTorch)."""
    session.install("-e", f"{CORE}[test]")
    install_torch_if_local(session)
    session.run("pytest", f"{CORE}/tests", *session.posargs)


@nox.session(name="tests-models")
def tests_models(session: nox.Session) -> None:
    """neurogebra-models' tests (real training on Tensor, plots rendered headless)."""
    session.install("-e", f"{CORE}[test]", "-e", f"{MODELS}[test]")
    install_torch_if_local(session)
    session.run("pytest", f"{MODELS}/tests", *session.posargs)


@nox.session(name="tests-grader")
def tests_grader(session: nox.Session) -> None:
    """neurogebra-grader's tests: the checks, their doctests, and what a student sees in Jupyter."""
    session.install("-e", CORE, "-e", f"{GRADER}[test]")
    # the service's modules need the `service` extra: their doctests run in tests-service
    service = f"{GRADER}/src/neurogebra_grader/service"
    session.run(
        "pytest",
        "--doctest-modules",
        f"--ignore={service}",
        f"{GRADER}/src",
        f"{GRADER}/tests",
        *session.posargs,
    )


@nox.session
def assignments(session: nox.Session) -> None:
    """The course: release, then autograde solution, untouched release and partial submission."""
    session.install("-e", CORE, "-e", GRADER, "pytest>=8", "matplotlib>=3.8", env=COMPILED)
    session.run(
        "pytest",
        "tests",
        "--ignore=tests/pipeline",
        "--ignore=tests/docs",
        "--ignore=tests/fairness",  # its own session: tests-fairness
        "--ignore=tests/service",  # its own session: tests-service
        *session.posargs,
    )


# scipy: SymPy's lambdify (neurogebra's symbolic layer) imports it in the graded notebooks
PIPELINE_DEPS = ("-e", CORE, "-e", f"{GRADER}[dask]", "matplotlib>=3.8", "scipy>=1.11")
# Installed compiled to bytecode, as pip installs by default: uv leaves only sources, and a
# sandboxed kernel (read-only venv, so no __pycache__ is written) compiles IPython anew each
# time, about 2.5 s per kernel. Every session that starts graded kernels installs this way.
COMPILED = {"UV_COMPILE_BYTECODE": "1"}


@nox.session(name="tests-pipeline")
def tests_pipeline(session: nox.Session) -> None:
    """The autograding pipeline end to end: exchange, red team, Dask cluster, kill and rerun.

    Needs bubblewrap (`tools/setup.sh` installs it): every student kernel runs sandboxed.
    As root, kernels are forked from the grader's kernel template; the red team then runs a
    second time with every kernel started by bubblewrap, the way a grader without root runs.
    """
    session.install(*PIPELINE_DEPS, "pytest>=8", env=COMPILED)
    session.run("pytest", "tests/pipeline", "--durations=5", *session.posargs)
    if not session.posargs:
        session.run(
            "pytest",
            "tests/pipeline/test_redteam.py",
            env={"NEUROGEBRA_GRADER_TEMPLATE": "0"},
        )


@nox.session(name="tests-fairness")
def tests_fairness(session: nox.Session) -> None:
    """The fairness suite: realistic student submissions of every assignment, graded through
    the real pipeline (sandboxed, one batch per assignment), each against a fair TA's grade.
    """
    session.install(*PIPELINE_DEPS, "pytest>=8", env=COMPILED)
    session.run("pytest", "tests/fairness", "--durations=5", *session.posargs)


def tests_service_install(session: nox.Session) -> None:
    """What the service's tests need: the grader with its service extra, and the real parts."""
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)  # configurable-http-proxy
    session.install(
        *PIPELINE_DEPS,
        "-e",
        f"{GRADER}[service]",
        "pytest>=8",
        "httpx>=0.27",  # the tests' HTTP client
        "psycopg[binary]>=3.2",  # SQLAlchemy's driver for the PostgreSQL run
        "jupyterhub>=5.2,<7",  # the Hub the service registers with (JupyterHub mode)
        "playwright==1.65.2",  # drives Debian's chromium (no browser download)
        env=COMPILED,
    )


@nox.session(name="tests-service")
def tests_service(session: nox.Session) -> None:
    """The submission service (issue 16) with real parts on 127.0.0.1: uvicorn, headless
    Chromium, PostgreSQL (Debian's server, started in a temporary data directory) and a
    JupyterHub with `configurable-http-proxy` from npm. `tools/setup.sh` installs the system
    parts.
    """
    tests_service_install(session)
    service = f"{GRADER}/src/neurogebra_grader/service"
    session.run(
        "pytest",
        "--doctest-modules",
        service,
        "tests/service",
        "--durations=5",
        *session.posargs,
    )


# The load test alone (it runs in `tests-service` too): 10 clients, 50 notebooks, every status
# answer within 1 s, about 80 s on 2 shared cores.
LOAD_TEST = "tests/service/test_load.py"


@nox.session(name="tests-service-load", default=False)
def tests_service_load(session: nox.Session) -> None:
    """The service under load: 10 concurrent students submit 50 notebooks (issue 16); also
    part of `tests-service`, this session runs it alone."""
    tests_service_install(session)
    session.run("pytest", LOAD_TEST, "--durations=5", *session.posargs)


# The course site's build and test tools, pinned so that the site builds the same everywhere.
DOCS_DEPS = (
    "mkdocs==1.6.1",  # the site generator (1.6: link and anchor validation)
    "mkdocs-material==9.8.1",  # the theme: search, content tabs, admonitions, offline-friendly
    "mkdocs-gen-files==0.6.1",  # writes the formula catalogue and student notebooks at build time
    "mkdocs-jupyter==0.26.3",  # renders the student notebooks as pages
    "mkdocstrings[python]==1.0.8",  # the API reference, from the docstrings
    "mkdocstrings-python==2.0.11",
    "pymdown-extensions==13.1",  # arithmatex (math for KaTeX), tabbed, superfences, details
    "playwright==1.65.2",  # drives Debian's chromium in the browser test (no browser download)
    "pytest>=8",
    RUFF,  # mkdocstrings formats signatures with it
)


# Site tests that need no built site run alongside the build, each in a pytest process of its
# own: the instructor guide's practice run (a fresh clone and venv, real sandboxed grading) and
# every code block of the pages (the examples run and print what the pages say).
ALONGSIDE = {
    "guide": ("tests/docs/test_instructor_guide.py",),
    "code": ("tests/docs/test_code_blocks.py", "tests/docs/test_feedback_offline.py"),
}


@nox.session
def docs(session: nox.Session) -> None:
    """The course site: KaTeX from npm, `mkdocs build --strict` (links and anchors checked),
    then every code block, headless Chromium, and the instructor guide followed literally.

    The tests that need no built site (see ALONGSIDE) run in pytest processes of their own,
    alongside the build and the browser tests. With arguments (`nox -s docs -- -k name`)
    everything runs in one pytest process instead.
    """
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.install("-e", CORE, "-e", MODELS, "-e", f"{GRADER}[dask]", *DOCS_DEPS)
    install_torch_if_local(session)
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # silence a banner that a plugin prints
    session.env["DISABLE_MKDOCS_2_WARNING"] = "true"
    if session.posargs:
        session.run("mkdocs", "build", "--strict")
        session.run("pytest", "tests/docs", "--durations=5", *session.posargs)
        return
    background = {name: start_pytest_in_background(session, name, *tests)
                  for name, tests in ALONGSIDE.items()}  # fmt: skip
    ignored = [f"--ignore={test}" for tests in ALONGSIDE.values() for test in tests]
    try:
        session.run("mkdocs", "build", "--strict")
        session.run("pytest", "tests/docs", *ignored, "--durations=5")
    except BaseException:
        for process, _ in background.values():
            os.killpg(process.pid, signal.SIGTERM)  # the tests and the kernels they started
            process.wait()
        raise
    failed = [name for name, job in background.items() if not finish_background(session, *job)]
    if failed:
        session.error(f"the tests run alongside failed: {', '.join(failed)}; see above")


def start_pytest_in_background(
    session: nox.Session, name: str, *args: str
) -> tuple[subprocess.Popen, Path]:
    """pytest in the session's venv, in a process of its own; its output goes to a log file."""
    env = {k: v for k, v in {**os.environ, **session.env}.items() if v is not None}
    env["PATH"] = str(session.bin) + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(session.virtualenv.location)
    log_path = ROOT / "build" / f"docs-{name}-tests.log"
    log_path.parent.mkdir(exist_ok=True)
    session.log(f"pytest {' '.join(args)} runs alongside (log: {log_path.relative_to(ROOT)})")
    with open(log_path, "w") as log:  # the child keeps its own copy of the file descriptor
        process = subprocess.Popen(
            [str(Path(session.bin) / "pytest"), *args, "--durations=3"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    return process, log_path


def finish_background(session: nox.Session, process: subprocess.Popen, log_path: Path) -> bool:
    """Wait for a background pytest and show its output; whether it passed."""
    code = process.wait()
    session.log(f"{log_path.relative_to(ROOT)}:")
    print(log_path.read_text(), end="")
    return code == 0


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole repository."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


MYPY = "mypy==2.4.1"  # pinned, like ruff: a new mypy release must not turn CI red by itself
# no stubs: graphviz, tqdm (core, models); nbgrader, traitlets (grader)
MYPY_ARGS = ("--python-version=3.11", "--ignore-missing-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy over the libraries and the grader (whose passes exchange typed dataclasses)."""
    session.install(MYPY, "-e", CORE, "-e", MODELS, "-e", f"{GRADER}[dask]")
    session.run("mypy", *MYPY_ARGS, "--check-untyped-defs", f"{CORE}/src/neurogebra")
    session.run("mypy", *MYPY_ARGS, f"{MODELS}/src/neurogebra_models")
    session.run("mypy", *MYPY_ARGS, f"{GRADER}/src/neurogebra_grader")


@nox.session(default=False)
def demo(session: nox.Session) -> None:
    """The main job: release the course, autograde a sample class (sandboxed), report, feedback."""
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)  # KaTeX for feedback
    session.install(*PIPELINE_DEPS)
    session.run("neurogebra-grader", "demo", *session.posargs)


@nox.session(default=False)
def live(session: nox.Session) -> None:
    """A live course: the sample course released and served on http://127.0.0.1:8000/ with two
    demo students and an instructor, whose login links it prints (`serve --demo`)."""
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)  # KaTeX for feedback
    session.install(*PIPELINE_DEPS, "-e", f"{GRADER}[service]")
    session.run("neurogebra-grader", "serve", "--demo", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks against their named baselines; results go to benchmarks/RESULTS.md."""
    # models[digits]: scikit-learn's bundled digits for benchmarks/models_cnn.py;
    # grader[service]: the submission service (and httpx, its client) for service_latency.py
    session.install(
        *PIPELINE_DEPS,
        "-e",
        f"{MODELS}[digits]",
        "-e",
        f"{GRADER}[service]",
        "micrograd==0.1.0",
        env=COMPILED,  # the grading benchmarks start sandboxed kernels: see COMPILED
    )
    install_torch_if_local(session)
    scripts = session.posargs or sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "benchmarks").glob("[!_]*.py")
    )
    for script in scripts:
        session.run("python", script)
