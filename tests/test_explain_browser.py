"""The explain page and the served page in a real browser: headless Chromium (the system's
package) driven by Playwright, checking what a person sees.

Every request the browser makes is watched: a page opened from disk may load nothing, and
the served page may ask only its own server. The tests skip where there is no Chromium or no
Playwright, except when ``ORDERMAP_REQUIRE_BROWSER`` is set (``.ci/run`` sets it, and
installs both), so CI cannot pass them by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ordermap
from ordermap.explain import explain
from ordermap.limits import Limits

from .serving import serving

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
REQUIRED = bool(os.environ.get("ORDERMAP_REQUIRE_BROWSER"))
# A browser with no network of its own: nothing it could fetch in the background.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRED:
            pytest.fail("ORDERMAP_REQUIRE_BROWSER is set but Playwright is not installed")
        pytest.skip("Playwright is not installed (pip install '.[browser]')")
    executable = _chromium()
    if executable is None:
        if REQUIRED:
            pytest.fail("ORDERMAP_REQUIRE_BROWSER is set but no Chromium is installed")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page, the requests it made beyond what it may ask, and its script errors."""

    def __init__(self, page: Any, allowed: tuple[str, ...]) -> None:
        self.page = page
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

        def route(found: Any) -> None:
            url = found.request.url
            if url.startswith(allowed):
                found.continue_()
            else:
                self.foreign.append(url)
                found.abort()

        page.route("**/*", route)

    def _console(self, message: Any) -> None:
        # The browser logs each 4xx answer as an error; those are the answers under test.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def clean(self) -> None:
        assert self.foreign == [], "the page reached beyond what it may ask"
        assert self.errors == [], "the page's script failed"


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    """Open a page with a fresh context, watched."""
    contexts = []

    def open_page(url: str, allowed: tuple[str, ...]) -> Watched:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        watched = Watched(context.new_page(), allowed)
        watched.page.goto(url)
        return watched

    yield open_page
    for context in contexts:
        context.close()


def write_page(folder: Path, data: bytes, to: str = "talkdesk-json", mode: str = "report") -> str:
    path = folder / "page.html"
    path.write_text(explain(data, to, mode=mode).html(), encoding="utf-8")  # type: ignore[arg-type]
    return path.as_uri()


def total(page: Any, name: str) -> str:
    return str(page.locator(f'#totals [data-total="{name}"] b').inner_text())


def open_order(page: Any, number: int) -> None:
    page.locator(f'details.order[data-order="{number}"] > summary').click()
    page.locator(f'details.order[data-order="{number}"] .sides').wait_for()


def value(page: Any, pointer: str) -> Any:
    return page.locator(f'li[data-pointer="{pointer}"]').first


# --- the page from disk --------------------------------------------------------------------------


def test_the_summary_shows_the_reports_counts(tmp_path: Path, opened: Any) -> None:
    data = EXAMPLE.read_bytes()
    report = ordermap.convert(data, "talkdesk-json").report
    watched = opened(write_page(tmp_path, data), ("file://",))
    page = watched.page
    assert total(page, "orders") == "2"
    assert total(page, "lost") == str(len(report.lost)) == "24"
    assert total(page, "derived") == "9"
    assert total(page, "carried") == "0"
    email = page.locator('#summary tr[data-field="/orders/order/*/customer_email"]')
    assert "no Talkdesk counterpart" in email.inner_text()
    assert email.locator("td.count").inner_text() == "1"
    # Orders start collapsed: no tree is drawn until one is opened.
    assert page.locator(".sides").count() == 0
    watched.clean()


