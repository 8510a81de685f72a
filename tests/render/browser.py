"""Headless Chromium for the HTML pages: load a page at a width or as printed on a paper
size, and read layout facts from the rendered DOM.

Chromium is Debian's (``chromium`` and ``chromium-driver``, which ``.ci/run`` installs),
driven through WebDriver by Selenium. Print layout is read two ways: the page's print
styles at the paper's content width (sizes, positions, ``break-inside``), and the real
fragmentation of the layout engine, by flowing the printed page into columns exactly one
paper page wide and high (a box that is cut at a page edge has two boxes, one per column).
The number of columns is checked against the page count of Chromium's own PDF.

Run as a script, it writes the screenshots of the docs::

    python tests/render/browser.py docs/_static
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or ""
CHROMEDRIVER = shutil.which("chromedriver") or ""
# what Chromium needs to run headless as root, quietly, with nothing fetched
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1")

MM = 96 / 25.4  # CSS px per millimetre
MARGIN_MM = 12  # the @page margin of the pages
# paper: (width, height) in mm
PAPER = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


def content_box(paper: str) -> tuple[int, int]:
    """The printable area of a paper size in CSS px, inside the pages' @page margin."""
    width, height = PAPER[paper]
    return (int((width - 2 * MARGIN_MM) * MM), int((height - 2 * MARGIN_MM) * MM))


@contextmanager
def chromium() -> Iterator:
    """A Selenium driver of headless Chromium, with a fresh profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="imgrules-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + (f"--user-data-dir={profile}",):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def load(driver, path: Path, width: int, height: int = 900, print_media: bool = False):
    """Show the page at ``path`` in a viewport ``width`` x ``height`` CSS px, with screen
    or print styles."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"media": "print" if print_media else "screen"})
    driver.get(Path(path).resolve().as_uri())
    return driver


# the facts every check reads, measured by the browser
_FACTS = """
const px = el => parseFloat(getComputedStyle(el).fontSize);
const sel = arguments[0];
const texts = [...document.querySelectorAll(sel)].filter(e => e.textContent.trim());
const chart = document.querySelector('.chart');
const rows = [...document.querySelectorAll('.chart .row')];
const box = e => { const r = e.getBoundingClientRect();
  return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]; };
return {
  viewport: document.documentElement.clientWidth,
  scrollWidth: document.documentElement.scrollWidth,
  bodyScrollWidth: document.body.scrollWidth,
  smallestText: texts.length ? Math.min(...texts.map(px)) : null,
  textCount: texts.length,
  chart: chart ? box(chart) : null,
  chartWrap: chart ? box(chart.parentElement) : null,
  rows: rows.map(r => ({box: box(r), breakInside: getComputedStyle(r).breakInside})),
};
"""


def facts(driver, text_selector: str) -> dict:
    return driver.execute_script(_FACTS, text_selector)


# Flow the body into columns one printed page wide and high: the layout engine breaks
# the content as it breaks pages (break-inside, orphans; a forced page break becomes a
# column break), and a box cut at a page edge comes back as one client rect per column.
_PAGINATE = """
const [w, h, sel] = arguments;
// a page break is a column break in the flow
for (const e of document.querySelectorAll('*')) {
  const style = getComputedStyle(e);
  if (style.breakBefore === 'page') e.style.breakBefore = 'column';
  if (style.breakAfter === 'page') e.style.breakAfter = 'column';
}
const flow = document.createElement('div');
flow.style.cssText = `columns: ${w}px; column-gap: 0; column-fill: auto; width: ${w}px;` +
  `height: ${h}px; margin: 0; padding: 0;`;
while (document.body.firstChild) flow.appendChild(document.body.firstChild);
document.body.appendChild(flow);
document.body.style.cssText = 'margin: 0; padding: 0; max-width: none; width: auto;';
const left = flow.getBoundingClientRect().left;
const page = r => Math.floor((r.left - left + 1) / w);
const items = [...document.querySelectorAll(sel)].map(e => {
  const rects = [...e.getClientRects()].filter(r => r.height > 0);
  return {text: e.textContent.trim().slice(0, 60), pages: rects.map(page)};
});
const last = Math.max(...[...flow.querySelectorAll('*')].map(e =>
  [...e.getClientRects()].filter(r => r.height > 0).map(page)).flat(), 0);
return {items: items, pages: last + 1};
"""


def paginate(driver, paper: str, selector: str) -> dict:
    """Where each element matching ``selector`` falls on the printed pages of ``paper``:
    ``{"items": [{"text", "pages": [page index per box]}], "pages": count}``."""
    width, height = content_box(paper)
    return driver.execute_script(_PAGINATE, width, height, selector)


def pdf_pages(driver, paper: str) -> int:
    """The number of pages Chromium prints the current page on (its own PDF)."""
    width, height = PAPER[paper]
    result = driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": width / 25.4, "paperHeight": height / 25.4, "preferCSSPageSize": False,
        "marginTop": MARGIN_MM / 25.4, "marginBottom": MARGIN_MM / 25.4,
        "marginLeft": MARGIN_MM / 25.4, "marginRight": MARGIN_MM / 25.4,
        "printBackground": True})
    pdf = base64.b64decode(result["data"])
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def screenshot(driver, target: Path, width: int, height: int, print_media: bool = False,
               source: Path | None = None) -> None:
    """A PNG of the first ``height`` px of the page at ``width``."""
    if source is not None:
        load(driver, source, width, height, print_media)
    Path(target).write_bytes(base64.b64decode(driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": {
            "x": 0, "y": 0, "width": width, "height": height, "scale": 1}})["data"]))


def write_screenshots(folder: Path) -> list[Path]:
    """The docs' pictures of the eval and plan pages of one example persona: phone,
    desktop and the first printed page (A4)."""
    import datetime as dt

    from imgrules import _api as api
    from imgrules._facts.reader import load_profile_file
    from imgrules._plan import build_plan
    from imgrules._render import html, plan_html

    example = Path(__file__).resolve().parents[2] / "examples" / "strong-first-timer.yaml"
    raw = load_profile_file(str(example))
    pack = api.load("img.first_application")
    as_of = None if raw.data.get("as_of") else dt.date(2026, 11, 22)
    results = api.evaluate(pack, raw, as_of=as_of)
    pages = {"eval": html.render([("", results.to_json(), raw.data)]),
             "plan": plan_html.render(build_plan(pack, results, raw.data))}
    folder = Path(folder)
    written = []
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        for name, page in pages.items():
            source = Path(tmp) / f"{name}.html"
            source.write_text(page, encoding="utf-8")
            for view, width, height, printed in (("phone", 390, 844, False),
                                                 ("desktop", 1280, 900, False),
                                                 ("print", content_box("A4")[0],
                                                  content_box("A4")[1], True)):
                target = folder / f"{name}-{view}.png"
                screenshot(driver, target, width, height, printed, source)
                written.append(target)
    return written


if __name__ == "__main__":
    import sys

    for path in write_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_static")):
        print(path)
