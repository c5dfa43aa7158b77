"""The examples in every module's docstring run and show what they claim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import neurogebra_models

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(neurogebra_models.__path__, "neurogebra_models.")
    if not info.name.endswith("__init__") and info.name != "neurogebra_models.training"
)


@pytest.mark.parametrize("name", ["neurogebra_models", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(module, optionflags=flags)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
