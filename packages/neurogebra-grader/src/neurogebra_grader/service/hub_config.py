"""The service's own JupyterHub-mode settings: who is an instructor, and the cookie secret.

The Hub's part of the configuration (API token and URL, OAuth client id, service prefix) is read
by `jupyterhub.services.auth.HubOAuth` in `hub.py`; these are the service's additions, also read
from the environment so that `c.JupyterHub.services[...]["environment"]` can set them.

Example:

    >>> settings = HubSettings.from_environ(
    ...     {"NEUROGEBRA_HUB_INSTRUCTORS": "ingrid, ian", "NEUROGEBRA_HUB_COOKIE_SECRET": "ab" * 32}
    ... )
    >>> sorted(settings.instructors), sorted(settings.instructor_groups)
    (['ian', 'ingrid'], ['instructors'])
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

INSTRUCTORS = "NEUROGEBRA_HUB_INSTRUCTORS"  # Hub user names, comma-separated
INSTRUCTOR_GROUPS = "NEUROGEBRA_HUB_INSTRUCTOR_GROUPS"  # Hub groups, comma-separated
COOKIE_SECRET = "NEUROGEBRA_HUB_COOKIE_SECRET"  # hex, at least 32 bytes
DEFAULT_INSTRUCTOR_GROUPS = "instructors"
MIN_SECRET_BYTES = 32


def _names(text: str) -> frozenset[str]:
    """The non-empty, stripped items of a comma-separated list."""
    return frozenset(item.strip() for item in text.split(",") if item.strip())


@dataclass(frozen=True)
class HubSettings:
    """Instructors (by Hub user name or Hub group) and the secret that signs the cookies.

    Without a configured secret a random one is drawn: sessions then last as long as the
    process, and a restart only sends each browser through the (silent) OAuth dance again.
    """

    instructors: frozenset[str]
    instructor_groups: frozenset[str]
    cookie_secret: bytes

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> HubSettings:
        """Read the settings; an unusable secret is an error, never silently replaced."""
        secret_hex = environ.get(COOKIE_SECRET, "").strip()
        if secret_hex:
            try:
                secret = bytes.fromhex(secret_hex)
            except ValueError:
                raise ValueError(f"{COOKIE_SECRET} must be hexadecimal") from None
            if len(secret) < MIN_SECRET_BYTES:
                raise ValueError(f"{COOKIE_SECRET} must hold at least {MIN_SECRET_BYTES} bytes")
        else:
            secret = secrets.token_bytes(MIN_SECRET_BYTES)
        return cls(
            instructors=_names(environ.get(INSTRUCTORS, "")),
            instructor_groups=_names(environ.get(INSTRUCTOR_GROUPS, DEFAULT_INSTRUCTOR_GROUPS)),
            cookie_secret=secret,
        )
