"""Linear algebra: products, norms and distances of small vectors and matrices, written out.

Vectors have two or three components (``x1, x2, x3``) so that every formula can be read in full;
NumPy's ``@`` and ``numpy.linalg`` do the same for any size.

Example:
    >>> ENTRIES[0].formula
    'a1*b1 + a2*b2 + a3*b3'
"""

from __future__ import annotations

from functools import partial

from neurogebra.repository.entry import FormulaEntry

entry = partial(FormulaEntry, "linear_algebra")
ANY = "all symbols: any real numbers"

ENTRIES = [
    entry(
        "dot_product", "a1*b1 + a2*b2 + a3*b3",
        "The dot product of two three-component vectors: multiply matching entries and add.",
        "Every neuron's weighted sum; similarity scores; attention.",
        ANY,
    ),
    entry(
        "l2_norm", "sqrt(x1**2 + x2**2 + x3**2)",
        "The Euclidean length of a vector.",
        "Gradient clipping by norm; normalizing embeddings; distances.",
        "any real numbers (the gradient needs a non-zero vector)",
    ),
    entry(
        "l1_norm", "Abs(x1) + Abs(x2) + Abs(x3)",
        "The Manhattan length of a vector: the sum of the sizes of its entries.",
        "L1 regularization; robust distances.",
        ANY,
    ),
    entry(
        "squared_l2_norm", "x1**2 + x2**2 + x3**2",
        "The squared length of a vector (the dot product of a vector with itself).",
        "Weight decay; squared errors summed over outputs.",
        ANY,
    ),
    entry(
        "max_norm", "Max(Abs(x1), Abs(x2), Abs(x3))",
        "The largest entry in size (the infinity norm).",
        "Adversarial perturbation budgets; convergence checks.",
        ANY,
    ),
    entry(
        "determinant_2x2", "a*d - b*c",
        "The determinant of the matrix [[a, b], [c, d]]: the factor by which it scales areas; "
        "zero exactly when the matrix can't be inverted.",
        "Checking invertibility; change of variables in normalizing flows.",
        ANY,
    ),
    entry(
        "determinant_3x3", "a*(e*i - f*h) - b*(d*i - f*g) + c*(d*h - e*g)",
        "The determinant of [[a, b, c], [d, e, f], [g, h, i]], expanded along the first row: "
        "the factor by which the matrix scales volumes.",
        "Invertibility of 3x3 transforms; volumes; cross products.",
        ANY,
    ),
    entry(
        "trace_3x3", "a11 + a22 + a33",
        "The trace of a 3x3 matrix: the sum of its diagonal, which also equals the sum of its "
        "eigenvalues.",
        "Matrix identities; the Frobenius inner product; Hutchinson estimators.",
        ANY,
    ),
    entry(
        "frobenius_norm_2x2", "sqrt(a**2 + b**2 + c**2 + d**2)",
        "The Frobenius norm of [[a, b], [c, d]]: the length of the matrix read as one vector.",
        "Weight-matrix regularization; the size of a matrix's change during training.",
        "any real numbers (the gradient needs a non-zero matrix)",
    ),
    entry(
        "cosine_similarity", "(a1*b1 + a2*b2)/(sqrt(a1**2 + a2**2)*sqrt(b1**2 + b2**2))",
        "The cosine of the angle between two vectors: 1 for the same direction, 0 at right "
        "angles, -1 for opposite directions.",
        "Comparing embeddings (search, recommendations, contrastive learning).",
        "neither vector may be zero",
    ),
    entry(
        "euclidean_distance", "sqrt((x1 - y1)**2 + (x2 - y2)**2)",
        "The straight-line distance between the points (x1, x2) and (y1, y2).",
        "k-nearest neighbours; k-means clustering.",
        "any real numbers (the gradient needs distinct points)",
    ),
    entry(
        "manhattan_distance", "Abs(x1 - y1) + Abs(x2 - y2)",
        "The distance between two points travelling along the axes only.",
        "Robust nearest-neighbour search; grid worlds.",
        ANY,
    ),
    entry(
        "scalar_projection", "(a1*b1 + a2*b2)/sqrt(b1**2 + b2**2)",
        "How far the vector a reaches along the direction of b.",
        "Decomposing a gradient along and across a direction; Gram-Schmidt.",
        "b is not the zero vector",
    ),
    entry(
        "quadratic_form", "a*x**2 + 2*b*x*y + c*y**2",
        "The quadratic form of the symmetric matrix [[a, b], [b, c]] at the point (x, y).",
        "Loss surfaces near a minimum (the Hessian); Mahalanobis distances; ellipses.",
        ANY,
    ),
    entry(
        "weighted_sum", "w1*x1 + w2*x2 + b",
        "One row of W x + b: two inputs times their weights, plus a bias.",
        "A neuron before its activation; one output of a dense layer.",
        ANY,
    ),
]  # fmt: skip
