"""`Tensor`: a NumPy array that remembers how it was computed, so it can compute its gradient.

``Tensor`` is :class:`~neurogebra.core.autograd.Value` for whole arrays. Every operation has the
same shape: compute the result with NumPy, and, if an input wants a gradient, record

- the inputs (``_prev``) and the operation's name (``_op``),
- a *backward function* (in :mod:`.gradients`): a plain function that turns the gradient of the
  result into one gradient per input (``None`` where an input needs none), and
- the arrays that function needs (``_saved``), e.g. both factors of a product.

:meth:`Tensor.backward` walks the graph from the output back to the inputs (in the order of an
iterative walk :func:`~neurogebra.core.autograd.graph.computed_nodes_in_order`, over computed
nodes only) and calls
``backward_function(grad_of_result, *saved)`` at every node, adding what it returns into the
inputs' ``.grad``. The backward functions are not closures over the result, so a node never
refers to itself, and a finished graph is freed by reference counting alone, like Values.

Example:
    >>> w = Tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True)
    >>> x = Tensor([1.0, 1.0])
    >>> loss = (w @ x).relu().sum()  # relu([-1, 7]) sums to 7
    >>> loss.backward()
    >>> w.grad
    array([[0., 0.],
           [1., 1.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np

from neurogebra.core.autograd.graph import computed_nodes_in_order
from neurogebra.core.tensor import gradients as grads
from neurogebra.core.tensor.checks import numeric_array
from neurogebra.core.tensor.grad_mode import GRAD_MODE
from neurogebra.core.tensor.gradients import add_backward as _add_backward
from neurogebra.core.tensor.gradients import matmul_backward as _matmul_backward
from neurogebra.core.tensor.gradients import unbroadcast

__all__ = ["Tensor", "unbroadcast"]

ArrayLike: TypeAlias = Any  # anything np.asarray accepts: numbers, nested lists, arrays
BackwardFunction: TypeAlias = Callable[..., tuple[Any, ...]]

FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_ndarray = np.ndarray
_new = object.__new__
# The in-place clock: ticks once per in-place change of any Tensor. A node stamped before an
# input's last change was computed from numbers that are gone, so backward refuses it.
_CLOCK = [0]


class Tensor:
    """An array of floats with a gradient.

    ``Tensor(data)`` copies ``data`` into a float64 array (``dtype=np.float32`` on request;
    float32 arrays stay float32). ``requires_grad=True`` makes it a *leaf* whose ``.grad`` is
    filled by ``backward()``: ``.grad`` is ``None`` until a backward pass reaches the tensor,
    then an array of the tensor's shape and dtype, accumulated over backward calls until
    :meth:`zero_grad`.

    Example:
        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = (x**2).sum()
        >>> y.backward()
        >>> y.item(), x.grad
        (14.0, array([2., 4., 6.]))
    """

    __slots__ = (
        "__weakref__",
        "_backward",
        "_data",
        "_op",
        "_prev",
        "_saved",
        "_stamp",
        "_version",
        "grad",
        "label",
        "requires_grad",
    )

    # NumPy defers to Tensor's reflected operators, so `ndarray + Tensor` is a Tensor.
    __array_ufunc__ = None

    def __init__(
        self,
        data: ArrayLike,
        requires_grad: bool = False,
        *,
        dtype: Any = None,
        label: str = "",
    ) -> None:
        self._data = _to_float_array(data, dtype)
        self.grad: Any = None
        self.requires_grad = bool(requires_grad)
        self._prev: tuple[Tensor, ...] = ()
        self._op = ""
        self._backward: BackwardFunction | None = None
        self._saved: tuple[Any, ...] = ()
        self.label = label
        self._version = 0  # the clock's time of the last in-place change (0: never changed)
        self._stamp = 0  # for a graph node, the clock's time when it was recorded

    @property
    def data(self) -> np.ndarray:
        """The array of numbers. Assigning to it (``t.data = ...``, ``t.data -= ...``) is an
        in-place change: a graph recorded before it can no longer be backpropagated."""
        return self._data

    @data.setter
    def data(self, value: ArrayLike) -> None:
        # `t.data -= ...` hands back the same array, changed: nothing to convert
        if value is not self._data and (
            type(value) is not _ndarray or value.dtype not in FLOAT_DTYPES
        ):
            value = _to_float_array(value, None)
        self._data = value
        _CLOCK[0] += 1  # _mark_changed, written out: every optimizer step passes here
        self._version = _CLOCK[0]

    # ---- properties and conversions ----

    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def op(self) -> str:
        """The operation that produced this Tensor ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple[Tensor, ...]:
        """The Tensors this one was computed from (empty for a leaf)."""
        return self._prev

    @property
    def is_leaf(self) -> bool:
        return not self._prev

    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared, not copied: copy it before changing it)."""
        data = self._data
        return data if type(data) is _ndarray else np.asarray(data)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(tensor)`` gives the data, so plotting libraries accept Tensors."""
        data = np.asarray(self._data, dtype=dtype)
        return data.copy() if copy else data

    def item(self) -> float:
        """The single number in a one-element Tensor, as a Python float."""
        if self._data.ndim == 0:
            return float(self._data)
        if self._data.size != 1:
            raise ValueError(
                f"Tensor.item: only a one-element Tensor converts to a number; this one has "
                f"shape {self.shape}; reduce it first (e.g. .sum() or .mean()) or index it"
            )
        return float(self._data.reshape(-1)[0])

    def __float__(self) -> float:
        return self.item()

    def __bool__(self) -> bool:
        return bool(self._data)  # NumPy's "truth value is ambiguous" error for several elements

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor (a single number); use .item()")
        return len(self._data)

    def detach(self) -> Tensor:
        """The same data (shared) as a new leaf that is cut off from this graph."""
        return constant(self._data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad`` becomes None); do it before each backward."""
        self.grad = None

    def __repr__(self) -> str:
        body = np.array2string(np.asarray(self._data), separator=", ", prefix="Tensor(")
        extras = []
        if self._data.dtype != np.float64:
            extras.append(f"dtype={self._data.dtype}")
        if self._op:
            extras.append(f"op={self._op!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        if self.label:
            extras.append(f"label={self.label!r}")
        return f"Tensor({body}{''.join(', ' + e for e in extras)})"

    # ---- gradients ----

    def backward(self, gradient: ArrayLike | None = None) -> None:
        """Fill ``.grad`` of every tensor this one depends on with d(self)/d(that tensor).

        A one-element Tensor (a loss) needs no argument; for any other shape pass
        ``gradient``, the gradient of some final scalar with respect to this Tensor. Leaves
        accumulate across calls (call :meth:`zero_grad` between steps); the gradients of
        intermediate tensors are recomputed on every call. Iterative: any depth works.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "Tensor.backward: this tensor does not require a gradient, so nothing it depends "
                "on can get one; create the parameters with requires_grad=True (and compute "
                "outside no_grad())"
            )
        seed = _seed_gradient(self, gradient)
        if not self._prev:  # a leaf: d(self)/d(self) is the seed itself
            _accumulate_into_leaf(self, seed, seed)
            return
        order = computed_nodes_in_order(self)
        for node in order:
            node.grad = None  # an intermediate's gradient is recomputed on every call
        self.grad = seed
        clock = _CLOCK[0]  # nothing changed in place since a node was recorded at this time
        for node in reversed(order):
            g = node.grad
            if g is None:  # no path from self reached this node with a gradient
                continue
            stamp = node._stamp
            grads_of_inputs = node._backward(g, *node._saved)  # type: ignore[misc]
            for parent, grad in zip(node._prev, grads_of_inputs):  # noqa: B905
                if stamp < clock and parent._version > stamp:
                    raise _changed_in_place_error(parent, node)
                if grad is None or not parent.requires_grad:
                    continue
                if parent._prev:  # an intermediate result: never changed in place
                    old = parent.grad
                    parent.grad = grad if old is None else old + grad
                else:
                    _accumulate_into_leaf(parent, grad, g)

    # ---- comparisons: boolean NumPy arrays, as ``ndarray`` comparisons give ----

    __hash__ = object.__hash__  # hashed by identity, so Tensors stay usable in sets and dicts

    def __eq__(self, other: object) -> Any:  # type: ignore[override]
        return _compare(np.equal, self, other, "==")

    def __ne__(self, other: object) -> Any:  # type: ignore[override]
        return _compare(np.not_equal, self, other, "!=")

    def __lt__(self, other: Tensor | ArrayLike) -> Any:
        return _compare(np.less, self, other, "<")

    def __le__(self, other: Tensor | ArrayLike) -> Any:
        return _compare(np.less_equal, self, other, "<=")

    def __gt__(self, other: Tensor | ArrayLike) -> Any:
        return _compare(np.greater, self, other, ">")

    def __ge__(self, other: Tensor | ArrayLike) -> Any:
        return _compare(np.greater_equal, self, other, ">=")

    # ---- in-place updates: ``w -= lr * w.grad`` inside ``no_grad()``, as in PyTorch ----

    def __iadd__(self, other: Tensor | ArrayLike) -> Tensor:
        return _in_place(self, other, np.add, "+=", Tensor.__add__)

    def __isub__(self, other: Tensor | ArrayLike) -> Tensor:
        return _in_place(self, other, np.subtract, "-=", Tensor.__sub__)

    def __imul__(self, other: Tensor | ArrayLike) -> Tensor:
        return _in_place(self, other, np.multiply, "*=", Tensor.__mul__)

    def __itruediv__(self, other: Tensor | ArrayLike) -> Tensor:
        return _in_place(self, other, np.divide, "/=", Tensor.__truediv__)

    # ---- elementwise arithmetic (numbers and arrays on either side are constants) ----

    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self._data
        if type(other) is Tensor:  # written out (not _binary): the hottest op of all
            y = other._data
            try:
                data = x + y
            except ValueError:
                raise _shape_error("+", x, y) from None
            return record(data, (self, other), "+", _add_backward, (x, y))
        data = _apply(np.add, x, other, "+")
        return record(data, (self,), "+", grads.plus_constant_backward, (x,))

    __radd__ = __add__

    def __sub__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self._data
        if type(other) is Tensor:
            y = other._data
            return _binary(self, other, "-", np.subtract, grads.sub_backward, (x, y))
        data = _apply(np.subtract, x, other, "-")
        return record(data, (self,), "-", grads.plus_constant_backward, (x,))

    def __rsub__(self, other: ArrayLike) -> Tensor:
        x = self._data
        data = _apply(np.subtract, other, x, "-")
        return record(data, (self,), "-", grads.constant_minus_backward, (x,))

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self._data
        if type(other) is Tensor:
            saved = (x, other._data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "*", np.multiply, grads.mul_backward, saved)
        data = _apply(np.multiply, x, other, "*")
        return record(data, (self,), "*", grads.times_constant_backward, (x, other))

    __rmul__ = __mul__

    def __truediv__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self._data
        if type(other) is Tensor:
            saved = (x, other._data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "/", np.divide, grads.div_backward, saved)
        data = _apply(np.divide, x, other, "/")
        return record(data, (self,), "/", grads.over_constant_backward, (x, other))

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        x = self._data
        data = _apply(np.divide, other, x, "/")
        return record(data, (self,), "/", grads.constant_over_backward, (x, data))

    def __neg__(self) -> Tensor:
        data = -self._data
        return record(data, (self,), "neg", grads.neg_backward, ())

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self._data
        if type(other) is Tensor:
            saved = (x, other._data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "**", np.power, grads.pow_backward, saved)
        data = _apply(np.power, x, other, "**")
        return record(data, (self,), "**", grads.power_of_constant_backward, (x, other))

    def __rpow__(self, other: ArrayLike) -> Tensor:
        x = self._data
        data = _apply(np.power, other, x, "**")
        saved = (x, other, data)
        return record(data, (self,), "**", grads.constant_to_power_backward, saved)

    # ---- matrix product ----

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is not Tensor:
            other = constant(_as_constant(other, "@"))
        x, y = self._data, other._data
        try:
            data = x @ y
        except ValueError:
            raise grads.matmul_error(x, y) from None
        saved = (x, y, self.requires_grad, other.requires_grad)
        return record(data, (self, other), "@", _matmul_backward, saved)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return constant(_as_constant(other, "@")) @ self

    # ---- elementwise functions ----

    def exp(self) -> Tensor:
        """e**x; overflows to inf beyond about 709.78 (shift inputs first, as softmax does)."""
        data = np.exp(self._data)
        return record(data, (self,), "exp", grads.exp_backward, (data,))

    def log(self) -> Tensor:
        """Natural logarithm: -inf at 0 and nan below, as in NumPy (clip probabilities first)."""
        data = np.log(self._data)
        return record(data, (self,), "log", grads.log_backward, (self._data,))

    def sqrt(self) -> Tensor:
        """Square root; its slope at 0 is inf, as in PyTorch."""
        data = np.sqrt(self._data)
        return record(data, (self,), "sqrt", grads.sqrt_backward, (data,))

    def abs(self) -> Tensor:
        """|x|; its slope at 0 is taken as 0, as in PyTorch."""
        data = np.abs(self._data)
        return record(data, (self,), "abs", grads.abs_backward, (self._data,))

    __abs__ = abs

    def relu(self) -> Tensor:
        """max(0, x); its slope at 0 is taken as 0, as in PyTorch."""
        data = np.maximum(self._data, 0.0)
        return record(data, (self,), "relu", grads.relu_backward, (data,))

    def sigmoid(self) -> Tensor:
        """1 / (1 + e**-x), computed as exp(-log(1 + e**-x)) so that no input overflows."""
        data = np.exp(-np.logaddexp(0.0, -self._data))
        return record(data, (self,), "sigmoid", grads.sigmoid_backward, (data,))

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        data = np.tanh(self._data)
        return record(data, (self,), "tanh", grads.tanh_backward, (data,))

    # ---- reductions, shaping and neural-network functions (in sibling modules) ----

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (an int, a tuple of ints, or None for all axes)."""
        return reductions.tensor_sum(self, axis, keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (an int, a tuple of ints, or None for all axes)."""
        return reductions.tensor_mean(self, axis, keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Largest element over ``axis``; tied maxima share the gradient equally."""
        return reductions.tensor_max(self, axis, keepdims)

    def min(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        """Smallest element over ``axis``; tied minima share the gradient equally."""
        return reductions.tensor_min(self, axis, keepdims)

    def var(
        self, axis: int | Sequence[int] | None = None, keepdims: bool = False, ddof: int = 0
    ) -> Tensor:
        """Variance over ``axis``: mean squared distance from the mean, divided by
        ``n - ddof`` (ddof=0 as NumPy; PyTorch's default is ddof=1)."""
        return reductions.tensor_var(self, axis, keepdims, ddof)

    def std(
        self, axis: int | Sequence[int] | None = None, keepdims: bool = False, ddof: int = 0
    ) -> Tensor:
        """Standard deviation over ``axis``: ``var(...).sqrt()`` (ddof=0 as NumPy)."""
        return reductions.tensor_std(self, axis, keepdims, ddof)

    def argmax(self, axis: int | None = None) -> Any:
        """Where the largest element is: an int (flat position) or, along ``axis``, an int
        array (the first of tied maxima). A position has no gradient, so this is NumPy's."""
        return reductions.tensor_argmax(self, axis)

    def argmin(self, axis: int | None = None) -> Any:
        """Where the smallest element is (see :meth:`argmax`)."""
        return reductions.tensor_argmin(self, axis)

    def clip(self, low: float | None = None, high: float | None = None) -> Tensor:
        """Each element limited to ``[low, high]``; the slope is 1 inside (bounds included)
        and 0 outside, as PyTorch's ``clamp``."""
        return selecting.clip(self, low, high)

    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same elements in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``."""
        return shaping.reshape(self, *shape)

    def transpose(self, *axes: int | Sequence[int]) -> Tensor:
        """Axes permuted (reversed when no axes are given), like ``ndarray.transpose``."""
        return shaping.transpose(self, *axes)

    @property
    def T(self) -> Tensor:
        """The transpose (all axes reversed)."""
        return shaping.transpose(self)

    def __getitem__(self, index: Any) -> Tensor:
        return shaping.getitem(self, index)

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x) / sum(exp(x)) along ``axis``, shifted by the maximum so nothing overflows."""
        return nn_functions.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(x)) along ``axis``, computed without ever taking log(0)."""
        return nn_functions.log_softmax(self, axis)


# ---- building tensors and graph nodes ----


def _to_float_array(data: ArrayLike, dtype: Any) -> np.ndarray:
    """Copy ``data`` into a float32 or float64 array, or explain why it can't be one."""
    if dtype is None and type(data) is _ndarray and data.dtype in FLOAT_DTYPES:
        return data.copy()  # the common case: a float array, e.g. a batch of inputs
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None and _dtype(dtype) not in FLOAT_DTYPES:
        raise ValueError(
            f"Tensor: dtype must be float64 (the default) or float32, got {np.dtype(dtype)}; "
            "gradients need floating-point numbers"
        )
    if data is None:
        raise TypeError(
            "Tensor: data is None; pass a number, a (nested) list of numbers, or a NumPy array"
        )
    array = numeric_array(data, "Tensor", "data")
    if dtype is None:
        dtype = array.dtype if array.dtype in FLOAT_DTYPES else np.float64
    return np.array(array, dtype=dtype)


def _dtype(dtype: Any) -> np.dtype:
    """``np.dtype(dtype)``, or an error that names the ``dtype`` argument."""
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"Tensor: dtype must be float64 (the default) or float32, got {dtype!r:.40}"
        ) from None


