"""JupyterHub mode's `Identity`: the Hub's OAuth (`hub.HubIdentity`) says who, the store keeps
an account row for each Hub user, made at their first visit with the role the Hub gives them.

On pages, only the service's signed OAuth cookie names a user, so every form POST carries its
CSRF token; on the JSON API, a user's own Hub API token in the ``Authorization`` header does
too (``neurogebra-grader submit`` from a JupyterHub server), and then it alone. Both go through
the same `HubIdentity.who`, so both name the same student. Imported only in Hub mode (it needs
the `jupyterhub` package).

Example (what ``neurogebra-grader serve --jupyterhub`` does):

    hub = HubIdentity.from_environ(os.environ)
    service = Service.open(course, identity=lambda store, _: HubAccounts(hub, store))
    app = create_app(service)  # mounted under hub.mount_path, with hub.routes()
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from neurogebra_grader.pipeline.collect import safe_student_name
from neurogebra_grader.service.hub import HubIdentity
from neurogebra_grader.service.store import Account, Store


class HubAccounts:
    """Who a request is, per the Hub, as a service `Account` (a row made on first sight)."""

    def __init__(self, hub: HubIdentity, store: Store) -> None:
        self.hub, self.store = hub, store

    @property
    def mount_path(self) -> str:
        """Where the proxy forwards the service's requests, e.g. ``/services/neurogebra-grader``."""
        return self.hub.mount_path

    def routes(self) -> list[BaseRoute]:
        """The OAuth callback and the logout, in place of the standalone login pages."""
        return list(self.hub.routes())

    def login_redirect(self, request: Request) -> Response:
        """Send a browser without a session through the Hub's OAuth."""
        return self.hub.login_redirect(request)

    async def user(self, request: Request) -> Account | None:
        who = await self.hub.who(request)
        if who is None:
            return None
        if not safe_student_name(who.student):  # it names the student's folders when graded
            raise HTTPException(403, "This JupyterHub user name cannot be a student id here.")
        return await run_in_threadpool(self.store.ensure_account, who.student, who.role)
