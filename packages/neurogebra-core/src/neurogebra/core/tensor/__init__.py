"""Array automatic differentiation: :class:`Tensor`, ``no_grad`` and the training functions.

``Tensor`` does for NumPy arrays what ``Value`` does for single numbers, fast enough to train
real networks.

Example:
    >>> from neurogebra.core.tensor import Tensor, cross_entropy
    >>> w = Tensor([[0.5, -0.5], [1.0, 0.0]], requires_grad=True)
    >>> x = Tensor([[1.0, 2.0]])
    >>> loss = cross_entropy(x @ w, [1])
    >>> loss.backward()
    >>> w.grad.shape
    (2, 2)
"""

from neurogebra.core.tensor.factories import arange, ones, randn, zeros
from neurogebra.core.tensor.grad_mode import enable_grad, is_grad_enabled, no_grad
from neurogebra.core.tensor.linear import linear
from neurogebra.core.tensor.nn_functions import cross_entropy, log_softmax, mse, softmax
from neurogebra.core.tensor.selecting import clip, where
from neurogebra.core.tensor.shaping import concatenate, stack
from neurogebra.core.tensor.tensor import Tensor, constant, record, unbroadcast

__all__ = [
    "Tensor",
    "arange",
    "clip",
    "concatenate",
    "constant",
    "cross_entropy",
    "enable_grad",
    "is_grad_enabled",
    "linear",
    "log_softmax",
    "mse",
    "no_grad",
    "ones",
    "randn",
    "record",
    "softmax",
    "stack",
    "unbroadcast",
    "where",
    "zeros",
]