def record(
    data: Any,
    inputs: tuple[Tensor, ...],
    op: str,
    backward: BackwardFunction,
    saved: tuple[Any, ...] = (),
) -> Tensor:
    """The result ``data`` of operation ``op`` on ``inputs``: how every Tensor op ends.

    When gradients are being recorded (outside ``no_grad()``) and one of ``inputs`` requires a
    gradient, the result is a graph node: ``backward(grad_of_result, *saved)`` must return one
    gradient per input (``None`` for an input that needs none). Otherwise the result is a plain
    Tensor with no graph, and ``backward`` is never called. Write a new op as its forward
    (NumPy), ``return record(...)``, and its backward function right below it.

    Example:
        >>> def double(x: Tensor) -> Tensor:
        ...     return record(x.numpy() * 2.0, (x,), "double", double_backward)
        >>> def double_backward(g):
        ...     return (g * 2.0,)
        >>> x = Tensor([1.0, 3.0], requires_grad=True)
        >>> double(x).sum().backward()
        >>> x.grad
        array([2., 2.])
    """
    t = _new(Tensor)
    t._data = data
    t.grad = None
    t.label = ""
    t._version = 0
    if GRAD_MODE.enabled:
        for tensor in inputs:
            if tensor.requires_grad:
                t.requires_grad = True
                t._prev = inputs
                t._op = op
                t._backward = backward
                t._saved = saved
                t._stamp = _CLOCK[0]
                return t
    t.requires_grad = False
    t._prev = ()
    t._op = ""
    t._backward = None
    t._saved = ()
    t._stamp = 0
    return t


