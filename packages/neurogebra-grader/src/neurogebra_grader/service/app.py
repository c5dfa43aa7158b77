"""The HTTP app (Starlette): assembles the routes of each audience, the error handlers, the
body-size limits and the workers' lifetime.

Who sees what lives elsewhere: ``student_routes`` (her pages), ``api_routes`` (JSON),
``instructor_routes`` (the class), ``login_routes`` (standalone logins), and ``web`` (the
guard, the scoped lookup and the page helpers they share).

Example:
    >>> app = create_app(Service.open(Course.load("course")))  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from neurogebra_grader.service import admission, login_routes
from neurogebra_grader.service.api_routes import api_list, api_one, api_submit
from neurogebra_grader.service.bodylimit import BodyLimit, TooLarge
from neurogebra_grader.service.instructor_routes import class_page, export, regrade, set_settings
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.student_routes import (
    feedback,
    home,
    student_page,
    submission_page,
    submit_form,
)
from neurogebra_grader.service.web import Endpoint, Handler, guard, not_found, problem

__all__ = ["Service", "create_app"]  # what the CLI imports from here


def create_app(service: Service) -> BodyLimit:
    """The Starlette app of ``service`` (its workers start and stop with it), mounted under
    ``service.root``; with an identity of its own login flow (JupyterHub), its routes replace
    ``/login`` and ``/logout``."""
    root, login_flow = service.root, service.login

    def anyone(handler: Handler) -> Endpoint:  # any logged-in account (rows scoped to it)
        return guard(service, handler)

    def instructor(handler: Handler) -> Endpoint:  # a 404 for students
        return guard(service, handler, instructor=True)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if service.workers is not None:
            service.workers.start()
        try:
            yield
        finally:
            if service.workers is not None:
                service.workers.stop()

    routes: list[BaseRoute] = [
        *(login_routes.routes(service) if login_flow is None else login_flow.routes()),
        Route("/", anyone(home)),
        Route("/student", anyone(student_page)),
        Route("/submit", anyone(submit_form), methods=["POST"]),
        Route("/submissions/{id}", anyone(submission_page)),
        Route("/submissions/{id}/feedback", anyone(feedback)),
        Route("/api/submissions", anyone(api_list), methods=["GET"]),
        Route("/api/submissions", anyone(api_submit), methods=["POST"]),
        Route("/api/submissions/{id}", anyone(api_one)),
        Route("/instructor", instructor(class_page)),
        Route("/instructor/regrade/{id}", instructor(regrade), methods=["POST"]),
        Route("/instructor/settings", instructor(set_settings), methods=["POST"]),
        Route("/instructor/export.csv", instructor(export)),
    ]

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found(request, service)

    async def too_large(request: Request, exc: Exception) -> Response:
        return problem(request, service, str(exc), 413)

    if root:  # behind the Hub's proxy, which forwards <prefix>/... unchanged
        routes = [Mount(root, routes=routes)]
    handlers = {404: missing, TooLarge: too_large}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    small = {root + path: 16_384 for path in ("/login", "/logout", "/instructor/settings")}
    return BodyLimit(app, default=admission.MAX_BYTES + 100_000, small=small, api=root + "/api/")
