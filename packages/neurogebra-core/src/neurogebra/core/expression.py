"""`Expression`: a named formula you can evaluate, differentiate, explain, compose and train.

The formula lives as a SymPy expression (:attr:`Expression.symbolic_expr`); numbers come from a
NumPy function compiled from it once, on first use. Symbols are split into *parameters* (named
in ``params``, with values, some of them ``trainable_params``) and *variables* (everything
else, supplied at evaluation time).

Example:
    >>> line = Expression("line", "m*x + b", params={"m": 2.0, "b": 1.0})
    >>> line.eval(x=3)
    7.0
    >>> line.gradient("x").eval(x=3)
    2.0
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from neurogebra.core.autograd import Value
from neurogebra.core.compiling import compile_numpy, compile_values
from neurogebra.core.differentiation import differentiate
from neurogebra.core.naming import did_you_mean
from neurogebra.core.parsing import as_real_symbols, number, parse_formula, real_symbol
from neurogebra.core.value_functions import as_value

__all__ = ["Expression"]


def _to_sympy(formula: object) -> sp.Expr:
    if isinstance(formula, str):
        return parse_formula(formula)
    if isinstance(formula, sp.Basic):
        return as_real_symbols(formula)
    if isinstance(formula, numbers.Real):
        return number(formula if isinstance(formula, int) else float(formula))
    raise TypeError(
        f"symbolic_expr must be a formula string such as 'm*x + b' or a SymPy expression, "
        f"got {type(formula).__name__}"
    )


def _param_value(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"parameter {name!r} must be a real number, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise OverflowError(f"parameter {name!r} is too large for a float") from None


def param_values(params: object, where: str) -> dict[str, float]:
    """``params`` (a mapping of parameter names to numbers, or None) as a dict of floats, or an
    error naming ``params``: the one check of ``Expression(params=)`` and ``forge.get(params=)``.

    Example:
        >>> param_values({"a": 2}, "f")
        {'a': 2.0}
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise TypeError(
            f"{where}: params must be a dict of parameter names to numbers, e.g. "
            f"params={{'a': 1.0}}, got {type(params).__name__} {params!r:.60}"
        )
    for key in params:
        if not isinstance(key, str):
            raise TypeError(f"{where}: params keys must be parameter names, got {key!r:.40}")
    return {key: _param_value(key, value) for key, value in params.items()}


def _is_scalar(value: object) -> bool:
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


_LARGEST_FLOAT = int(np.finfo(np.float64).max)


def _argument_problem(value: object) -> str:
    """Why ``value`` can't be an input of a formula ('' when it can)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _LARGEST_FLOAT:
        return "is an int too large for a float (beyond about 1.8e308)"
    if isinstance(value, Value | numbers.Real):
        return ""
    if value is None:
        return "is None, not a number"
    if isinstance(value, str | bytes):
        return "is text, not a number (convert it first, e.g. float(text))"
    if isinstance(value, numbers.Complex):
        return "is complex; formulas are evaluated over the real numbers"
    try:
        kind = np.asarray(value).dtype.kind
    except (TypeError, ValueError):
        return "can't be made into an array of numbers (lists of different lengths?)"
    problems = {
        "c": "holds complex numbers; formulas are evaluated over the real numbers",
        "O": "holds objects that are not numbers (None?)",
        "U": "holds text, not numbers",
        "S": "holds bytes, not numbers",
        "M": "holds dates, not numbers",
        "m": "holds time spans, not numbers",
        "V": "holds structured records, not numbers",
    }
    return problems.get(kind, "")


def _real(result: np.ndarray, name: str) -> np.ndarray:
    """A formula's result as real numbers: a complex part (a real formula outside its domain,
    e.g. a negative number to a fractional power) becomes nan, with NumPy's warning."""
    if result.dtype.kind != "c":
        return result.astype(float, copy=False)
    real = result.real.astype(float)
    outside = result.imag != 0
    if np.any(outside):
        warnings.warn(
            f"{name}: the formula is undefined over the real numbers at some inputs (nan there)",
            RuntimeWarning,
            stacklevel=3,
        )
        real = np.where(outside, np.nan, real)
    return real


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iub"
    )


