"""Convolution and max pooling on images, each with its forward and backward pass side by side.

Images are batches of shape ``(batch, channels, height, width)`` ("NCHW", as in PyTorch).

Both operations look at small windows of the image. NumPy's ``sliding_window_view`` shows every
window without copying anything: for a ``kh x kw`` window it turns ``(N, C, H, W)`` into
``(N, C, H', W', kh, kw)``, where ``[n, c, i, j]`` is the window whose top-left corner is at row
``i``, column ``j`` (taking every ``stride``-th window along each axis). Then

- a **convolution** is one tensor contraction: each output value ``out[n, f, i, j]`` is the sum
  over channels and window positions of ``window[n, c, i, j, a, b] * weight[f, c, a, b]``, plus
  ``bias[f]``. (Strictly a cross-correlation: the kernel is not flipped, as in every deep
  learning library.) Unrolling the windows into a matrix this way is known as *im2col*.
- **max pooling** keeps the largest value of each window.

Going backward, every input pixel receives the gradient of each window it took part in. The
backward functions add those contributions back, one window offset ``(a, b)`` at a time: all
windows' pixels at offset ``(a, b)`` form one strided slice of the input, so ``kh * kw`` slice
additions scatter the whole gradient (*col2im*).

Example:
    >>> import numpy as np
    >>> from neurogebra.core.tensor import Tensor
    >>> image = Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    >>> edge = Tensor([[[[1.0, -1.0]]]])             # one 1x2 kernel: left minus right
    >>> conv2d(image, edge).numpy()[0, 0, 0]
    array([-1., -1., -1.])
    >>> pooled = max_pool2d(image, 2)
    >>> pooled.numpy()[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    >>> pooled.sum().backward()
    >>> image.grad[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 0., 1.],
           [0., 0., 0., 0.],
           [0., 1., 0., 1.]])
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from neurogebra.core.tensor.tensor import Tensor, record

__all__ = ["conv2d", "conv_output_size", "max_pool2d"]


def conv_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """How many windows of ``kernel`` fit along an axis of ``size`` (after padding both ends).

    Example:
        >>> conv_output_size(8, 3, 1, 1), conv_output_size(8, 2, 2, 0)
        (8, 4)
    """
    return (size + 2 * padding - kernel) // stride + 1


# ---- convolution ----


def conv2d(
    x: Tensor | Any,
    weight: Tensor | Any,
    bias: Tensor | Any = None,
    stride: int = 1,
    padding: int = 0,
) -> Tensor:
    """2-D convolution of images ``x`` (N, C, H, W) with kernels ``weight`` (F, C, kh, kw).

    ``bias`` has shape (F,) or is None. ``padding`` zeros are added on every side, and the
    kernel moves ``stride`` pixels at a time. The result has shape (N, F, H', W') with
    ``H' = (H + 2·padding - kh) // stride + 1`` (and the same for W'), as PyTorch's
    ``torch.nn.functional.conv2d``.

    Example:
        >>> x = Tensor(np.ones((2, 3, 5, 5)))
        >>> conv2d(x, Tensor(np.ones((4, 3, 3, 3))), padding=1).shape
        (2, 4, 5, 5)
    """
    x = x if type(x) is Tensor else Tensor(x)
    weight = weight if type(weight) is Tensor else Tensor(weight)
    stride = _positive("conv2d", "stride", stride)
    padding = _positive("conv2d", "padding", padding, low=0)
    xd, wd = x.data, weight.data
    _check_conv_shapes(xd.shape, wd.shape, padding)
    windows = _windows(_pad(xd, padding), wd.shape[2:], stride)  # (N, C, H', W', kh, kw)
    # Sum over channels and the window's rows and columns: (N, H', W', F), then F to axis 1.
    data = np.tensordot(windows, wd, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    parents: tuple[Tensor, ...] = (x, weight)
    if bias is not None:
        bias = bias if type(bias) is Tensor else Tensor(bias)
        if bias.data.shape != (wd.shape[0],):
            raise ValueError(
                f"conv2d: bias has shape {bias.data.shape} but the weight makes {wd.shape[0]} "
                f"output channels, so the bias needs shape ({wd.shape[0]},)"
            )
        data = data + bias.data.reshape(1, -1, 1, 1)
        parents = (x, weight, bias)
    else:
        data = np.ascontiguousarray(data)
    saved = (windows, wd, xd.shape, stride, padding, [p.requires_grad for p in parents])
    return record(data, parents, "conv2d", conv2d_backward, saved)


def conv2d_backward(
    g: Any,
    windows: Any,
    w: Any,
    x_shape: tuple[int, ...],
    stride: int,
    padding: int,
    needs: list[bool],
) -> tuple[Any, ...]:
    """Gradients of conv2d for the upstream gradient ``g`` of shape (N, F, H', W').

    - weight: each kernel value met every window's pixel at its offset: sum over the batch
      and the output positions of ``g · window`` (the same contraction as forward, turned around);
    - bias: every output position of channel f added bias[f] once: ``g`` summed over N, H', W';
    - input: each window sends back ``g · weight`` to the pixels it covered (col2im).
    """
    grad_w = np.tensordot(g, windows, axes=([0, 2, 3], [0, 2, 3])) if needs[1] else None
    grad_x = None
    if needs[0]:
        # (N, H', W', C, kh, kw): what each window hands back to each of its pixels
        per_window = np.tensordot(g, w, axes=([1], [0]))
        grad_x = _scatter_windows(per_window, x_shape, w.shape[2:], stride, padding)
    if len(needs) == 2:
        return grad_x, grad_w
    grad_b = g.sum(axis=(0, 2, 3)) if needs[2] else None
    return grad_x, grad_w, grad_b


# ---- max pooling ----


def max_pool2d(x: Tensor | Any, size: int = 2, stride: int | None = None) -> Tensor:
    """The largest value of each ``size x size`` window of images ``x`` (N, C, H, W).

    Windows move ``stride`` pixels at a time (``size`` by default: windows that do not overlap);
    rows and columns that do not fill a whole window are left out, as in PyTorch. Backward sends
    each window's gradient to the one pixel that was the maximum (the first one, on a tie).

    Example:
        >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2, stride=1).shape
        (1, 1, 3, 3)
    """
    x = x if type(x) is Tensor else Tensor(x)
    size = _positive("max_pool2d", "size", size)
    stride = size if stride is None else _positive("max_pool2d", "stride", stride)
    xd = x.data
    if xd.ndim != 4 or xd.shape[2] < size or xd.shape[3] < size:
        raise ValueError(
            f"max_pool2d: needs images of shape (batch, channels, height, width) of at least "
            f"{size}x{size} pixels, got shape {xd.shape}"
        )
    windows = _windows(xd, (size, size), stride)  # (N, C, H', W', size, size)
    flat = windows.reshape(*windows.shape[:4], size * size)
    winner = flat.argmax(axis=-1)  # where in its window each maximum sits
    data = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    saved = (winner, xd.shape, size, stride)
    return record(data, (x,), "max_pool2d", max_pool2d_backward, saved)


def max_pool2d_backward(
    g: Any, winner: Any, x_shape: tuple[int, ...], size: int, stride: int
) -> tuple[Any]:
    """Each window's gradient goes to its maximum: a one-hot window, scattered back (col2im)."""
    one_hot = np.zeros((*g.shape, size * size), dtype=g.dtype)
    np.put_along_axis(one_hot, winner[..., None], g[..., None], axis=-1)
    per_window = one_hot.reshape(*g.shape, size, size).transpose(0, 2, 3, 1, 4, 5)
    return (_scatter_windows(per_window, x_shape, (size, size), stride, 0),)


