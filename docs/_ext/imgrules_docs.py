"""Sphinx glue for the imgrules docs: generated pages and directives that run the real tool.

- The ``imgrules`` Pygments lexer is registered for ```` ```imgrules ```` fences.
- ``_generated/catalog.md`` (the rule catalog of ``rules/img/*.rules``),
  ``_generated/profile.md`` (the profile reference: ``imgrules._profile_reference``) and
  ``_generated/cli.md`` (every command of ``imgrules._cli.group``) are written when the
  build starts, only when their text changes, so incremental builds stay incremental.
- ``optional-toctree``: a toctree whose entries may not exist yet (pages other engineers
  write); missing ones are left out instead of warned about.
- ``plan-picture``: an image that is shown only once its file exists.
- ``imgrules-run``: runs an ``imgrules`` command line in the repository and shows its
  real output; ``imgrules-errors``: checks a broken pack given as content and shows the
  real diagnostics. A command that fails unexpectedly is a build warning. ``:head: N`` and
  ``:tail: N`` shorten a long output; ``:exit: 0 1`` lists the expected exit codes.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import shlex
import tempfile
from pathlib import Path

import click
from click.testing import CliRunner
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.other import TocTree
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import patfilter

from imgrules.catalog import build_catalog, render_markdown
from imgrules.pygments_lexer import ImgrulesLexer

LOG = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ generated pages


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def catalog_page(rules_dir: Path) -> tuple[str, list[str]]:
    """The catalog's Markdown and the problems met reading the packs (rendered)."""
    from imgrules._diagnostics import render

    catalog = build_catalog(sorted(rules_dir.glob("*.rules")), root=REPO)
    text = render_markdown(catalog, heading_level=2)
    if not catalog.entries:
        text = "No shipped pack has rules yet.\n\n" + text
    return text, [render(d) for d in catalog.diagnostics]


def cli_page(group: click.Group) -> str:
    """Markdown for ``group`` and every command it lists (lazily loaded ones included)."""
    ctx = click.Context(group, info_name="imgrules")
    lines = _command_markdown(ctx, group, "imgrules", 2)
    names = group.list_commands(ctx)
    if not names:
        lines += ["No subcommands are installed in this build yet.", ""]
    for name in names:
        command = group.get_command(ctx, name)
        if command is None:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        lines += _command_markdown(sub, command, f"imgrules {name}", 2)
        if isinstance(command, click.Group):  # a command with subcommands (imgrules cache info)
            for child_name in command.list_commands(sub):
                child = command.get_command(sub, child_name)
                child_ctx = click.Context(child, info_name=child_name, parent=sub)
                lines += _command_markdown(child_ctx, child, f"imgrules {name} {child_name}", 3)
    return "\n".join(lines)


