"""What every route shares: templates, page headers, the login/instructor/CSRF guard, errors,
redirects and the one scoped submission lookup.

Every lookup is scoped to the account asking: a student's ids only ever reach her own rows
(``Store.get``/``Store.list``), anything else is a 404, whatever id, path or header she sends;
instructor pages are a 404 for students too. Pages are Jinja2 templates (``pages/``,
autoescaped), with no script but a few inline lines that poll the status endpoint.

Example:
    >>> submission_id("12"), submission_id("../12"), submission_id("9" * 20)
    (12, None, None)
    >>> route = Route("/instructor", guard(service, class_page, instructor=True))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from neurogebra_grader.service.auth import bearer
from neurogebra_grader.service.class_table import final_score, score_text
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.store import Account

pages = Environment(
    loader=PackageLoader("neurogebra_grader.service", "pages"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
pages.filters["score"] = score_text  # every page's score is after the late penalty
pages.filters["final_score"] = final_score
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

Handler = Callable[[Request, Service, Account], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def is_api(request: Request, service: Service) -> bool:
    """Whether ``request`` is for the JSON API (its errors are JSON, not pages)."""
    return request.url.path.startswith(service.root + "/api/")


def error(service: Service, message: str, status: int) -> HTMLResponse:
    """The error page saying ``message``."""
    body = pages.get_template("error.html").render(message=message, root=service.root)
    return HTMLResponse(body, status)


def problem(request: Request, service: Service, message: str, status: int) -> Response:
    """``message`` as JSON for the API, as the error page otherwise."""
    if is_api(request, service):
        return JSONResponse({"error": message}, status_code=status)
    return error(service, message, status)


def not_found(request: Request, service: Service) -> Response:
    """The one 404 answer: the same for a missing row and for someone else's."""
    return problem(request, service, "not found" if is_api(request, service) else "Not found.", 404)


def forbidden(request: Request, service: Service) -> Response:
    """The answer to a POST without the session's CSRF token."""
    message = "the form's CSRF token is missing or wrong: reload the page and try again"
    return problem(request, service, message, 403)


def redirect(service: Service, path: str) -> RedirectResponse:
    """A redirect to one of the service's own pages (``path`` below the prefix)."""
    return RedirectResponse(service.root + path, status_code=303)


def render(
    request: Request, service: Service, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page template ``name`` with the session's CSRF token and the URL prefix."""
    session = service.sessions.read(request)
    body = pages.get_template(name).render(csrf=session["csrf"], root=service.root, **context)
    response = HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)
    service.sessions.save(request, response, session)
    return response


def submission_id(value: str) -> int | None:
    """A path's submission id as a number, or None if it is not a plain short number."""
    return int(value) if value.isdigit() and len(value) < 12 else None


async def owned(request: Request, service: Service, account: Account) -> dict[str, Any] | None:
    """The submission the path's ``id`` names, if ``account`` may see it; else None."""
    number = submission_id(request.path_params["id"])
    if number is None:
        return None
    return await run_in_threadpool(service.store.get, number, account)


def has_feedback(service: Service, row: dict[str, Any]) -> bool:
    """Whether the feedback page of submission ``row`` has been written."""
    return service.store.feedback_path(row["id"]).is_file()


async def csrf_ok(request: Request, service: Service) -> bool:
    """Whether a POST carries the session's CSRF token (header or form field)."""
    if is_api(request, service) and bearer(request) is not None:
        return True  # the header alone named the user (auth.bearer, hub.api_token): no forgery
    if request.headers.get("x-csrf-token"):
        return service.sessions.csrf_ok(request, request.headers["x-csrf-token"])
    form = await request.form(max_files=1, max_fields=20)
    return service.sessions.csrf_ok(request, form.get("csrf"))


def guard(service: Service, handler: Handler, *, instructor: bool = False) -> Endpoint:
    """``handler`` behind the login (and, for ``instructor``, the role) and the CSRF check."""
    login_flow = service.login

    async def endpoint(request: Request) -> Response:
        account = await service.identity.user(request)
        api = is_api(request, service)
        if account is None:
            if api:
                how = "a bearer token" if login_flow is None else "JupyterHub or a Hub token"
                return JSONResponse({"error": f"log in first ({how})"}, 401)
            if login_flow is not None:
                return login_flow.login_redirect(request)
            return redirect(service, "/login")
        if instructor and not account.instructor:
            return not_found(request, service)
        if request.method == "POST" and not await csrf_ok(request, service):
            return forbidden(request, service)
        return await handler(request, service, account)

    return endpoint