def constant(data: Any) -> Tensor:
    """A Tensor around the array ``data`` (not copied), with no graph and no gradient.

    Example:
        >>> constant(np.array([1.0, 2.0])).requires_grad
        False
    """
    t = _new(Tensor)
    t._data = data
    t.grad = None
    t.requires_grad = False
    t._prev = ()
    t._op = ""
    t._backward = None
    t._saved = ()
    t.label = ""
    t._version = 0
    t._stamp = 0
    return t


def _binary(
    a: Tensor,
    b: Tensor,
    op: str,
    ufunc: np.ufunc,
    backward: BackwardFunction,
    saved: tuple,
) -> Tensor:
    """``ufunc(a, b)`` for two Tensors, recorded when either needs a gradient."""
    try:
        data = ufunc(a._data, b._data)
    except ValueError:
        raise _shape_error(op, a._data, b._data) from None
    return record(data, (a, b), op, backward, saved)


def _apply(ufunc: np.ufunc, a: Any, b: Any, op: str) -> Any:
    """``ufunc(a, b)`` where one side is a constant (number or array), with clear errors."""
    try:
        result = ufunc(a, b)
    except (TypeError, ValueError, OverflowError):
        raise _operand_error(op, a, b) from None
    if result.dtype.kind == "c":
        raise TypeError(
            f"Tensor {op}: the other side holds complex numbers, and a Tensor is real; "
            "pass its real and imaginary parts separately (x.real, x.imag)"
        )
    return result


