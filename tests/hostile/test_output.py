"""Reports are safe for any input: HTML and Markdown escape everything that comes from a
profile or a pack (checked by parsing the output, not by pattern), JSON is valid for any
text a profile may hold.

Decision on lone surrogates: a profile holding one (only possible through a JSON
``\\ud800`` escape) is refused at its ``$.path`` by the reader (see the corpus case
``lone_surrogate.json``), so no output has to represent it; rule text holding one (only
possible through the API) is an E001 diagnostic.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from imgrules._safetext import escape_controls

from .helpers import CORPUS, run

PACK = str(CORPUS / "pack" / "hostile.rules")
# strings from the profile (writer) and the pack (titles, messages) that try to break out
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</style><script>",
            "]]><!--", "Zoë Ł 雪 🙂", "a\u2028b", "tab\there", "&amp; &lt;"]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs, self.in_style = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def _profile(tmp_path, writer: str) -> str:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"as_of": "2026-01-15", "track": "first_time", "year": 2020, "score": 10.0,
                                "letters": [{"id": "l1", "writer": writer}]}), encoding="utf-8")
    return str(path)


def _html(capsys, profile: str) -> _Collect:
    code, out, _ = run(capsys, "eval", "--pack", PACK, "--all", "--format", "html", profile)
    assert code == 0
    parser = _Collect()
    parser.feed(out)
    parser.close()
    return parser


@pytest.mark.parametrize("writer", PAYLOADS)
def test_html_escapes_profile_and_pack_text(tmp_path, capsys, writer):
    page = _html(capsys, _profile(tmp_path, writer))
    assert page.tags.count("script") == 0 and page.tags.count("style") == 1
    assert not [a for a in page.attrs if a[0].startswith("on")]
    text = "".join(page.text)
    # the text survives as written, markup and all; control characters and line
    # separators shown escaped (``\u2028``)
    assert f"Ask {escape_controls(writer)} for the letter" in text
    assert "</style><script>alert(3)</script>" in text
    assert "Score 10 is low & <i>risky</i>" in text


def test_markdown_escapes_profile_and_pack_text(tmp_path, capsys):
    markdown_it = pytest.importorskip("markdown_it")
    for writer in PAYLOADS + ["**bold** [x](javascript:alert(1)) `code` | pipe", "# heading", "1. item"]:
        code, out, _ = run(capsys, "eval", "--pack", PACK, "--all", "--format", "markdown",
                             _profile(tmp_path, writer))
        assert code == 0
        html = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
        page = _Collect()
        page.feed(html)
        assert "script" not in page.tags and "a" not in page.tags and "img" not in page.tags
        text = " ".join("".join(page.text).split())
        assert f"Ask {' '.join(writer.split())} for the letter" in text


@pytest.mark.parametrize("writer", PAYLOADS + ["\x00\x01\x1b[31m\x7f", "\u0085\u200b\ufeff", "\\u0000 \"quoted\""])
def test_json_output_round_trips_any_text(tmp_path, capsys, writer):
    code, out, _ = run(capsys, "eval", "--pack", PACK, "--format", "json", _profile(tmp_path, writer))
    assert code == 0
    document = json.loads(out)
    messages = [f["message"] for f in document["findings"]]
    assert f"Ask {writer} for the letter \"soon\" </style><script>alert(3)</script>" in messages


def test_check_json_output_is_valid_for_hostile_rule_text(tmp_path, capsys):
    pack = tmp_path / "t.rules"
    pack.write_text('pack t\nlet a = "Zoë \\"</script>\\" \\u0000"\nlet b = nope\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(pack))
    assert code == 1
    [diag] = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert (diag["line"], diag["column"], diag["message"]) == (3, 9, "unknown name 'nope'")


def test_lone_surrogate_in_a_profile_is_refused_not_printed(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text('{"as_of": "2026-01-15", "track": "first_time", "year": 2020, '
                    '"letters": [{"id": "l1", "writer": "x\\udc00y"}]}')
    code, out, err = run(capsys, "eval", "--pack", PACK, "--format", "json", str(path))
    assert (code, out) == (1, "")
    assert "$.letters[0].writer: the text contains a lone surrogate (U+DC00)" in err
