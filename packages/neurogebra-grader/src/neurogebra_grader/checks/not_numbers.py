"""The message for an answer that is not numbers, shared by the checks that read numbers.

Example:
    >>> import numpy as np
    >>> from neurogebra_grader.plain import NotPlain
    >>> not_numbers("the loss", np.array([1.0]), NotPlain("a str"), "").expected
    'numbers like [1]'
"""

from __future__ import annotations

import numpy as np

from neurogebra_grader.failure import Failure
from neurogebra_grader.plain import NotPlain, show


def not_numbers(what: str, expected: np.ndarray, error: NotPlain, hint: str) -> Failure:
    """The Failure for an answer ``to_array`` refused: numbers like ``expected`` were due."""
    return Failure(
        what,
        f"numbers like {show(expected)}",
        str(error),
        hint or "return plain numbers (floats, a list of floats or a NumPy array)",
    )
