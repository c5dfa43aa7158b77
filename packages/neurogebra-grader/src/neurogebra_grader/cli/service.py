"""The service's commands: ``serve``, ``students add|import`` and ``submit``.

Example (from a shell)::

    neurogebra-grader --course course students add alice      # prints alice's token once
    neurogebra-grader --course course serve --port 8000 --workers 2
    neurogebra-grader --course course serve --jupyterhub     # as a JupyterHub service
    neurogebra-grader submit toy.ipynb --assignment toy --server http://127.0.0.1:8000 --token T

In a JupyterHub user's server, ``submit`` logs in with the user's own Hub API token
(``$JUPYTERHUB_API_TOKEN``) and ``--server`` is the service's URL under the Hub's proxy::

    neurogebra-grader submit toy.ipynb --assignment toy \
        --server https://hub.example.org/services/neurogebra-grader
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from rich.console import Console
from rich.markup import escape
from traitlets.config import Config

from neurogebra_grader.pipeline.collect import safe_student_name
from neurogebra_grader.pipeline.course import Course, CourseError
from neurogebra_grader.pipeline.dburl import shown

HUB_TOKEN = "JUPYTERHUB_API_TOKEN"  # the user's Hub API token, in a JupyterHub server


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("serve", help="the submission service (pages, JSON API, grading workers)")
    p.add_argument("--host", help="address to listen on (default: loopback)")
    p.add_argument("--port", type=int, help="port to listen on (default: 8000)")
    p.add_argument(
        "--jupyterhub",
        action="store_true",
        help="run as a JupyterHub service: users log in with the Hub's OAuth (needs the "
        "JUPYTERHUB_* variables the Hub gives its services; listens where "
        "JUPYTERHUB_SERVICE_URL says unless --host/--port are given)",
    )
    p.add_argument("--workers", type=int, default=1, help="grading threads (one kernel each)")
    p.add_argument("--db", help="the gradebook's database URL (default: the course's)")
    p.add_argument("--scheduler", help="grade on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument(
        "--unsandboxed",
        action="store_true",
        help="run student code WITHOUT bubblewrap (only for code you trust)",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="a live demo course: release the sample course into --workdir, enrol two demo "
        "students and an instructor, print their login links, and serve it",
    )
    p.add_argument("--workdir", default="build/live", help="the --demo course's folder")
    p = sub.add_parser("students", help="enrol students for the service (standalone mode)")
    what = p.add_subparsers(dest="action", required=True)
    add = what.add_parser("add", help="enrol one student (or instructor); prints the token once")
    add.add_argument("name")
    role = add.add_mutually_exclusive_group()  # neither: new accounts are students' and
    # an existing account keeps its role (re-keying an instructor keeps them one)
    role.add_argument("--instructor", dest="role", action="store_const", const="instructor",
                      help="an instructor: sees the class")  # fmt: skip
    role.add_argument("--student", dest="role", action="store_const", const="student",
                      help="a student (makes an existing instructor a student again)")  # fmt: skip
    add.add_argument("--db", help="the gradebook's database URL (default: the course's)")
    imp = what.add_parser("import", help="enrol every student of a roster CSV (column 'id')")
    imp.add_argument("roster")
    imp.add_argument("--db", help="the gradebook's database URL (default: the course's)")
    p = sub.add_parser("submit", help="submit a notebook to a running service and wait")
    p.add_argument("notebook")
    p.add_argument("--assignment", required=True)
    p.add_argument(
        "--server",
        required=True,
        help="the service's URL, e.g. http://127.0.0.1:8000, or under a JupyterHub "
        "https://hub.example.org/services/neurogebra-grader",
    )
    p.add_argument(
        "--token",
        help="your login token; under a JupyterHub, your Hub API token (default: "
        f"${HUB_TOKEN}, which a JupyterHub server sets)",
    )
    p.add_argument("--wait", type=float, default=600, help="seconds to wait for the grade")


def load_course(root: Path, db: str | None) -> Course:
    extra = Config()
    if db:
        extra.CourseDirectory.db_url = db
    return Course.load(root, extra)


def _store(course: Course) -> Any:
    from neurogebra_grader.service.store import Store

    return Store(course.db_url, course.state_dir() / "service")


def cmd_serve(args: argparse.Namespace, root: Path, console: Console) -> None:
    import uvicorn

    from neurogebra_grader.service.app import Service, create_app
    from neurogebra_grader.service.grading import ensure_gradebook
    from neurogebra_grader.service.settle import settle

    if args.unsandboxed:
        console.print("[bold red]warning:[/] student code runs WITHOUT a sandbox (--unsandboxed)")
    else:
        from neurogebra_grader.sandbox.bwrap import find_bwrap

        find_bwrap()  # refuse to start rather than fail every submission
    identity, host, port = None, "127.0.0.1", 8000
    if args.jupyterhub:
        identity, (host, port) = _hub_identity(), _hub_address()
    host, port = args.host or host, args.port or port
    if args.demo:
        from neurogebra_grader.cli.live import DEMO_ACCOUNTS, live_course, login_link

        course, tokens = live_course(Path(args.workdir).resolve())
        base = f"http://{host}:{port}"
        for name, role in DEMO_ACCOUNTS:
            print(f"{name} ({role}): {login_link(base, tokens[name])}", flush=True)
    else:
        course = load_course(root, args.db)
        released = [a for a in course.assignments() if course.path("release", ".", a).is_dir()]
        missing = sorted(set(released) - set(ensure_gradebook(course)))
        if missing:  # released into the course's SQLite file, say, but served with --db
            console.print(
                f"[bold yellow]warning:[/] {escape(', '.join(missing))} not released into the "
                f"gradebook at {escape(shown(course.db_url))}, so not open for submissions: "
                "release with that database (c.CourseDirectory.db_url in nbgrader_config.py)"
            )
    service = Service.open(
        course,
        workers=args.workers,
        scheduler=args.scheduler,
        sandbox=not args.unsandboxed,
        identity=identity,
    )
    settle()  # the grading code loaded, and kept out of the collector's full passes
    where = f"http://{host}:{port}{service.root}/"
    console.print(f"serving {escape(str(course.root))} on {escape(where)}")
    uvicorn.run(create_app(service), host=host, port=port, log_level="warning")


def _hub_identity() -> Any:
    """JupyterHub mode's identity maker (imports `jupyterhub` only in this mode)."""
    from neurogebra_grader.service.hub import HubIdentity
    from neurogebra_grader.service.hub_accounts import HubAccounts

    try:
        hub = HubIdentity.from_environ(os.environ)
    except ValueError as error:
        raise CourseError(str(error)) from None
    return lambda store, _sessions: HubAccounts(hub, store)