class Expression:
    """A named formula with parameters.

    Args:
        name: what to call it (used in messages and displays).
        symbolic_expr: the formula, as text (``"m*x + b"``) or as a SymPy expression.
        params: values of the symbols that are parameters rather than inputs.
        trainable_params: the parameters a :class:`~neurogebra.core.trainer.Trainer` may change.
        metadata: free-form information (the repository stores description, usage, domain).
        variables: the input names in order; by default every non-parameter symbol, sorted.

    Evaluation follows Python's own number rules: integer inputs to an integer-valued formula
    give an ``int`` (``relu.eval(x=5)`` is ``5``, like ``max(0, 5)``); everything else gives a
    ``float``; arrays give a NumPy array; autograd ``Value`` inputs give a ``Value``.

    Example:
        >>> e = Expression("square", "x**2")
        >>> e.eval(x=3), e.eval(x=1.5), e.gradient("x")
        (9, 2.25, Expression('d(square)/dx', '2*x'))
    """

    def __init__(
        self,
        name: str,
        symbolic_expr: str | sp.Expr,
        params: Mapping[str, float] | None = None,
        trainable_params: Iterable[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        variables: Sequence[str] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {name!r}")
        expr = _to_sympy(symbolic_expr)
        params = param_values(params, name)
        symbols = {s.name for s in expr.free_symbols}
        for key in params:
            if key not in symbols:
                raise ValueError(
                    f"{name}: parameter {key!r} does not appear in the formula {expr}; its "
                    f"symbols are {', '.join(sorted(symbols)) or 'none'}"
                    f"{did_you_mean(key, symbols)}"
                )
        self._init(name, expr, params, trainable_params, metadata, variables)

    def _init(
        self,
        name: str,
        expr: sp.Expr,
        params: Mapping[str, float],
        trainable_params: Iterable[str] | None,
        metadata: Mapping[str, Any] | None,
        variables: Sequence[str] | None,
    ) -> None:
        self.name = name
        self.symbolic_expr = expr
        self.params: dict[str, float] = {k: _param_value(k, v) for k, v in params.items()}
        self.trainable_params: list[str] = list(dict.fromkeys(trainable_params or []))
        self.metadata: dict[str, Any] = dict(metadata or {})
        for key in self.trainable_params:
            if key not in self.params:
                raise ValueError(
                    f"{name}: trainable parameter {key!r} has no starting value; give it one, "
                    f"e.g. params={{{key!r}: 0.0}}"
                )
        free = sorted(s.name for s in expr.free_symbols if s.name not in self.params)
        if variables is None:
            self._variables = free
        else:
            self._variables = list(dict.fromkeys(variables))
            missing = [v for v in free if v not in self._variables]
            if missing:
                raise ValueError(f"{name}: variables must include {', '.join(missing)}")
            clash = [v for v in self._variables if v in self.params]
            if clash:
                raise ValueError(f"{name}: {', '.join(clash)} can't be both variable and parameter")
        self._numpy_fn: Callable | None = None
        self._value_fn: Callable | None = None
        self._integer_valued: bool | None = None

    @classmethod
    def _derived(
        cls,
        name: str,
        expr: sp.Expr,
        params: Mapping[str, float],
        trainable_params: Iterable[str],
        variables: Sequence[str],
        metadata: Mapping[str, Any] | None = None,
    ) -> Expression:
        """An expression computed from others; its parameters may have cancelled out."""
        new = cls.__new__(cls)
        new._init(name, expr, params, trainable_params, metadata, variables)
        return new

    # ---- what it is made of ----

    @property
    def variables(self) -> list[str]:
        """The inputs to supply when evaluating (every symbol that is not a parameter)."""
        return list(self._variables)

    @property
    def formula(self) -> str:
        """The formula as text, e.g. ``'b + m*x'``."""
        return str(self.symbolic_expr)

    def _arg_names(self) -> list[str]:
        return [*self._variables, *self.params]

    # ---- numbers ----

    def eval(self, *positional: Any, **values: Any) -> Any:
        """Evaluate with keyword values for the variables (they may also override parameters).

        Scalars give a number, arrays give an array (with broadcasting), and autograd
        ``Value`` inputs give a ``Value`` whose ``backward()`` matches :meth:`gradient`. A
        formula of one variable also takes it positionally: ``relu.eval(3)``.

        Numbers and arrays follow one rule, NumPy's: where a formula is undefined or overflows
        (``1/x`` at 0, ``sqrt(x)`` below 0, ``x**2`` at 1e200) the result is ``inf`` or ``nan``
        and NumPy warns (RuntimeWarning); a real formula never returns a complex number.

        Example:
            >>> import numpy as np
            >>> Expression("relu", "Max(0, x)").eval(x=np.array([-1.0, 2.0]))
            array([0., 2.])
        """
        if positional:
            values = self._positional(positional, values)
        args = self._arguments(values)
        if any(isinstance(a, Value) for a in args):
            return self._eval_values(args)
        if self._numpy_fn is None:
            self._numpy_fn = compile_numpy(self.symbolic_expr, self._arg_names())
        arrays = [np.asarray(a, dtype=float) for a in args]
        result = _real(np.asarray(self._numpy_fn(*arrays)), self.name)
        if all(_is_scalar(a) for a in args):
            number = float(result)
            if self._integer_result(args) and number.is_integer():
                return int(number)
            return number
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        if result.shape == shape:
            return result
        return np.broadcast_to(result, shape).copy()

    def _positional(self, positional: tuple[Any, ...], values: dict[str, Any]) -> dict[str, Any]:
        if len(self._variables) != 1 or len(positional) != 1 or self._variables[0] in values:
            example = ", ".join(f"{v}=1.0" for v in self._variables) or ""
            raise TypeError(
                f"{self.name}.eval() takes its inputs by name when a formula has "
                f"{'no' if not self._variables else 'several'} variables or when more than "
                f"one value is given; got {len(positional)} positional value(s); write "
                f"{self.name}.eval({example})"
            )
        return {self._variables[0]: positional[0], **values}

    def _eval_values(self, args: list[Any]) -> Value:
        """The formula on autograd Values: the compiled graph of Value operations, or, for a
        formula with kinks (Max, Min, steps), one node whose local derivatives are the
        symbolic ones, so that its slopes at a kink follow :meth:`gradient`'s convention."""
        if not self.symbolic_expr.has(sp.Max, sp.Min, sp.Heaviside):
            if self._value_fn is None:
                self._value_fn = compile_values(self.symbolic_expr, self._arg_names())
            return as_value(self._value_fn(*args))
        names = self._arg_names()
        numbers_in = [float(a.data) if isinstance(a, Value) else float(a) for a in args]
        if self._numpy_fn is None:
            self._numpy_fn = compile_numpy(self.symbolic_expr, names)
        data = float(_real(np.asarray(self._numpy_fn(*map(np.float64, numbers_in))), self.name))
        inputs = [(name, a) for name, a in zip(names, args, strict=True) if isinstance(a, Value)]
        slopes = [
            float(
                self._like("slope", differentiate(self.symbolic_expr, real_symbol(name))).eval(
                    **dict(zip(names, numbers_in, strict=True))
                )
            )
            for name, _ in inputs
        ]
        values = [a for _, a in inputs]
        if len(values) == 1:
            return Value(data, values[0], None, self.name, slopes[0])
        out = Value(data, values[0], values[1], self.name, slopes[0], slopes[1])
        # more inputs: each through a scaling node, added with local derivative 1 (as Value.sum)
        out._more = tuple(
            Value(v.data * k, v, None, "*", k) for v, k in zip(values[2:], slopes[2:], strict=True)
        )
        return out

    __call__ = eval

    def _arguments(self, values: Mapping[str, Any]) -> list[Any]:
        known = set(self._variables) | set(self.params)
        for key, value in values.items():
            problem = _argument_problem(value)
            if problem:
                raise TypeError(
                    f"{self.name}.eval(): {key}={value!r:.60} {problem}; pass a real number, "
                    "an array of real numbers or an autograd Value"
                )
        for key in values:
            if key not in known:
                raise TypeError(
                    f"{self.name}.eval() got an unexpected variable {key!r}"
                    f"{did_you_mean(key, known)}; it expects {self._expected()}"
                )
        merged = {**self.params, **values}
        missing = [v for v in self._variables if v not in merged]
        if missing:
            raise TypeError(
                f"{self.name}.eval() is missing the variable {missing[0]!r}; it expects "
                f"{self._expected()}, e.g. {self.name}.eval("
                + ", ".join(f"{v}=1.0" for v in self._variables)
                + ")"
            )
        return [merged[name] for name in self._arg_names()]

    def _expected(self) -> str:
        text = ", ".join(self._variables) or "no variables"
        if self.params:
            text += " (parameters, optional: " + ", ".join(self.params) + ")"
        return text

    def _integer_result(self, args: Sequence[Any]) -> bool:
        if not all(_is_int(a) for a in args):
            return False
        if self._integer_valued is None:
            as_ints = {s: sp.Symbol(s.name, integer=True) for s in self.symbolic_expr.free_symbols}
            self._integer_valued = self.symbolic_expr.xreplace(as_ints).is_integer is True
        return self._integer_valued

    # ---- calculus ----

    def _symbol(self, var: str | sp.Symbol, action: str) -> sp.Symbol:
        name = var.name if isinstance(var, sp.Symbol) else var
        known = [*self._variables, *self.params]
        if name not in known:
            raise ValueError(
                f"can't {action} {self.name} with respect to {name!r}: it is not one of its "
                f"symbols ({', '.join(known) or 'none'}){did_you_mean(str(name), known)}"
            )
        return real_symbol(name)

    def gradient(self, var: str) -> Expression:
        """The partial derivative with respect to a variable or parameter, as an Expression.

        Example:
            >>> Expression("relu", "Max(0, x)").gradient("x").symbolic_expr
            Heaviside(x)
        """
        if not isinstance(var, str | sp.Symbol):
            raise TypeError(
                f"{self.name}.gradient(): var must be a variable name such as 'x', got {var!r}"
            )
        if not self.symbolic_expr.free_symbols:  # a constant: its slope is 0 in any direction
            return self._like(f"d({self.name})/d{var}", sp.S.Zero)
        derivative = differentiate(self.symbolic_expr, self._symbol(var, "differentiate"))
        return self._like(f"d({self.name})/d{var}", derivative)

    def gradients(self, include_params: bool = False) -> dict[str, Expression]:
        """Partial derivatives for every variable (and every parameter if asked)."""
        names = [*self._variables, *(self.params if include_params else ())]
        return {name: self.gradient(name) for name in names}

    def simplify(self) -> Expression:
        """The same function in SymPy's simplest form."""
        return self._like(self.name, sp.simplify(self.symbolic_expr), same_function=True)

    def expand(self) -> Expression:
        """Products and powers multiplied out."""
        return self._like(self.name, sp.expand(self.symbolic_expr), same_function=True)

    def integrate(self, var: str) -> Expression:
        """An antiderivative with respect to ``var`` (constant of integration 0)."""
        result = sp.integrate(self.symbolic_expr, self._symbol(var, "integrate"))
        if result.has(sp.Integral):
            raise ValueError(f"SymPy found no closed form for the integral of {self.formula}")
        return self._like(f"integral of {self.name} d{var}", result)

    def _like(self, name: str, expr: sp.Expr, same_function: bool = False) -> Expression:
        """A derived expression with the same symbols; the repository's notes (description,
        domain...) carry over only when it is the same function, rewritten."""
        metadata = self.metadata if same_function else None
        return Expression._derived(
            name, expr, self.params, self.trainable_params, self._variables, metadata
        )

    # ---- building new expressions ----

    def compose(self, inner: Expression, var: str | None = None) -> Expression:
        """f(g(...)): substitute ``inner`` for the variable ``var`` (or the only variable).

        Example:
            >>> f = Expression("square", "x**2")
            >>> f.compose(Expression("shift", "t + 1")).formula
            '(t + 1)**2'
        """
        if not isinstance(inner, Expression):
            raise TypeError(f"compose() needs an Expression, got {type(inner).__name__}")
        if var is None:
            if len(self._variables) != 1:
                raise ValueError(
                    f"{self.name} has variables {', '.join(self._variables) or 'none'}; say which "
                    f"one to replace, e.g. compose(inner, var={(self._variables or ['x'])[0]!r})"
                )
            var = self._variables[0]
        if var in self.params:
            raise ValueError(
                f"{var!r} is a parameter of {self.name}; compose() replaces variables only "
                f"({', '.join(self._variables)})"
            )
        if var not in self._variables:
            raise ValueError(
                f"{self.name} has no variable {var!r}; its variables are "
                f"{', '.join(self._variables)}{did_you_mean(var, self._variables)}"
            )
        expr = self.symbolic_expr.xreplace({real_symbol(var): inner.symbolic_expr})
        outer_vars = [v for v in self._variables if v != var]
        return self._combine(f"{self.name}({inner.name})", expr, inner, outer_vars)

    def _combine(
        self, name: str, expr: sp.Expr, other: Expression | None, own_vars: Sequence[str]
    ) -> Expression:
        params = dict(self.params)
        trainable = list(self.trainable_params)
        variables = list(own_vars)
        if other is not None:
            for key, value in other.params.items():
                if key in params and params[key] != value:
                    raise ValueError(
                        f"{self.name} and {other.name} both have a parameter {key!r}, with "
                        f"different values ({params[key]} and {value}); give one of them "
                        "another name in its formula"
                    )
                params[key] = value
            trainable += [p for p in other.trainable_params if p not in trainable]
            variables += [v for v in other._variables if v not in variables]
        clash = [v for v in variables if v in params]
        if clash:
            raise ValueError(
                f"{', '.join(clash)} is a variable of one expression and a parameter of the other"
            )
        return Expression._derived(name, expr, params, trainable, variables)

    def _arith(self, other: object, op: Callable, symbol: str, reverse: bool = False):
        if isinstance(other, Expression):
            other_expr, other_name, partner = other.symbolic_expr, other.name, other
        elif isinstance(other, numbers.Real) and not isinstance(other, bool):
            other_expr, other_name, partner = number(float(other)), repr(other), None
            if isinstance(other, numbers.Integral):
                other_expr = sp.Integer(int(other))
        else:
            return NotImplemented
        left, right = (
            (other_expr, self.symbolic_expr) if reverse else (self.symbolic_expr, other_expr)
        )
        names = (other_name, self.name) if reverse else (self.name, other_name)
        return self._combine(
            f"({names[0]} {symbol} {names[1]})", op(left, right), partner, self._variables
        )

    def __add__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a + b, "+")

    def __radd__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a + b, "+", reverse=True)

    def __sub__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a - b, "-")

    def __rsub__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a - b, "-", reverse=True)

    def __mul__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a * b, "*")

    def __rmul__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a * b, "*", reverse=True)

    def __truediv__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a / b, "/")

    def __rtruediv__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a / b, "/", reverse=True)

    def __pow__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a**b, "**")

    def __rpow__(self, other: object) -> Expression:
        return self._arith(other, lambda a, b: a**b, "**", reverse=True)

    def __neg__(self) -> Expression:
        return self._like(f"-{self.name}", -self.symbolic_expr)

    def copy(self) -> Expression:
        """An independent copy (its params can change without affecting this one)."""
        return Expression._derived(
            self.name,
            self.symbolic_expr,
            self.params,
            self.trainable_params,
            self._variables,
            self.metadata,
        )

    def __getstate__(self) -> dict[str, Any]:
        """Pickle and deepcopy without the compiled functions; they are rebuilt on first use."""
        state = self.__dict__.copy()
        state.update(_numpy_fn=None, _value_fn=None)
        return state

    # ---- words and display ----

    def explain(self, level: str = "beginner"):
        """What the formula computes, its gradient, where it is used and what to watch for.

        ``level`` is ``"beginner"``, ``"intermediate"`` or ``"advanced"``. The result is a
        string (print it) that Jupyter shows as formatted text.
        """
        from neurogebra.core.explain import explain_expression  # a leaf module; import on use

        return explain_expression(self, level)

    def latex(self) -> str:
        """The formula in LaTeX, e.g. ``'\\max\\left(0, x\\right)'``."""
        return sp.latex(self.symbolic_expr)

    def _repr_latex_(self) -> str:
        name = self.name.replace("_", r"\_")
        inputs = ", ".join(sp.latex(real_symbol(v)) for v in self._variables)
        return rf"$\displaystyle \mathrm{{{name}}}({inputs}) = {self.latex()}$"

    def __repr__(self) -> str:
        extra = f", params={self.params!r}" if self.params else ""
        if self.trainable_params:
            extra += f", trainable_params={self.trainable_params!r}"
        return f"Expression({self.name!r}, {self.formula!r}{extra})"

    def __str__(self) -> str:
        return f"{self.name}({', '.join(self._variables)}) = {self.formula}"
