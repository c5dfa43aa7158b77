"""``check_type``: an object of the expected class (decided in the kernel by ``isinstance``).

Example:
    >>> TYPE.judge({"obj": {"isinstance": False, "type": "list"}}, {}, "w", "").got
    'a list'
"""

from __future__ import annotations

from typing import Any

from neurogebra_grader.checks.check import TEXT, Check
from neurogebra_grader.checks.numbers import check_type
from neurogebra_grader.failure import Failure


def _judge(got: dict[str, Any], ref: dict[str, Any], what: str, hint: str) -> Failure | None:
    info = got["obj"]
    if isinstance(info, dict) and info.get("isinstance") is True:
        return None
    return Failure(
        what, "the right type", f"a {info.get('type', '?')}", hint or "see the task text"
    )


TYPE = Check(
    check_type,
    student={"obj": "isinstance", "expected": "none"},
    reference={**TEXT},
    judge=_judge,
)
