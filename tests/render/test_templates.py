"""The HTML pages' templates: every value escaped by default, and a folder named by
IMGRULES_TEMPLATES replacing shipped templates by name (a clinic's colours or words)."""

from __future__ import annotations

from importlib import resources

import pytest

from imgrules._render import html
from imgrules._render.templating import OVERRIDE_VARIABLE, markup, render_template

from .conftest import EVIL
from .test_render_eval import parse_html

SHIPPED = resources.files("imgrules._render") / "templates"


def test_a_value_in_a_template_is_escaped_without_asking(tmp_path, monkeypatch):
    (tmp_path / "bare.html.j2").write_text("<p title=\"{{ v }}\">{{ v }}</p>", encoding="utf-8")
    monkeypatch.setenv(OVERRIDE_VARIABLE, str(tmp_path))
    out = render_template("bare.html.j2", v='<b>"x"\x1b]0;t\x07\u202e')
    assert out == ('<p title="&lt;b&gt;&quot;x&quot;\\x1b]0;t\\x07\\u202e">'
                   '&lt;b&gt;&quot;x&quot;\\x1b]0;t\\x07\\u202e</p>')


def test_markup_escapes_its_parts_but_not_its_template():
    assert markup("<b>{}</b>{}", "<i>&", markup("<br>")) == "<b>&lt;i&gt;&amp;</b><br>"


def test_a_clinic_translates_the_report_by_overriding_one_template(result, tmp_path,
                                                                    monkeypatch):
    shipped = (SHIPPED / "result.html.j2").read_text(encoding="utf-8")
    assert "Tell us: facts to record" in shipped
    (tmp_path / "result.html.j2").write_text(
        shipped.replace("Tell us: facts to record", "Dites-nous : faits à noter"),
        encoding="utf-8")
    (tmp_path / "report.css").write_text(":root { --ink: #123456; }\n", encoding="utf-8")
    before = html.render([(EVIL, result)], full=True)
    monkeypatch.setenv(OVERRIDE_VARIABLE, str(tmp_path))
    page = html.render([(EVIL, result)], full=True)
    text = "".join(parse_html(page).text)
    assert "Dites-nous : faits à noter" in page and "Tell us" not in page
    assert "--ink: #123456" in page and "--ink: #123456" not in before
    # the other templates are the shipped ones, and the data is still escaped
    assert page.startswith("<!DOCTYPE html>") and "script" not in parse_html(page).tags
    assert EVIL in text
    monkeypatch.delenv(OVERRIDE_VARIABLE)
    assert html.render([(EVIL, result)], full=True) == before


@pytest.mark.parametrize("name", ["page.html.j2", "report.html.j2", "result.html.j2",
                                  "plan.html.j2", "cohort.html.j2", "macros.html.j2",
                                  "report.css", "plan.css", "cohort.css"])
def test_the_templates_ship_with_the_package(name):
    assert (SHIPPED / name).is_file()
