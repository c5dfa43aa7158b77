"""Every Learn chapter ends with a summary and three to five exercises, each with a solution in
a collapsed block that holds code. The solutions run (and their printed output is checked)
with the rest of the page's examples in test_code_blocks.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from codeblocks import python_blocks
from test_one_path import DOCS, learn_order

EXERCISE = re.compile(r"^\d+\. ", re.MULTILINE)
SOLUTION = '??? success "Solution"'


@pytest.mark.parametrize("page", learn_order())
def test_chapter_ends_with_a_summary_and_exercises(page: str) -> None:
    text = (DOCS / page).read_text()
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[-2:] == ["Summary", "Exercises"], f"{page} ends with {headings[-2:]}"
    exercises = text.split("\n## Exercises\n", 1)[1]
    items = EXERCISE.split(exercises)[1:]
    assert 3 <= len(items) <= 5, f"{page}: {len(items)} exercises"
    for number, item in enumerate(items, 1):
        assert SOLUTION in item, f"{page}: exercise {number} has no collapsed solution"
        solution = item.split(SOLUTION, 1)[1]
        assert python_blocks(solution), f"{page}: exercise {number}'s solution has no code"
        assert all(b.expected is not None for b in python_blocks(solution)), (
            f"{page}: exercise {number}'s solution does not show what it prints"
        )


def test_the_gradient_checking_section_says_what_a_good_number_is() -> None:
    text = (DOCS / "learn" / "autograd.md").read_text()
    section = text.split("## Checking gradients numerically", 1)[1].split("\n## ", 1)[0]
    for idea in ("central difference", "relative error", "10^{-7}", "kink"):
        assert idea in section, idea
    assert python_blocks(section), "the section shows the check in code"


def test_solutions_are_collapsed_in_the_built_site(built_site: Path) -> None:
    html = (built_site / "learn" / "autograd" / "index.html").read_text()
    assert html.count('<details class="success">') >= 3
