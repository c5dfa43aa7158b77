"""The examples in the Tensor modules' docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "neurogebra.core.tensor",
    "neurogebra.core.tensor.tensor",
    "neurogebra.core.tensor.gradients",
    "neurogebra.core.tensor.reductions",
    "neurogebra.core.tensor.shaping",
    "neurogebra.core.tensor.nn_functions",
    "neurogebra.core.tensor.linear",
    "neurogebra.core.tensor.grad_mode",
    "neurogebra.core.autograd.graph",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
