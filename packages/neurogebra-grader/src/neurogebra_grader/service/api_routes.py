"""The JSON API (``/api/submissions``): what the ``submit`` command and scripts use.

A bearer token (standalone) or the session cookie names the account; every row is scoped to it
as on the pages, and each carries the URLs of its page and feedback.

Example:
    >>> Route("/api/submissions", guard(service, api_list), methods=["GET"])  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from neurogebra_grader.service import admission
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.store import Account
from neurogebra_grader.service.upload import read_and_admit
from neurogebra_grader.service.web import has_feedback, not_found, owned


def api_row(service: Service, row: dict[str, Any]) -> dict[str, Any]:
    """A submission row with the URLs of its page and (once written) its feedback."""
    out = dict(row)
    out["url"] = f"{service.root}/submissions/{row['id']}"
    feedback = f"{service.root}/submissions/{row['id']}/feedback"
    out["feedback_url"] = feedback if has_feedback(service, row) else None
    return out


async def _remaining(service: Service, account: Account, names: list[str]) -> dict[str, int]:
    """Submissions left now, per assignment in ``names``."""
    remaining = {}
    for name in names:
        left = await run_in_threadpool(admission.allowance, service.store, account.student, name)
        remaining[name] = left.remaining
    return remaining


async def api_list(request: Request, service: Service, account: Account) -> Response:
    """GET: the account's submissions (``?assignment=`` for one) and what is left of each."""
    assignment = request.query_params.get("assignment")
    rows = await run_in_threadpool(service.store.list, account, assignment)
    names = service.assignments()
    names = [assignment] if assignment in names else names
    remaining = await _remaining(service, account, names)
    rows_out = [api_row(service, r) for r in rows]
    return JSONResponse({"submissions": rows_out, "remaining": remaining})


async def api_one(request: Request, service: Service, account: Account) -> Response:
    """GET one submission (the account's own, else 404)."""
    row = await owned(request, service, account)
    if row is None:
        return not_found(request, service)
    return JSONResponse(api_row(service, row))


async def api_submit(request: Request, service: Service, account: Account) -> Response:
    """POST a notebook: 202 with the new submission's id and URLs, or the refusal's status."""
    try:
        admitted = await read_and_admit(request, service, account)
    except admission.Refused as refusal:
        body: dict[str, Any] = {"error": str(refusal)}
        assignment = request.query_params.get("assignment")
        with contextlib.suppress(Exception):
            form = await request.form()
            assignment = str(form.get("assignment") or assignment or "")
        if assignment in service.assignments():
            name = str(assignment)
            body["remaining"] = (await _remaining(service, account, [name]))[name]
        return JSONResponse(body, status_code=refusal.status)
    root = service.root
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
