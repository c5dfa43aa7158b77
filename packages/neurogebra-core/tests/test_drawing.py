"""draw_graph: a graphviz.Digraph of a Value graph, rendered with `dot` or a clear install hint."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import graphviz
import numpy as np
import pytest

import neurogebra
from neurogebra.core.autograd import Value, draw_graph, topological_order
from neurogebra.core.autograd.drawing import INSTALL_DOT_HINT


def example() -> tuple[Value, list[Value]]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = (c + a).tanh()
    e = Value.sum([d, -b, b.exp(), (a**2).log(), a.relu(), (a / b).sigmoid()])
    e.label = "e"
    e.backward()
    return e, topological_order(e)


def test_returns_a_digraph_with_every_value_and_op() -> None:
    root, nodes = example()
    graph = draw_graph(root)
    assert isinstance(graph, graphviz.Digraph)
    source = graph.source
    for node in nodes:
        assert f"data {node.data:.4f} | grad {node.grad:.4f}" in source
        if node.label:
            assert f"{{ {node.label} | data {node.data:.4f}" in source
    for op in ("*", "+", "tanh", "Σ", "−x", "exp", "**", "log", "relu", "/", "sigmoid"):
        assert re.search(rf'label="?{re.escape(op)}"? shape=circle', source), op
    # one record per Value, one circle per op
    assert source.count("shape=record") == len(nodes)
    assert source.count("shape=circle") == sum(1 for n in nodes if n.op)


def test_edges_follow_the_computation() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    source = draw_graph(c).source
    op = f'"{id(c)}*"'
    assert f"{id(a)} -> {op}" in source
    assert f"{id(b)} -> {op}" in source
    assert f"{op} -> {id(c)}" in source


def test_layout_options_and_limits() -> None:
    root, _ = example()
    assert "rankdir=TB" in draw_graph(root, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir must be 'LR' or 'TB', got 'XY'"):
        draw_graph(root, rankdir="XY")
    chain = Value(0.0)
    for _ in range(600):
        chain = chain + 1
    with pytest.raises(ValueError, match="601 values, more than max_nodes=500"):
        draw_graph(chain)
    assert isinstance(draw_graph(chain, max_nodes=1000), graphviz.Digraph)


def test_is_exported_from_the_package_root() -> None:
    assert neurogebra.draw_graph is draw_graph


def render_svg_texts(graph: graphviz.Digraph) -> list[str]:
    svg = graph.pipe(format="svg").decode()
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_rendering_with_or_without_dot() -> None:
    """Renders where Graphviz is installed; elsewhere the error says how to install it."""
    root, nodes = example()
    graph = draw_graph(root)
    if shutil.which("dot"):
        texts = render_svg_texts(graph)
        for node in nodes:
            assert f"data {node.data:.4f}" in texts
        assert "tanh" in texts
        mime = graph._repr_mimebundle_()  # what Jupyter shows inline
        assert "image/svg+xml" in mime
    else:
        with pytest.raises(graphviz.ExecutableNotFound, match="apt-get install graphviz"):
            graph.pipe(format="svg")


@pytest.mark.parametrize(
    "render",
    [
        lambda g, tmp: g.pipe(format="svg"),
        lambda g, tmp: g.render(directory=tmp, format="png"),
        lambda g, tmp: g._repr_mimebundle_(),
    ],
    ids=["pipe", "render", "jupyter"],
)
def test_missing_dot_says_how_to_install_graphviz(
    render, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    graph = draw_graph(example()[0])
    with pytest.raises(graphviz.ExecutableNotFound) as error:
        render(graph, tmp_path)
    message = str(error.value)
    assert INSTALL_DOT_HINT in message
    assert "Graphviz's `dot` program is needed" in message
    for way in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz"):
        assert way in message
    assert ".source" in message  # and what still works without it


LABELS = ["x<0", "a|b", "{braces}", "back\\slash", 'q"uote', "trail\\", "plain words"]


@pytest.mark.parametrize("label", LABELS)
def test_labels_with_graphviz_record_characters(label: str) -> None:
    x = Value(2.0, label=label)
    graph = draw_graph(x * 3)
    if not shutil.which("dot"):
        pytest.skip("rendering needs Graphviz's dot (the escaping is checked where it exists)")
    assert label in render_svg_texts(graph)  # drawn as written, not as record syntax


def test_tensor_graphs_are_drawn_with_shapes_and_small_numbers() -> None:
    from neurogebra.core.tensor import Tensor, linear

    x = Tensor(np.ones((8, 3)), label="x")
    w = Tensor(np.ones((3, 2)), requires_grad=True, label="w")
    b = Tensor([0.5, -0.5], dtype=np.float32, requires_grad=True, label="b")
    loss = linear(x, w, b).relu().sum()
    loss.label = "loss"
    loss.backward()
    source = draw_graph(loss).source
    assert "{ x | shape (8, 3) }" in source
    assert "{ w | shape (3, 2) | grad ✓ }" in source
    assert "{ b | shape (2,) float32 | data [0.5, -0.5] | grad [8, 8] }" in source
    assert "{ loss | shape () | data 48 | grad 1 }" in source
    for op in ("linear", "relu", "Σ"):
        assert re.search(rf'label="?{re.escape(op)}"? shape=circle', source), op
    assert source.count("shape=record") == 6  # x, w, b, linear, relu, loss


@pytest.mark.parametrize("thing", [3.0, "a", None, [1, 2]])
def test_draw_graph_of_something_else_names_what_it_needs(thing) -> None:
    with pytest.raises(TypeError, match="expected a Value or a Tensor"):
        draw_graph(thing)
