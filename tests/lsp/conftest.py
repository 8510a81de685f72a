"""A real language-server session for the tests: ``imgrules lsp`` in a subprocess,
driven by pygls' LanguageClient through JSON-RPC over its stdin and stdout."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


class Session:
    """A client connected to a running server; every call waits for its answer."""

    def __init__(self, workspace: Path):
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("imgrules-tests", "1")
        self.diagnostics: dict[str, list[list[lsp.Diagnostic]]] = {}
        self.versions: dict[str, int] = {}
        self.workspace = workspace

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.diagnostics.setdefault(params.uri, []).append(list(params.diagnostics))

        self.run(self.client.start_io(sys.executable, "-c", "from imgrules._cli import run; run()", "lsp",
                                      cwd=str(workspace)))
        self.capabilities = self.run(self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            root_uri=workspace.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=workspace.as_uri(), name="ws")]))).capabilities
        self.client.initialized(lsp.InitializedParams())

    def run(self, awaitable):
        return self.loop.run_until_complete(asyncio.wait_for(awaitable, TIMEOUT))

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.resolve().as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
            uri=uri, language_id="imgrules", version=1,
            text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    def wait_diagnostics(self, uri: str, count: int = 1) -> list[lsp.Diagnostic]:
        """The diagnostics of the ``count``-th publication for ``uri``."""
        async def published():
            while len(self.diagnostics.get(uri, [])) < count:
                await asyncio.sleep(0.05)
            return self.diagnostics[uri][count - 1]
        return self.run(published())

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None))
            self.client.exit(None)
            self.run(self.client.stop())
        finally:
            self.loop.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of the shipped packs, to open and edit without touching the repository."""
    root = tmp_path_factory.mktemp("ws")
    shutil.copytree(REPO / "rules", root / "rules")
    return root


@pytest.fixture(scope="module")
def session(workspace):
    session = Session(workspace)
    yield session
    session.close()


def at(text: str, needle: str, delta: int = 0, occurrence: int = 1) -> lsp.Position:
    """The position of the ``occurrence``-th ``needle`` in ``text``, plus ``delta`` characters."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += delta
    line = text.count("\n", 0, index)
    return lsp.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))
