"""MathForge: getting, listing, searching, composing, registering, explaining, comparing."""

from __future__ import annotations

import numpy as np
import pytest

from neurogebra import Expression, MathForge
from neurogebra.core.compose_grammar import CompositionError


@pytest.fixture(scope="module")
def forge() -> MathForge:
    return MathForge()


def test_get_returns_an_independent_copy(forge: MathForge) -> None:
    first = forge.get("leaky_relu")
    first.params["alpha"] = 0.5
    assert forge.get("leaky_relu").params["alpha"] == 0.01
    assert forge.get("leaky_relu", params={"alpha": 0.2}).eval(x=-1.0) == pytest.approx(-0.2)


def test_get_trainable_marks_every_parameter(forge: MathForge) -> None:
    selu = forge.get("selu", trainable=True)
    assert sorted(selu.trainable_params) == ["alpha", "scale"]
    assert forge.get("selu").trainable_params == []


def test_unknown_names_suggest_close_ones(forge: MathForge) -> None:
    with pytest.raises(KeyError, match="did you mean 'relu'"):
        forge.get("rleu")
    with pytest.raises(KeyError, match="did you mean 'sigmoid'"):
        forge.get("sigmod")
    with pytest.raises(ValueError, match="no parameter 'beta'"):
        forge.get("leaky_relu", params={"beta": 1.0})


def test_listing_and_categories(forge: MathForge) -> None:
    assert len(forge.categories()) == 10
    everything = forge.list_all()
    assert len(everything) == len(set(everything)) >= 100
    losses = forge.list_all("losses")
    assert {"mse", "mae", "huber", "cross_entropy"} <= set(losses)
    assert all(forge.category_of(name) == "losses" for name in losses)
    assert sum(len(forge.list_all(c)) for c in forge.categories()) == len(everything)
    with pytest.raises(KeyError, match="did you mean 'losses'"):
        forge.list_all("loses")


def test_search_looks_at_names_descriptions_and_usage(forge: MathForge) -> None:
    assert "huber" in forge.search("robust")
    assert "sigmoid" in forge.search("probability")
    assert forge.search("leaky") == ["leaky_relu"]
    assert forge.search("no such words anywhere") == []


def test_compose_builds_the_formula(forge: MathForge) -> None:
    loss = forge.compose("mse + 0.1*mae")
    assert loss.variables == ["y_pred", "y_true"]
    assert loss.eval(y_pred=3.0, y_true=1.0) == pytest.approx(4.2)
    pred, true = np.array([0.0, 2.0]), np.array([1.0, -1.0])
    np.testing.assert_allclose(
        loss.eval(y_pred=pred, y_true=true), (pred - true) ** 2 + 0.1 * np.abs(pred - true)
    )
    assert forge.compose("(l1 + l2) / 2").eval(w=-2.0) == pytest.approx((0.02 + 0.04) / 2)
    assert forge.compose("-mse").eval(y_pred=1.0, y_true=0.0) == -1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mse ** 2", "not allowed"),
        ("mse.__class__", "not allowed"),
        ("__import__('os').system('true')", "not allowed"),
        ("exp(mse)", "not allowed"),
        ("mse[0]", "not allowed"),
        ("msee + mae", "did you mean 'mse'"),
        ("1 + 2", "names no formula"),
        ("mse +", "can't read"),
        ("", "needs a text"),
    ],
)
def test_compose_refuses_anything_outside_the_grammar(
    forge: MathForge, text: str, message: str
) -> None:
    with pytest.raises((CompositionError, KeyError), match=message):
        forge.compose(text)


def test_register_adds_to_this_forge_only(forge: MathForge) -> None:
    mine = MathForge()
    cube = Expression("cube", "x**3")
    mine.register(cube, "algebra")
    assert mine.get("cube").eval(x=2) == 8 and "cube" in mine.list_all("algebra")
    assert "cube" not in forge
    mine.register(Expression("wave", "sin(x)"), "signals")
    assert "signals" in mine.categories() and mine.list_all("signals") == ["wave"]
    with pytest.raises(ValueError, match="already exists"):
        mine.register(Expression("relu", "x"), "activations")
    with pytest.raises(TypeError):
        mine.register("x**2", "algebra")  # type: ignore[arg-type]


def test_explain_and_compare(forge: MathForge) -> None:
    text = forge.explain("sigmoid", level="advanced")
    assert "probability" in text and "Valid inputs" in text and "exp" in text
    table = forge.compare(["relu", "sigmoid", "tanh"])
    lines = str(table).splitlines()
    assert len(lines) == 5 and lines[2].startswith("| relu | activations | Max(0, x)")
    assert "Heaviside(x)" in lines[2] and table._repr_markdown_() == str(table)
    with pytest.raises(KeyError):
        forge.compare(["relu", "nope"])


def test_lazy_top_level_exports() -> None:
    import neurogebra

    assert neurogebra.Expression is Expression and neurogebra.MathForge is MathForge
    from neurogebra.core.trainer import Trainer

    assert neurogebra.Trainer is Trainer
    assert {"Expression", "MathForge", "Trainer"} <= set(neurogebra.__all__)


def test_singular_category_names_of_neurogebra_2_are_aliases():
    forge = MathForge()
    assert forge.list_all("activation") == forge.list_all("activations")
    assert forge.list_all("loss") == forge.list_all("losses")
    with pytest.raises(TypeError, match="category"):
        forge.list_all(3)  # type: ignore[arg-type]


def test_register_a_name_and_a_formula_string_as_in_neurogebra_2():
    forge = MathForge()
    forge.register("cube", "a*x**3", category="activation", params={"a": 2.0})
    assert forge.get("cube").eval(x=2.0) == 16.0
    assert forge.category_of("cube") == "activations"
    with pytest.raises(TypeError, match="formula"):
        forge.register("bad", None, category="algebra")
    with pytest.raises(TypeError, match="category"):
        forge.register(Expression("sq", "x**2"), "x**2", category="algebra")


def test_search_refuses_a_query_that_is_not_text():
    with pytest.raises(TypeError, match="query"):
        MathForge().search(None)  # type: ignore[arg-type]
