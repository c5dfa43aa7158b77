"""What stands between a student and a page of the service: accessibility and offline faults.

The checks run in the page, in headless Chromium (the `browser_context` fixture), so they see
the page as rendered: computed colours, the focus ring the browser draws, every request made.
`page_problems` returns one line per fault, so a test asserts that the list is empty:

    def test_the_login_page(browser_context, service_url):
        page = browser_context.new_page()
        requests = RequestLog(page)  # before the page loads: its requests are checked too
        page.goto(service_url + "/login")
        assert page_problems(page, requests) == []

Checked: a `lang` on <html>, a <title> and an <h1>; heading levels that skip (h2 then h4);
form controls without a label (label[for], a wrapping label, aria-label or aria-labelledby;
a placeholder or title is not one); images without alt; buttons and links without text;
clickable elements that the keyboard cannot reach; text whose contrast against its effective
background is below 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold), by WCAG 2's formula
(disabled controls are exempt, as in WCAG).
Then the keyboard: Tab from the top visits every control in DOM order, and each one looks
different when focused (its outline or box-shadow changes). And offline: every request goes to
the page's own 127.0.0.1 origin, and none of the page's resources fails to load.

Call it once the page has settled (a live status has reached its last state, say): the
keyboard check presses Tab once per control and expects the page not to change meanwhile.

Not seen (kept small on purpose): text over background images (skipped) or over elements that
are not its ancestors, opacity, colours in forced-colours mode, shadow DOM and frames.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, Response, WebSocket

# Runs in the page: every fault that needs no key press, and the controls that Tab should reach
# (each marked with data-a11y-stop, its index in DOM order).
STATIC_CHECKS_JS = r"""() => {
  const problems = [];
  const clean = s => (s || "").replace(/\s+/g, " ").trim();
  const describe = el => {
    let text = "<" + el.tagName.toLowerCase();
    for (const name of ["id", "name", "type", "role", "href", "src"]) {
      if (el.hasAttribute(name)) text += ` ${name}="${el.getAttribute(name).slice(0, 50)}"`;
    }
    const shown = el.tagName !== "INPUT" ? el.innerText
      : ["submit", "reset", "button"].includes(el.type) ? el.value : "";
    const words = clean(shown).slice(0, 30);
    return text + ">" + (words ? ` "${words}"` : "");
  };
  const rendered = el =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  // The text a reader hears for a node: images count by their alt, hidden parts not at all.
  const textOf = (node, skip) => {
    if (node === skip) return "";
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.getAttribute("aria-hidden") === "true") return "";
    const style = getComputedStyle(node);
    if (style.display === "none" || style.visibility === "hidden") return "";
    if (node.hasAttribute("aria-label")) return node.getAttribute("aria-label");
    if (node.tagName === "IMG") return node.getAttribute("alt") || "";
    return Array.from(node.childNodes, child => textOf(child, skip)).join(" ");
  };
  const labelledBy = el => clean((el.getAttribute("aria-labelledby") || "").split(/\s+/)
    .map(id => document.getElementById(id)).filter(Boolean)
    .map(ref => ref.textContent).join(" "));
  const nameOf = el => {
    const name = labelledBy(el) || clean(el.getAttribute("aria-label"));
    if (name) return name;
    if (el.tagName === "INPUT" && ["submit", "reset"].includes(el.type)) {
      return clean(el.value) || el.type;  // the browser shows "Submit" or "Reset"
    }
    if (el.tagName === "INPUT" && el.type === "button") return clean(el.value);
    if (el.tagName === "INPUT" && el.type === "image") return clean(el.getAttribute("alt"));
    if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) {
      return Array.from(el.labels || [], label => clean(textOf(label, el))).join(" ").trim();
    }
    return clean(textOf(el));
  };

  // The document
  if (!clean(document.documentElement.getAttribute("lang"))) {
    problems.push("lang: <html> has no lang attribute");
  }
  if (!clean(document.title)) problems.push("title: the page has no <title>");
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"));
  if (!headings.some(h => h.tagName === "H1")) problems.push("h1: the page has no <h1>");
  let previous = null;
  for (const heading of headings) {
    const level = Number(heading.tagName[1]);
    if (!clean(textOf(heading))) problems.push(`headings: ${describe(heading)} has no text`);
    if (previous && level > Number(previous.tagName[1]) + 1) {
      problems.push(`headings: ${describe(previous)} is followed by ${describe(heading)}`);
    }
    previous = heading;
  }

  // Names: form controls, images, buttons and links
  const buttonLike = 'button, [role="button"], input[type="button"], input[type="submit"], ' +
                     'input[type="reset"], input[type="image"]';
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || el.matches(buttonLike) || !rendered(el)) continue;
    if (!nameOf(el)) problems.push(`label: ${describe(el)} has no label`);
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt") && !img.closest('[aria-hidden="true"]')) {
      problems.push(`alt: ${describe(img)} has no alt text`);
    }
  }
  for (const el of document.querySelectorAll(buttonLike + ", a[href]")) {
    if (rendered(el) && !nameOf(el)) {
      const kind = el.matches("a[href]") ? "link" : "button";
      problems.push(`name: ${describe(el)}, a ${kind}, has no text`);
    }
  }

  // Controls the keyboard must reach, in DOM order (a radio group is one stop: its checked
  // button, else its first)
  const focusable = 'a[href], area[href], button, input, select, textarea, iframe, summary, ' +
                    '[tabindex], [contenteditable="true"], [contenteditable=""]';
  const stops = [];
  const radioGroups = new Set();
  for (const el of document.querySelectorAll(focusable)) {
    if (el.tabIndex < 0 || el.matches(":disabled") || el.type === "hidden" || !rendered(el)) {
      continue;
    }
    if (el.type === "radio" && el.name) {
      const group = (el.form ? "form" + Array.from(document.forms).indexOf(el.form) : "") +
                    "/" + el.name;
      if (radioGroups.has(group)) continue;
      radioGroups.add(group);
      const scope = el.form || document;
      const all = Array.from(scope.querySelectorAll("input[type=radio]"))
        .filter(r => r.name === el.name);
      const stop = all.find(r => r.checked) || el;
      stop.dataset.a11yStop = String(stops.length);
      stops.push(describe(stop));
      continue;
    }
    el.dataset.a11yStop = String(stops.length);
    stops.push(describe(el));
  }
  const clickable = '[onclick], [role="button"], [role="link"], [role="checkbox"], ' +
                    '[role="tab"], [role="menuitem"], [role="switch"], [role="option"]';
  for (const el of document.querySelectorAll(clickable)) {
    if (rendered(el) && !el.matches(focusable) && el.tabIndex < 0) {
      problems.push(`keyboard: ${describe(el)} is clickable but Tab cannot reach it`);
    }
  }

  // Contrast, per element that holds text
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const paint = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = colour => {
    const m = colour.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    paint.clearRect(0, 0, 1, 1);  // any other syntax (oklch, color(...)): let a canvas say
    paint.fillStyle = "#000";
    paint.fillStyle = colour;
    paint.fillRect(0, 0, 1, 1);
    const d = paint.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, below) => [0, 1, 2].map(i => top[3] * top[i] + (1 - top[3]) * below[i])
    .concat([1]);
  const background = el => {  // opaque, or null when an image lies behind the text
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null;
      const colour = rgba(style.backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body || document.documentElement,
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || seen.has(el) || !clean(walker.currentNode.data)) continue;
    seen.add(el);
    if (el.closest("script, style, noscript, template, option") || !rendered(el)) continue;
    if (el.closest(":disabled, [aria-disabled='true']")) continue;  // WCAG exempts inactive UI
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, for screen readers
    const style = getComputedStyle(el);
    const back = background(el);
    if (back === null) continue;
    const fore = over(rgba(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) {
      const show = c => `rgb(${c.slice(0, 3).map(Math.round).join(", ")})`;
      problems.push(`contrast: ${describe(el)} is ${ratio.toFixed(2)}:1, below ${needed}:1 ` +
                    `(${show(fore)} on ${show(back)}, ${size}px)`);
    }
  }
  return {problems, stops};
}"""

# Runs in the page: how the element looks where a focus indicator would show.
FOCUS_STYLE_JS = """el => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow];
}"""

# Runs in the page: the focused control (its data-a11y-stop, or how it reads) and its look.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {stop: null, what: "the page itself", look: null};
  const s = getComputedStyle(el);
  return {stop: el.dataset.a11yStop ?? null, what: el.outerHTML.slice(0, 80),
          look: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow]};
}"""