def _as_constant(value: ArrayLike, op: str) -> Any:
    """A number or array to use as a constant operand of ``op``."""
    if type(value) is _ndarray and value.dtype in FLOAT_DTYPES:
        return value
    return numeric_array(value, f"Tensor {op}", "the other side")


def _operand_error(op: str, a: Any, b: Any, action: str = "combine a Tensor with") -> Exception:
    """Why ``a op b`` failed, one side being a Tensor's array: the other side is not an array of
    real numbers (the error names it), or the shapes do not broadcast."""
    for side in (a, b):
        try:
            numeric_array(side, f"Tensor {op}", "the other side")
        except TypeError as error:
            return TypeError(
                f"Tensor {op}: cannot {action} {type(side).__name__} {side!r:.60}; "
                f"use a number, a NumPy array or another Tensor ({str(error).split(': ', 1)[1]})"
            )
    return _shape_error(op, a, b)


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(x)


def _shape_error(op: str, a: Any, b: Any) -> ValueError:
    return ValueError(
        f"Tensor {op}: shapes {_shape(a)} and {_shape(b)} cannot be broadcast together "
        "(aligned from the right, each pair of sizes must be equal or one of them 1); "
        "reshape one side, e.g. with .reshape(...) or [:, None]"
    )


def _describe(t: Tensor) -> str:
    """How an error message names a tensor: its label, else its kind and shape."""
    if t.label:
        return f"tensor {t.label!r} (shape {t.shape})"
    if t._prev:
        return f"the result of {t._op!r} (shape {t.shape})"
    return f"a {'parameter' if t.requires_grad else 'constant'} tensor of shape {t.shape}"


