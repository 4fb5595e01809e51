"""Take the screenshots of docs/explain.md: the explain page of the bundled example, and the
served page after explaining a payload pasted into it.

    python -m pip install -e '.[serve,browser]'   # and a Chromium: apt-get install chromium
    python docs/screenshots.py

Writes docs/images/explain-page.png and docs/images/serve-page.png.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serving import serving  # noqa: E402

from ordermap.explain import explain  # noqa: E402
from ordermap.explain.serve import create_app  # noqa: E402

IMAGES = ROOT / "docs" / "images"
EXAMPLE = ROOT / "examples" / "dexero-page.xml"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("no Chromium found (apt-get install chromium)")
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        html = Path(folder) / "page.html"
        html.write_text(explain(EXAMPLE.read_bytes(), "talkdesk-json").html(), encoding="utf-8")
        page.goto(html.as_uri())
        page.screenshot(path=IMAGES / "explain-page.png")
        page.locator('details.order[data-order="0"] > summary').click()
        page.evaluate("document.querySelector('details.order[data-order=\"0\"]').scrollIntoView()")
        page.screenshot(path=IMAGES / "explain-order.png")
        with serving(create_app()) as url:
            page.goto(url + "/")
            page.locator("#payload").fill(EXAMPLE.read_text(encoding="utf-8"))
            page.locator("#to").select_option("talkdesk-json")
            page.locator("#explain").click()
            page.locator("#totals").wait_for()
            page.screenshot(path=IMAGES / "serve-page.png")
        browser.close()
    for name in ("explain-page.png", "explain-order.png", "serve-page.png"):
        print(IMAGES / name)


if __name__ == "__main__":
    main()
