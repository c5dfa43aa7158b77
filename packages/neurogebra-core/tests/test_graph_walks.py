"""The graph walks backward passes rely on: every computed node once, inputs first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from neurogebra.core.autograd import Value, topological_order
from neurogebra.core.autograd.graph import computed_nodes_in_order
from neurogebra.core.tensor import Tensor, cross_entropy, linear

# A random graph: each step combines one earlier node (or a fresh leaf) with another.
# Small "reach back" numbers make chains, larger ones make branches and shared nodes.
steps = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.booleans()), max_size=40)


def build(program: list[tuple[int, int, bool]]) -> Value:
    nodes = [Value(1.0)]
    for back_a, back_b, use_leaf in program:
        a = nodes[max(0, len(nodes) - 1 - back_a)]
        b = Value(0.5) if use_leaf else nodes[max(0, len(nodes) - 1 - back_b)]
        nodes.append(a * b)
    return nodes[-1]


def assert_valid_order(root, order) -> None:
    expected = {node for node in topological_order(root) if node._prev}
    if not root._prev:
        expected = {root}
    assert len(order) == len(set(order)), "a node appears twice"
    assert set(order) == expected, "the walk missed a computed node or took a leaf"
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for child in node._prev:
            if child._prev:
                assert position[child] < position[node], "an input came after its result"


@given(steps)
def test_computed_nodes_in_order_on_random_graphs(program) -> None:
    root = build(program)
    assert_valid_order(root, computed_nodes_in_order(root))


def test_a_chain_and_a_branching_graph() -> None:
    x = Value(2.0)
    chain = ((x * 3).tanh() * x).exp()  # each node has at most one computed input
    assert [n.op for n in computed_nodes_in_order(chain)] == ["*", "tanh", "*", "exp"]
    shared = x * 3
    branching = shared * shared.tanh() + shared  # shared is reached three ways
    order = computed_nodes_in_order(branching)
    assert_valid_order(branching, order)
    assert order.count(shared) == 1


def test_a_leaf_root_is_its_own_order() -> None:
    x = Value(1.0)
    assert computed_nodes_in_order(x) == [x]


def test_layers_of_a_network_are_ordered_input_first() -> None:
    x = Tensor([[1.0, 2.0]])
    w1, b1 = Tensor([[1.0], [1.0]], requires_grad=True), Tensor([0.0], requires_grad=True)
    w2 = Tensor([[1.0, -1.0]], requires_grad=True)
    loss = cross_entropy(linear(linear(x, w1, b1).relu(), w2), [0])
    assert [t.op for t in computed_nodes_in_order(loss)] == [
        "linear",
        "relu",
        "linear",
        "cross_entropy",
    ]
