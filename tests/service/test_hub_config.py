"""JupyterHub mode's configuration and OAuth-state bookkeeping, without a Hub (issue 16, §2).

The modules' docstring examples run in the tests-service session (`--doctest-modules`).
"""

from __future__ import annotations

import time

import pytest

from neurogebra_grader.service import hub
from neurogebra_grader.service.hub import HubIdentity, _PendingLogins
from neurogebra_grader.service.hub_config import HubSettings

HUB_ENVIRONMENT = {  # what JupyterHub gives a managed service called "grader"
    "JUPYTERHUB_API_TOKEN": "t" * 32,
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_CLIENT_ID": "service-grader",
    "JUPYTERHUB_SERVICE_PREFIX": "/services/grader/",
    "JUPYTERHUB_SERVICE_NAME": "grader",
}


def test_instructors_come_from_names_and_groups() -> None:
    settings = HubSettings.from_environ(
        {"NEUROGEBRA_HUB_INSTRUCTORS": " ingrid,,ian ", "NEUROGEBRA_HUB_INSTRUCTOR_GROUPS": "ta"}
    )
    assert settings.instructors == {"ingrid", "ian"}
    assert settings.instructor_groups == {"ta"}
    assert HubSettings.from_environ({}).instructors == frozenset()


def test_an_unusable_cookie_secret_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ValueError, match="hexadecimal"):
        HubSettings.from_environ({"NEUROGEBRA_HUB_COOKIE_SECRET": "not hex"})
    with pytest.raises(ValueError, match="32 bytes"):
        HubSettings.from_environ({"NEUROGEBRA_HUB_COOKIE_SECRET": "ab" * 8})
    drawn = {HubSettings.from_environ({}).cookie_secret for _ in range(2)}
    assert len(drawn) == 2 and all(len(secret) == 32 for secret in drawn)


def test_the_hub_environment_configures_the_oauth_client() -> None:
    identity = HubIdentity.from_environ(HUB_ENVIRONMENT)
    assert identity.prefix == "/services/grader/"
    assert identity.mount_path == "/services/grader"
    assert identity.hub_login_url == "/hub/login"
    assert [route.path for route in identity.routes()] == ["/oauth_callback", "/logout"]


@pytest.mark.parametrize("missing", sorted(hub.REQUIRED))
def test_a_missing_hub_variable_is_named(missing: str) -> None:
    environment = {key: value for key, value in HUB_ENVIRONMENT.items() if key != missing}
    with pytest.raises(ValueError, match=missing):
        HubIdentity.from_environ(environment)


def test_without_an_access_scope_the_service_does_not_start() -> None:
    environment = {k: v for k, v in HUB_ENVIRONMENT.items() if k != "JUPYTERHUB_SERVICE_NAME"}
    with pytest.raises(ValueError, match="JUPYTERHUB_OAUTH_ACCESS_SCOPES"):
        HubIdentity.from_environ(environment)


def test_pending_logins_are_used_once_expire_and_stay_bounded() -> None:
    logins = _PendingLogins(max_age=0.2, limit=3)
    states = [logins.add(f"/services/grader/{n}", "verifier", "cookie") for n in range(5)]
    assert len(set(states)) == 5
    assert [logins.peek(state) is not None for state in states] == [False, False, True, True, True]
    assert logins.take(states[4]) is not None
    assert logins.take(states[4]) is None
    time.sleep(0.3)
    assert logins.peek(states[3]) is None
