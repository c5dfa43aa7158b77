"""Standalone logins: a student's token, typed (or filled in from a link) into the login form.

In JupyterHub mode the Hub's OAuth routes (``ExternalLogin.routes``) take these URLs instead.

Example:
    >>> [r.path for r in routes(service)]  # doctest: +SKIP
    ['/login', '/login', '/logout']
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from neurogebra_grader.service.state import Service
from neurogebra_grader.service.web import forbidden, redirect, render


async def login_page(request: Request, service: Service) -> Response:
    """The login form. A login link (/login?token=...) only fills the form in: a GET never
    logs anyone in, so a link opened by a mail scanner or a prefetch changes nothing."""
    token = request.query_params.get("token", "")
    return render(request, service, "login.html", token=token if len(token) < 200 else "")


async def login(request: Request, service: Service) -> Response:
    """Log in with the form's token: a fresh session for its account, or the form again."""
    form = await request.form(max_files=0, max_fields=5)
    if not service.sessions.csrf_ok(request, form.get("csrf")):
        return forbidden(request, service)
    token = form.get("token")
    account = None
    if isinstance(token, str) and 0 < len(token) < 200:
        account = await run_in_threadpool(service.store.account_for_token, token.strip())
    if account is None:
        return render(request, service, "login.html", 401, error="That token is not valid.")
    key = await run_in_threadpool(service.store.key_of, account.student)
    response = redirect(service, "/")
    service.sessions.save(request, response, service.sessions.new(account.student, key))
    return response


async def logout(request: Request, service: Service) -> Response:
    """Log out: the session is replaced by an anonymous one."""
    form = await request.form(max_files=0, max_fields=5)
    if not service.sessions.csrf_ok(request, form.get("csrf")):
        return forbidden(request, service)
    response = redirect(service, "/login")
    service.sessions.save(request, response, service.sessions.new())
    return response


def routes(service: Service) -> list[BaseRoute]:
    """The login form, the login and the logout of ``service``."""

    async def get_form(request: Request) -> Response:
        return await login_page(request, service)

    async def post_login(request: Request) -> Response:
        return await login(request, service)

    async def post_logout(request: Request) -> Response:
        return await logout(request, service)

    return [
        Route("/login", get_form, methods=["GET"]),
        Route("/login", post_login, methods=["POST"]),
        Route("/logout", post_logout, methods=["POST"]),
    ]
