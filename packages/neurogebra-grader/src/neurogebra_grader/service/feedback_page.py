"""The feedback page as the service shows it: nbgrader's HTML made accessible and offline.

nbgrader's feedback template has no ``lang``, links below WCAG contrast (light grey "(Top)" on
blue, blue on grey) and Bootstrap's Glyphicons font loaded from a relative ``../fonts`` path that
the service does not serve (the page's CSP blocks it anyway, so it only fails). The page itself
is unchanged otherwise: hidden tests were cleared when it was written.

    >>> accessible("<html><head><style>@font-face{font-family:'Glyphicons Halflings';"
    ...            "src:url(../fonts/g.woff)}</style></head></html>")[:16]
    '<html lang="en">'
    >>> "../fonts" in accessible("<style>@font-face{src:url(../fonts/g.woff)}</style>")
    False
"""

from __future__ import annotations

import re

# @font-face rules that point at Bootstrap's font files (nothing on the page needs the icons)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\.\./fonts/[^}]*\}")
_HTML_TAG = re.compile(r"<html(?=[\s>])(?![^>]*\blang=)", re.IGNORECASE)
# Links: dark blue (8:1 on white and on Bootstrap's grey wells); in a panel's coloured heading
# they take the heading's own text colour, which Bootstrap picked to contrast with it.
_STYLE = (
    "<style>a, a:visited { color: #1f4e79; }"
    " .panel-heading a, div.nbgrader_cell .panel-heading a, .panel-heading a:visited"
    " { color: inherit; text-decoration: underline; }"
    " a:focus { outline: 3px solid #b35900; outline-offset: 2px; }</style>"
)


def accessible(html: str) -> str:
    """`html` (a feedback page) with ``lang="en"``, contrasting links and no font requests."""
    html = _HTML_TAG.sub('<html lang="en"', html, count=1)
    html = _FONT_FACE.sub("", html)
    head_end = html.lower().rfind("</head>")
    if head_end == -1:
        return html + _STYLE
    return html[:head_end] + _STYLE + html[head_end:]
