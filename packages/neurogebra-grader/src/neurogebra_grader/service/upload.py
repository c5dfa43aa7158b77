"""An upload, from the request's form to an admitted submission (the page's and the API's).

Example:
    >>> admitted = await read_and_admit(request, service, account)  # doctest: +SKIP
    >>> admitted.submission_id  # doctest: +SKIP
    7
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from neurogebra_grader.service import admission
from neurogebra_grader.service.state import Service
from neurogebra_grader.service.store import Account


async def read_and_admit(
    request: Request, service: Service, account: Account
) -> admission.Admitted:
    """Admit the form's notebook for ``account`` and wake the workers; raises
    ``admission.Refused`` (with the status to answer) for anything wrong with it."""
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
    service.wake_workers()
    return admitted
