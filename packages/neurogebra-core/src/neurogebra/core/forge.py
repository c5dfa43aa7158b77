"""`MathForge`: the toolbox that hands out the repository's formulas as Expressions.

Example:
    >>> forge = MathForge()
    >>> forge.get("relu").eval(x=-3.0)
    0.0
    >>> "mse" in forge.list_all("losses")
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from neurogebra.core.compose_grammar import compose_text
from neurogebra.core.expression import Expression, param_values
from neurogebra.core.naming import did_you_mean
from neurogebra.repository import CATEGORIES, FormulaEntry, all_entries

__all__ = ["MathForge"]


class MathForge:
    """Access, search, combine and compare the pre-built formulas.

    Each ``MathForge`` starts with the whole repository; :meth:`register` adds formulas to that
    instance only. :meth:`get` returns a fresh copy every time, so changing its parameters (or
    training it) never changes the forge.

    Example:
        >>> forge = MathForge()
        >>> forge.get("leaky_relu", params={"alpha": 0.2}).eval(x=-1.0)
        -0.2
    """

    def __init__(self) -> None:
        # Repository formulas are parsed on first use, so creating a forge is cheap.
        self._entries: dict[str, FormulaEntry] = {e.name: e for e in all_entries()}
        self._expressions: dict[str, Expression] = {}
        self._categories: dict[str, str] = {e.name: e.category for e in all_entries()}

    def _expression(self, name: str) -> Expression:
        if not isinstance(name, str):
            raise TypeError(
                f"a formula's name is a string such as 'relu', got {type(name).__name__} "
                f"{name!r:.40}; see MathForge().list_all()"
            )
        if name not in self._categories:
            raise KeyError(
                f"no formula called {name!r}{did_you_mean(name, self._categories)}; "
                "see MathForge().list_all() or .search('words')"
            )
        if name not in self._expressions:
            self._expressions[name] = self._entries[name].to_expression()
        return self._expressions[name]

    def _texts(self, name: str) -> tuple[str, str]:
        if name in self._expressions:
            meta = self._expressions[name].metadata
            return meta.get("description", ""), meta.get("usage", "")
        entry = self._entries[name]
        return entry.description, entry.usage

    # ---- finding formulas ----

    def get(
        self, name: str, params: Mapping[str, float] | None = None, trainable: bool = False
    ) -> Expression:
        """A copy of the formula called ``name``; ``params`` override its defaults and
        ``trainable=True`` marks every parameter trainable."""
        expression = self._expression(name).copy()
        for key, value in param_values(params, f"get({name!r})").items():
            if key not in expression.params:
                known = ", ".join(expression.params) or "none"
                raise ValueError(
                    f"{name} has no parameter {key!r}; its parameters are {known}"
                    f"{did_you_mean(key, expression.params)}"
                )
            expression.params[key] = value
        if trainable:
            expression.trainable_params = list(expression.params)
        return expression

    def __contains__(self, name: object) -> bool:
        return name in self._categories

    def __len__(self) -> int:
        return len(self._categories)

    def list_all(self, category: str | None = None) -> list[str]:
        """Every formula name, or those of one category, in repository order."""
        if category is not None:
            category = self._category(category)
        return [n for n, c in self._categories.items() if category is None or c == category]

    def categories(self) -> list[str]:
        """The category names (the ten of the repository, then any added by register)."""
        extra = [c for c in dict.fromkeys(self._categories.values()) if c not in CATEGORIES]
        return [*CATEGORIES, *extra]

    def category_of(self, name: str) -> str:
        """The category a formula is filed under."""
        self.get(name)  # the KeyError with suggestions
        return self._categories[name]

    def search(self, query: str) -> list[str]:
        """Names whose name, description or usage contains every word of ``query``.

        Example:
            >>> MathForge().search("robust regression")
            ['huber', 'log_cosh']
        """
        if not isinstance(query, str):
            raise TypeError(
                f"search(query): the query is words in a string such as 'robust regression', "
                f"got {type(query).__name__}"
            )
        words = query.lower().split()
        found = []
        for name in self._categories:
            description, usage = self._texts(name)
            haystack = " ".join([name.replace("_", " "), name, description, usage]).lower()
            if all(word in haystack for word in words):
                found.append(name)
        return found

    def _category(self, category: str) -> str:
        """The category's name; the singular form of neurogebra 2.x ("activation") is an alias
        of the plural ("activations")."""
        if not isinstance(category, str):
            raise TypeError(
                f"a category is a string such as 'activations', got {type(category).__name__}"
            )
        known = self.categories()
        return self._plural(category, known)

    @staticmethod
    def _plural(category: str, known: list[str]) -> str:
        for plural in (f"{category}s", f"{category}es"):
            if category not in known and plural in known:
                return plural
        if category not in known:
            raise KeyError(
                f"no category {category!r}{did_you_mean(category, known)}; the "
                f"categories are {', '.join(known)}"
            )
        return category

    # ---- building and adding ----

    def compose(self, text: str) -> Expression:
        """Combine formulas by name, e.g. ``forge.compose("mse + 0.1*mae")``.

        Only names, numbers, ``+ - * /`` and parentheses are allowed; the text is never
        executed as Python.
        """
        return compose_text(text, self.get)

    def register(
        self,
        expression: Expression | str,
        formula: str | None = None,
        category: str | None = None,
        overwrite: bool = False,
        **details: Any,
    ) -> None:
        """Add your own formula under ``category`` (new categories are allowed).

        Pass an :class:`Expression` and its category, or (as in neurogebra 2.x) a name, a
        formula string and ``category=``; ``details`` (``params``, ``description``, ...) go to
        :class:`Expression`. The singular category names ("activation") are aliases.

        Example:
            >>> forge = MathForge()
            >>> forge.register("cube", "x**3", category="algebra")
            >>> forge.get("cube").eval(x=2.0)
            8.0
        """
        if isinstance(expression, str):
            if not isinstance(formula, str):
                raise TypeError(
                    f"register({expression!r}, formula, category=...): the formula is a string "
                    f"such as 'x**3', got {type(formula).__name__}"
                )
            if category is None:
                raise TypeError(
                    f"register({expression!r}, {formula!r}, category=...): name the category, "
                    "e.g. category='activations'"
                )
            expression = Expression(expression, formula, **details)
        elif not isinstance(expression, Expression):
            raise TypeError(
                "register() needs an Expression, or a name and a formula string, got "
                f"{type(expression).__name__}"
            )
        else:
            if category is None:
                category, formula = formula, None  # register(expression, "algebra")
            if formula is not None or details:
                raise TypeError(
                    "register(expression, category): an Expression already holds its formula; "
                    "pass only its category"
                )
        if not isinstance(category, str) or not category:
            raise ValueError("category must be a non-empty string, e.g. 'activations'")
        known = self.categories()
        if category not in known and {f"{category}s", f"{category}es"} & set(known):
            category = self._plural(category, known)  # a singular alias; others are new
        if expression.name in self._categories and not overwrite:
            raise ValueError(
                f"a formula called {expression.name!r} already exists; pick another name or "
                "pass overwrite=True"
            )
        copy = expression.copy()
        copy.metadata.setdefault("category", category)
        self._expressions[copy.name] = copy
        self._categories[copy.name] = category

    # ---- words ----

    def explain(self, name: str, level: str = "beginner"):
        """The explanation of a formula (see :meth:`Expression.explain`)."""
        return self.get(name).explain(level)

    def compare(self, names: Iterable[str]):
        """A side-by-side table of formulas: category, formula, gradient, parameters, domain.

        Returns a :class:`~neurogebra.core.explain.Explanation` (Markdown in Jupyter).
        """
        from neurogebra.core.explain import Explanation

        names = list(names)
        if not names:
            raise ValueError("compare() needs at least one name, e.g. ['relu', 'sigmoid']")
        rows = [
            "| name | category | formula | gradient | parameters | valid inputs |",
            "|---|---|---|---|---|---|",
        ]
        for name in names:
            e = self.get(name)
            grads = "; ".join(f"d/d{v}: {g.formula}" for v, g in e.gradients().items())
            params = ", ".join(f"{k}={v:g}" for k, v in e.params.items()) or "-"
            cells = [
                name,
                self._categories[name],
                e.formula,
                grads or "-",
                params,
                e.metadata.get("domain", "-"),
            ]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return Explanation("\n".join(rows))

    def __repr__(self) -> str:
        return f"MathForge({len(self)} formulas in {len(self.categories())} categories)"
