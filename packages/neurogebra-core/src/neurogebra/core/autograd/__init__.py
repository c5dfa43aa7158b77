"""Scalar automatic differentiation: :class:`Value`, and tools to look at its graphs.

Example:
    >>> from neurogebra.core.autograd import Value
    >>> x = Value(2.0)
    >>> y = x * Value(3.0) + x**2
    >>> y.backward()
    >>> x.grad
    7.0
"""

from neurogebra.core.autograd.drawing import draw_graph
from neurogebra.core.autograd.graph import topological_order
from neurogebra.core.autograd.value import Value

__all__ = ["Value", "draw_graph", "topological_order"]
