"""Drawing a computation graph with Graphviz, for teaching.

Each Value (or Tensor) becomes a box showing its label, data and grad (a Tensor's shape);
each operation becomes a small circle between its inputs and its result. The returned object
is a ``graphviz.Digraph``, so Jupyter shows it inline, and ``.render()`` / ``.pipe()`` write
files or bytes.

Example:
    >>> from neurogebra.core.autograd import Value, draw_graph
    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> graph = draw_graph(a * b + a)
    >>> type(graph).__mro__[1].__name__
    'Digraph'
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from neurogebra.core.autograd.graph import topological_order

if TYPE_CHECKING:  # graphviz is imported on first use: it costs ~70 ms at start-up
    import graphviz

    from neurogebra.core.autograd.value import Value
    from neurogebra.core.tensor import Tensor

INSTALL_DOT_HINT = (
    "Graphviz's `dot` program is needed to render the graph and was not found on PATH. "
    "Install it with `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS) or `conda install graphviz`; the graph's source is still available as `.source`."
)

OP_SYMBOLS = {"neg": "−x", "sum": "Σ"}
RECORD_SPECIALS = frozenset("{}|<>\\")


def _record_text(text: str) -> str:
    """``text`` escaped for a record label, where ``{ } | < >`` would start new fields.

    A backslash escapes them (and itself); graphviz's own quoting already handles ``"``.
    """
    return "".join("\\" + ch if ch in RECORD_SPECIALS else ch for ch in text)


@functools.cache
def _graph_class() -> type[graphviz.Digraph]:
    """A Digraph whose rendering errors say how to install `dot` when it is missing."""
    import graphviz

    class DotNotFound(graphviz.ExecutableNotFound):
        """graphviz's error for a missing `dot`, saying how to install it."""

        def __init__(self, cause: graphviz.ExecutableNotFound) -> None:
            RuntimeError.__init__(self, f"{INSTALL_DOT_HINT} (graphviz said: {cause})")

    def explain_missing_dot(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except graphviz.ExecutableNotFound as error:
                raise DotNotFound(error) from None

        return wrapper

    class ComputationGraph(graphviz.Digraph):
        """A graphviz.Digraph of a Value graph (see :func:`draw_graph`)."""

        pipe = explain_missing_dot(graphviz.Digraph.pipe)
        render = explain_missing_dot(graphviz.Digraph.render)
        _repr_mimebundle_ = explain_missing_dot(graphviz.Digraph._repr_mimebundle_)

    return ComputationGraph


def draw_graph(
    root: Value | Tensor, *, rankdir: str = "LR", max_nodes: int = 500
) -> graphviz.Digraph:
    """The computation graph that produced ``root`` (a Value or a Tensor), as a Digraph.

    A Value's box shows its data and grad; a Tensor's box shows its shape (and dtype when not
    float64), and its numbers and gradient when it has at most four. ``rankdir`` is "LR"
    (inputs on the left) or "TB" (inputs on top). Graphs with more than ``max_nodes`` nodes
    raise ValueError: past a few hundred boxes a drawing stops teaching.
    """
    if not hasattr(root, "_prev") or not hasattr(root, "grad"):
        raise TypeError(
            f"draw_graph: expected a Value or a Tensor (the result of a computation), got "
            f"{type(root).__name__} {root!r:.60}"
        )
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_graph: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    nodes = topological_order(root)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"draw_graph: the graph has {len(nodes)} "
            f"{'values' if type(root.data) is float else 'tensors'}, more than "
            f"max_nodes={max_nodes}; "
            "draw a smaller piece of it, or pass a larger max_nodes"
        )
    graph = _graph_class()(graph_attr={"rankdir": rankdir}, node_attr={"fontname": "Helvetica"})
    for node in nodes:
        name = str(id(node))
        title = f"{_record_text(node.label)} | " if node.label else ""
        graph.node(name, f"{{ {title}{_contents(node)} }}", shape="record")
        if node._op:
            op_name = name + node._op
            graph.node(op_name, OP_SYMBOLS.get(node._op, node._op), shape="circle")
            graph.edge(op_name, name)
            for child in node._prev:
                graph.edge(str(id(child)), op_name)
    return graph


def _contents(node: Any) -> str:
    """The fields of a node's box: a Value's numbers, or a Tensor's shape (and small numbers)."""
    if type(node.data) is float:  # a Value (a 0-d Tensor may hold a NumPy float64)
        return f"data {node.data:.4f} | grad {node.grad:.4f}"
    data = node.data
    fields = [f"shape {tuple(data.shape)}"]
    if str(data.dtype) != "float64":
        fields[0] += f" {data.dtype}"
    if data.size <= 4:
        fields.append("data " + _record_text(_numbers(data)))
        if node.grad is not None:
            fields.append("grad " + _record_text(_numbers(node.grad)))
    elif node.grad is not None:
        fields.append("grad ✓")
    return " | ".join(fields)


def _numbers(array: Any) -> str:
    flat = [float(x) for x in array.reshape(-1)] if hasattr(array, "reshape") else [array]
    text = ", ".join(f"{x:.4g}" for x in flat)
    return text if getattr(array, "ndim", 0) == 0 else f"[{text}]"
