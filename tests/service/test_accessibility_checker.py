"""The page checker (accessibility.py) sees each fault, and only that fault, and passes a good page.

A page like the service's (a submission form, a table, an icon button, an image, large light
text, text on a dark banner, a disabled button) is served by a real HTTP server on 127.0.0.1,
first as it is, then once per fault with exactly that fault planted in it. Each faulty page
must give exactly one problem, of the planted kind; the good page none.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from accessibility import RequestLog, page_problems

STYLE = """
body { font-family: sans-serif; color: #1a1a1a; background: #fafafa; margin: 2rem; }
.muted { color: #595959; }
.big-note { color: #8a8a8a; font-size: 24px; }
.banner { background: #1d3b5a; color: #ffffff; padding: 0 1rem; }
.badge { background: rgba(29, 59, 90, 0.1); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
           clip: rect(0 0 0 0); white-space: nowrap; }
button:focus-visible { outline: 3px solid #1d3b5a; outline-offset: 2px; }
"""

ICON = """<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">
<circle cx="8" cy="8" r="6" fill="#1d3b5a"/></svg>"""

GOOD_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Autograd: your submissions - Neurogebra</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><a href="/">Neurogebra</a> <a href="/logout">Log out</a></header>
<main>
<h1>Autograd: your submissions</h1>
<p class="muted">You can submit 9 more times this hour.</p>
<p class="big-note">Deadline: Friday, 18:00</p>
<form method="post" action="/submit" enctype="multipart/form-data">
  <input type="hidden" name="csrf" value="token">
  <p><label for="notebook">Notebook</label> <input id="notebook" name="notebook" type="file"></p>
  <p><label>Assignment <select name="assignment"><option>autograd</option></select></label></p>
  <p><input name="note" aria-label="Note to the instructor"></p>
  <p><span id="comment-label">Comment</span>
     <textarea name="comment" aria-labelledby="comment-label"></textarea></p>
  <fieldset><legend>Submit late?</legend>
    <label><input type="radio" name="late" value="yes"> Yes</label>
    <label><input type="radio" name="late" value="no" checked> No</label>
  </fieldset>
  <p><label><input type="checkbox" name="own"> This is my own work</label></p>
  <button type="submit" id="submit">Submit</button>
  <button type="submit" disabled>Submit late</button>
</form>
<h2>Submissions</h2>
<table>
  <tr><th>When</th><th>State</th><th>Feedback</th></tr>
  <tr><td>10:02</td><td><span class="badge">graded</span></td>
      <td><a href="/submissions/1">feedback</a></td></tr>
</table>
<button type="button" id="refresh" aria-label="Refresh"><img src="/icon.svg" alt=""></button>
<img src="/icon.svg" alt="Scores per question">
<span class="sr-only">Screen readers hear this.</span>
<div class="banner"><p>Grading runs in a sandbox.</p></div>
</main>
</body>
</html>
"""

# name: (text in the good page, what replaces it, the problem's start, a part of the problem)
FAULTS = {
    "control without label": (
        '<label for="notebook">Notebook</label>', "Notebook", "label:", 'id="notebook"'),
    "placeholder is no label": (
        'aria-label="Note to the instructor"', 'placeholder="Note"', "label:", 'name="note"'),
    "image without alt": ('alt="Scores per question"', "", "alt:", "<img"),
    "button without text": ('aria-label="Refresh"', "", "name:", 'id="refresh"'),
    "link without text": (
        ">feedback</a>", '><span aria-hidden="true">&rarr;</span></a>', "name:", "a link"),
    "no lang": ('<html lang="en">', "<html>", "lang:", "<html>"),
    "no title": ("<title>Autograd: your submissions - Neurogebra</title>", "<title></title>",
                 "title:", "<title>"),
    "no h1": ("<h1>Autograd: your submissions</h1>", "<p>Autograd</p>", "h1:", "<h1>"),
    "heading skips a level": ("<h2>Submissions</h2>", "<h4>Submissions</h4>", "headings:",
                              "<h4>"),
    "low contrast": (".muted { color: #595959; }", ".muted { color: #999999; }", "contrast:",
                     "2.73:1, below 4.5:1"),
    "light text no longer large": ("font-size: 24px", "font-size: 16px", "contrast:",
                                   "3.31:1, below 4.5:1"),
    "low contrast on a dark banner": ("color: #ffffff", "color: #8aa0b5", "contrast:",
                                      "4.26:1, below 4.5:1"),
    "focus not shown": ("button:focus-visible { outline: 3px solid #1d3b5a; outline-offset: 2px; }",
                        "#submit:focus { outline: none; }", "focus:", 'id="submit"'),
    "focus order not DOM order": ('<input name="note"', '<input name="note" tabindex="1"',
                                  "keyboard:", "not <input name=\"note\">"),
    "clickable but not reachable": (
        "<h2>Submissions</h2>",
        '<h2>Submissions</h2><span role="button" onclick="location.reload()">Reload</span>',
        "keyboard:", 'role="button"> "Reload" is clickable but Tab cannot reach it'),
    "stylesheet from a CDN": (
        '<link rel="stylesheet" href="/style.css">',
        '<link rel="stylesheet" href="/style.css">'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/water.css">',
        "offline:", "https://cdn.jsdelivr.net/npm/water.css"),
    "image from another local origin": (
        'src="/icon.svg" alt="Scores', 'src="OTHER/icon.svg" alt="Scores', "offline:",
        "OTHER/icon.svg"),
    "missing script": ("</main>", '</main><script src="/missing.js"></script>', "broken:",
                       "/missing.js (404)"),
}  # fmt: skip


class _Pages(http.server.BaseHTTPRequestHandler):
    """Serves the server's `pages` (path: (content type, body)); 404 for anything else."""

    def do_GET(self) -> None:
        found = self.server.pages.get(self.path)  # type: ignore[attr-defined]
        if found is None:
            self.send_error(404)
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(pages: dict[str, tuple[str, bytes]]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.pages = pages  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def other_origin() -> Iterator[str]:
    """Another server on 127.0.0.1, on another port: another origin."""
    yield from serve({"/icon.svg": ("image/svg+xml", ICON.encode())})


@pytest.fixture(scope="module")
def site(other_origin: str) -> Iterator[str]:
    """The good page at /good, and each faulty one at /fault/<index in FAULTS>."""
    pages = {
        "/style.css": ("text/css", STYLE.encode()),
        "/icon.svg": ("image/svg+xml", ICON.encode()),
        "/good": ("text/html; charset=utf-8", GOOD_PAGE.encode()),
    }
    for index, (old, new, _, _) in enumerate(FAULTS.values()):
        new = new.replace("OTHER", other_origin)
        if old in STYLE:
            pages[f"/fault/{index}.css"] = ("text/css", STYLE.replace(old, new).encode())
            page = GOOD_PAGE.replace('href="/style.css"', f'href="/fault/{index}.css"')
        else:
            assert GOOD_PAGE.count(old) == 1, old
            page = GOOD_PAGE.replace(old, new)
        pages[f"/fault/{index}"] = ("text/html; charset=utf-8", page.encode())
    yield from serve(pages)


def problems_of(browser_context, url: str) -> list[str]:
    page = browser_context.new_page()
    requests = RequestLog(page)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, url
    try:
        return page_problems(page, requests)
    finally:
        page.close()


def test_a_good_page_has_no_problems(browser_context, site: str) -> None:
    assert problems_of(browser_context, site + "/good") == []


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_planted_fault_is_the_one_problem_found(
    fault: str, browser_context, site: str, other_origin: str
) -> None:
    _, _, kind, detail = FAULTS[fault]
    problems = problems_of(browser_context, f"{site}/fault/{list(FAULTS).index(fault)}")
    assert len(problems) == 1, problems
    assert problems[0].startswith(kind), problems
    assert detail.replace("OTHER", other_origin) in problems[0], problems


def test_a_page_not_on_loopback_is_reported(browser_context, site: str) -> None:
    """Served from `localhost` rather than 127.0.0.1: the page itself is not where the service
    runs in the tests, and its requests go to another origin than the checker expects."""
    page = browser_context.new_page()
    requests = RequestLog(page)
    page.goto(site.replace("127.0.0.1", "localhost") + "/good", wait_until="networkidle")
    found = requests.problems(page.url)
    page.close()
    assert found and found[0].startswith("offline: the page is served from http://localhost:")
