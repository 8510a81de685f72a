"""The language server over JSON-RPC on the shipped packs: diagnostics as you type,
hover, definition, references, completion, outline, formatting and quick fixes."""

from __future__ import annotations

import asyncio
import re
import time

from lsprotocol import types as lsp

from .conftest import at

ID = lsp.TextDocumentIdentifier


def test_shipped_pack_has_no_diagnostics(session, workspace):
    uri = session.open(workspace / "rules/img/first_application.rules")
    assert session.wait_diagnostics(uri) == []


def test_a_typo_gets_the_checkers_diagnostic_at_its_range(session, workspace):
    path = workspace / "rules/img/reapplication.rules"
    text = path.read_text()
    uri = session.open(path)
    assert session.wait_diagnostics(uri, 1) == []
    target = "applicant.graduation_year"
    assert target in text
    broken = text.replace(target, "applicant.graduaton_year", 1)
    session.change(uri, broken)
    diagnostics = session.wait_diagnostics(uri, 2)
    assert [d.code for d in diagnostics] == ["E110"]
    (diagnostic,) = diagnostics
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.range.start == at(broken, "graduaton_year")
    assert diagnostic.range.end == at(broken, "graduaton_year", len("graduaton_year"))
    assert "did you mean 'graduation_year'?" in diagnostic.message
    # the quick fix puts the suggested name in
    actions = session.run(session.client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=ID(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))))
    (action,) = actions
    (edit,) = action.edit.changes[uri]
    assert edit.new_text == "graduation_year" and edit.range == diagnostic.range
    session.change(uri, text)
    assert session.wait_diagnostics(uri, 3) == []


def test_a_file_that_does_not_parse_gets_a_syntax_error_and_the_server_goes_on(session, workspace):
    path = workspace / "rules/scratch.rules"
    text = 'pack scratch\n\nrule r "R"\n  when as_of >\n  then remind "x"\n'
    uri = session.open(path, text)
    diagnostics = session.wait_diagnostics(uri)
    # the same diagnostic as `imgrules check`, at the same place
    from imgrules._loader import load_packs
    from imgrules._check import check_pack
    path.write_text(text)
    (expected,) = check_pack(load_packs(path)).diagnostics
    path.unlink()
    assert [d.code for d in diagnostics] == [expected.code]
    assert diagnostics[0].severity == lsp.DiagnosticSeverity.Error
    assert diagnostics[0].range.start == lsp.Position(line=expected.span.line - 1,
                                                      character=expected.span.column - 1)
    # hostile text: control characters, a huge nesting, an unterminated string
    for hostile in ("\x00\x1b[2J", "let x = " + "(" * 5000 + "1" + ")" * 5000, 'rule "'):
        session.change(uri, hostile)
        assert session.wait_diagnostics(uri, len(session.diagnostics[uri]) + 1)
    # still serving: the shipped pack's hover answers
    core = workspace / "rules/img/core.rules"
    core_uri = session.open(core)
    hover = session.run(session.client.text_document_hover_async(lsp.HoverParams(
        text_document=ID(uri=core_uri), position=at(core.read_text(), "let years_out", 5))))
    assert "years_out" in hover.contents.value


def _hover(session, uri, position) -> str:
    result = session.run(session.client.text_document_hover_async(lsp.HoverParams(
        text_document=ID(uri=uri), position=position)))
    return result.contents.value if result is not None else ""


def test_hover_a_field_shows_its_type_doc_comment_and_readers(session, workspace):
    path = workspace / "rules/img/reapplication.rules"
    text = path.read_text()
    uri = session.open(path)
    # a field named without its variable, inside `us_letters where ...`
    value = _hover(session, uri, at(text, "coalesce(relationship_end", len("coalesce(") + 2))
    assert "Letter.relationship_end: date?" in value
    assert "RA-5-us-letters-recent" in value  # the field's comment in core.rules
    assert "read by" in value


def test_hover_an_enum_value_a_rule_and_a_let(session, workspace):
    core = workspace / "rules/img/core.rules"
    core_text = core.read_text()
    uri = session.open(core)
    value = _hover(session, uri, at(core_text, "track: Track", len("track: ")))
    assert "enum Track { first_time, reapplicant }" in value
    value = _hover(session, uri, at(core_text, "score: int? in 1..300", 1))
    assert "Step2.score: int? in 1..300" in value and "absent = not taken" in value
    value = _hover(session, uri, at(core_text, "let years_out", 5))
    assert "let years_out = year(as_of) - applicant.graduation_year" in value
    assert "Years since graduation" in value and "type: `int`" in value
    path = workspace / "rules/img/first_application.rules"
    text = path.read_text()
    fa = session.open(path)
    rule_at = text.index("\nrule ") + len("\nrule ")
    rule_id = text[rule_at:text.index(" ", rule_at)]
    value = _hover(session, fa, at(text, f"rule {rule_id}", 5))
    assert f"rule {rule_id}" in value and "covers:" in value