def _command_markdown(ctx: click.Context, command: click.Command, title: str, level: int) -> list[str]:
    label = title.replace(" ", "-")
    out = [f"({label})=", f"{'#' * level} `{title}`", ""]
    if command.help:
        text = inspect.cleandoc(click.unstyle(command.help).split("\f")[0])
        out += [_md("\n".join(line for line in text.splitlines() if line.strip() != "\b")), ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    out += ["```text", f"Usage: {ctx.command_path} {usage}".rstrip(), "```", ""]
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if isinstance(param, click.Argument):
            rows.append((param.human_readable_name, "argument", ""))
        elif record is not None:
            names, help_text = record
            rows.append((names, "option", help_text))
    if rows:
        out += ["| name | kind | meaning |", "|---|---|---|"]
        out += [f"| `{_cell(n)}` | {k} | {_cell(_md(h))} |" for n, k, h in rows]
        out.append("")
    return out


def _md(text: str) -> str:
    return text.replace("<", "\\<").replace(">", "\\>").replace("*", "\\*")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def generate_pages(app) -> None:
    out = Path(app.srcdir) / "_generated"
    catalog, problems = catalog_page(REPO / "rules" / "img")
    for problem in problems:
        LOG.warning("the rule catalog could not read a pack:\n%s", problem)
    _write_if_changed(out / "catalog.md", catalog)
    from imgrules._profile_reference import profile_reference

    packs = REPO / "rules" / "img"
    _write_if_changed(out / "profile.md", profile_reference(
        packs / "core.rules", sorted(p for p in packs.glob("*.rules") if p.name != "core.rules"),
        heading_level=2, link_rules=True))
    from imgrules._cli import group

    _write_if_changed(out / "cli.md", cli_page(group))


# ------------------------------------------------------------------ directives


class OptionalTocTree(TocTree):
    """A toctree that leaves out entries (or glob patterns) naming no existing document."""

    def run(self):
        current = self.env.current_document.docname
        found = self.env.found_docs
        keep = [entry for entry in self.content
                if entry.strip() and patfilter(found, docname_join(current, entry.strip()))]
        if not keep:
            return []
        self.content = type(self.content)(keep)
        self.options.setdefault("glob", True)
        return super().run()


class OptionalImage(SphinxDirective):
    """An image shown only when its file exists (a picture a later change adds)."""

    required_arguments = 1

    def run(self):
        rel = self.arguments[0]
        if not (Path(self.env.srcdir) / rel).is_file():
            return []
        self.env.note_dependency(rel)
        return [nodes.image(uri=rel, alt="The plan timeline for examples/strong-first-timer.yaml")]


@contextlib.contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(args: list[str], cwd: Path) -> tuple[int, str] | None:
    """Run ``imgrules ARGS`` in ``cwd``; None when the subcommand is not installed."""
    from imgrules._cli import group

    if args and not args[0].startswith("-"):
        if group.get_command(click.Context(group), args[0]) is None:
            return None
    with _cwd(cwd):
        result = CliRunner().invoke(group, args, prog_name="imgrules", catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"imgrules {' '.join(args)} raised {result.exception!r}")
    return result.exit_code, result.output


def _exits(text: str) -> list[int]:
    return [int(x) for x in text.replace(",", " ").split()]


class _RunBase(SphinxDirective):
    option_spec = {"exit": _exits, "head": directives.positive_int, "tail": directives.positive_int}

    def _show(self, command: str, args: list[str], cwd: Path, replace: str = "") -> list[nodes.Node]:
        try:
            ran = run_cli(args, cwd)
        except RuntimeError as exc:
            LOG.warning("%s", exc, location=self.get_location())
            return []
        if ran is None:
            note = nodes.paragraph(text=f"`{command}` is not available in this build yet.")
            return [nodes.note("", note)]
        code, output = ran
        if replace:
            output = output.replace(replace, "")
        wanted = self.options.get("exit", [0])
        if code not in wanted:
            LOG.warning("`%s` exited with %s (expected %s):\n%s", command, code, wanted, output,
                        location=self.get_location())
        lines = output.rstrip().splitlines()
        if "head" in self.options and len(lines) > self.options["head"]:
            lines = [*lines[:self.options["head"]], "..."]
        if "tail" in self.options and len(lines) > self.options["tail"]:
            lines = ["...", *lines[-self.options["tail"]:]]
        text = "\n".join([f"$ {command}", *lines])
        block = nodes.literal_block(text, text, language="console")
        self.set_source_info(block)
        return [block]


class RunDirective(_RunBase):
    """```{imgrules-run} imgrules eval examples/x.yaml``` -> the command and its real output."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        command = self.arguments[0]
        args = shlex.split(command)
        if args[:1] != ["imgrules"]:
            LOG.warning("imgrules-run only runs imgrules commands", location=self.get_location())
            return []
        return self._show(command, args[1:], REPO)


class ErrorsDirective(_RunBase):
    """The content is a pack; ``imgrules check FILE`` (or the parser, before the checker
    exists) shows its real diagnostics. A snippet without any error is a build warning."""

    has_content = True
    option_spec = {**_RunBase.option_spec, "file": directives.unchanged}

    def run(self):
        name = self.options.get("file", "my_pack.rules")
        text = "\n".join(self.content) + "\n"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.options.setdefault("exit", [1])
            shown = self._show(f"imgrules check {name}", ["check", name], Path(tmp), tmp + os.sep)
            if shown and isinstance(shown[0], nodes.note):
                shown = self._parse_only(text, name)
        source = nodes.literal_block(text, text, language="imgrules")
        self.set_source_info(source)
        return [source, *shown]

    def _parse_only(self, text: str, name: str) -> list[nodes.Node]:
        from imgrules._diagnostics import render_all
        from imgrules._source import Source
        from imgrules._syntax import parse

        _, problems = parse(text, name)
        if not problems:
            LOG.warning("this example has no syntax error to show", location=self.get_location())
            return []
        rendered = render_all(problems, {name: Source(name, text)})
        block = nodes.literal_block(rendered, rendered, language="text")
        self.set_source_info(block)
        return [block]


def resolve_short_names(app, env, node, contnode):
    """Resolve ``Results`` or ``Results.to_json`` in a docstring's annotations to the one
    documented ``imgrules`` object whose full name ends with it, and a private module's
    name for an object to where its package re-exports it (none or several matches: left
    unresolved, and nitpicky mode reports it)."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.domains["py"]
    short = target.rsplit(".", 1)[-1]
    matches = [name for name in domain.objects if name.startswith("imgrules.") and (
        name.endswith("." + target)
        # imgrules.testing.runner.TestOutcome documented where it is re-exported
        or (target.startswith(name.rsplit(".", 1)[0] + ".") and name.endswith("." + short)))]
    if len(matches) != 1:
        return None
    from sphinx.util.nodes import make_refnode

    entry = domain.objects[matches[0]]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        matches[0])


def setup(app):
    app.connect("missing-reference", resolve_short_names)
    app.add_lexer("imgrules", ImgrulesLexer)
    app.connect("builder-inited", generate_pages)
    app.add_directive("optional-toctree", OptionalTocTree)
    app.add_directive("plan-picture", OptionalImage)
    app.add_directive("imgrules-run", RunDirective)
    app.add_directive("imgrules-errors", ErrorsDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
