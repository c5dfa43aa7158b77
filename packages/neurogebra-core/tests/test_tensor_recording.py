"""How Tensor ops record their graph: ``record``, ``no_grad`` for every op, in-place changes."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

import neurogebra.core.tensor as tensor_module
from neurogebra.core.tensor import Tensor, constant, no_grad, record

# ---- every op, once, on small inputs: (name, function of a 2x3 tensor x and a 3-vector v) ----

OPS = {
    "__add__": lambda x, v: x + v,
    "__radd__": lambda x, v: 1.0 + x,
    "__sub__": lambda x, v: x - v,
    "__rsub__": lambda x, v: 1.0 - x,
    "__mul__": lambda x, v: x * v,
    "__rmul__": lambda x, v: 2.0 * x,
    "__truediv__": lambda x, v: x / (v + 5.0),
    "__rtruediv__": lambda x, v: 1.0 / (x + 5.0),
    "__neg__": lambda x, v: -x,
    "__pow__": lambda x, v: x**2,
    "__rpow__": lambda x, v: 2.0**x,
    "__matmul__": lambda x, v: x @ v,
    "__rmatmul__": lambda x, v: np.ones((4, 2)) @ x,
    "__abs__": lambda x, v: abs(x),
    "__getitem__": lambda x, v: x[0, [0, 0, 2]],
    "exp": lambda x, v: x.exp(),
    "log": lambda x, v: (x * x + 1.0).log(),
    "sqrt": lambda x, v: (x * x + 1.0).sqrt(),
    "abs": lambda x, v: x.abs(),
    "relu": lambda x, v: x.relu(),
    "sigmoid": lambda x, v: x.sigmoid(),
    "tanh": lambda x, v: x.tanh(),
    "sum": lambda x, v: x.sum(axis=0),
    "mean": lambda x, v: x.mean(axis=1),
    "max": lambda x, v: x.max(axis=1),
    "min": lambda x, v: x.min(),
    "var": lambda x, v: x.var(axis=0),
    "std": lambda x, v: x.std(),
    "clip": lambda x, v: x.clip(-0.5, 0.5),
    "reshape": lambda x, v: x.reshape(3, 2),
    "transpose": lambda x, v: x.transpose(),
    "T": lambda x, v: x.T,
    "softmax": lambda x, v: x.softmax(),
    "log_softmax": lambda x, v: x.log_softmax(axis=0),
    "concatenate": lambda x, v: tensor_module.concatenate([x, x], axis=0),
    "stack": lambda x, v: tensor_module.stack([x, x]),
    "linear": lambda x, v: tensor_module.linear(x, Tensor(np.ones((3, 2))), v[:2]),
    "cross_entropy": lambda x, v: tensor_module.cross_entropy(x, [0, 2]),
    "mse": lambda x, v: tensor_module.mse(x, np.zeros((2, 3))),
    "softmax_function": lambda x, v: tensor_module.softmax(x),
    "log_softmax_function": lambda x, v: tensor_module.log_softmax(x),
    "where": lambda x, v: tensor_module.where(x.numpy() > 0, x, v),
}

# Not ops (no result with a graph): conversions, properties, comparisons, in-place updates.
NOT_OPS = {
    "backward",
    "detach",
    "item",
    "numpy",
    "zero_grad",
    "__pos__",  # returns the tensor itself
    "argmax",
    "argmin",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__iadd__",
    "__isub__",
    "__imul__",
    "__itruediv__",
}
NOT_OP_FUNCTIONS = {
    "Tensor",
    "constant",
    "record",
    "unbroadcast",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "zeros",
    "ones",
    "randn",
    "arange",
}


def _inputs() -> tuple[Tensor, Tensor]:
    x = Tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    v = Tensor([0.1, 0.2, 0.3], requires_grad=True)
    return x, v


def test_every_op_is_in_the_no_grad_test():
    """A new Tensor method or function must be added to OPS (or to NOT_OPS) above."""
    methods = {
        name
        for name, member in vars(Tensor).items()
        if (callable(member) or isinstance(member, property))
        and not (name.startswith("_") and not name.startswith("__"))
        and name
        not in {"__init__", "__array__", "__float__", "__bool__", "__len__", "__repr__", "__hash__"}
        and name not in {"shape", "ndim", "size", "dtype", "op", "children", "is_leaf", "data"}
        and not name.startswith("__array")
    }
    methods -= {"__weakref__", "__slots__"}
    functions = set(tensor_module.__all__)
    covered = set(OPS) | {n.removesuffix("_function") for n in OPS}
    assert methods - covered - NOT_OPS == set()
    assert functions - covered - NOT_OP_FUNCTIONS == set()


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_records_a_graph_unless_under_no_grad(name):
    op = OPS[name]
    x, v = _inputs()
    recorded = op(x, v)
    assert recorded.requires_grad and recorded.children
    with no_grad():
        plain = op(x, v)
    assert type(plain) is Tensor
    assert not plain.requires_grad and not plain.children and plain.op == ""
    np.testing.assert_array_equal(plain.numpy(), recorded.numpy())
    assert plain.dtype == recorded.dtype
    # constants give constants in either mode
    c, cv = Tensor(x.numpy()), Tensor(v.numpy())
    assert not op(c, cv).requires_grad


def test_record_is_the_one_way_to_write_an_op():
    def cube(x: Tensor) -> Tensor:
        data = x.numpy() ** 3
        return record(data, (x,), "cube", cube_backward, (x.numpy(),))

    def cube_backward(g, x):
        return (g * 3.0 * x**2,)

    x = Tensor([1.0, -2.0], requires_grad=True)
    y = cube(x)
    assert y.op == "cube" and y.children == (x,)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 12.0])
    with no_grad():
        assert cube(x).children == ()
    assert cube(Tensor([1.0])).requires_grad is False
    assert constant(np.zeros(2)).requires_grad is False


def test_ops_have_exactly_one_way_to_record():
    """The pre-0.3 private helpers are gone: every op module records through ``record``."""
    import neurogebra.core.tensor as package
    import neurogebra.core.tensor.tensor as module

    assert not hasattr(module, "_node") and not hasattr(module, "_constant_tensor")
    for path in Path(package.__file__).parent.glob("*.py"):
        source = path.read_text()
        assert "_node(" not in source and "_constant_tensor" not in source, path.name
    assert inspect.signature(record).parameters.keys() >= {"data", "inputs", "op", "backward"}


# ---- in-place changes ----


def test_changing_an_input_in_place_before_backward_names_it():
    w = Tensor([1.0, 2.0], requires_grad=True, label="w")
    loss = (w * w).sum()
    w.data = np.array([5.0, 5.0])
    with pytest.raises(RuntimeError, match=r"tensor 'w'.*changed in place.*'\*'"):
        loss.backward()
    loss = (w * w).sum()  # recomputed after the change: fine
    loss.backward()
    np.testing.assert_allclose(w.grad, [10.0, 10.0])


def test_augmented_assignment_to_data_and_constants_is_noticed():
    x = Tensor([1.0, 2.0])
    w = Tensor([3.0, 4.0], requires_grad=True)
    y = (x * w).sum()
    x += 1.0  # a constant input, changed in place
    with pytest.raises(RuntimeError, match="constant tensor of shape"):
        y.backward()
    y = (x * w).sum()
    w.data -= 0.5
    with pytest.raises(RuntimeError, match="parameter tensor"):
        y.backward()


def test_sgd_update_under_no_grad_changes_the_leaf_in_place():
    w = Tensor([1.0, -1.0], requires_grad=True)
    same = w
    for _ in range(3):
        w.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        with no_grad():
            w -= 0.25 * w.grad
    assert w is same and w.requires_grad and w.is_leaf
    np.testing.assert_allclose(w.numpy(), [0.125, -0.125])
    with no_grad():
        w *= 2.0
        w /= Tensor([2.0, 4.0])
        w += np.array([1.0, 1.0])
    np.testing.assert_allclose(w.numpy(), [1.125, 0.9375])


def test_in_place_update_of_a_parameter_outside_no_grad_is_refused():
    w = Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"no_grad\(\).*w -= lr \* w.grad"):
        w -= 0.1
    h = w * 2.0
    h += 1.0  # a computed tensor: a new node, as h = h + 1
    h.backward()
    assert w.grad[0] == 2.0


def test_in_place_errors_name_shape_and_type():
    t = Tensor([1.0, 2.0], dtype=np.float32)
    with pytest.raises(ValueError, match=r"shape \(3,\).*does not fit"):
        t += np.ones(3)
    with pytest.raises(TypeError, match="in place"):
        t += "a"
    t += np.ones(2)  # float64 into float32: kept float32
    assert t.dtype == np.float32


# ---- comparisons and odd data ----


def test_comparisons_give_boolean_arrays():
    a, b = Tensor([1.0, 2.0, 3.0]), Tensor([1.0, 0.0, 3.0])
    np.testing.assert_array_equal(a == b, [True, False, True])
    np.testing.assert_array_equal(a != b, [False, True, False])
    np.testing.assert_array_equal(a > 1.5, [False, True, True])
    np.testing.assert_array_equal(a >= 2, [False, True, True])
    np.testing.assert_array_equal(a < b, [False, False, False])
    np.testing.assert_array_equal(a <= np.array([0, 2, 3]), [False, True, True])
    assert (a > 0).dtype == bool
    assert len({a, b, a}) == 2  # still hashed by identity
    with pytest.raises(ValueError, match="shapes"):
        a == Tensor([1.0, 2.0])  # noqa: B015
    with pytest.raises(TypeError, match="compare"):
        a < "x"  # noqa: B015


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (None, "None"),
        (np.array([1 + 2j]), "complex"),
        ([1j, 2.0], "complex"),
        (np.array(["2024-01-01"], dtype="datetime64[D]"), "dates"),
        (np.array([1], dtype="timedelta64[s]"), "time spans"),
        (["1.5", "2"], "text"),
        ([None, 1.0], "not numbers"),
    ],
)
def test_data_that_is_not_real_numbers_is_refused(data, words):
    with pytest.raises(TypeError, match=words):
        Tensor(data)


def test_complex_constants_are_refused_by_ops():
    with pytest.raises(TypeError, match="complex"):
        Tensor([1.0]) * np.array([1j])
    with pytest.raises(TypeError, match="complex"):
        Tensor([1.0]).data = np.array([1j])


# ---- float32 end to end ----

WITH_FLOAT64_CONSTANTS = {"__rmatmul__", "linear"}  # NumPy promotes those, as it should


@pytest.mark.parametrize("name", sorted(set(OPS) - WITH_FLOAT64_CONSTANTS))
def test_every_op_keeps_float32_in_values_and_gradients(name):
    x, v = _inputs()
    x32 = Tensor(x.numpy(), dtype=np.float32, requires_grad=True)
    v32 = Tensor(v.numpy(), dtype=np.float32, requires_grad=True)
    out = OPS[name](x32, v32)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    for t in (x32, v32):
        assert t.grad is None or t.grad.dtype == np.float32
