"""What a failed hidden check may say: what it tested in words, never its inputs or numbers.

A hidden check's ``what`` is written by the instructor and may be an f-string that holds the
hidden inputs; its expected value and the student's result on the hidden inputs give them
away too. So the message names what was tested (the check's word-only ``topic`` if it has
one, else its ``what`` with every number replaced by "…"), says what was expected and got
in words, adds the pattern the numbers show (words only, from the trusted diagnosis), and
the hint (numbers replaced the same way where the hint came from the test's own text).

Example:
    >>> from neurogebra_grader.failure import Failure
    >>> failure = Failure("mean([1, 2, 3, 4])", "2.5", "0", "divide by len(xs)")
    >>> print(hidden_message(failure, test_hint="divide by len(xs)"))
    ... # doctest: +NORMALIZE_WHITESPACE
    a hidden test failed: mean([…]): expected the instructor's result (not shown for a hidden
    test), got a different result. Hint: divide by len(xs).
"""

from __future__ import annotations

import re

from neurogebra_grader.failure import Failure
from neurogebra_grader.sandbox.redact import safe_error_name

__all__ = ["hidden_message", "scrub_numbers"]

PREFIX = "a hidden test failed"
# a number not inside a name (w1 stays); "2x" and "-1.5e-3" lose their numbers
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_RUN = re.compile(r"…(?:\s*,\s*…)+")


def scrub_numbers(text: str) -> str:
    """``text`` with every number replaced by "…" (a list of numbers by one "…").

    Example:
        >>> scrub_numbers("(Value(-1.250) + Value(3e-2)).data, w1 and [1, 2, 3], y = 3 - 2x")
        '(Value(…) + Value(…)).data, w1 and […], y = … - …x'
    """
    return _RUN.sub("…", _NUMBER.sub("…", text))


def hidden_message(failure: Failure, *, test_hint: str = "") -> str:
    """The message for a failed hidden check (see the module docstring)."""
    topic = failure.topic or scrub_numbers(failure.what)
    expected = "the instructor's result (not shown for a hidden test)"
    if failure.what.endswith("(shape)"):
        got = "a result of another shape"
    elif failure.expected.startswith(("plain", "numbers like", "derivatives like")):
        got, expected = "a result that is not plain numbers", "plain numbers"
    else:
        got = "a different result"
    if failure.expected.endswith("to run"):  # an error's class is the student's: builtins only
        got = f"an error ({safe_error_name(failure.got.split(':')[0].strip())})"
    elif failure.seen:
        got += f" ({failure.seen})"
    hint = failure.hint
    if test_hint and test_hint in hint:  # the test's own text: it may quote hidden inputs
        hint = scrub_numbers(hint)
    text = f"{PREFIX}: {topic}: expected {expected}, got {got}."
    return text + (f" Hint: {hint.rstrip('.')}." if hint else "")
