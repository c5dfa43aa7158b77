"""The examples of how-neurogebra-works.md (and project 3's MathForge step), run as written.

Each example's code is kept exactly as the page gives it; the test checks that it prints what
the page's comments say.
"""

from __future__ import annotations

import textwrap

import pytest


def run(code: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    namespace: dict[str, object] = {}
    exec(textwrap.dedent(code), namespace)  # the page's own code, verbatim
    return capsys.readouterr().out.splitlines()


def test_expression_line_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra import Expression
        # A simple expression: y = mx + b
        line = Expression(
        name="line",
        symbolic_expr="m*x + b",
        params={"m": 2.0, "b": 1.0}
        )
        print(line.eval(x=3)) # 2*3 + 1 = 7.0
        """,
        capsys,
    )
    assert out == ["7.0"]


def test_mathforge_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra import MathForge
        forge = MathForge()
        # Access 50+ expressions by name
        relu = forge.get("relu")
        mse = forge.get("mse")
        print(len(forge.list_all()), relu.name, mse.name)
        """,
        capsys,
    )
    count, relu, mse = out[0].split()
    assert int(count) >= 50 and (relu, mse) == ("relu", "mse")


def test_autograd_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra.core.autograd import Value
        x = Value(2.0)
        y = Value(3.0)
        # Forward: compute result
        z = x * y + x ** 2 # z = 2*3 + 2² = 10
        # Backward: compute gradients
        z.backward()
        print(x.grad) # dz/dx = y + 2x = 3 + 4 = 7.0
        print(y.grad) # dz/dy = x = 2.0
        """,
        capsys,
    )
    assert out == ["7.0", "2.0"]


def test_trainer_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra import Expression
        from neurogebra.core.trainer import Trainer
        import numpy as np
        # Expression with unknown parameters
        expr = Expression("line", "m*x + b",
        params={"m": 0.0, "b": 0.0},
        trainable_params=["m", "b"])
        # Data: y = 2x + 1
        X = np.array([1, 2, 3, 4, 5], dtype=float)
        y = np.array([3, 5, 7, 9, 11], dtype=float)
        # Train to find m and b
        trainer = Trainer(expr, learning_rate=0.01)
        trainer.fit(X, y, epochs=200)
        print(f"Learned: m={expr.params['m']:.2f}, b={expr.params['b']:.2f}")
        # Should be close to m=2.0, b=1.0
        """,
        capsys,
    )
    assert out == ["Learned: m=2.00, b=1.00"]


def test_symbolic_vs_numerical_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra import MathForge
        forge = MathForge()
        relu = forge.get("relu")
        # SYMBOLIC — see the formula
        print(relu.symbolic_expr) # Max(0, x)
        # NUMERICAL — get a number
        print(relu.eval(x=5)) # 5
        """,
        capsys,
    )
    assert out == ["Max(0, x)", "5"]


def test_workflow_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """The seven steps of 'How It All Connects' (up to the model builder)."""
    out = run(
        """
        import numpy as np
        from neurogebra import Expression, MathForge
        from neurogebra.core.trainer import Trainer
        forge = MathForge()
        relu = forge.get("relu")
        print(relu.explain())
        print(relu.eval(x=5))
        loss = forge.compose("mse + 0.1*mae")
        print(loss.eval(y_pred=3.0, y_true=1.0))
        expr = Expression("f", "a*x+b", params={"a": 0.0, "b": 0.0}, trainable_params=["a", "b"])
        X = np.linspace(-1, 1, 20)
        y = 4 * X - 2
        trainer = Trainer(expr, learning_rate=0.1)
        history = trainer.fit(X, y, epochs=100)
        print(f"{expr.params['a']:.2f} {expr.params['b']:.2f} {history[-1] < history[0]}")
        """,
        capsys,
    )
    text = "\n".join(out)
    assert "Max(0, x)" in text and "Heaviside(x)" in text
    assert out[-3:-1] == ["5", "4.2"]
    a, b, improved = out[-1].split()
    assert abs(float(a) - 4) < 0.05 and abs(float(b) + 2) < 0.05 and improved == "True"


def test_project3_mathforge_step(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        """
        from neurogebra import MathForge
        forge = MathForge()
        relu = forge.get("relu")
        print(f"\\nReLU activation:     {relu.symbolic_expr}")
        print(f"ReLU gradient:       {relu.gradient('x').symbolic_expr}")
        print(f"ReLU at x=2:         {relu.eval(x=2.0)}")
        print(f"ReLU at x=-2:        {relu.eval(x=-2.0)}")
        print(f"ReLU grad at x=2:    {relu.gradient('x').eval(x=2.0)}")
        print(f"ReLU grad at x=-2:   {relu.gradient('x').eval(x=-2.0)}")
        """,
        capsys,
    )
    assert out == [
        "",
        "ReLU activation:     Max(0, x)",
        "ReLU gradient:       Heaviside(x)",
        "ReLU at x=2:         2.0",
        "ReLU at x=-2:        0.0",
        "ReLU grad at x=2:    1.0",
        "ReLU grad at x=-2:   0.0",
    ]
