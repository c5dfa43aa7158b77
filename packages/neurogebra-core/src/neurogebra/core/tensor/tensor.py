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

import numbers
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np

from neurogebra.core.autograd.graph import computed_nodes_in_order
from neurogebra.core.tensor import gradients as grads
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

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(tensor)`` gives the data, so plotting libraries accept Tensors."""
        data = np.asarray(self.data, dtype=dtype)
        return data.copy() if copy else data

    def item(self) -> float:
        """The single number in a one-element Tensor, as a Python float."""
        if self.data.ndim == 0:
            return float(self.data)
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
        if not self._prev:  # a leaf: d(self)/d(self) is the seed itself
            _accumulate_into_leaf(self, seed, seed)
            return
        order = computed_nodes_in_order(self)
        for node in order:
            node.grad = None  # an intermediate's gradient is recomputed on every call
        self.grad = seed
        for node in reversed(order):
            g = node.grad
            if g is None:  # no path from self reached this node with a gradient
                continue
            for parent, grad in zip(node._prev, node._backward(g, *node._saved)):  # noqa: B905
                if grad is None or not parent.requires_grad:
                    continue
                if parent._prev:  # an intermediate result: never changed in place
                    old = parent.grad
                    parent.grad = grad if old is None else old + grad
                else:
                    _accumulate_into_leaf(parent, grad, g)

    # ---- elementwise arithmetic (numbers and arrays on either side are constants) ----

    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self.data
        if type(other) is Tensor:  # written out (not _binary): the hottest op of all
            y = other.data
            try:
                data = x + y
            except ValueError:
                raise _shape_error("+", x, y) from None
            if (self.requires_grad or other.requires_grad) and GRAD_MODE.enabled:
                return _node(data, (self, other), "+", _add_backward, (x, y))
            return _constant_tensor(data)
        data = _apply(np.add, x, other, "+")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "+", grads.plus_constant_backward, (x,))
        return _constant_tensor(data)

    __radd__ = __add__

    def __sub__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self.data
        if type(other) is Tensor:
            y = other.data
            return _binary(self, other, "-", np.subtract, grads.sub_backward, (x, y))
        data = _apply(np.subtract, x, other, "-")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "-", grads.plus_constant_backward, (x,))
        return _constant_tensor(data)

    def __rsub__(self, other: ArrayLike) -> Tensor:
        x = self.data
        data = _apply(np.subtract, other, x, "-")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "-", grads.constant_minus_backward, (x,))
        return _constant_tensor(data)

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self.data
        if type(other) is Tensor:
            saved = (x, other.data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "*", np.multiply, grads.mul_backward, saved)
        data = _apply(np.multiply, x, other, "*")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "*", grads.times_constant_backward, (x, other))
        return _constant_tensor(data)

    __rmul__ = __mul__

    def __truediv__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self.data
        if type(other) is Tensor:
            saved = (x, other.data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "/", np.divide, grads.div_backward, saved)
        data = _apply(np.divide, x, other, "/")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "/", grads.over_constant_backward, (x, other))
        return _constant_tensor(data)

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        x = self.data
        data = _apply(np.divide, other, x, "/")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "/", grads.constant_over_backward, (x, data))
        return _constant_tensor(data)

    def __neg__(self) -> Tensor:
        data = -self.data
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "neg", grads.neg_backward, ())
        return _constant_tensor(data)

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, other: Tensor | ArrayLike) -> Tensor:
        x = self.data
        if type(other) is Tensor:
            saved = (x, other.data, self.requires_grad, other.requires_grad)
            return _binary(self, other, "**", np.power, grads.pow_backward, saved)
        data = _apply(np.power, x, other, "**")
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "**", grads.power_of_constant_backward, (x, other))
        return _constant_tensor(data)

    def __rpow__(self, other: ArrayLike) -> Tensor:
        x = self.data
        data = _apply(np.power, other, x, "**")
        if self.requires_grad and GRAD_MODE.enabled:
            saved = (x, other, data)
            return _node(data, (self,), "**", grads.constant_to_power_backward, saved)
        return _constant_tensor(data)

    # ---- matrix product ----

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        if type(other) is not Tensor:
            other = _constant_tensor(_as_constant(other, "@"))
        x, y = self.data, other.data
        try:
            data = x @ y
        except ValueError:
            raise grads.matmul_error(x, y) from None
        need_x, need_y = self.requires_grad, other.requires_grad
        if (need_x or need_y) and GRAD_MODE.enabled:
            return _node(data, (self, other), "@", _matmul_backward, (x, y, need_x, need_y))
        return _constant_tensor(data)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _constant_tensor(_as_constant(other, "@")) @ self

    # ---- elementwise functions ----

    def exp(self) -> Tensor:
        """e**x; overflows to inf beyond about 709.78 (shift inputs first, as softmax does)."""
        data = np.exp(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "exp", grads.exp_backward, (data,))
        return _constant_tensor(data)

    def log(self) -> Tensor:
        """Natural logarithm: -inf at 0 and nan below, as in NumPy (clip probabilities first)."""
        data = np.log(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "log", grads.log_backward, (self.data,))
        return _constant_tensor(data)

    def sqrt(self) -> Tensor:
        """Square root; its slope at 0 is inf, as in PyTorch."""
        data = np.sqrt(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "sqrt", grads.sqrt_backward, (data,))
        return _constant_tensor(data)

    def abs(self) -> Tensor:
        """|x|; its slope at 0 is taken as 0, as in PyTorch."""
        data = np.abs(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "abs", grads.abs_backward, (self.data,))
        return _constant_tensor(data)

    __abs__ = abs

    def relu(self) -> Tensor:
        """max(0, x); its slope at 0 is taken as 0, as in PyTorch."""
        data = np.maximum(self.data, 0.0)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "relu", grads.relu_backward, (data,))
        return _constant_tensor(data)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e**-x), computed as exp(-log(1 + e**-x)) so that no input overflows."""
        data = np.exp(-np.logaddexp(0.0, -self.data))
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "sigmoid", grads.sigmoid_backward, (data,))
        return _constant_tensor(data)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        data = np.tanh(self.data)
        if self.requires_grad and GRAD_MODE.enabled:
            return _node(data, (self,), "tanh", grads.tanh_backward, (data,))
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
    if dtype is None and type(data) is _ndarray and data.dtype in FLOAT_DTYPES:
        return data.copy()  # the common case: a float array, e.g. a batch of inputs
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
    """d root / d root: 1 for a single number, else the caller's ``gradient``."""
    data = root.data
    if gradient is None:
        if data.ndim == 0:
            return data.dtype.type(1)  # a NumPy scalar: cheaper to compute with than an array
        if data.size != 1:
            raise RuntimeError(
                f"Tensor.backward: the tensor has shape {data.shape}, not a single number, so "
                "pass gradient= (an array of that shape), or reduce it first with .sum() or "
                ".mean()"
            )
        return np.ones(data.shape, data.dtype)
    seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient, data.dtype)
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
    data = leaf.data
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


# Late imports: these modules build on Tensor and _node, defined above.
from neurogebra.core.tensor import nn_functions, reductions, shaping  # noqa: E402
