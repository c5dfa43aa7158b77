"""Walking a computation graph without recursion.

Nodes are hashed by identity (neither Value nor Tensor defines ``__eq__``), so sets of nodes are
cheap and exact.

Example:
    >>> from neurogebra.core.autograd import Value
    >>> a = Value(1.0, label="a")
    >>> b = a * 2
    >>> [v.label or v.op for v in topological_order(b + a)]
    ['a', '*', '+']
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar


class Node(Protocol):
    """Anything with the inputs it was computed from in ``_prev``."""

    @property
    def _prev(self) -> tuple[Any, ...]: ...  # inputs of the same kind as the node


N = TypeVar("N", bound=Node)


def topological_order(root: N) -> list[N]:
    """Every node ``root`` depends on, inputs before the nodes computed from them.

    Iterative depth-first search, so a chain of any length works (a recursive walk stops
    near Python's recursion limit of about 1,000 frames). Each node is expanded once; a
    ``None`` on the stack marks "the node below me has had all its inputs ordered". Leaves
    (nodes without inputs) are placed as soon as they are met: nothing has to precede them.
    """
    return _depth_first_order(root, keep_leaves=True)


def computed_nodes_in_order(root: N) -> list[N]:
    """Like :func:`topological_order`, but only the computed nodes (those with inputs).

    Leaves are never visited: a backward pass only adds into them (as the inputs of computed
    nodes), so they need no place in the order, and a network's many parameters cost no set
    or list work. A graph that is one chain (each node computed from at most one computed
    node, as in a plain stack of layers) is ordered by following the chain: no search needed.

    Example:
        >>> from neurogebra.core.autograd import Value
        >>> a = Value(1.0)
        >>> b = a * 2
        >>> [v.op for v in computed_nodes_in_order(b + b * 3)]
        ['*', '*', '+']
    """
    chain = [root]
    node = root
    while True:
        computed_input = None
        for child in node._prev:
            if child._prev:
                if computed_input is not None and child is not computed_input:
                    return _depth_first_order(root, keep_leaves=False)  # the graph branches
                computed_input = child
        if computed_input is None:
            chain.reverse()
            return chain
        chain.append(computed_input)
        node = computed_input


def _depth_first_order(root: N, keep_leaves: bool) -> list[N]:
    """The iterative depth-first search behind both orders (leaves kept or left out)."""
    order: list[N] = []
    expanded: set[N] = set()
    stack: list[N | None] = [root]
    push, pop, expand, emit = stack.append, stack.pop, expanded.add, order.append
    while stack:
        node = pop()
        if node is None:
            emit(pop())  # type: ignore[arg-type]
            continue
        if node in expanded:
            continue
        expand(node)
        push(node)
        push(None)  # marks "every input of the node below has been ordered"
        for child in node._prev:
            if child in expanded:
                continue
            if child._prev:
                push(child)
            elif keep_leaves:  # nothing has to precede a leaf: place it now
                expand(child)
                emit(child)
    return order
