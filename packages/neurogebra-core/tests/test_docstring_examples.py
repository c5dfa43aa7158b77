"""The examples in the symbolic layer's docstrings run and show what they claim."""

from __future__ import annotations

import doctest
import importlib

import pytest

from neurogebra.repository import CATEGORIES

MODULES = [
    *(
        f"neurogebra.core.{name}"
        for name in (
            "parsing", "naming", "compiling", "value_functions", "differentiation", "expression",
            "explain", "compose_grammar", "forge", "optimizers", "trainer",
        )
    ),
    "neurogebra.repository",
    "neurogebra.repository.entry",
    *(f"neurogebra.repository.{category}" for category in CATEGORIES),
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
