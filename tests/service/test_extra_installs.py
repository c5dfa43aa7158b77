"""The service extra installs what `neurogebra-grader serve` imports."""

import importlib


def test_the_service_dependencies_are_installed():
    for module in ("starlette", "uvicorn", "multipart", "itsdangerous", "jinja2", "httpx"):
        assert importlib.import_module(module).__name__ == module
