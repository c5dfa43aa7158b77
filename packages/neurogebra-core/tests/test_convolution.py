"""conv2d and max_pool2d: gradients against central differences and PyTorch, and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tensor_gradcheck import check_gradients

from neurogebra.core.tensor import Tensor, no_grad
from neurogebra.core.tensor.convolution import conv2d, conv_output_size, max_pool2d

SETTINGS = settings(max_examples=15, deadline=None)


@st.composite
def conv_case(draw):
    """Small images, kernels, stride and padding that fit together."""
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding, stride = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    h = draw(st.integers(max(1, kh - 2 * padding), 6))
    w = draw(st.integers(max(1, kw - 2 * padding), 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.normal(size=(n, c, h, w))
    weight = rng.normal(size=(f, c, kh, kw))
    bias = rng.normal(size=f)
    return x, weight, bias, stride, padding


@st.composite
def pool_case(draw):
    size, stride = draw(st.integers(1, 3)), draw(st.one_of(st.none(), st.integers(1, 3)))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    shape += (draw(st.integers(size, 6)), draw(st.integers(size, 6)))
    # distinct values: the maximum of each window is unique, so the slope is defined
    values = np.random.default_rng(draw(st.integers(0, 2**16))).permutation(np.prod(shape))
    return values.reshape(shape) * 0.1, size, stride


@SETTINGS
@given(conv_case())
def test_conv2d_gradients_match_central_differences(case):
    x, weight, bias, stride, padding = case
    out = check_gradients(lambda a, w, b: conv2d(a, w, b, stride, padding), x, weight, bias)
    h = conv_output_size(x.shape[2], weight.shape[2], stride, padding)
    w = conv_output_size(x.shape[3], weight.shape[3], stride, padding)
    assert out.shape == (x.shape[0], weight.shape[0], h, w)
    check_gradients(lambda a, w: conv2d(a, w, stride=stride, padding=padding), x, weight)


@SETTINGS
@given(pool_case())
def test_max_pool2d_gradients_match_central_differences(case):
    x, size, stride = case
    check_gradients(lambda a: max_pool2d(a, size, stride), x)


def test_max_pool2d_sends_a_tied_windows_gradient_to_one_pixel():
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    assert x.grad.sum() == 1.0 and x.grad[0, 0, 0, 0] == 1.0  # the first maximum, as torch


def test_without_gradients_no_graph_is_recorded_and_float32_stays_float32():
    x = Tensor(np.ones((1, 2, 4, 4), dtype=np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 2, 3, 3), dtype=np.float32), requires_grad=True)
    with no_grad():
        out = max_pool2d(conv2d(x, w, padding=1))
    assert not out.requires_grad and out.is_leaf
    out = max_pool2d(conv2d(x, w, Tensor(np.zeros(3, dtype=np.float32)), padding=1))
    out.sum().backward()
    assert out.dtype == np.float32 and x.grad.dtype == np.float32 and w.grad.dtype == np.float32
    constant = conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)))
    assert not constant.requires_grad and constant.numpy().tolist() == [[[[4.0, 4.0], [4.0, 4.0]]]]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: conv2d(np.ones((3, 4, 4)), np.ones((1, 3, 2, 2))), "(batch, channels, height"),
        (lambda: conv2d(np.ones((1, 3, 4, 4)), np.ones((1, 2, 2, 2))), "3 channel(s)"),
        (lambda: conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2))), "out_channels, in_channels"),
        (lambda: conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3))), "does not fit"),
        (lambda: conv2d(np.ones((1, 1, 4, 4)), np.ones((2, 1, 2, 2)), np.ones(3)), "shape (2,)"),
        (lambda: conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), stride=0), "stride"),
        (lambda: conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), padding=-1), "padding"),
        (lambda: max_pool2d(np.ones((1, 1, 4, 4)), 1.5), "size"),
        (lambda: max_pool2d(np.ones((1, 1, 1, 4)), 2), "at least 2x2"),
        (lambda: max_pool2d(np.ones((4, 4)), 2), "(batch, channels, height, width)"),
    ],
)
def test_mistakes_are_named(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert words in str(error.value)


@SETTINGS
@given(conv_case(), pool_case())
def test_conv2d_and_max_pool2d_match_torch(conv, pool):
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    functional = torch.nn.functional
    x, weight, bias, stride, padding = conv
    pairs = [
        (
            lambda a, w, b: conv2d(a, w, b, stride, padding),
            lambda a, w, b: functional.conv2d(a, w, b, stride=stride, padding=padding),
            (x, weight, bias),
        ),
        (
            lambda a: max_pool2d(a, pool[1], pool[2]),
            lambda a: functional.max_pool2d(a, pool[1], pool[2]),
            (pool[0],),
        ),
    ]
    for ours, theirs, arrays in pairs:
        tensors = [Tensor(a, requires_grad=True) for a in arrays]
        torch_tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
        out, expected = ours(*tensors), theirs(*torch_tensors)
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-12)
        upstream = np.random.default_rng(0).normal(size=out.shape)
        out.backward(upstream)
        expected.backward(torch.from_numpy(upstream))
        for t, tt in zip(tensors, torch_tensors, strict=True):
            np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-10, atol=1e-12)
