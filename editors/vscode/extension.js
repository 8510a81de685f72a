// The client side of the imgrules language server: starts `imgrules lsp` (or the command
// in the `imgrules.server.command` setting) for .rules files and restarts it when the
// settings change. Everything else (diagnostics, hover, completion, formatting) is the
// server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("imgrules");
  const [command, ...args] = config.get("server.command", ["imgrules", "lsp"]);
  return { command, args, transport: TransportKind.stdio };
}

async function start(context) {
  const config = vscode.workspace.getConfiguration("imgrules");
  client = new LanguageClient("imgrules", "imgrules", serverOptions(), {
    documentSelector: [{ scheme: "file", language: "imgrules" }],
    initializationOptions: { packRoots: config.get("packRoots", []) },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.rules") },
  });
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `imgrules: could not start the language server (${error.message}). ` +
        "Install it with pip install 'imgrules[lsp]', or set imgrules.server.command."
    );
  }
}

async function activate(context) {
  await start(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("imgrules")) {
        await deactivate();
        await start(context);
      }
    })
  );
}

async function deactivate() {
  if (client) {
    const stopping = client;
    client = undefined;
    await stopping.stop();
  }
}

module.exports = { activate, deactivate };
