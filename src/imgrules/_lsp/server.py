"""The language server: pygls wiring of :mod:`.features` to the protocol, over stdio.

Each open ``.rules`` buffer is checked as the advisor types, at most once per
:data:`DEBOUNCE_SECONDS` of quiet; requests (hover, definition, ...) use a fresh check of
the current text, and completion the last check that parsed (the text being typed
rarely parses). A failure inside the checker becomes a diagnostic, never a crash.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from .._diagnostics import error
from .._source import Source
from . import features
from .analysis import Analysis, analyze, same_file

DEBOUNCE_SECONDS = 0.3
MAX_WORKSPACE_FILES = 500
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build", "dist"}
log = logging.getLogger(__name__)


class ImgrulesServer(LanguageServer):
    """The server's state: pack roots, the latest analysis of each open buffer."""

    def __init__(self, roots: tuple[str, ...] = ()):
        super().__init__("imgrules", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.roots = list(roots)
        self.analyses: dict[str, Analysis] = {}  # uri -> the latest analysis
        self.parsed: dict[str, Analysis] = {}  # uri -> the latest analysis that parsed
        self.pending: dict[str, asyncio.Task] = {}
        self._workspace_files: list[str] | None = None

    # ------------------------------------------------------------------ state

    def path_of(self, uri: str) -> str:
        return to_fs_path(uri) or uri

    def open_texts(self) -> dict[str, str]:
        out = {}
        for uri, document in self.workspace.text_documents.items():
            if uri.endswith(".rules"):
                out[self.path_of(uri)] = document.source
        return out

    def workspace_files(self) -> list[str]:
        """The .rules files under the workspace folders (for importers of a pack)."""
        if self._workspace_files is None:
            found: list[str] = []
            folders = [self.path_of(f.uri) for f in self.workspace.folders.values()]
            if not folders and self.workspace.root_path:
                folders = [self.workspace.root_path]
            for folder in folders:
                for dirpath, dirnames, filenames in os.walk(folder):
                    dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
                    found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".rules"))
                    if len(found) >= MAX_WORKSPACE_FILES:
                        break
            self._workspace_files = found[:MAX_WORKSPACE_FILES]
        return self._workspace_files

    def analyze_uri(self, uri: str) -> Analysis:
        """A check of the buffer's current text (reused when the text has not changed)."""
        text = self.workspace.get_text_document(uri).source
        known = self.analyses.get(uri)
        if known is not None and known.text == text:
            return known
        path = self.path_of(uri)
        try:
            analysis = analyze(path, text, self.roots, self.open_texts(), self.workspace_files())
        except Exception as exc:  # noqa: BLE001 - a bug in the checker must not stop the server
            log.exception("checking %s failed", path)
            analysis = Analysis(path, text, None, None, [error(
                "E000", f"imgrules could not check this file (internal error: {type(exc).__name__}); "
                        "please report it with the file", Source(path, text).span(0, 0))])
        self.analyses[uri] = analysis
        if analysis.parsed:
            self.parsed[uri] = analysis
        return analysis

    def publish(self, uri: str) -> None:
        if uri not in self.workspace.text_documents:
            return
        analysis = self.analyze_uri(uri)
        document = self.workspace.get_text_document(uri)
        diagnostics = [features.to_lsp_diagnostic(analysis, d) for d in analysis.diagnostics]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=diagnostics))

    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds unless another change comes first."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            self.publish(uri)

        self.pending[uri] = asyncio.ensure_future(later())


def build_server(roots: tuple[str, ...] = ()) -> ImgrulesServer:  # noqa: C901 - one handler per feature
    server = ImgrulesServer(roots)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: ImgrulesServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options or {}
        if isinstance(options, dict):
            ls.roots.extend(str(r) for r in options.get("packRoots", ()) if isinstance(r, str))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ImgrulesServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ImgrulesServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ImgrulesServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls._workspace_files = None
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ImgrulesServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.analyses.pop(uri, None)
        ls.parsed.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def at(ls: ImgrulesServer, uri: str, position: lsp.Position) -> tuple[Analysis, int]:
        analysis = ls.analyze_uri(uri)
        return analysis, features.offset_of(analysis.text, position)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: ImgrulesServer, params: lsp.HoverParams) -> lsp.Hover | None:
        analysis, offset = at(ls, params.text_document.uri, params.position)
        return features.hover(analysis, offset)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: ImgrulesServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        analysis, offset = at(ls, params.text_document.uri, params.position)
        return features.definition(analysis, offset)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: ImgrulesServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        analysis, offset = at(ls, params.text_document.uri, params.position)
        analyses = [analysis] + importers(ls, analysis)
        return features.references(analyses, offset, params.context.include_declaration)

    def importers(ls: ImgrulesServer, analysis: Analysis) -> list[Analysis]:
        pack = analysis.root_pack
        if pack is None or pack.header is None:
            return []
        name = pack.header.name.text
        texts = ls.open_texts()
        out = []
        for other in ls.workspace_files():
            if same_file(other, analysis.path):
                continue
            try:
                text = texts.get(other) or Path(other).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if f"import {name}" not in text:
                continue
            try:
                out.append(analyze(other, text, ls.roots, texts))
            except Exception:  # noqa: BLE001 - another file's trouble must not break this request
                log.exception("checking %s failed", other)
        return out

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=[".", " ", "{"]))
    def completion(ls: ImgrulesServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        uri = params.text_document.uri
        text = ls.workspace.get_text_document(uri).source
        analysis = ls.analyze_uri(uri)
        if not analysis.parsed:
            analysis = ls.parsed.get(uri, analysis)
        offset = features.offset_of(text, params.position)
        return lsp.CompletionList(is_incomplete=False, items=features.completion(analysis, text, offset))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: ImgrulesServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        return features.document_symbols(ls.analyze_uri(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: ImgrulesServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
        uri = params.text_document.uri
        return features.formatting(ls.workspace.get_text_document(uri).source, ls.path_of(uri))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: ImgrulesServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        text = ls.workspace.get_text_document(uri).source
        return features.code_actions(text, uri, list(params.context.diagnostics))

    return server


def serve(roots: tuple[str, ...] = ()) -> None:
    """Run the server on standard input and output until the client says exit."""
    build_server(roots).start_io()
