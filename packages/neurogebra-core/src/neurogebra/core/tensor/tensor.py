"""`Tensor`: a NumPy array that remembers how it was computed, so it can compute its gradient.

``Tensor`` is :class:`~neurogebra.core.autograd.Value` for whole arrays. Every operation has the
same shape: compute the result with NumPy, and, if an input wants a gradient, record

- the inputs (``_prev``), the operation's name (``_op``),
- a *backward function*: a plain module-level function that turns the gradient of the result
  into one gradient per input (``None`` where an input needs none), and
- the arrays that function needs (``_saved``), e.g. both factors of a product.

:meth:`Tensor.backward` walks the graph from the output to the inputs (in the order given by
the shared, iterative :func:`~neurogebra.core.autograd.graph.topological_order`) and calls
``backward_function(grad_of_result, *saved)`` at every node. Because the backward functions are
not closures over the result, a node never refers to itself, and a finished graph is freed by
reference counting alone, like a graph of Values.

Broadcasting: when ``a + b`` stretched ``b`` (say a bias of shape ``(16,)`` added to a batch of
shape ``(32, 16)``), each element of ``b`` was used 32 times, so its gradient is the sum over the
stretched axes. The engine does that summing (:func:`unbroadcast`) for every op, in one place.

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

import numbers
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np

from neurogebra.core.autograd.graph import topological_order
from neurogebra.core.tensor.grad_mode import GRAD_MODE

__all__ = ["Tensor", "unbroadcast"]

ArrayLike: TypeAlias = Any  # anything np.asarray accepts: numbers, nested lists, arrays
BackwardFunction: TypeAlias = Callable[..., tuple[Any, ...]]

FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_ndarray = np.ndarray
_new = object.__new__


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
        "_op",
        "_prev",
        "_saved",
        "data",
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
        self.data = _to_float_array(data, dtype)
        self.grad: Any = None
        self.requires_grad = bool(requires_grad)
        self._prev: tuple[Tensor, ...] = ()
        self._op = ""
        self._backward: BackwardFunction | None = None
        self._saved: tuple[Any, ...] = ()
        self.label = label

    # ---- properties and conversions ----

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

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
        data = self.data
        return data if type(data) is _ndarray else np.asarray(data)

    def item(self) -> float:
        """The single number in a one-element Tensor, as a Python float."""
        if self.data.size != 1:
            raise ValueError(
                f"Tensor.item: only a one-element Tensor converts to a number; this one has "
                f"shape {self.shape}; reduce it first (e.g. .sum() or .mean()) or index it"
            )
        return float(self.data.reshape(-1)[0])

    def __float__(self) -> float:
        return self.item()

    def __bool__(self) -> bool:
        return bool(self.data)  # NumPy's "truth value is ambiguous" error for several elements

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor (a single number); use .item()")
        return len(self.data)

    def detach(self) -> Tensor:
        """The same data (shared) as a new leaf that is cut off from this graph."""
        return _constant_tensor(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad`` becomes None); do it before each backward."""
        self.grad = None

    def __repr__(self) -> str:
        body = np.array2string(np.asarray(self.data), separator=", ", prefix="Tensor(")
        extras = []
        if self.data.dtype != np.float64:
            extras.append(f"dtype={self.data.dtype}")
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
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = None
        _accumulate(self, seed)
        for node in reversed(order):
            prev = node._prev
            if not prev:
                continue
            g = node.grad
            if g is None:
                continue
            grads = node._backward(g, *node._saved)
            for parent, parent_grad in zip(prev, grads, strict=True):
                if parent_grad is not None and parent.requires_grad:
                    _accumulate(parent, parent_grad, g)

    # ---- elementwise arithmetic (numbers and arrays on either side are constants) ----

    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is Tensor:
            return _binary(self, other, "+", np.add, _add_backward, ())
        data = _apply(np.add, self.data, other, "+")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "+", _identity_backward, ())
        return _constant_tensor(data)

    __radd__ = __add__

    def __sub__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is Tensor:
            return _binary(self, other, "-", np.subtract, _sub_backward, ())
        data = _apply(np.subtract, self.data, other, "-")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "-", _identity_backward, ())
        return _constant_tensor(data)

    def __rsub__(self, other: ArrayLike) -> Tensor:
        data = _apply(np.subtract, other, self.data, "-")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "-", _neg_backward, ())
        return _constant_tensor(data)

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is Tensor:
            a, b = self.data, other.data
            # Save only what a needed gradient uses: d(a*b)/da = b, d(a*b)/db = a.
            saved = (b if self.requires_grad else None, a if other.requires_grad else None)
            return _binary(self, other, "*", np.multiply, _mul_backward, saved)
        data = _apply(np.multiply, self.data, other, "*")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "*", _scale_backward, (other,))
        return _constant_tensor(data)

    __rmul__ = __mul__

    def __truediv__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is Tensor:
            return _binary(self, other, "/", np.divide, _div_backward, (self.data, other.data))
        data = _apply(np.divide, self.data, other, "/")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "/", _div_by_constant_backward, (other,))
        return _constant_tensor(data)

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        data = _apply(np.divide, other, self.data, "/")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "/", _constant_div_backward, (data, self.data))
        return _constant_tensor(data)

    def __neg__(self) -> Tensor:
        data = -self.data
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "neg", _neg_backward, ())
        return _constant_tensor(data)

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is Tensor:
            return _binary(self, other, "**", np.power, _pow_backward, (self.data, other.data))
        exponent = other
        data = _apply(np.power, self.data, exponent, "**")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "**", _pow_constant_backward, (self.data, exponent))
        return _constant_tensor(data)

    def __rpow__(self, other: ArrayLike) -> Tensor:
        data = _apply(np.power, other, self.data, "**")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "**", _constant_pow_backward, (other, data))
        return _constant_tensor(data)

    # ---- matrix product ----

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is not Tensor:
            other = _constant_tensor(_as_constant(other, "@"))
        return _matmul(self, other)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _matmul(_constant_tensor(_as_constant(other, "@")), self)

    # ---- elementwise functions ----

    def exp(self) -> Tensor:
        """e**x; overflows to inf beyond about 709.78 (shift inputs first, as softmax does)."""
        data = np.exp(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "exp", _exp_backward, (data,))
        return _constant_tensor(data)

    def log(self) -> Tensor:
        """Natural logarithm: -inf at 0 and nan below, as in NumPy (clip probabilities first)."""
        data = np.log(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "log", _log_backward, (self.data,))
        return _constant_tensor(data)

    def sqrt(self) -> Tensor:
        """Square root; its slope at 0 is inf, as in PyTorch."""
        data = np.sqrt(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "sqrt", _sqrt_backward, (data,))
        return _constant_tensor(data)

    def abs(self) -> Tensor:
        """|x|; its slope at 0 is taken as 0, as in PyTorch."""
        data = np.abs(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "abs", _abs_backward, (self.data,))
        return _constant_tensor(data)

    __abs__ = abs

    def relu(self) -> Tensor:
        """max(0, x); its slope at 0 is taken as 0, as in PyTorch."""
        x = self.data
        mask = x > 0
        data = x * mask
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "relu", _relu_backward, (mask,))
        return _constant_tensor(data)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e**-x), computed as exp(-log(1 + e**-x)) so that no input overflows."""
        data = np.exp(-np.logaddexp(0.0, -self.data))
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "sigmoid", _sigmoid_backward, (data,))
        return _constant_tensor(data)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        data = np.tanh(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "tanh", _tanh_backward, (data,))
        return _constant_tensor(data)

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
    if isinstance(data, Tensor):
        data = data.data
    if dtype is None:
        source_dtype = getattr(data, "dtype", None)
        keep = source_dtype is not None and source_dtype in FLOAT_DTYPES
        dtype = source_dtype if keep else np.float64
    elif np.dtype(dtype) not in FLOAT_DTYPES:
        raise ValueError(
            f"Tensor: dtype must be float64 (the default) or float32, got {np.dtype(dtype)}; "
            "gradients need floating-point numbers"
        )
    try:
        return np.array(data, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"Tensor: cannot make an array of numbers from {type(data).__name__} "
            f"({error}); pass a number, a (nested) list of numbers, or a NumPy array"
        ) from None


def _constant_tensor(data: Any) -> Tensor:
    """A Tensor around an existing array, with no graph (the fast path of every op)."""
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = False
    t._prev = ()
    t._op = ""
    t._backward = None
    t._saved = ()
    t.label = ""
    return t


def _node(
    data: Any, prev: tuple[Tensor, ...], op: str, backward: BackwardFunction, saved: tuple
) -> Tensor:
    """A Tensor computed by ``op`` from ``prev``; ``backward(grad, *saved)`` undoes it."""
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = True
    t._prev = prev
    t._op = op
    t._backward = backward
    t._saved = saved
    t.label = ""
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
        data = ufunc(a.data, b.data)
    except ValueError:
        raise _shape_error(op, a.data, b.data) from None
    if (a.requires_grad or b.requires_grad) and GRAD_MODE.enabled:
        return _node(data, (a, b), op, backward, saved)
    return _constant_tensor(data)


def _apply(ufunc: np.ufunc, a: Any, b: Any, op: str) -> Any:
    """``ufunc(a, b)`` where one side is a constant (number or array), with clear errors."""
    try:
        return ufunc(a, b)
    except ValueError:
        raise _shape_error(op, a, b) from None
    except TypeError:
        bad = b if isinstance(a, _ndarray | np.generic) else a
        raise TypeError(
            f"Tensor {op}: cannot combine a Tensor with {type(bad).__name__} {bad!r}; "
            "use a number, a NumPy array or another Tensor"
        ) from None


def _as_constant(value: ArrayLike, op: str) -> Any:
    """A number or array to use as a constant operand of ``op``."""
    if isinstance(value, numbers.Real | _ndarray | np.generic):
        return value
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"Tensor {op}: cannot combine a Tensor with {type(value).__name__} {value!r}; "
            "use a number, a NumPy array or another Tensor"
        ) from None


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(x)


def _shape_error(op: str, a: Any, b: Any) -> ValueError:
    return ValueError(
        f"Tensor {op}: shapes {_shape(a)} and {_shape(b)} cannot be broadcast together "
        "(aligned from the right, each pair of sizes must be equal or one of them 1); "
        "reshape one side, e.g. with .reshape(...) or [:, None]"
    )


# ---- the backward pass ----


def _seed_gradient(root: Tensor, gradient: ArrayLike | None) -> Any:
    data = root.data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(
                f"Tensor.backward: the tensor has shape {data.shape}, not a single number, so "
                "pass gradient= (an array of that shape), or reduce it first with .sum() or "
                ".mean()"
            )
        return np.ones_like(data)
    seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient, data.dtype)
    if seed.shape != data.shape:
        raise ValueError(
            f"Tensor.backward: gradient has shape {seed.shape} but the tensor has shape "
            f"{data.shape}; they must match"
        )
    return seed


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting stretched, so it has ``shape`` again.

    Example:
        >>> unbroadcast(np.ones((4, 3)), (3,))
        array([4., 4., 4.])
        >>> unbroadcast(np.ones((4, 3)), (4, 1))
        array([[3.],
               [3.],
               [3.],
               [3.]])
    """
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _accumulate(node: Tensor, grad: Any, source: Any = None) -> None:
    """Add ``grad`` (d output / d node, maybe still broadcast) into ``node.grad``.

    ``source`` is the gradient the backward function started from: a backward function may pass
    it on unchanged (``+``) or as a view (``reshape``). A leaf's ``.grad`` is handed to the user,
    so it must be an array the leaf owns: such shared gradients are copied for leaves.
    """
    data = node.data
    if grad.shape != data.shape:
        grad = unbroadcast(grad, data.shape)
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
    old = node.grad
    if node._prev:  # an intermediate result: never changed in place, so sharing is safe
        node.grad = grad if old is None else old + grad
    elif old is None:
        if grad is source or grad.base is not None or type(grad) is not _ndarray:
            grad = np.array(grad, dtype=data.dtype)
        node.grad = grad
    elif type(old) is _ndarray and old.shape == data.shape:
        old += grad
    else:  # the user replaced .grad (e.g. by 0.0)
        node.grad = np.asarray(old + grad, dtype=data.dtype)


