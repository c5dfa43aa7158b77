"""The instructor's pages: the class, a regrade, an assignment's settings, the CSV export.

Guarded with ``instructor=True`` (``web.guard``): a student gets the same 404 as for a page
that does not exist.

Example:
    >>> Route("/instructor", guard(service, class_page, instructor=True))  # doctest: +SKIP
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from neurogebra_grader.service.class_table import class_table, export_csv, latest
from neurogebra_grader.service.grading import question_summary
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.store import Account, Settings
from neurogebra_grader.service.web import error, not_found, redirect, render, submission_id


async def class_page(request: Request, service: Service, account: Account) -> Response:
    """The class: each student's latest and best score, pass rates, submissions, settings."""
    rows = await run_in_threadpool(service.store.list, account)
    names = service.assignments()
    settings = {n: await run_in_threadpool(service.store.settings, n) for n in names}
    students = class_table(rows)
    return render(
        request,
        service,
        "instructor.html",
        account=account,
        assignments=names,
        settings=settings,
        students=students,
        questions={n: question_summary(latest(rows, n)) for n in names},
        submissions=rows,
        newest={t["latest"]["id"] for t in students},
        message=request.query_params.get("done", ""),
    )


async def regrade(request: Request, service: Service, account: Account) -> Response:
    """Queue a student's newest submission again (an older one is a 404)."""
    number = submission_id(request.path_params["id"])
    queued = number is not None and await run_in_threadpool(service.store.regrade, number)
    if not queued:
        return not_found(request, service)
    service.wake_workers()
    return redirect(service, f"/instructor?done=regrade+{number}+queued")


async def set_settings(request: Request, service: Service, account: Account) -> Response:
    """Save an assignment's rate limit and whether it accepts late submissions."""
    form = await request.form(max_files=0, max_fields=10)
    assignment = str(form.get("assignment", ""))
    rate, window = str(form.get("rate_limit", "")), str(form.get("rate_window", "3600"))
    if assignment not in service.assignments() or not rate.isdigit() or not window.isdigit():
        return error(service, "Invalid settings.", 400)
    value = Settings(form.get("accept_late") == "yes", int(rate), max(60, int(window)))
    await run_in_threadpool(service.store.set_settings, assignment, value)
    return redirect(service, "/instructor?done=settings+saved")


async def export(request: Request, service: Service, account: Account) -> Response:
    """Every submission as a CSV download."""
    rows = await run_in_threadpool(service.store.list, account)
    headers = {"Content-Disposition": 'attachment; filename="submissions.csv"'}
    return Response(export_csv(rows), media_type="text/csv", headers=headers)