# ---- shared helpers ----


def _windows(xp: Any, kernel: tuple[int, ...], stride: int) -> Any:
    """Every ``kernel``-sized window of ``xp`` (N, C, H, W): a view (N, C, H', W', kh, kw)."""
    view = sliding_window_view(xp, tuple(kernel), axis=(2, 3))
    return view[:, :, ::stride, ::stride]


def _scatter_windows(
    per_window: Any,
    x_shape: tuple[int, ...],
    kernel: tuple[int, ...],
    stride: int,
    padding: int,
) -> Any:
    """Add what each window hands back to its pixels into an image gradient (col2im).

    ``per_window`` has shape (N, H', W', C, kh, kw). The pixels at offset (a, b) of all the
    windows form the strided slice ``[a : a + stride·H' : stride, b : ...]`` of the padded image,
    so one addition per offset places them all.
    """
    n, c, h, w = x_shape
    kh, kw = kernel
    out_h, out_w = per_window.shape[1:3]
    grad = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=per_window.dtype)
    by_offset = per_window.transpose(4, 5, 0, 3, 1, 2)  # (kh, kw, N, C, H', W')
    for a in range(kh):
        for b in range(kw):
            rows = slice(a, a + stride * out_h, stride)
            cols = slice(b, b + stride * out_w, stride)
            grad[:, :, rows, cols] += by_offset[a, b]
    if padding:
        grad = grad[:, :, padding:-padding, padding:-padding]
    return grad


def _pad(x: Any, padding: int) -> Any:
    if not padding:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def _positive(op: str, name: str, value: object, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{op}: {name} must be a whole number ≥ {low}, got {value!r}")
    return int(value)


def _check_conv_shapes(x_shape: tuple[int, ...], w_shape: tuple[int, ...], padding: int) -> None:
    if len(x_shape) != 4:
        raise ValueError(
            f"conv2d: the input must be images of shape (batch, channels, height, width), got "
            f"shape {x_shape}; for one grey image of h x w pixels use x.reshape(1, 1, h, w)"
        )
    if len(w_shape) != 4:
        raise ValueError(
            f"conv2d: the weight must have shape (out_channels, in_channels, kh, kw), got shape "
            f"{w_shape}"
        )
    if w_shape[1] != x_shape[1]:
        raise ValueError(
            f"conv2d: the images have {x_shape[1]} channel(s) but the weight {w_shape} expects "
            f"{w_shape[1]}; give the kernels shape ({w_shape[0]}, {x_shape[1]}, kh, kw)"
        )
    if x_shape[2] + 2 * padding < w_shape[2] or x_shape[3] + 2 * padding < w_shape[3]:
        raise ValueError(
            f"conv2d: a {w_shape[2]}x{w_shape[3]} kernel does not fit in images of "
            f"{x_shape[2]}x{x_shape[3]} pixels with padding {padding}; use a smaller kernel or "
            "more padding"
        )
