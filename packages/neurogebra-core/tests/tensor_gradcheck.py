"""Shared by the Tensor tests: gradients by central differences, and hypothesis strategies."""

from __future__ import annotations

from collections.abc import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from neurogebra.core.tensor import Tensor

EPS = 1e-6


def numeric_gradient(f: Callable[[list[np.ndarray]], float], arrays: list[np.ndarray], i: int):
    """d f / d arrays[i] by central differences, one element at a time."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    x = arrays[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + EPS
        up = f(arrays)
        x[index] = saved - EPS
        down = f(arrays)
        x[index] = saved
        grad[index] = (up - down) / (2 * EPS)
    return grad


def check_gradients(
    op: Callable[..., Tensor],
    *arrays: np.ndarray,
    rtol: float = 1e-5,
    atol: float = 1e-5,
    seed: int = 0,
) -> Tensor:
    """Assert that backward through ``op(*tensors)`` matches central differences.

    The output is backpropagated with a random upstream gradient (not all ones), so that a
    wrong reduction or transposition cannot hide behind symmetric weights.
    """
    arrays = tuple(np.array(a, dtype=np.float64) for a in arrays)
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = op(*tensors)
    upstream = np.random.default_rng(seed).uniform(-1.5, 1.5, np.shape(out.data))
    out.backward(upstream)

    def weighted_output(values: list[np.ndarray]) -> float:
        return float(np.sum(op(*[Tensor(v) for v in values]).data * upstream))

    for i, tensor in enumerate(tensors):
        assert tensor.grad is not None, f"input {i} got no gradient"
        assert tensor.grad.shape == arrays[i].shape
        expected = numeric_gradient(weighted_output, list(arrays), i)
        np.testing.assert_allclose(tensor.grad, expected, rtol=rtol, atol=atol)
    return out


def floats(low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, width=64)


def arrays(shape, low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=floats(low, high))


def away_from_zero(a: np.ndarray, gap: float = 0.05) -> np.ndarray:
    """Move entries near 0 out to ±gap..: central differences across a kink are meaningless."""
    return np.where(np.abs(a) < gap, np.where(a < 0, -1.0, 1.0) * (gap + np.abs(a)), a)


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


@st.composite
def broadcastable_pair(draw, low: float = -3.0, high: float = 3.0, min_dims: int = 0):
    """Two arrays whose shapes broadcast together (sizes 1 and missing axes included)."""
    shape_pair = draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=2, min_dims=min_dims, max_dims=3, min_side=1, max_side=4
        )
    )
    a_shape, b_shape = shape_pair.input_shapes
    return draw(arrays(a_shape, low, high)), draw(arrays(b_shape, low, high))
