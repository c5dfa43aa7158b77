"""One path through the course: the sidebar, the home page, the chapters' "Next:" lines and the
Next buttons agree, and no chapter uses a library name before the chapter that introduces it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"\[([^\]]*)\]\(([^)#\s]+)(?:#[^)]*)?\)")

# Each name of the library a student meets, and the chapter that introduces it.
INTRODUCED_IN = {
    "Value": "learn/autograd.md",
    "Expression": "learn/expressions.md",
    "MathForge": "learn/expressions.md",
    "Trainer": "learn/training.md",
    "Tensor": "learn/tensors.md",
    "ModelBuilder": "learn/models.md",
    "NeuroCraft": "learn/models.md",
}


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml names Python objects (`!!python/name:...`); the nav needs none of them."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def learn_order() -> list[str]:
    """The Learn section's pages in sidebar order (the overview first)."""
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)["nav"]
    learn = next(item["Learn"] for item in nav if isinstance(item, dict) and "Learn" in item)
    return [next(iter(e.values())) if isinstance(e, dict) else e for e in learn]


def resolve(page: str, target: str) -> str:
    """A Markdown link's target, as a path under docs/."""
    return (Path(page).parent / target).as_posix().replace("learn/../", "")


def links_in(page: str, text: str) -> list[str]:
    return [resolve(page, target) for _, target in LINK.findall(text)]


def test_the_sidebar_follows_the_chosen_order() -> None:
    chapters = [Path(p).stem for p in learn_order()]
    assert chapters == ["index", "autograd", "expressions", "training", "tensors", "models"]


@pytest.mark.parametrize("position", range(6))
def test_each_chapter_ends_with_a_next_line_to_the_next_page(position: int) -> None:
    order = [*learn_order(), "projects/index.md"]
    page = order[position]
    lines = [line for line in (DOCS / page).read_text().splitlines() if line.startswith("Next:")]
    assert lines, f"{page} has no 'Next:' line"
    assert links_in(page, lines[-1])[0] == order[position + 1], f"{page}: {lines[-1]}"


def test_the_home_page_and_the_overview_list_the_same_order() -> None:
    order = learn_order()
    home = (DOCS / "index.md").read_text().split("## A path through the material")[1]
    home_learn = [t for t in links_in("index.md", home) if t.startswith("learn/")]
    assert home_learn == order, home_learn
    overview = (DOCS / "learn/index.md").read_text().split("## The order to read the chapters")[1]
    listed = [t for t in links_in("learn/index.md", overview) if t.startswith("learn/")]
    assert list(dict.fromkeys(listed)) == order[1:], listed


def test_the_next_buttons_follow_the_same_order(built_site: Path) -> None:
    order = [*learn_order(), "projects/index.md"]
    for page, following in itertools.pairwise(order):
        folder = built_site / Path(page).with_suffix("").as_posix().removesuffix("index")
        html = (folder / "index.html").read_text()
        button = re.search(r'<a href="([^"]*)"[^>]*md-footer__link--next', html)
        assert button, f"{page} has no Next button"
        target = (folder / button.group(1)).resolve().relative_to(built_site.resolve())
        expected = Path(following).with_suffix("").as_posix().removesuffix("/index")
        assert target.as_posix().removesuffix("/index.html") == expected, (page, target)


def test_no_chapter_uses_a_name_before_the_chapter_that_introduces_it() -> None:
    """The overview (learn/index.md) is a map of every name and is left out; a link that points
    ahead to the introducing chapter is a signpost, not a use, so linked text is skipped."""
    order = learn_order()[1:]
    problems = []
    for position, page in enumerate(order):
        text = (DOCS / page).read_text()
        ahead = {m.group(0) for m in LINK.finditer(text) if resolve(page, m.group(2)) in order}
        for link in ahead:
            text = text.replace(link, "")
        for name, home in INTRODUCED_IN.items():
            if order.index(home) <= position:
                continue
            for match in re.finditer(rf"\b{name}\b", text):
                line = text[: match.start()].count("\n") + 1
                problems.append(f"{page}:{line} uses {name} (introduced in {home})")
    assert not problems, "\n".join(problems)
