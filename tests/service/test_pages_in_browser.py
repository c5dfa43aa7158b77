"""The service's pages in headless Chromium (issue 16, §5): a real uvicorn server on 127.0.0.1
(the shared `live` fixture), used through the pages by their labels and the keyboard, and every
page checked for accessibility and offline faults (`accessibility.page_problems`).

A student logs in, uploads a half-right notebook, and watches its state go from queued to
graded by itself; she reads her score per question and the feedback, with no hidden test in it.
A second student cannot open her submission; the instructor sees both and exports the CSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accessibility import RequestLog, page_problems
from live_service import HIDDEN_CODE, RIGHT, WRONG, Live, live, notebook

__all__ = ["live"]  # the module-scoped server fixture (live_service)

# A half-right notebook that takes a while to grade, so its page is seen before it is graded.
SLOW_WRONG = "import time\ntime.sleep(12)\n\n" + WRONG


def visit(context: Any, url: str) -> tuple[Any, RequestLog]:
    """A new tab on `url`, with the log of its requests (for `page_problems`)."""
    page = context.new_page()
    requests = RequestLog(page)
    page.goto(url)
    return page, requests


def no_problems(page: Any, requests: RequestLog, what: str) -> None:
    """`page` has no accessibility or offline fault (`accessibility.page_problems`)."""
    problems = page_problems(page, requests)
    assert problems == [], f"{what}: " + "; ".join(problems)


def log_in(context: Any, live: Live, who: str) -> None:
    """Log in through the login form, by its label and the Enter key; checks the form page."""
    page, requests = visit(context, f"{live.server.url}/login")
    no_problems(page, requests, "the login page")
    page.get_by_label("Your login token").fill(live.tokens[who])
    page.keyboard.press("Enter")
    page.wait_for_url("**/student" if who != "prof" else "**/instructor")
    page.close()


def log_out(context: Any, live: Live) -> None:
    page, _ = visit(context, f"{live.server.url}/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.close()


@pytest.fixture(scope="module")
def anas(live: Live, browser_context: Any, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Ana logs in, submits through the page, and watches her submission get graded; the
    pages are checked on the way (student page empty, submission page while not graded yet)."""
    from playwright.sync_api import expect

    path = tmp_path_factory.mktemp("ana") / "toy.ipynb"
    path.write_bytes(notebook(live.server.course, SLOW_WRONG))
    log_in(browser_context, live, "ana")
    page, requests = visit(browser_context, f"{live.server.url}/student")
    expect(page.get_by_role("heading", name="Your submissions").first).to_be_visible()
    no_problems(page, requests, "the student page, before any submission")
    page.get_by_label("Assignment").select_option("toy")
    page.get_by_label("Notebook file (.ipynb)").set_input_files(str(path))
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/submissions/*")
    submission = int(page.url.rsplit("/", 1)[1])
    first_state = page.locator("#state").inner_text()
    assert first_state in ("queued", "running"), first_state
    # checked while running: the notebook sleeps, so no state change reloads it meanwhile
    expect(page.locator("#state")).to_have_text("running", timeout=60_000)
    no_problems(page, requests, "the submission page while running")

    listing, listed = visit(browser_context, f"{live.server.url}/student")
    expect(listing.locator(f'[data-state="{submission}"]')).to_have_text("running")
    no_problems(listing, listed, "the student page while running")
    expect(listing.locator(f'[data-state="{submission}"]')).to_have_text(
        "graded", timeout=120_000
    )  # reloaded by the page's own polling script
    listing.close()

    seen = [first_state]
    page.wait_for_function(
        "() => document.getElementById('state')?.textContent === 'graded'", timeout=120_000
    )  # nobody reloads: the page's script does
    seen.append(page.locator("#state").inner_text())
    return {"id": submission, "page": page, "requests": requests, "seen": seen}


def test_a_student_watches_her_submission_go_from_queued_to_graded(
    live: Live, browser_context: Any, anas: dict
) -> None:
    from playwright.sync_api import expect

    page = anas["page"]
    assert anas["seen"][0] in ("queued", "running") and anas["seen"][-1] == "graded"
    table = page.get_by_role("table", name="Score per question")
    expect(table).to_contain_text("test_square")
    expect(table).to_contain_text("square(3)")  # the visible check is named
    expect(page.get_by_text("0 / 10").first).to_be_visible()
    assert HIDDEN_CODE not in page.content()
    no_problems(page, RequestLog(page), "the graded submission page")
    assert anas["requests"].problems(page.url) == [], "requests while it was graded"

    listing, requests = visit(browser_context, f"{live.server.url}/student")
    expect(listing.locator(f'[data-state="{anas["id"]}"]')).to_have_text("graded")
    expect(listing.locator('[data-remaining="toy"]')).to_contain_text("9 of 10 submissions left")
    no_problems(listing, requests, "the student page once graded")
    listing.close()


def test_her_feedback_has_every_question_and_no_hidden_test(
    live: Live, browser_context: Any, anas: dict
) -> None:
    page, requests = visit(browser_context, f"{live.server.url}/submissions/{anas['id']}")
    page.get_by_role("link", name="Open the feedback page").click()
    page.wait_for_url("**/feedback")
    text = page.content()
    assert "test_square" in text or "square" in text
    assert HIDDEN_CODE not in text and "HIDDEN TESTS" not in text
    no_problems(page, requests, "the feedback page")
    page.close()


def test_a_second_student_cannot_open_hers(
    live: Live, browser_context: Any, anas: dict, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_out(browser_context, live)
    log_in(browser_context, live, "bob")
    for path in (f"/submissions/{anas['id']}", f"/submissions/{anas['id']}/feedback"):
        page, requests = visit(browser_context, live.server.url + path)
        expect(page.get_by_role("heading", name="Sorry")).to_be_visible()
        expect(page.get_by_role("alert")).to_have_text("Not found.")
        assert "ana" not in page.inner_text("main")
        no_problems(page, requests, f"the error page of {path}")
        page.close()
    notebook_path = tmp_path / "toy.ipynb"  # bob submits too, for the instructor to see
    notebook_path.write_bytes(notebook(live.server.course, RIGHT))
    page, _ = visit(browser_context, f"{live.server.url}/student")
    page.get_by_label("Notebook file (.ipynb)").set_input_files(str(notebook_path))
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#state")).to_have_text("graded", timeout=120_000)
    page.close()
    log_out(browser_context, live)


def test_the_instructor_sees_both_and_exports_the_csv(
    live: Live, browser_context: Any, anas: dict, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(browser_context, live, "prof")
    page, requests = visit(browser_context, f"{live.server.url}/instructor")
    students = page.get_by_role("table").first
    expect(students).to_contain_text("ana")
    expect(students).to_contain_text("bob")
    expect(page.get_by_text("test_square").first).to_be_visible()
    no_problems(page, requests, "the instructor page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export every submission (CSV)").click()
    saved = tmp_path / "class.csv"
    download.value.save_as(saved)
    rows = [line.split(",") for line in saved.read_text().strip().splitlines()]
    assert rows[0][:3] == ["id", "assignment", "student"]
    assert {row[2] for row in rows[1:]} == {"ana", "bob"}
    page.close()


@pytest.fixture(autouse=True, scope="module")
def _close_anas_page(anas: dict) -> Iterator[None]:
    yield
    anas["page"].close()