def test_a_lost_field_shows_its_reason_and_a_derived_one_its_rule(
    tmp_path: Path, opened: Any
) -> None:
    watched = opened(write_page(tmp_path, EXAMPLE.read_bytes()), ("file://",))
    page = watched.page
    open_order(page, 0)
    email = value(page, "/orders/order/0/customer_email")
    assert email.get_attribute("data-fate") == "lost"
    assert email.locator(".note").inner_text() == "lost: no Talkdesk counterpart"
    assert email.locator(".value").inner_text() == '"customer@dexero.com"'
    refunded = value(page, "/orders/order/0/total_refunded")
    notes = refunded.locator(".note").all_inner_texts()
    assert (
        "derived by rule is-refunded \u2192 /_embedded/orders/0/payment_details/is_refunded:"
        " is_refunded from total_refunded"
    ) in notes
    target = page.locator(
        '.target li[data-pointer="/_embedded/orders/0/payment_details/is_refunded"]'
    )
    assert target.get_attribute("data-fate") == "derived"
    assert "derived from /orders/order/0/total_refunded" in target.locator(".note").inner_text()
    # Values keep their exact text: 10.50 is not 10.5.
    assert value(page, "/orders/order/0/total_products").locator(".value").inner_text() == "10.50"
    watched.clean()