def test_definition_of_a_let_in_another_pack(session, workspace):
    path = workspace / "rules/img/first_application.rules"
    text = path.read_text()
    uri = session.open(path)
    location = session.run(session.client.text_document_definition_async(lsp.DefinitionParams(
        text_document=ID(uri=uri), position=at(text, "where in_target(", 7))))
    core = workspace / "rules/img/core.rules"
    assert location.uri == core.resolve().as_uri()
    assert location.range.start == at(core.read_text(), "let in_target", 4)


def test_definition_of_a_field_an_import_and_a_rule_from_a_test(session, workspace):
    path = workspace / "rules/img/reapplication.rules"
    text = path.read_text()
    uri = session.open(path)
    core_text = (workspace / "rules/img/core.rules").read_text()

    def definition(position):
        return session.run(session.client.text_document_definition_async(lsp.DefinitionParams(
            text_document=ID(uri=uri), position=position)))

    found = definition(at(text, "applicant.graduation_year", len("applicant.") + 3))
    assert found.range.start == at(core_text, "graduation_year: int")
    found = definition(at(text, "import img.core", len("import img.")))
    assert found.range.start == at(core_text, "pack img.core", len("pack "))
    expect_at = text.index("expect rule ") + len("expect rule ")
    rule_id = text[expect_at:text.index("\n", expect_at)].split()[0]
    found = definition(at(text, "expect rule " + rule_id, len("expect rule ")))
    assert found.uri == uri
    assert found.range.start == at(text, f" {rule_id} \"", 1)


def test_references_of_a_core_let_reach_the_packs_that_import_core(session, workspace):
    core = workspace / "rules/img/core.rules"
    uri = session.open(core)
    locations = session.run(session.client.text_document_references_async(lsp.ReferenceParams(
        text_document=ID(uri=uri), position=at(core.read_text(), "let in_target", 5),
        context=lsp.ReferenceContext(include_declaration=True))))
    files = {loc.uri.rsplit("/", 1)[1] for loc in locations}
    assert files == {"core.rules", "first_application.rules", "reapplication.rules"}
    code = [line.split("#")[0] for f in files for line in (workspace / "rules/img" / f).read_text().splitlines()]
    expected = sum(len(re.findall(r"\bin_target\b", line)) for line in code)
    assert len(locations) == expected


def _complete(session, uri, text) -> list[str]:
    result = session.run(session.client.text_document_completion_async(lsp.CompletionParams(
        text_document=ID(uri=uri), position=at(text, "<|>"))))
    return [item.label for item in result.items]


def test_completion_of_fields_enum_values_and_fact_types(session, workspace):
    path = workspace / "rules/new.rules"
    head = "pack new\nimport img.core\n\n"
    ok = head + 'rule r "R"\n  for l in letters\n  when l.status == planned\n  then recommend "x"\n'
    uri = session.open(path, ok)
    session.wait_diagnostics(uri)
    typing = ok.replace("when l.status == planned", "when l.<|>")
    session.change(uri, typing.replace("<|>", ""))
    labels = _complete(session, uri, typing)
    assert {"status", "us_based", "writer", "relationship_end"} <= set(labels)
    assert "graduation_year" not in labels
    typing = ok.replace("== planned", "== <|>")
    session.change(uri, typing.replace("<|>", ""))
    assert _complete(session, uri, typing) == ["planned", "requested", "received", "uploaded"]
    typing = ok.replace("for l in letters", "for l in <|>")
    session.change(uri, typing.replace("<|>", ""))
    labels = _complete(session, uri, typing)
    assert {"phase", "tier", "diagnosis", "letters", "experiences"} <= set(labels)
    assert "as_of" not in labels
    typing = ok.replace("when l.status == planned", "when exams.step2_ck.<|>")
    session.change(uri, typing.replace("<|>", ""))
    assert set(_complete(session, uri, typing)) == {"score", "attempts", "result", "date"}
    typing = ok.replace("when l.status == planned", "when <|>")
    session.change(uri, typing.replace("<|>", ""))
    labels = _complete(session, uri, typing)
    assert {"years_out", "count", "when", "as_of", "parent_specialty"} <= set(labels)


def _items(session, uri, text) -> dict[str, lsp.CompletionItem]:
    result = session.run(session.client.text_document_completion_async(lsp.CompletionParams(
        text_document=ID(uri=uri), position=at(text, "<|>"))))
    return {item.label: item for item in result.items}


