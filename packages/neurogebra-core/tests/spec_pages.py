"""Running the API contract's code blocks (../shared/spec/*.md) as tests.

The tests embed each block verbatim (trailing spaces trimmed), so they run in any checkout;
where the shared/ folder lies beside the repository (as in CI), :func:`page_blocks` reads the
page itself so that a test can check the copies still match it.

Example:
    >>> run_block("print(1 + 1)", {})
    '2\\n'
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"


def run_block(code: str, namespace: dict[str, object], name: str = "<spec block>") -> str:
    """Execute ``code`` in ``namespace`` (shared by a page's blocks); return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), namespace)
    return out.getvalue()


def normalise(code: str) -> str:
    """A block without its indentation, trailing spaces and surrounding blank lines."""
    lines = [line.rstrip() for line in textwrap.dedent(code).splitlines()]
    return "\n".join(lines).strip("\n")


def page_blocks(page: str) -> list[str]:
    """The ```python blocks of a spec page (normalised); skips when shared/ is not there."""
    path = SPEC_DIR / page
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout (CI has shared/ beside the repository)")
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```python\n(.*?)^\1```", text, re.S | re.M)
    return [normalise(block) for _, block in blocks]


def printed(output: str, prefix: str) -> str:
    """The rest of the one printed line that starts with ``prefix``."""
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, f"expected one line starting {prefix!r} in:\n{output}"
    return lines[0][len(prefix) :]
