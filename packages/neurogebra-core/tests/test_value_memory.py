"""A finished Value graph holds no reference cycles: reference counting alone frees it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from neurogebra.core.autograd import Value, topological_order
from neurogebra.examples.spiral import ScalarMLP, softmax_cross_entropy


@contextmanager
def cyclic_gc_off() -> Iterator[None]:
    """Only reference counting frees objects inside this block."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assert_freed_by_reference_counting(build: Callable[[], object]) -> int:
    """Build a graph, run backward, drop it; every node must die before any gc pass.

    ``build`` returns the root; the number of nodes checked is returned.
    """
    with cyclic_gc_off():
        root = build()
        root.backward()  # type: ignore[attr-defined]
        refs = [weakref.ref(node) for node in topological_order(root)]  # type: ignore[arg-type]
        count = len(refs)
        del root
        alive = sum(ref() is not None for ref in refs)
        assert alive == 0, f"{alive} of {count} nodes survived `del` (a reference cycle)"
        gc.set_debug(gc.DEBUG_SAVEALL)  # keep whatever the collector finds, to inspect it
        try:
            gc.collect()
            found = [o for o in gc.garbage if isinstance(o, Value)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        assert found == [], f"the cycle collector found {len(found)} Values"
    return count


def small_graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a**2
    return (c.tanh() + c.sigmoid() * b - a / (b * b + 1)).exp() + Value.sum([a, b, c]).relu()


def deep_chain() -> Value:
    x = Value(0.5)
    out = x
    for _ in range(100_000):
        out = out * 1.0 + x
    return out


def test_small_graph_is_freed_without_the_cycle_collector() -> None:
    assert assert_freed_by_reference_counting(small_graph) > 10


def test_hundred_thousand_node_chain_is_freed_without_the_cycle_collector() -> None:
    assert assert_freed_by_reference_counting(deep_chain) > 200_000


def test_training_step_frees_the_graph_but_keeps_the_parameters() -> None:
    model = ScalarMLP([2, 8, 3])
    params = model.parameters()

    def step() -> Value:
        losses = [
            softmax_cross_entropy(model([Value(0.3 * i), Value(-0.2 * i)]), i % 3) for i in range(4)
        ]
        return Value.sum(losses)

    with cyclic_gc_off():
        root = step()
        root.backward()
        inner = [weakref.ref(n) for n in topological_order(root) if n.children]
        del root
        assert all(ref() is None for ref in inner)
    assert any(p.grad != 0.0 for p in params)  # the parameters live on with their grads


def test_the_check_detects_a_cycle() -> None:
    """The helper fails for a graph that only the cycle collector could free (it can fail)."""

    def kept_by_unreachable_cycle() -> Value:
        root = small_graph()
        holder: list[object] = [root]
        holder.append(holder)  # garbage once we return, but only gc.collect() can free it
        return root

    with pytest.raises(AssertionError, match="survived"):
        assert_freed_by_reference_counting(kept_by_unreachable_cycle)
    gc.collect()