# ---- backward functions: (gradient of the result, *saved) -> one gradient per input ----


def _identity_backward(g: Any) -> tuple[Any]:
    return (g,)


def _neg_backward(g: Any) -> tuple[Any]:
    return (-g,)


def _add_backward(g: Any) -> tuple[Any, Any]:
    return g, g


def _sub_backward(g: Any) -> tuple[Any, Any]:
    return g, -g


def _mul_backward(g: Any, b: Any, a: Any) -> tuple[Any, Any]:
    # b (saved only when a needs a gradient) is d(a*b)/da, and a is d(a*b)/db.
    return (None if b is None else g * b), (None if a is None else g * a)


def _scale_backward(g: Any, constant: Any) -> tuple[Any]:
    return (g * constant,)


def _div_backward(g: Any, a: Any, b: Any) -> tuple[Any, Any]:
    grad_a = g / b
    return grad_a, -grad_a * a / b


def _div_by_constant_backward(g: Any, constant: Any) -> tuple[Any]:
    return (g / constant,)


def _constant_div_backward(g: Any, out: Any, b: Any) -> tuple[Any]:
    # d(c/b)/db = -c/b**2 = -out/b
    return (-g * out / b,)


def _power_slope(base: Any, exponent: Any) -> Any:
    """d(base**exponent)/d(base), with PyTorch's value 0 wherever the exponent is 0."""
    if np.ndim(exponent) == 0:
        if exponent == 2:
            return 2.0 * base
        if exponent == 0:
            return np.zeros_like(base)
        return exponent * base ** (exponent - 1)
    return np.where(exponent == 0, 0.0, exponent * base ** (exponent - 1))


