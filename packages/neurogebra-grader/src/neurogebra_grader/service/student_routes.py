"""The student's pages: her submissions and upload form, one submission, its feedback.

Each is a guarded handler (``web.guard``): it runs only for a logged-in account, and every
submission it shows comes from the scoped lookup ``web.owned`` (someone else's is a 404).

Example:
    >>> Route("/student", guard(service, student_page))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from neurogebra_grader.service import admission, feedback_page
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.store import Account
from neurogebra_grader.service.upload import read_and_admit
from neurogebra_grader.service.web import (
    FEEDBACK_CSP,
    PAGE_HEADERS,
    has_feedback,
    not_found,
    owned,
    redirect,
    render,
)


async def home(request: Request, service: Service, account: Account) -> Response:
    """``/``: the instructor's class page or the student's own page."""
    return redirect(service, "/instructor" if account.instructor else "/student")


async def student_page(
    request: Request, service: Service, account: Account, status: int = 200, **extra: Any
) -> Response:
    """The student's submissions, the upload form and what is left of her allowance."""
    rows = await run_in_threadpool(service.store.list, account)
    names = service.assignments()
    left = {
        name: await run_in_threadpool(admission.allowance, service.store, account.student, name)
        for name in names
    }
    return render(
        request,
        service,
        "student.html",
        status,
        account=account,
        assignments=names,
        allowance=left,
        submissions=rows,
        **extra,
    )


async def submit_form(request: Request, service: Service, account: Account) -> Response:
    """The upload form's POST: to the new submission's page, or the form with the refusal."""
    try:
        admitted = await read_and_admit(request, service, account)
    except admission.Refused as refusal:
        return await student_page(request, service, account, refusal.status, error=str(refusal))
    return redirect(service, f"/submissions/{admitted.submission_id}")


async def submission_page(request: Request, service: Service, account: Account) -> Response:
    """One submission: its state, scores (after any late penalty) and a feedback link."""
    row = await owned(request, service, account)
    if row is None:
        return not_found(request, service)
    return render(
        request,
        service,
        "submission.html",
        account=account,
        s=row,
        has_feedback=has_feedback(service, row),
    )


async def feedback(request: Request, service: Service, account: Account) -> Response:
    """A submission's feedback page, sandboxed (no script, no origin: it holds her HTML)."""
    row = await owned(request, service, account)
    path = service.store.feedback_path(row["id"]) if row else None
    if path is None or not path.is_file():
        return not_found(request, service)
    headers = PAGE_HEADERS | {"Content-Security-Policy": FEEDBACK_CSP}
    page = feedback_page.accessible(path.read_text(encoding="utf-8"))
    return HTMLResponse(page, headers=headers)
