"""A Griffe extension for the API reference: our docstrings, read the way they are written.

mkdocstrings reads docstrings with Griffe's Google-style parser. Two habits of ours would
otherwise render badly:

- an ``Example:`` section (singular) is not a section name that parser knows, so its ``>>>``
  lines became nested Markdown blockquotes; it is read as ``Examples:``, which renders the
  session as code;
- Sphinx cross-reference roles (``:class:`Value```, ``:meth:`~Model.fit```) are not Markdown,
  so they showed as literal text; they become inline code with the name a reader would type.

Listed under the Python handler's ``extensions`` option in mkdocs.yml.

Example:
    >>> normalize_docstring("Run it.\\n\\nExample:\\n    >>> f(:class:`~pkg.Value`)")
    'Run it.\\n\\nExamples:\\n    >>> f(`Value`)'
"""

from __future__ import annotations

import re
from typing import Any

import griffe

EXAMPLE_HEADING = re.compile(r"^(\s*)Example:[ \t]*$", re.MULTILINE)
SPHINX_ROLE = re.compile(
    r":(?:py:)?(?:class|meth|func|attr|mod|obj|exc|data|const|ref|term):`(~?)([^`<]+?)(?:\s*<[^>]*>)?`"
)


def _role_as_code(match: re.Match[str]) -> str:
    shorten, target = match.group(1), match.group(2).strip()
    return f"`{target.rsplit('.', 1)[-1] if shorten else target}`"


def normalize_docstring(text: str) -> str:
    """The docstring with ``Example:`` read as ``Examples:`` and Sphinx roles as code."""
    return SPHINX_ROLE.sub(_role_as_code, EXAMPLE_HEADING.sub(r"\1Examples:", text))


class CourseDocstrings(griffe.Extension):
    """Rewrites each docstring before it is parsed (see the module's docstring)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = normalize_docstring(obj.docstring.value)
