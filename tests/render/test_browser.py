"""The eval and plan HTML pages of every example persona in headless Chromium: on a phone
(390 px) and a desktop (1280 px) nothing overflows the page and the chart's text stays
legible (10 px or more); printed on A4 and Letter the chart starts on the first page and
no chart row or finding is cut at a page edge. See ``browser.py`` for how print is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgrules import _api as api
from imgrules._facts.reader import load_profile_file
from imgrules._plan import build_plan
from imgrules._render import html, plan_html
from imgrules._tracks import pack_for_data

from . import browser

pytestmark = pytest.mark.skipif(
    not (browser.CHROMIUM and browser.CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
# every piece of text in the chart: row labels and statuses, month heads, phases
CHART_TEXT = (".chart .label .t, .chart .label small, .chart .mhead, .chart .mhead small, "
              ".chart .phase")
PAGE_TEXT = "h1, h2, p, li, th, td, small, .badge, .why"


@pytest.fixture(scope="module")
def driver():
    with browser.chromium() as d:
        yield d


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """``{"<example>/eval": file, "<example>/plan": file}`` for every example persona."""
    import datetime as dt

    folder = tmp_path_factory.mktemp("pages")
    packs: dict[str, object] = {}
    out = {}
    for example in EXAMPLES:
        raw = load_profile_file(str(example))
        name = pack_for_data(raw.data)
        pack = packs.setdefault(name, api.load(name))
        as_of = None if raw.data.get("as_of") else dt.date(2026, 11, 22)
        results = api.evaluate(pack, raw, as_of=as_of)
        for kind, page in (("eval", html.render([("", results.to_json(), raw.data)])),
                           ("plan", plan_html.render(build_plan(pack, results, raw.data)))):
            path = folder / f"{example.stem}-{kind}.html"
            path.write_text(page, encoding="utf-8")
            out[f"{example.stem}/{kind}"] = path
    return out


KEYS = [f"{e.stem}/{kind}" for e in EXAMPLES for kind in ("eval", "plan")]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("key", KEYS)
def test_on_a_phone_and_a_desktop_nothing_overflows_and_text_is_legible(driver, pages, key,
                                                                          width):
    browser.load(driver, pages[key], width)
    facts = browser.facts(driver, CHART_TEXT if key.endswith("plan") else PAGE_TEXT)
    assert facts["scrollWidth"] <= facts["viewport"] == width, "the page scrolls sideways"
    assert facts["textCount"] > 0
    assert facts["smallestText"] >= 10
    if key.endswith("plan"):
        # the chart may scroll inside its frame, never push the page wider
        left, _, right, _ = facts["chartWrap"]
        assert 0 <= left and right <= width
        assert len(facts["rows"]) > 10


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("key", KEYS)
def test_printed_the_chart_starts_on_page_one_and_no_row_is_cut(driver, pages, key, paper):
    width, height = browser.content_box(paper)
    browser.load(driver, pages[key], width, height, print_media=True)
    facts = browser.facts(driver, CHART_TEXT if key.endswith("plan") else PAGE_TEXT)
    assert facts["scrollWidth"] <= width, "the printed page is cut on the right"
    assert facts["smallestText"] >= 10
    rows = ".chart .row" if key.endswith("plan") else ".findings li, .asks li"
    if key.endswith("plan"):
        assert {row["breakInside"] for row in facts["rows"]} == {"avoid"}
        assert facts["chart"][2] <= width
        # the chart's pages: the month list (from a new page on) is not under test here,
        # and months longer than a page are cut wherever they end
        driver.execute_script("const t = document.querySelector('.months-title');"
                              "while (t.nextSibling) t.nextSibling.remove(); t.remove();")
    pdf_pages = browser.pdf_pages(driver, paper)
    laid_out = browser.paginate(driver, paper, rows)
    # the emulated pages are the pages Chromium prints
    assert laid_out["pages"] == pdf_pages
    items = laid_out["items"]
    assert items and all(len(item["pages"]) == 1 for item in items), [
        item for item in items if len(item["pages"]) != 1]
    assert items[0]["pages"] == [0]  # the chart (or the few things to do) on page one


def test_the_docs_screenshots_can_be_taken(tmp_path):
    written = browser.write_screenshots(tmp_path)
    assert [p.name for p in written] == [
        f"{page}-{view}.png" for page in ("eval", "plan") for view in ("phone", "desktop", "print")]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