def _compare(ufunc: np.ufunc, t: Tensor, other: Any, op: str) -> Any:
    """``t op other`` elementwise, as a boolean NumPy array (comparisons have no gradient)."""
    value = other._data if isinstance(other, Tensor) else other
    try:
        return ufunc(t._data, value)
    except (TypeError, ValueError, OverflowError):
        raise _operand_error(op, t._data, value, "compare a Tensor with") from None


def _mark_changed(t: Tensor) -> None:
    """Note that ``t``'s numbers changed in place (so older graphs through it are stale)."""
    _CLOCK[0] += 1
    t._version = _CLOCK[0]


def _in_place(
    t: Tensor, other: Any, ufunc: np.ufunc, op: str, out_of_place: Callable[..., Tensor]
) -> Tensor:
    """``t op= other``: changes ``t``'s array when no graph is being recorded through ``t``."""
    if t.requires_grad and GRAD_MODE.enabled:
        if t._prev:  # a computed tensor: a new node, exactly as `t = t + other`
            return out_of_place(t, other)
        raise RuntimeError(
            f"Tensor {op}: {_describe(t)} requires a gradient, so changing it in place while "
            "gradients are recorded would corrupt the graph; update parameters inside "
            f"`with no_grad():` (e.g. `with no_grad(): w {op} lr * w.grad`)"
        )
    value = other._data if isinstance(other, Tensor) else other
    data = t._data
    try:
        ufunc(data, value, out=data, casting="same_kind")
    except (TypeError, ValueError, OverflowError):
        error = _operand_error(op, data, value, f"update {_describe(t)} in place with")
        if isinstance(error, TypeError):
            raise error from None
        raise ValueError(
            f"Tensor {op}: the right side (shape {np.shape(value)}) does not fit {_describe(t)}; "
            "an in-place update keeps the tensor's shape, so the right side must broadcast to it"
        ) from None
    _mark_changed(t)
    return t