def _hub_address() -> tuple[str, int]:
    """Where the Hub expects a managed service (JUPYTERHUB_SERVICE_URL), else 127.0.0.1:8000."""
    url = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    return url.hostname or "127.0.0.1", url.port or 8000


def cmd_students(args: argparse.Namespace, root: Path, console: Console) -> None:
    store = _store(load_course(root, args.db))
    if args.action == "add":
        names = [(args.name, args.role)]
    else:
        with open(args.roster, newline="") as roster:
            rows = list(csv.DictReader(roster))
        if rows and "id" not in rows[0]:
            raise CourseError(f"{args.roster} has no 'id' column (one student id per row)")
        names = [(row["id"].strip(), (row.get("role") or "").strip() or None) for row in rows]
    for name, role in names:
        if not safe_student_name(name) or role not in (None, "student", "instructor"):
            raise CourseError(f"not a usable student id or role: {name!r} ({role!r})")
    for name, role in names:
        token = store.add_account(name, role)
        held = store.account(name)
        print(f"{name}\t{held.role if held else role}\t{token}")  # plain: for a mail merge
    # on stderr: stdout holds only the tokens, for a file or a mail merge
    Console(stderr=True).print(f"[green]enrolled {len(names)}[/]; the tokens are shown only now")


def _json(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def _link(server: str, path: object) -> str:
    """A link of the service's (an absolute path, under the Hub's prefix in Hub mode) on the
    server's host: ``_link("http://hub/services/g", "/services/g/submissions/3")`` is
    ``http://hub/services/g/submissions/3``.
    """
    return urljoin(server.rstrip("/") + "/", str(path))


def _refused(status: int, body: dict[str, Any], console: Console) -> None:
    """Say why the service did not take the notebook; for a refused token, how to get one."""
    console.print(f"[bold red]not accepted:[/] {escape(str(body.get('error', status)))}")
    if status == 401:
        console.print(
            "the service did not accept your token: use the token your instructor sent you "
            f"(--token), or under a JupyterHub your Hub API token (${HUB_TOKEN} in your "
            "server), which needs access to this service (the scope "
            "access:services!service=<its name>: ask your instructor)"
        )
    if "remaining" in body:
        console.print(f"submissions left: {body['remaining']}")


def cmd_submit(args: argparse.Namespace, console: Console) -> int:
    import httpx

    path = Path(args.notebook)
    token = args.token or os.environ.get(HUB_TOKEN, "")
    if not token:
        console.print(
            f"[bold red]no token:[/] give --token (or run this in a JupyterHub server, "
            f"where ${HUB_TOKEN} is set)"
        )
        return 1
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=args.server.rstrip("/"), headers=headers, timeout=60) as client:
        with path.open("rb") as handle:
            response = client.post(
                "/api/submissions",
                data={"assignment": args.assignment},
                files={"notebook": (path.name, handle, "application/x-ipynb+json")},
            )
        body = _json(response)
        if response.status_code != 202:
            _refused(response.status_code, body, console)
            return 1
        console.print(
            f"accepted as submission {body['id']}"
            + (" (late)" if body.get("late") else "")
            + f"; submissions left: {body['remaining']}"
        )
        deadline = time.monotonic() + args.wait
        state = "queued"
        while time.monotonic() < deadline:
            body = _json(client.get(f"/api/submissions/{int(body['id'])}"))
            if body.get("state") != state:
                state = str(body.get("state"))
                console.print(f"  {escape(state)}")
            if state in ("graded", "error"):
                break
            time.sleep(1)
        else:
            link = _link(args.server, body.get("url"))
            console.print(f"[yellow]still {escape(state)}[/]; see {escape(link)}")
            return 1
    if state == "error":
        console.print(f"[bold red]not graded:[/] {escape(str(body.get('error')))}")
        return 1
    for q in body.get("questions", []):
        score = "by hand" if q.get("score") is None else f"{q['score']:g}"
        console.print(
            f"  {escape(str(q.get('question')))}: {score} / {q.get('points', 0):g}"
            f"  {escape(str(q.get('message', '')))}"
        )
    console.print(f"score: {body.get('score', 0):g} / {body.get('max_score', 0):g}")
    if body.get("feedback_url"):
        console.print(f"feedback: {escape(_link(args.server, body['feedback_url']))}")
    return 0


def run(args: argparse.Namespace, root: Path, console: Console) -> int:
    if args.command == "serve":
        cmd_serve(args, root, console)
    elif args.command == "students":
        cmd_students(args, root, console)
    else:
        return cmd_submit(args, console)
    return 0