# Runs in the page: move the keyboard's starting point to the top (a focusable placeholder
# first in <body>, removed once Tab has left it).
FOCUS_TOP_JS = """() => {
  const top = document.createElement("span");
  top.tabIndex = -1;
  top.id = "a11y-top";
  document.body.prepend(top);
  top.focus();
}"""


def page_problems(page: Page, requests: RequestLog) -> list[str]:
    """Every accessibility and offline fault of the page open in `page` (see the module's
    docstring); an empty list for a good page. Presses Tab, so focus moves.

    Example: ``assert page_problems(page, requests) == []``.
    """
    found = page.evaluate(STATIC_CHECKS_JS)
    problems: list[str] = list(found["problems"])
    problems += keyboard_problems(page, found["stops"])
    problems += requests.problems(page.url)
    return problems


def keyboard_problems(page: Page, stops: list[str]) -> list[str]:
    """Press Tab from the top of the page once per control: each must take the focus in DOM
    order (`stops`, marked data-a11y-stop by the static checks) and show that it has it.

    Example: ``keyboard_problems(page, ['<a href="/">', '<input id="token">'])``.
    """
    page.evaluate("() => document.activeElement?.blur?.()")
    controls = page.locator("[data-a11y-stop]")
    resting = [controls.nth(i).evaluate(FOCUS_STYLE_JS) for i in range(controls.count())]
    page.evaluate(FOCUS_TOP_JS)
    problems: list[str] = []
    visited: list[str] = []
    for _ in stops:
        page.keyboard.press("Tab")
        page.evaluate("() => document.getElementById('a11y-top')?.remove()")
        focused = page.evaluate(FOCUSED_JS)
        if focused["stop"] is None:
            visited.append(focused["what"])
            continue
        index = int(focused["stop"])
        visited.append(stops[index])
        outline, shadow = focused["look"][:4], focused["look"][4]
        shows_outline = outline[0] != "none" and outline[1] != "0px"
        if not (
            (shows_outline and outline != resting[index][:4])
            or (shadow != "none" and shadow != resting[index][4])
        ):
            problems.append(f"focus: {stops[index]} shows no focus indicator")
    pairs = enumerate(zip(visited, stops, strict=True), 1)  # one Tab press per control
    wrong = [(press, got, want) for press, (got, want) in pairs if got != want]
    if wrong:
        press, got, want = wrong[0]
        problems.append(f"keyboard: Tab press {press} focuses {got}, not {want} (DOM order)")
    page.evaluate("() => document.querySelectorAll('[data-a11y-stop]')"
                  ".forEach(el => el.removeAttribute('data-a11y-stop'))")  # fmt: skip
    return problems


