"""Tests generated over the whole formula repository.

For every entry: its text is complete, its formula parses, its symbolic gradient (for every
symbol, variables and parameters alike) matches central differences at random points inside
its sample ranges, and no two entries are the same formula under different names.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra import MathForge
from neurogebra.core.compiling import compile_numpy
from neurogebra.core.differentiation import differentiate
from neurogebra.core.parsing import parse_formula, real_symbol
from neurogebra.repository import CATEGORIES, FormulaEntry, all_entries

ENTRIES = all_entries()
BY_NAME = {entry.name: entry for entry in ENTRIES}
IDS = [entry.name for entry in ENTRIES]
POINTS = 6  # random points per entry

# Formulas that are the same shape on purpose: different quantities that happen to share a
# form once their variables are renamed. Each pair says why it is kept.
SAME_SHAPE_ON_PURPOSE = {
    frozenset({"precision", "recall"}): "hits over (hits + one kind of miss): fp vs fn",
}


def symbols_of(entry: FormulaEntry) -> list[str]:
    return sorted(s.name for s in parse_formula(entry.formula).free_symbols)


def test_repository_size_and_categories() -> None:
    assert len(ENTRIES) >= 100
    per_category = {c: [e for e in ENTRIES if e.category == c] for c in CATEGORIES}
    assert len(CATEGORIES) == 10
    assert all(len(entries) >= 8 for entries in per_category.values()), {
        c: len(e) for c, e in per_category.items()
    }


def test_everything_the_page_and_issue_name_is_there() -> None:
    forge = MathForge()
    named = [
        "relu", "sigmoid", "tanh", "gelu", "swish", "mse", "mae", "cross_entropy", "huber",
        "l1", "l2", "elastic_net", "polynomial", "quadratic", "mean", "variance", "std_dev",
        "dot_product", "l2_norm", "accuracy", "precision", "recall", "gradient_descent_step",
        "standardization", "leaky_relu", "elu", "selu", "softplus", "softmax",
        "binary_cross_entropy", "hinge", "log_cosh", "kl_divergence", "momentum_step",
        "adam_step", "min_max_scaling", "power_rule", "power_integral",
    ]  # fmt: skip
    missing = [name for name in named if name not in forge]
    assert not missing


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_is_complete(entry: FormulaEntry) -> None:
    assert entry.category in CATEGORIES
    for text in (entry.description, entry.usage):
        assert isinstance(text, str) and len(text) > 10
    assert isinstance(entry.domain, str) and entry.domain.strip()
    symbols = symbols_of(entry)
    assert set(entry.params) <= set(symbols)
    assert set(entry.sample) <= set(symbols), "sample ranges for symbols the formula lacks"
    for low, high in entry.sample.values():
        assert low < high
    expression = entry.to_expression()
    assert expression.metadata["category"] == entry.category
    assert sorted([*expression.variables, *expression.params]) == symbols


def random_points(entry: FormulaEntry, names: list[str], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {n: rng.uniform(*entry.sample_range(n), size=POINTS) for n in names}


@functools.cache
def compiled(name: str) -> tuple[list[str], Callable, Callable]:
    """The entry's symbols, its NumPy function and its gradients' NumPy function (built once)."""
    entry = BY_NAME[name]
    expr = parse_formula(entry.formula)
    names = symbols_of(entry)
    grads = compile_numpy([differentiate(expr, real_symbol(n)) for n in names], names)
    return names, compile_numpy(expr, names), grads


def check_gradient(entry: FormulaEntry, seed: int) -> None:
    names, f, grads = compiled(entry.name)
    point = random_points(entry, names, seed)
    args = [point[n] for n in names]
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        symbolic = [np.broadcast_to(g, (POINTS,)) for g in grads(*args)]
    for i, name in enumerate(names):
        h = 1e-6 * np.maximum(1.0, np.abs(args[i]))
        plus = [a + h if j == i else a for j, a in enumerate(args)]
        minus = [a - h if j == i else a for j, a in enumerate(args)]
        numeric = (f(*plus) - f(*minus)) / (2 * h)
        np.testing.assert_allclose(
            symbolic[i], numeric, rtol=1e-4, atol=1e-6, err_msg=f"{entry.name}: d/d{name}"
        )


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_symbolic_gradient_matches_central_differences(entry: FormulaEntry) -> None:
    check_gradient(entry, seed=sum(map(ord, entry.name)))


@settings(max_examples=100, deadline=None)
@given(entry=st.sampled_from(ENTRIES), seed=st.integers(0, 2**32 - 1))
def test_gradients_hold_at_points_hypothesis_picks(entry: FormulaEntry, seed: int) -> None:
    check_gradient(entry, seed)


# Repository entries next to PyTorch's own implementation: (entry, params, torch function of
# the entry's variables in the entry's order).
def _torch_cases(torch):
    F = torch.nn.functional
    return {
        "relu6": ({}, F.relu6),
        "hard_sigmoid": ({}, F.hardsigmoid),
        "hard_swish": ({}, F.hardswish),
        "selu": ({}, F.selu),
        "celu": ({}, F.celu),
        "softsign": ({}, F.softsign),
        "tanhshrink": ({}, F.tanhshrink),
        "log_sigmoid": ({}, F.logsigmoid),
        "gelu_tanh": ({}, lambda x: F.gelu(x, approximate="tanh")),
        "leaky_relu": ({"alpha": 0.01}, lambda x: F.leaky_relu(x, 0.01)),
        "mse": ({}, lambda p, t: F.mse_loss(p, t, reduction="none")),
        "huber": ({"delta": 1.0}, lambda p, t: F.huber_loss(p, t, reduction="none")),
        "smooth_l1": ({"beta": 1.0}, lambda p, t: F.smooth_l1_loss(p, t, reduction="none")),
        "binary_cross_entropy": (
            {}, lambda p, t: F.binary_cross_entropy(p, t, reduction="none")
        ),
    }  # fmt: skip


def test_values_and_gradients_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    forge = MathForge()
    for name, (params, function) in _torch_cases(torch).items():
        expression = forge.get(name, params=params)
        entry = BY_NAME[name]
        point = random_points(entry, expression.variables, seed=11)
        tensors = [torch.tensor(point[v], requires_grad=True) for v in expression.variables]
        out = function(*tensors)
        out.sum().backward()
        np.testing.assert_allclose(
            expression.eval(**point), out.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=name
        )
        # rtol 1e-7: PyTorch uses a float32 constant in some slopes (hardsigmoid's 1/6).
        for variable, tensor in zip(expression.variables, tensors, strict=True):
            ours = expression.gradient(variable).eval(**point)
            np.testing.assert_allclose(
                ours, tensor.grad.numpy(), rtol=1e-7, atol=1e-12, err_msg=f"{name} d/d{variable}"
            )


# ---- no duplicates ----

DIAGONAL = np.array([0.3, 0.45, 0.7, 1.3, 2.2, -0.6, -1.7])


def _values(f, args: list[np.ndarray]) -> np.ndarray:
    with np.errstate(all="ignore"):
        out = f(*args)
    return np.broadcast_to(np.asarray(out, dtype=float), args[0].shape if args else ())


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(finite_a, finite_b) or finite_a.sum() < 2:
        return bool(np.array_equal(finite_a, finite_b) and finite_a.sum() >= 2)
    return bool(np.allclose(a[finite_a], b[finite_b], rtol=1e-9, atol=1e-12))


def same_shape_pairs() -> set[frozenset[str]]:
    """Pairs of entries equal as functions after some consistent renaming of their symbols."""
    compiled = {}
    for entry in ENTRIES:
        names = symbols_of(entry)
        compiled[entry.name] = (len(names), compile_numpy(parse_formula(entry.formula), names))
    rng = np.random.default_rng(7)
    found = set()
    for (name_a, (k, f_a)), (name_b, (k_b, f_b)) in itertools.combinations(compiled.items(), 2):
        if k != k_b:
            continue
        # Setting every symbol to the same value gives a number no renaming can change.
        diagonal = [DIAGONAL] * k
        if not _same(_values(f_a, diagonal), _values(f_b, diagonal)):
            continue
        assert k <= 7, f"{name_a} and {name_b}: too many symbols to try every renaming"
        points = [rng.uniform(0.2, 9.0, size=12) * rng.choice([-1, 1], size=12) for _ in range(k)]
        values_a = _values(f_a, points)
        for order in itertools.permutations(range(k)):
            if _same(values_a, _values(f_b, [points[i] for i in order])):
                found.add(frozenset({name_a, name_b}))
                break
    return found


def test_no_two_entries_are_the_same_formula() -> None:
    found = same_shape_pairs()
    unexpected = {tuple(sorted(pair)) for pair in found - set(SAME_SHAPE_ON_PURPOSE)}
    assert not unexpected, f"the same formula under different names: {sorted(unexpected)}"
    assert found == set(SAME_SHAPE_ON_PURPOSE), "a listed same-shape pair no longer matches"


def test_the_duplicate_detector_finds_a_renamed_copy() -> None:
    """The check above would catch a copy of mse written with other variable names."""
    copy = compile_numpy(parse_formula("(b - a)**2"), ["a", "b"])
    mse = compile_numpy(parse_formula("(y_pred - y_true)**2"), ["y_pred", "y_true"])
    rng = np.random.default_rng(0)
    points = [rng.uniform(-2, 2, size=8) for _ in range(2)]
    assert _same(_values(mse, points), _values(copy, points[::-1]))
    difference = compile_numpy(parse_formula("a - b"), ["a", "b"])
    assert not _same(_values(mse, points), _values(difference, points))


def test_every_entry_explains_itself() -> None:
    forge = MathForge()
    for name in forge.list_all():
        text = forge.explain(name, level="advanced")
        entry_description = forge.get(name).metadata["description"]
        assert entry_description in text and "For example" in text and "Gradient:" in text
        assert "Valid inputs" in text and "Where it is used" in text
