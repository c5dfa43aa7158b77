"""Every Python code block on the site runs, and prints what the page says it prints.

See codeblocks.py for the convention. Each page runs in a fresh interpreter; a block's printed
output is compared with the page's Output block under it (doctest's rules: `...` matches
anything). Blocks that use PyTorch run where torch is installed (`nox -s docs` installs it
when the machine has the local wheel) and are skipped, with a note, elsewhere.
"""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest
from codeblocks import python_blocks, run_page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if python_blocks(p.read_text()))
HAVE_TORCH = importlib.util.find_spec("torch") is not None


def _same(expected: str, got: str) -> bool:
    def tidy(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"

    return doctest.OutputChecker().check_output(tidy(expected), tidy(got), doctest.ELLIPSIS)


def test_the_site_has_examples() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    for page in ("learn/index.md", "learn/autograd.md", "learn/expressions.md",
                 "learn/tensors.md", "learn/training.md", "learn/models.md",
                 "projects/spiral-network.md"):  # fmt: skip
        assert page in names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_code_blocks_run_and_print_what_the_page_says(page: Path) -> None:
    blocks = python_blocks(page.read_text())
    records = {r["line"]: r for r in run_page(page, skip_torch=not HAVE_TORCH)}
    problems = []
    skipped = 0
    for block in blocks:
        record = records.get(block.line)
        if record is None:
            problems.append(f"line {block.line}: did not run (an earlier block failed)")
            continue
        if record.get("skipped"):
            skipped += 1
            continue
        if record["error"]:
            problems.append(f"line {block.line} raised:\n{record['error']}")
        elif block.expected is not None and not _same(block.expected, record["output"]):
            problems.append(
                f"line {block.line} printed:\n{record['output']}\nbut the page says:\n"
                f"{block.expected}"
            )
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n\n".join(problems)
    if skipped:
        pytest.skip(f"{skipped} PyTorch blocks not run: torch is not installed here")