def origin(url: str) -> str:
    """Scheme, host and port of a URL.

    Example: ``origin("http://127.0.0.1:8000/login?next=/")`` is ``"http://127.0.0.1:8000"``.
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RequestLog:
    """Every request a page makes from now on, its failures, and its web sockets: create it
    before `page.goto`, so that the page's first requests are seen.

    Example: ``requests = RequestLog(page); page.goto(url); requests.problems(page.url)``.
    """

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        self.failed: dict[str, str] = {}  # url: why (its status, or the browser's error)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        page.on("websocket", self._on_websocket)

    def _on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _on_failed(self, request: Request) -> None:
        if not request.is_navigation_request():
            self.failed.setdefault(request.url, str(request.failure))

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():
            self.failed.setdefault(response.url, str(response.status))

    def _on_websocket(self, socket: WebSocket) -> None:
        self.urls.append(socket.url)

    def problems(self, page_url: str) -> list[str]:
        """Requests that left the page's origin, or a page not served from 127.0.0.1; and the
        page's own resources that failed to load."""
        home = origin(page_url)
        problems = []
        if urlsplit(page_url).hostname != "127.0.0.1":
            problems.append(f"offline: the page is served from {home}, not 127.0.0.1")
        outside = sorted({u for u in self.urls if u.split(":")[0] in WEB and origin(u) != home})
        problems += [f"offline: a request goes to {url}, not {home}" for url in outside]
        problems += [
            f"broken: {url} ({why}) did not load"
            for url, why in self.failed.items()
            if origin(url) == home
        ]
        return problems


WEB = {"http", "https", "ws", "wss"}
