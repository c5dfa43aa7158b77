"""Scalar automatic differentiation: :class:`Value`, and tools to look at its graphs.

Example:
    >>> from neurogebra.core.autograd import Value
    >>> x = Value(2.0)
    >>> y = x * Value(3.0) + x**2
    >>> y.backward()
    >>> x.grad
    7.0

``Tensor`` is importable from here too, as in neurogebra 2.x (it lives in
:mod:`neurogebra.core.tensor`):

    >>> from neurogebra.core.autograd import Tensor
    >>> Tensor([1.0, 2.0]).sum().item()
    3.0
"""

from typing import Any

from neurogebra.core.autograd.drawing import draw_graph
from neurogebra.core.autograd.graph import topological_order
from neurogebra.core.autograd.value import Value

__all__ = ["Tensor", "Value", "draw_graph", "topological_order"]


def __getattr__(name: str) -> Any:
    # Imported on first use: neurogebra.core.tensor itself imports autograd.graph.
    if name == "Tensor":
        from neurogebra.core.tensor import Tensor

        return Tensor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
