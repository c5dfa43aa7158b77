"""Calculus: derivative and integral rules, and the numerical methods built on them.

Example:
    >>> ENTRIES[0].formula
    'n*x**(n - 1)'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "calculus")
STEP = {"h": (0.01, 1.0)}

ENTRIES = [
    entry(
        "power_rule", "n*x**(n - 1)",
        "The derivative of x^n: bring the power down, reduce it by one.",
        "Differentiating polynomials by hand; checking a symbolic gradient.",
        "x > 0 for non-integer n", sample={"x": (0.1, 5.0)},
    ),
    entry(
        "central_difference", "(f_plus - f_minus)/(2*h)",
        "A slope estimated from f(x + h) and f(x - h); its error shrinks like h^2.",
        "Gradient checking: comparing autograd against numbers.",
        "h > 0", sample=STEP,
        pitfalls="Too small an h loses digits to rounding; about 1e-5 to 1e-6 works in float64.",
    ),
    entry(
        "second_difference", "(f_plus - 2*f_0 + f_minus)/h**2",
        "The second derivative estimated from three equally spaced values.",
        "Curvature estimates; discretizing differential equations.",
        "h > 0", sample=STEP,
    ),
    entry(
        "power_integral", "(b**(n + 1) - a**(n + 1))/(n + 1)",
        "The area under x^n between a and b.",
        "Integrating polynomials; expected values of power-law quantities.",
        "0 < a < b; n != -1", sample={"a": (0.1, 1.0), "b": (1.5, 3.0), "n": (0.5, 3.0)},
    ),
    entry(
        "tangent_line", "f0 + slope*(x - x0)",
        "The straight line touching a curve at x0 (value f0, derivative slope).",
        "Linear approximation; the picture behind gradient descent.",
        "all symbols: any real numbers",
    ),
    entry(
        "taylor_quadratic", "f0 + d1*(x - x0) + d2*(x - x0)**2/2",
        "The second-order Taylor approximation around x0 from the value, slope and curvature.",
        "Newton's method and the quadratic model behind second-order optimizers.",
        "all symbols: any real numbers",
    ),
    entry(
        "exp_taylor", "1 + x + x**2/2 + x**3/6",
        "The first four terms of the Taylor series of exp(x) around 0.",
        "Seeing how series approximate functions, and where they stop being accurate.",
        "x: any real number (accurate for |x| < 1)",
    ),
    entry(
        "sin_taylor", "x - x**3/6 + x**5/120",
        "The first three terms of the Taylor series of sin(x) around 0.",
        "Small-angle approximations.",
        "x: any real number (accurate for |x| < 1.5)",
    ),
    entry(
        "trapezoid_rule", "h*(f_a + f_b)/2",
        "The area of one trapezoid of width h under a curve, from its two end values.",
        "Numerical integration (numpy.trapezoid); the area under ROC curves.",
        "h > 0", sample=STEP,
    ),
    entry(
        "simpson_rule", "h*(f_0 + 4*f_1 + f_2)/3",
        "The area under a parabola through three equally spaced values (spacing h).",
        "Accurate numerical integration of smooth functions.",
        "h > 0", sample=STEP,
    ),
    entry(
        "newton_step", "x - f_x/df_x",
        "One step of Newton's method: slide down the tangent line to where it crosses zero.",
        "Root finding; second-order optimization (applied to the gradient).",
        "df_x != 0", sample={"df_x": (0.5, 3.0)},
        pitfalls="Near a zero slope the step becomes huge and the method can diverge.",
    ),
    entry(
        "sigmoid_derivative", "exp(-x)/(1 + exp(-x))**2",
        "The slope of the sigmoid, equal to sigmoid(x)*(1 - sigmoid(x)); at most 1/4.",
        "Backpropagation through sigmoid units; explaining vanishing gradients.",
        "x: any real number",
    ),
    entry(
        "chain_rule_example", "2*x*cos(x**2)",
        "The derivative of sin(x^2) by the chain rule: outer slope cos(x^2) times inner 2x.",
        "Practising the chain rule, the heart of backpropagation.",
        "x: any real number",
    ),
    entry(
        "arc_length_element", "sqrt(1 + dydx**2)",
        "How much curve length one unit of x covers when the slope is dydx.",
        "Curve length; the geometry of parameter paths.",
        "dydx: any real number",
    ),
    entry(
        "product_rule", "f*dg + g*df",
        "The derivative of f*g: each factor times the other's derivative.",
        "Differentiating products by hand, e.g. x*sigmoid(x) (swish).",
        "all symbols: any real numbers",
    ),
    entry(
        "quotient_rule", "(df*g - f*dg)/g**2",
        "The derivative of f/g.",
        "Differentiating ratios such as softmax by hand.",
        "g != 0", sample={"g": (0.5, 3.0)},
    ),
]  # fmt: skip