def test_the_filter_by_field_and_by_fate(tmp_path: Path, opened: Any) -> None:
    watched = opened(write_page(tmp_path, EXAMPLE.read_bytes()), ("file://",))
    page = watched.page
    page.locator("#field-filter").fill("order_form")
    rows = page.locator("#summary tbody tr:not(.hidden)")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-field") == "/orders/order/*/order_form"
    assert page.locator("#shown").inner_text() == "1 of 2 orders shown"
    assert page.locator('details.order[data-order="0"]').is_hidden()
    open_order(page, 1)
    shown = page.locator('details.order[data-order="1"] .source li')
    pointers = [li.get_attribute("data-pointer") for li in shown.all()]
    assert "/orders/order/1/order_form" in pointers
    assert "/orders/order/1/id" not in pointers
    # By fate: only what a rule derived.
    page.locator("#field-filter").fill("")
    for fate in ("lost", "carried", "mapped"):
        page.locator(f"#fate-{fate}").uncheck()
    visible = page.locator("#summary tbody tr:not(.hidden)")
    assert {row.get_attribute("data-fate") for row in visible.all()} == {"derived"}
    leaves = page.locator('details.order[data-order="1"] .source li:not(:has(ul))')
    assert {li.get_attribute("data-fate") for li in leaves.all()} == {"derived"}
    page.locator("#fate-mapped").check()
    assert page.locator("#shown").inner_text() == "2 of 2 orders shown"
    watched.clean()


def test_a_warning_is_pinned_at_its_value(tmp_path: Path, opened: Any) -> None:
    data = EXAMPLE.read_bytes().replace(b"<currency>EUR</currency>", b"<currency>EUX</currency>", 1)
    watched = opened(write_page(tmp_path, data), ("file://",))
    page = watched.page
    problems = page.locator("#problems")
    assert "unknown-currency" in problems.inner_text()
    assert "not an ISO 4217 currency code" in problems.inner_text()
    problems.locator('button[data-goto="/orders/order/0/currency"]').click()
    pinned = value(page, "/orders/order/0/currency")
    pinned.wait_for()
    assert "pinned" in (pinned.get_attribute("class") or "")
    assert "problem: not an ISO 4217 currency code" in pinned.inner_text()
    watched.clean()


def test_a_strict_refusal_says_what_would_be_lost(tmp_path: Path, opened: Any) -> None:
    watched = opened(write_page(tmp_path, EXAMPLE.read_bytes(), mode="strict"), ("file://",))
    page = watched.page
    banner = page.locator("#refused")
    assert "24 values would be lost" in banner.inner_text()
    assert "--mode carry" in banner.inner_text()
    open_order(page, 0)
    assert (
        "strict mode refused" in page.locator('details.order[data-order="0"] .target').inner_text()
    )
    watched.clean()


@pytest.mark.parametrize("to", ["dexero-json", "dexero-xml"])
def test_carry_mode_marks_the_carried_values_and_the_slot(
    tmp_path: Path, opened: Any, to: str
) -> None:
    talkdesk = ordermap.convert(EXAMPLE.read_bytes(), "talkdesk-json").output
    watched = opened(write_page(tmp_path, talkdesk, to=to, mode="carry"), ("file://",))
    page = watched.page
    assert int(total(page, "carried")) > 0
    open_order(page, 0)
    carried = page.locator('.source li[data-fate="carried"]')
    assert carried.count() > 0
    assert "carried \u2192" in carried.first.locator(".note").first.inner_text()
    assert page.locator('.target li[data-fate="carried"]').count() > 0
    watched.clean()


# --- the served page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    from ordermap.explain.serve import create_app

    with serving(create_app(limits=Limits(max_bytes=256 * 1024))) as url:
        yield url


def test_the_served_page_explains_a_pasted_payload(served: str, opened: Any) -> None:
    watched = opened(served + "/", (served + "/",))
    page = watched.page
    page.locator("#payload").fill(EXAMPLE.read_text(encoding="utf-8"))
    page.locator("#to").select_option("talkdesk-json")
    page.locator("#explain").click()
    page.locator("#totals").wait_for()
    assert total(page, "lost") == "24" and total(page, "derived") == "9"
    open_order(page, 0)
    assert value(page, "/orders/order/0/locale").locator(".note").inner_text() == (
        "lost: no Talkdesk counterpart"
    )
    watched.clean()


def test_the_served_page_shows_the_problem_of_a_broken_payload(served: str, opened: Any) -> None:
    watched = opened(served + "/", (served + "/",))
    page = watched.page
    page.locator("#payload").fill('{"id": "1",\n "order_number": }')
    page.locator("#to").select_option("dexero-json")
    page.locator("#explain").click()
    error = page.locator("#error")
    error.wait_for()
    with pytest.raises(ordermap.DecodeError) as caught:
        ordermap.decode(b'{"id": "1",\n "order_number": }')
    (expected,) = caught.value.problems
    text = error.inner_text()
    assert expected.code in text and expected.message in text and "line 2" in text
    watched.clean()


def test_a_dropped_file_is_sent_as_its_bytes(served: str, opened: Any) -> None:
    watched = opened(served + "/", (served + "/",))
    page = watched.page
    talkdesk = ordermap.convert(EXAMPLE.read_bytes(), "talkdesk-json").output.decode("utf-8")
    page.evaluate(
        """text => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "page.json", { type: "application/json" }));
            const box = document.getElementById("payload");
            box.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true }));
        }""",
        talkdesk,
    )
    page.wait_for_function("document.getElementById('payload').value.length > 0")
    assert "page.json" in page.locator("#status").inner_text()
    page.locator("#to").select_option("dexero-xml")
    page.locator("#explain").click()
    page.locator("#totals").wait_for()
    assert total(page, "orders") == "2"
    watched.clean()


def test_the_served_page_refuses_a_large_payload_with_the_limit(served: str, opened: Any) -> None:
    watched = opened(served + "/", (served + "/",))
    page = watched.page
    page.locator("#payload").fill(" " * (256 * 1024 + 1))
    page.locator("#explain").click()
    error = page.locator("#error")
    error.wait_for()
    assert "too-large" in error.inner_text() and "262,144 bytes" in error.inner_text()
    watched.clean()


def test_the_watch_sees_a_page_that_reaches_out(tmp_path: Path, opened: Any) -> None:
    # The guard the other tests rely on: a page that fetches is caught, and nothing leaves.
    page = tmp_path / "reaching.html"
    page.write_text('<!doctype html><img src="https://example.invalid/pixel.png">')
    watched = opened(page.as_uri(), ("file://",))
    watched.page.wait_for_load_state("load")
    assert watched.foreign == ["https://example.invalid/pixel.png"]