def test_completion_of_the_span_forms(session, workspace):
    path = workspace / "rules/spans.rules"
    head = ('pack spans\nimport img.core\n\nlet gap = longest_gap_months(span(e.start, e.end) '
            'for e in experiences, within: span(T-12, T-0))\n')
    uri = session.open(path, head)
    session.wait_diagnostics(uri)
    typing = head + "let months = <|>\n"
    session.change(uri, typing.replace("<|>", ""))
    items = _items(session, uri, typing)
    union, gap, span = items["union_months"], items["longest_gap_months"], items["span"]
    assert union.kind == gap.kind == span.kind == lsp.CompletionItemKind.Function
    assert "union_months(S for x in C where P, within: W)" in union.documentation.value
    assert "longest_gap_months(S for x in C where P, within: W)" in gap.documentation.value
    assert "both included" in span.documentation.value


def test_completion_of_clause_forms_by_declaration(session, workspace):
    """At the start of a clause line: the forms of the declaration it is in (a deadline's
    `by`, a window's `during`, a test's `expect`), inserting their opening words."""
    path = workspace / "rules/clauses.rules"
    ok = ('pack clauses\nimport img.core\n\n'
          'deadline d "D"\n  by T-5\n  require exams.step1.status == passed\n\n'
          'window w "W"\n  during T-8..T-7\n\n'
          'rule r "R"\n  when years_out > 2\n  then remind "x"\n\n'
          'test t "T"\n  given {as_of: 2026-11-22, application_date: 2027-09-15}\n  expect rule r\n')
    uri = session.open(path, ok)
    session.wait_diagnostics(uri)

    def forms(old, new):
        typing = ok.replace(old, new)
        session.change(uri, typing.replace("<|>", ""))
        return {label: item for label, item in _items(session, uri, typing).items()
                if item.kind == lsp.CompletionItemKind.Snippet}

    deadline = forms("  by T-5\n", "  <|>\n")
    assert set(deadline) == {"by T-k", "by DATE - DURATION"}
    anchored = deadline["by DATE - DURATION"]
    assert (anchored.insert_text, anchored.filter_text) == ("by ", "by")
    assert "exams.step3.date - 3 weeks" in anchored.documentation.value
    assert set(forms("  during T-8..T-7\n", "  du<|>\n")) == {"during T-a..T-b", "during DATE .. DATE"}
    assert set(forms('  then remind "x"\n', "  <|>\n")) == {"during T-a..T-b"}
    expect = forms("  expect rule r\n", "  <|>\n")
    assert "expect rule NAME with {name: value}" in expect
    assert expect["expect rule NAME with {name: value}"].insert_text == "expect rule "
    # not inside an expression
    assert not forms("when years_out > 2", "when <|>")


def test_completion_in_an_expect_line_names_what_the_test_can_expect(session, workspace):
    """After `expect rule` the pack's rules and tables (its title as documentation), after
    `expect deadline`/`window` those declarations, and after their id their statuses."""
    path = workspace / "rules/expects.rules"
    ok = ('pack expects\nimport img.core\n\n'
          'deadline d "Score by T-5"\n  by T-5\n  require exams.step1.status == passed\n\n'
          'window w "W"\n  during T-8..T-7\n\n'
          'rule r "Years out"\n  when years_out > 2\n  then remind "x"\n\n'
          'test t "T"\n  given {as_of: 2026-11-22, application_date: 2027-09-15}\n  expect rule r\n')
    uri = session.open(path, ok)
    session.wait_diagnostics(uri)

    def offered(line):
        typing = ok.replace("  expect rule r\n", f"  {line}\n")
        session.change(uri, typing.replace("<|>", ""))
        return _items(session, uri, typing)

    rules = offered("expect rule <|>")
    assert "r" in rules and "d" not in rules and "w" not in rules
    assert rules["r"].detail == "rule" and rules["r"].documentation.value == "Years out"
    assert any(item.detail == "table" for item in rules.values())  # img.core's tables
    assert "years_out" not in rules  # not the names an expression may use
    assert "r" in offered("expect no rule <|>")
    deadlines = offered("expect deadline <|>")
    assert "d" in deadlines and "r" not in deadlines and "w" not in deadlines
    assert set(offered("expect window <|>")) >= {"w"} and "d" not in offered("expect window <|>")
    statuses = offered("expect deadline d <|>")
    assert {"done", "overdue", "needs_info"} <= set(statuses)
    assert "r" not in statuses
    assert "active" in offered("expect window w <|>")


def test_document_symbols_are_the_packs_outline(session, workspace):
    core = workspace / "rules/img/core.rules"
    uri = session.open(core)
    symbols = session.run(session.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=ID(uri=uri))))
    names = [s.name for s in symbols]
    assert names[:2] == ["Track", "Specialty"]
    assert {"years_out", "parent_specialty", "profile", "phase"} <= set(names)
    letter = next(s for s in symbols if s.name == "Letter")
    assert letter.kind == lsp.SymbolKind.Struct
    assert [c.name for c in letter.children][:3] == ["id", "writer", "specialty"]


