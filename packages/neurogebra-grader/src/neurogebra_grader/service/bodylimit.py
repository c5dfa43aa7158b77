"""A cap on request bodies, before any form parser reads them (pure ASGI middleware).

Starlette reads a url-encoded form whole into memory and spools a multipart one to disk, so
without a cap anyone could send the login form a gigabyte. A request whose Content-Length is
over the cap gets a 413 at once; one without a length (chunked) is counted as it is read and
cut off at the cap.

Example:
    >>> app = BodyLimit(inner_app, default=21_000_000, small={"/login": 16_384})  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response

Scope = dict[str, Any]


class TooLarge(Exception):
    """A chunked body passed the cap while it was read."""


class BodyLimit:
    """Refuse bodies over ``default`` bytes (``small[path]`` for the paths named there)."""

    def __init__(
        self, app: Any, default: int, small: dict[str, int] | None = None, api: str = "/api/"
    ) -> None:
        self.app, self.default, self.small = app, default, small or {}
        self.api = api  # where the JSON API is (its refusals are JSON)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.small.get(scope.get("path", ""), self.default)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length and (not length.isdigit() or int(length) > cap):
            message = f"the upload is larger than the limit ({cap:,} bytes)"
            response: Response = PlainTextResponse(message, 413)
            if scope.get("path", "").startswith(self.api):
                response = JSONResponse({"error": message}, 413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise TooLarge(f"the request passed {cap:,} bytes")
            return message

        await self.app(scope, counted, send)
