"""The HTTP app (Starlette): student and instructor pages, the JSON API, the grading workers.

Every lookup is scoped to the account asking: a student's ids only ever reach her own rows
(``Store.get``/``Store.list``), anything else is a 404, whatever id, path or header she sends;
instructor pages are a 404 for students too. Pages are Jinja2 templates (``pages/``,
autoescaped), with no script but a few inline lines that poll the status endpoint.

Example:
    >>> app = create_app(Service.open("course"))  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from neurogebra_grader.pipeline.course import Course
from neurogebra_grader.sandbox.limits import Limits
from neurogebra_grader.service import admission, feedback_page
from neurogebra_grader.service.auth import (
    ExternalLogin,
    Identity,
    Sessions,
    StandaloneIdentity,
    bearer,
    load_secret,
)
from neurogebra_grader.service.bodylimit import BodyLimit, TooLarge
from neurogebra_grader.service.grading import Grader, question_summary
from neurogebra_grader.service.queue import Queue
from neurogebra_grader.service.store import Account, Settings, Store
from neurogebra_grader.service.worker import Workers

pages = Environment(
    loader=PackageLoader("neurogebra_grader.service", "pages"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
# The feedback page holds the student's own notebook: shown with no script and no origin, so
# nothing in it can act as the viewer (a student's HTML output seen by the instructor).
# Pages hold a student's grades: never cached, never framed (clickjacking), no referrer out.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
FEEDBACK_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass
class Service:
    """Everything the app needs: the course, its store, the queue and the workers."""

    course: Course
    store: Store
    sessions: Sessions
    identity: Identity
    workers: Workers | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        course: Course,
        *,
        workers: int = 1,
        scheduler: str | None = None,
        limits: Limits | None = None,
        sandbox: bool = True,
        identity: Callable[[Store, Sessions], Identity] | None = None,
    ) -> Service:
        """The service of ``course``; ``identity`` makes who-is-who from the store and the
        sessions (default: standalone tokens; e.g. a JupyterHub OAuth identity instead)."""
        folder = course.state_dir() / "service"
        store = Store(course.db_url, folder)
        sessions = Sessions(load_secret(folder))
        grader = Grader(course, store, scheduler=scheduler, limits=limits, sandbox=sandbox)
        pool = Workers(Queue(store), grader, workers) if workers > 0 else None
        who = (identity or StandaloneIdentity)(store, sessions)
        if isinstance(who, ExternalLogin):  # the CSRF cookie stays under the service's prefix
            sessions.path = who.mount_path + "/"
        return cls(course, store, sessions, who, pool)

    @property
    def login(self) -> ExternalLogin | None:
        """The identity's own login flow (JupyterHub's OAuth), or None for standalone logins."""
        return self.identity if isinstance(self.identity, ExternalLogin) else None

    @property
    def root(self) -> str:
        """The URL prefix of every page and link: "" standalone, the Hub's service prefix
        (e.g. ``/services/neurogebra-grader``) in JupyterHub mode."""
        return self.login.mount_path if self.login is not None else ""


Handler = Callable[[Request, Service, Account], Awaitable[Response]]


def _is_api(request: Request, root: str) -> bool:
    return request.url.path.startswith(root + "/api/")


def _not_found_page(request: Request, root: str) -> Response:
    if _is_api(request, root):
        return JSONResponse({"error": "not found"}, status_code=404)
    body = pages.get_template("error.html").render(message="Not found.", root=root)
    return HTMLResponse(body, 404)


def render(
    request: Request, service: Service, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    session = service.sessions.read(request)
    body = pages.get_template(name).render(csrf=session["csrf"], root=service.root, **context)
    response = HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)
    service.sessions.save(request, response, session)
    return response


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


def create_app(service: Service) -> BodyLimit:
    """The Starlette app of ``service`` (its workers start and stop with it), mounted under
    ``service.root``; with an identity of its own login flow (JupyterHub), its routes replace
    ``/login`` and ``/logout``."""
    root, login_flow = service.root, service.login

    def _error(message: str, status: int) -> HTMLResponse:
        body = pages.get_template("error.html").render(message=message, root=root)
        return HTMLResponse(body, status)

    def _not_found(request: Request) -> Response:
        return _not_found_page(request, root)

    async def _owned(request: Request, account: Account) -> dict[str, Any] | None:
        """The submission the path's ``id`` names, if ``account`` may see it; else None."""
        submission_id = _int(request.path_params["id"])
        if submission_id is None:
            return None
        return await run_in_threadpool(service.store.get, submission_id, account)

    def _to(path: str) -> RedirectResponse:
        """A redirect to one of the service's own pages (``path`` below the prefix)."""
        return RedirectResponse(root + path, status_code=303)

    def page(handler: Handler, *, instructor: bool = False) -> Callable[[Request], Awaitable]:
        async def endpoint(request: Request) -> Response:
            account = await service.identity.user(request)
            api = _is_api(request, root)
            if account is None:
                if api:
                    how = "a bearer token" if login_flow is None else "JupyterHub or a Hub token"
                    return JSONResponse({"error": f"log in first ({how})"}, 401)
                if login_flow is not None:
                    return login_flow.login_redirect(request)
                return _to("/login")
            if instructor and not account.instructor:
                return _not_found(request)
            if request.method == "POST" and not await _csrf_ok(request, api):
                return _forbidden(request)
            return await handler(request, service, account)

        return endpoint

    async def _csrf_ok(request: Request, api: bool) -> bool:
        if api and bearer(request) is not None:
            return True  # its header alone named the user (auth.bearer): nothing to forge
        if request.headers.get("x-csrf-token"):
            return service.sessions.csrf_ok(request, request.headers["x-csrf-token"])
        form = await request.form(max_files=1, max_fields=20)
        return service.sessions.csrf_ok(request, form.get("csrf"))

    def _forbidden(request: Request) -> Response:
        message = "the form's CSRF token is missing or wrong: reload the page and try again"
        if _is_api(request, root):
            return JSONResponse({"error": message}, status_code=403)
        return _error(message, 403)

    async def login_page(request: Request) -> Response:
        # A login link (/login?token=...) only fills the form in: a GET never logs anyone in,
        # so a link opened by a mail scanner or a prefetch changes nothing.
        token = request.query_params.get("token", "")
        return render(request, service, "login.html", token=token if len(token) < 200 else "")

    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        if not service.sessions.csrf_ok(request, form.get("csrf")):
            return _forbidden(request)
        token = form.get("token")
        account = None
        if isinstance(token, str) and 0 < len(token) < 200:
            account = await run_in_threadpool(service.store.account_for_token, token.strip())
        if account is None:
            return render(request, service, "login.html", 401, error="That token is not valid.")
        key = await run_in_threadpool(service.store.key_of, account.student)
        response = _to("/")
        service.sessions.save(request, response, service.sessions.new(account.student, key))
        return response

    async def logout(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        if not service.sessions.csrf_ok(request, form.get("csrf")):
            return _forbidden(request)
        response = _to("/login")
        service.sessions.save(request, response, service.sessions.new())
        return response

    async def home(request: Request, _: Service, account: Account) -> Response:
        return _to("/instructor" if account.instructor else "/student")

    def _assignments() -> list[str]:
        return service.course.assignments()

    async def student_page(request: Request, _: Service, account: Account) -> Response:
        return await _student_page(request, account)

    async def _student_page(
        request: Request, account: Account, status: int = 200, **extra: Any
    ) -> Response:
        rows = await run_in_threadpool(service.store.list, account)
        left = {
            name: await run_in_threadpool(admission.allowance, service.store, account.student, name)
            for name in _assignments()
        }
        return render(
            request,
            service,
            "student.html",
            status,
            account=account,
            assignments=_assignments(),
            allowance=left,
            submissions=rows,
            **extra,
        )

    async def _upload(request: Request, account: Account) -> admission.Admitted:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise admission.Refused("the upload must say its length (Content-Length)", 411)
        form = await request.form(max_files=1, max_fields=10)
        assignment, upload = form.get("assignment"), form.get("notebook")
        if not isinstance(assignment, str) or not assignment:
            raise admission.Refused("say which assignment this is for (field 'assignment')")
        if not isinstance(upload, UploadFile):
            raise admission.Refused("attach the notebook (a file in field 'notebook')")
        data = await upload.read(admission.MAX_BYTES + 1)
        admitted = await run_in_threadpool(
            admission.admit,
            service.course,
            service.store,
            account.student,
            assignment,
            upload.filename or "",
            data,
        )
        if service.workers is not None:
            service.workers.wake()
        return admitted

    async def submit_form(request: Request, _: Service, account: Account) -> Response:
        try:
            admitted = await _upload(request, account)
        except admission.Refused as refusal:
            return await _student_page(request, account, refusal.status, error=str(refusal))
        return _to(f"/submissions/{admitted.submission_id}")

    async def submission_page(request: Request, _: Service, account: Account) -> Response:
        row = await _owned(request, account)
        if row is None:
            return _not_found(request)
        has_feedback = service.store.feedback_path(row["id"]).is_file()
        return render(
            request,
            service,
            "submission.html",
            account=account,
            s=row,
            has_feedback=has_feedback,
        )

    async def feedback(request: Request, _: Service, account: Account) -> Response:
        row = await _owned(request, account)
        path = service.store.feedback_path(row["id"]) if row else None
        if path is None or not path.is_file():
            return _not_found(request)
        headers = PAGE_HEADERS | {"Content-Security-Policy": FEEDBACK_CSP}
        page = feedback_page.accessible(path.read_text(encoding="utf-8"))
        return HTMLResponse(page, headers=headers)

    def _api_row(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        out["url"] = f"{root}/submissions/{row['id']}"
        has = service.store.feedback_path(row["id"]).is_file()
        out["feedback_url"] = f"{root}/submissions/{row['id']}/feedback" if has else None
        return out

    async def api_list(request: Request, _: Service, account: Account) -> Response:
        assignment = request.query_params.get("assignment")
        rows = await run_in_threadpool(service.store.list, account, assignment)
        names = [assignment] if assignment in _assignments() else _assignments()
        remaining = {}
        for name in names:
            left = await run_in_threadpool(
                admission.allowance, service.store, account.student, name
            )
            remaining[name] = left.remaining
        return JSONResponse({"submissions": [_api_row(r) for r in rows], "remaining": remaining})

    async def api_one(request: Request, _: Service, account: Account) -> Response:
        row = await _owned(request, account)
        if row is None:
            return _not_found(request)
        return JSONResponse(_api_row(row))

    async def api_submit(request: Request, _: Service, account: Account) -> Response:
        try:
            admitted = await _upload(request, account)
        except admission.Refused as refusal:
            body: dict[str, Any] = {"error": str(refusal)}
            assignment = request.query_params.get("assignment")
            with contextlib.suppress(Exception):
                form = await request.form()
                assignment = str(form.get("assignment") or assignment or "")
            if assignment in _assignments():
                left = await run_in_threadpool(
                    admission.allowance, service.store, account.student, assignment
                )
                body["remaining"] = left.remaining
            return JSONResponse(body, status_code=refusal.status)
        return JSONResponse(
            {
                "id": admitted.submission_id,
                "state": "queued",
                "late": admitted.late,
                "remaining": admitted.remaining,
                "url": f"{root}/submissions/{admitted.submission_id}",
                "api": f"{root}/api/submissions/{admitted.submission_id}",
            },
            status_code=202,
        )

    async def instructor_page(request: Request, _: Service, account: Account) -> Response:
        rows = await run_in_threadpool(service.store.list, account)
        names = _assignments()
        settings = {n: await run_in_threadpool(service.store.settings, n) for n in names}
        return render(
            request,
            service,
            "instructor.html",
            account=account,
            assignments=names,
            settings=settings,
            students=class_table(rows),
            questions={n: question_summary(latest(rows, n)) for n in names},
            submissions=rows,
            newest={t["latest"]["id"] for t in class_table(rows)},
            message=request.query_params.get("done", ""),
        )

    async def regrade(request: Request, _: Service, account: Account) -> Response:
        submission_id = _int(request.path_params["id"])
        queued = submission_id is not None and await run_in_threadpool(
            service.store.regrade, submission_id
        )
        if not queued:
            return _not_found(request)
        if service.workers is not None:
            service.workers.wake()
        return _to(f"/instructor?done=regrade+{submission_id}+queued")

    async def set_settings(request: Request, _: Service, account: Account) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        assignment = str(form.get("assignment", ""))
        rate, window = str(form.get("rate_limit", "")), str(form.get("rate_window", "3600"))
        if assignment not in _assignments() or not rate.isdigit() or not window.isdigit():
            return _error("Invalid settings.", 400)
        value = Settings(form.get("accept_late") == "yes", int(rate), max(60, int(window)))
        await run_in_threadpool(service.store.set_settings, assignment, value)
        return _to("/instructor?done=settings+saved")

    async def export(request: Request, _: Service, account: Account) -> Response:
        rows = await run_in_threadpool(service.store.list, account)
        headers = {"Content-Disposition": 'attachment; filename="submissions.csv"'}
        return Response(export_csv(rows), media_type="text/csv", headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if service.workers is not None:
            service.workers.start()
        try:
            yield
        finally:
            if service.workers is not None:
                service.workers.stop()

    logins: list[BaseRoute] = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
    routes: list[BaseRoute] = [
        *(logins if login_flow is None else login_flow.routes()),
        Route("/", page(home)),
        Route("/student", page(student_page)),
        Route("/submit", page(submit_form), methods=["POST"]),
        Route("/submissions/{id}", page(submission_page)),
        Route("/submissions/{id}/feedback", page(feedback)),
        Route("/api/submissions", page(api_list), methods=["GET"]),
        Route("/api/submissions", page(api_submit), methods=["POST"]),
        Route("/api/submissions/{id}", page(api_one)),
        Route("/instructor", page(instructor_page, instructor=True)),
        Route("/instructor/regrade/{id}", page(regrade, instructor=True), methods=["POST"]),
        Route("/instructor/settings", page(set_settings, instructor=True), methods=["POST"]),
        Route("/instructor/export.csv", page(export, instructor=True)),
    ]

    async def missing(request: Request, exc: Exception) -> Response:
        return _not_found(request)

    async def too_large(request: Request, exc: Exception) -> Response:
        if _is_api(request, root):
            return JSONResponse({"error": str(exc)}, status_code=413)
        return _error(str(exc), 413)

    if root:  # behind the Hub's proxy, which forwards <prefix>/... unchanged
        routes = [Mount(root, routes=routes)]
    handlers = {404: missing, TooLarge: too_large}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    small = {root + path: 16_384 for path in ("/login", "/logout", "/instructor/settings")}
    return BodyLimit(app, default=admission.MAX_BYTES + 100_000, small=small, api=root + "/api/")


def latest(rows: list[dict[str, Any]], assignment: str) -> list[dict[str, Any]]:
    """Each student's newest submission of ``assignment`` (``rows`` newest first)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["assignment"] == assignment and row["student"] not in seen:
            seen[row["student"]] = row
    return list(seen.values())


def class_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per student and assignment: latest and best score, flags, submissions made.

    Example:
        >>> rows = [{"student": "a", "assignment": "x", "state": "graded", "score": 1.0,
        ...          "max_score": 2.0, "flags": [], "late": False, "id": 2},
        ...         {"student": "a", "assignment": "x", "state": "graded", "score": 2.0,
        ...          "max_score": 2.0, "flags": ["f"], "late": False, "id": 1}]
        >>> t = class_table(rows)[0]; (t["latest"]["score"], t["best"], t["flags"])
        (1.0, 2.0, ['f'])
    """
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:  # newest first
        key = (row["student"], row["assignment"])
        entry = table.setdefault(
            key,
            {
                "student": row["student"],
                "assignment": row["assignment"],
                "latest": row,
                "best": None,
                "flags": [],
                "late": False,
                "count": 0,
            },
        )
        entry["count"] += 1
        entry["late"] = entry["late"] or row["late"]
        entry["flags"] = sorted(set(entry["flags"]) | set(row["flags"]))
        if row["state"] == "graded" and row["score"] is not None:
            entry["best"] = max(entry["best"] or 0.0, row["score"])
    return [table[k] for k in sorted(table)]


CSV_COLUMNS = ["id", "assignment", "student", "received_at", "state", "score", "max_score"]
CSV_COLUMNS += ["late", "late_penalty", "flags", "error"]


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet never reads as a formula."""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = "" if value is None else text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(rows: list[dict[str, Any]]) -> str:
    """Every submission the account may see, oldest first, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in sorted(rows, key=lambda r: r["id"]):
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()