def _pow_constant_backward(g: Any, base: Any, exponent: Any) -> tuple[Any]:
    return (g * _power_slope(base, exponent),)


def _log_of_base(base: Any, out: Any) -> Any:
    """d(base**e)/de = out * log(base); 0 where base is 0 (and e >= 0), nan for base < 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base == 0, 0.0, out * np.log(base))


def _pow_backward(g: Any, base: Any, exponent: Any) -> tuple[Any, Any]:
    out = base**exponent
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * _power_slope(base, exponent), g * _log_of_base(base, out)


def _constant_pow_backward(g: Any, base: Any, out: Any) -> tuple[Any]:
    return (g * _log_of_base(np.asarray(base), out),)


def _exp_backward(g: Any, out: Any) -> tuple[Any]:
    return (g * out,)


def _log_backward(g: Any, x: Any) -> tuple[Any]:
    return (g / x,)


def _sqrt_backward(g: Any, out: Any) -> tuple[Any]:
    with np.errstate(divide="ignore"):
        return (g * (0.5 / out),)


def _abs_backward(g: Any, x: Any) -> tuple[Any]:
    return (g * np.sign(x),)


def _relu_backward(g: Any, mask: Any) -> tuple[Any]:
    return (g * mask,)


def _sigmoid_backward(g: Any, s: Any) -> tuple[Any]:
    return (g * s * (1.0 - s),)


def _tanh_backward(g: Any, t: Any) -> tuple[Any]:
    return (g * (1.0 - t * t),)


# ---- matrix product ----


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    x, y = a.data, b.data
    try:
        data = x @ y
    except ValueError:
        raise _matmul_error(x, y) from None
    need_x, need_y = a.requires_grad, b.requires_grad
    if (need_x or need_y) and GRAD_MODE.enabled:
        return _node(data, (a, b), "@", _matmul_backward, (x, y, need_x, need_y))
    return _constant_tensor(data)


def _matmul_error(x: Any, y: Any) -> ValueError:
    sx, sy = np.shape(x), np.shape(y)
    if not sx or not sy:
        return ValueError(
            f"Tensor @: shapes {sx} and {sy}: matrix products need at least 1-d operands; "
            "use * to multiply by a single number"
        )
    inner_y = sy[0] if len(sy) == 1 else sy[-2]
    if sx[-1] != inner_y:
        return ValueError(
            f"Tensor @: shapes {sx} and {sy} don't fit: the left side's last axis ({sx[-1]}) "
            f"must equal the right side's {'only' if len(sy) == 1 else 'second-to-last'} axis "
            f"({inner_y}); transpose one side (.T) or fix the layer sizes"
        )
    return ValueError(
        f"Tensor @: shapes {sx} and {sy}: the batch axes (all but the last two) cannot be "
        "broadcast together"
    )


def _swap_last(x: Any) -> Any:
    return x.T if x.ndim == 2 else x.swapaxes(-1, -2)


def _matmul_backward(g: Any, x: Any, y: Any, need_x: bool, need_y: bool) -> tuple[Any, Any]:
    """d(x@y)/dx = g @ y.T and d(x@y)/dy = x.T @ g, computed only where needed.

    A 1-d x acts as a one-row matrix and a 1-d y as a one-column matrix (as in NumPy); the
    engine then sums the gradients over any broadcast batch axes.
    """
    if x.ndim == 2 and y.ndim == 2:  # the common case, first
        return (g @ y.T if need_x else None), (x.T @ g if need_y else None)
    if x.ndim == 1 and y.ndim == 1:  # a dot product
        return (g * y if need_x else None), (g * x if need_y else None)
    x_is_row, y_is_column = x.ndim == 1, y.ndim == 1
    if x_is_row:
        x, g = x[None, :], np.expand_dims(g, -2)
    if y_is_column:
        y, g = y[:, None], np.expand_dims(g, -1)
    grad_x = g @ _swap_last(y) if need_x else None
    grad_y = _swap_last(x) @ g if need_y else None
    if x_is_row and grad_x is not None:
        grad_x = grad_x[..., 0, :]
    if y_is_column and grad_y is not None:
        grad_y = grad_y[..., 0]
    return grad_x, grad_y


# Late imports: these modules build on Tensor and _node, defined above.
from neurogebra.core.tensor import nn_functions, reductions, shaping  # noqa: E402