def test_formatting_gives_the_canonical_text(session, workspace):
    path = workspace / "rules/messy.rules"
    messy = 'pack messy\nimport img.core\nlet  big_gap=years_out>5   # a comment\n'
    uri = session.open(path, messy)
    edits = session.run(session.client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=ID(uri=uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True))))
    (edit,) = edits
    from imgrules._syntax import format_text
    assert edit.new_text == format_text(messy)
    assert edit.range.start == lsp.Position(line=0, character=0)
    assert edit.range.end == lsp.Position(line=3, character=0)
    # the shipped packs are already formatted: no edit
    core = session.open(workspace / "rules/img/core.rules")
    assert not session.run(session.client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=ID(uri=core), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True))))


def test_core_pack_warnings_match_checking_the_whole_folder(session, workspace):
    """A core let that only the importing packs use is not "unused", as with `check rules/`."""
    from imgrules._check import check_paths

    core = workspace / "rules/img/core.rules"
    uri = session.open(core)
    published = session.wait_diagnostics(uri)
    results = check_paths([workspace / "rules"])
    expected = next(r for r in results if r.path.endswith("core.rules")).diagnostics
    assert sorted((d.code, d.range.start.line + 1) for d in published) == \
        sorted((d.code, d.span.line) for d in expected)


def test_quick_fix_for_a_misspelt_import_replaces_the_whole_pack_name(session, workspace):
    path = workspace / "rules/typo.rules"
    text = "pack typo\nimport img.cor\n"
    uri = session.open(path, text)
    (diagnostic,) = [d for d in session.wait_diagnostics(uri) if d.code == "E105"]
    assert diagnostic.data == {"did_you_mean": "img.core"}
    (action,) = session.run(session.client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=ID(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))))
    (edit,) = action.edit.changes[uri]
    assert (edit.range.start, edit.range.end, edit.new_text) == (
        at(text, "img.cor"), at(text, "img.cor", len("img.cor")), "img.core")


def test_completion_of_an_enum_field_in_a_derive(session, workspace):
    path = workspace / "rules/derive.rules"
    ok = 'pack derive\nimport img.core\n\nrule r "R"\n  when years_out > 1\n  then derive tier(component: yog, level: borderline)\n'
    uri = session.open(path, ok)
    session.wait_diagnostics(uri)
    typing = ok.replace("level: borderline)", "level: <|>")
    session.change(uri, typing.replace("<|>", ""))
    assert _complete(session, uri, typing) == ["competitive", "borderline", "concerning"]


def test_quick_edits_are_checked_once_they_stop(session, workspace):
    """Diagnostics are debounced: a burst of changes gives fewer checks than changes,
    and the last publication is for the last text."""
    path = workspace / "rules/burst.rules"
    good = 'pack burst\nimport img.core\n\nlet big = years_out > 5\n'
    uri = session.open(path, good)
    session.wait_diagnostics(uri)
    before = len(session.diagnostics[uri])
    for typed in ("years_ou", "years_o", "years_", "years", "years_outt"):
        session.change(uri, good.replace("years_out", typed))
    session.wait_diagnostics(uri, before + 1)
    time.sleep(1.5)
    session.run(asyncio.sleep(0.1))  # let any later publication arrive
    published = session.diagnostics[uri][before:]
    assert len(published) < 5
    assert any("years_outt" in d.message for d in published[-1]), published[-1]


def test_positions_count_utf16_code_units():
    from imgrules._lsp.features import offset_of, position_of

    text = 'let a = "\U0001F600 é" \nlet b = 1\n'
    offset = text.index("é")
    position = position_of(text, offset)
    assert position == lsp.Position(line=0, character=text.index("é") + 1)  # the emoji is 2 units
    assert offset_of(text, position) == offset
    assert offset_of(text, lsp.Position(line=1, character=4)) == text.index("b")
    assert offset_of(text, lsp.Position(line=9, character=0)) == len(text)


def test_a_note_naming_another_place_is_related_information(session, workspace):
    core = workspace / "rules/img/core.rules"
    core_text = core.read_text()
    path = workspace / "rules/dup.rules"
    text = 'pack dup\nimport img.core\n\nrule step1_tier "Again"\n  when years_out > 1\n  then remind "x"\n'
    uri = session.open(path, text)
    (diagnostic,) = [d for d in session.wait_diagnostics(uri) if d.code == "E104"]
    assert diagnostic.range.start == at(text, "step1_tier")
    (related,) = diagnostic.related_information
    assert related.location.uri == core.resolve().as_uri()
    assert related.location.range.start.line == at(core_text, "table step1_tier").line
    assert related.message.startswith("first declared at")