def _changed_in_place_error(changed: Tensor, user: Tensor) -> RuntimeError:
    return RuntimeError(
        f"Tensor.backward: {_describe(changed)} was changed in place (t.data = ..., "
        f"t -= ..., ...) after the {user._op!r} operation used it, so its gradient would be "
        "computed from numbers that are gone; run the forward pass again after the change"
    )


# ---- the backward pass ----


def _seed_gradient(root: Tensor, gradient: ArrayLike | None) -> Any:
    """d root / d root: 1 for a single number, else the caller's ``gradient``."""
    data = root._data
    if gradient is None:
        if data.ndim == 0:
            return data.dtype.type(1)  # a NumPy scalar: cheaper to compute with than an array
        if data.size != 1:
            raise ValueError(
                f"Tensor.backward: the tensor has shape {data.shape}, not a single number, so "
                "pass gradient= (an array of that shape), or reduce it first with .sum() or "
                ".mean()"
            )
        return np.ones(data.shape, data.dtype)
    given = gradient._data if isinstance(gradient, Tensor) else gradient
    seed = numeric_array(given, "Tensor.backward", "gradient").astype(data.dtype, copy=False)
    if seed.shape != data.shape:
        raise ValueError(
            f"Tensor.backward: gradient has shape {seed.shape} but the tensor has shape "
            f"{data.shape}; they must match"
        )
    return seed


def _accumulate_into_leaf(leaf: Tensor, grad: Any, source: Any) -> None:
    """Add ``grad`` into ``leaf.grad``, which stays an array of the leaf's shape and dtype.

    ``source`` is the gradient the backward function started from: a backward function may pass
    it on unchanged (``+``) or as a view (``reshape``). A leaf's ``.grad`` is the user's, so it
    must be an array that nothing else shares: such gradients are copied first.
    """
    data = leaf._data
    old = leaf.grad
    if old is None:
        if (
            grad is source
            or type(grad) is not _ndarray
            or grad.base is not None
            or grad.dtype != data.dtype
        ):
            grad = np.array(grad, dtype=data.dtype)
        leaf.grad = grad
    elif type(old) is _ndarray and old.shape == data.shape:
        old += grad  # in place; NumPy casts to the leaf's dtype
    else:  # the user replaced .grad (e.g. by 0.0)
        leaf.grad = np.array(old + grad, dtype=data.dtype)


# Late imports: these modules define ops with record (above); Tensor's methods call them.
from neurogebra.core.tensor import nn_functions, reductions, selecting, shaping  # noqa: E402
