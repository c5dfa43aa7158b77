"""`FormulaEntry`: one formula of the repository, with everything a learner needs to use it.

Example:
    >>> entry = FormulaEntry("activations", "relu", "Max(0, x)", "Zeroes negatives.",
    ...                      "Hidden layers.", "x: any real number")
    >>> entry.to_expression().eval(x=-2.0)
    0.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from neurogebra.core.expression import Expression

__all__ = ["DEFAULT_SAMPLE_RANGE", "FormulaEntry"]

# Where a symbol with no explicit sample range is drawn from (tests, examples).
DEFAULT_SAMPLE_RANGE = (-3.0, 3.0)


@dataclass(frozen=True)
class FormulaEntry:
    """A named formula with its category, meaning, uses and valid inputs.

    Attributes:
        category: one of :data:`neurogebra.repository.CATEGORIES`.
        name: the key for ``MathForge.get``.
        formula: the formula as text (see :func:`neurogebra.core.parsing.parse_formula`).
        description: what it computes, in plain English.
        usage: where it is used.
        domain: the valid inputs, in words.
        sample: for symbols that aren't free to be any real number, an open interval inside the
            valid domain to draw examples and test points from (others use -3..3).
        params: default values of the symbols that are parameters.
        pitfalls: what tends to go wrong (the formula's own traps are added automatically).
    """

    category: str
    name: str
    formula: str
    description: str
    usage: str
    domain: str
    sample: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    params: Mapping[str, float] = field(default_factory=dict)
    pitfalls: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sample", MappingProxyType(dict(self.sample)))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def sample_range(self, symbol: str) -> tuple[float, float]:
        """The interval test points for ``symbol`` are drawn from."""
        return self.sample.get(symbol, DEFAULT_SAMPLE_RANGE)

    def to_expression(
        self, params: Mapping[str, float] | None = None, trainable: bool = False
    ) -> Expression:
        """A fresh Expression for this entry (``params`` override the defaults)."""
        values = {**self.params, **(params or {})}
        return Expression(
            self.name,
            self.formula,
            params=values,
            trainable_params=list(values) if trainable else None,
            metadata={
                "category": self.category,
                "description": self.description,
                "usage": self.usage,
                "domain": self.domain,
                "sample": dict(self.sample),
                "pitfalls": self.pitfalls,
            },
        )
