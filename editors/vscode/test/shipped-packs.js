// The grammar on the shipped packs (rules/img/*.rules): every comment, declaration name,
// checklist id after `covers`, countdown month (T-5), date and {hole} of a message gets
// its scope, and no word inside a string or a comment is taken for code.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const root = path.resolve(__dirname, "..", "..", "..");
const packs = fs.readdirSync(path.join(root, "rules", "img")).filter((f) => f.endsWith(".rules"));
const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;

const registry = new vsctm.Registry({
  onigLib: oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  })),
  loadGrammar: async () => {
    const file = path.join(__dirname, "..", "syntaxes", "imgrules.tmLanguage.json");
    return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
  },
});

// [what, regular expression over a line (group 1 is checked, or the whole match), scope it must have]
const EXPECTED = [
  ["a comment line", /^\s*(#.*)$/, "comment.line.number-sign.imgrules"],
  ["a declared name", /^(?:rule|deadline|window|table|invariant|test)\s+(\w+)/, "entity.name.function.imgrules"],
  ["a declared type", /^(?:enum|record|fact)\s+(\w+)/, "entity.name.type.imgrules"],
  ["a checklist id", /^\s*covers\s+([A-Za-z][\w-]*)/, "constant.other.reference.checklist.imgrules"],
  ["a countdown month", /^\s*(?:at|from|until|by|during)\s+(T-\d+)/, "constant.other.timing.imgrules"],
  ["a string", /^\s*(?:cite|message|then recommend|then remind)\s+("[^"{]*)/, "string.quoted.double.imgrules"],
  ["a hole", /"[^"{]*(\{[a-z_][\w.]*\})/, "meta.interpolation.imgrules"],
  ["a date", /^[^#"]*[:(,]\s*(\d{4}-\d{2}-\d{2})\b/, "constant.numeric.date.imgrules"],
  ["a field after a dot", /^\s*(?:when|require)\s+\w+\.(\w+)/, "variable.other.property.imgrules"],
];

function scopesAt(tokens, column) {
  const token = tokens.find((t) => t.startIndex <= column && column < t.endIndex);
  return token ? token.scopes : [];
}

async function main() {
  const grammar = await registry.loadGrammar("source.imgrules");
  let failures = 0;
  const seen = {};
  for (const pack of packs) {
    const lines = fs.readFileSync(path.join(root, "rules", "img", pack), "utf8").split(/\r?\n/);
    let state = vsctm.INITIAL;
    lines.forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      for (const [what, pattern, scope] of EXPECTED) {
        const match = pattern.exec(line);
        if (!match) continue;
        const text = match[1] || match[0];
        const column = match.index + match[0].indexOf(text);
        const scopes = scopesAt(result.tokens, column);
        seen[what] = (seen[what] || 0) + 1;
        if (!scopes.includes(scope)) {
          failures += 1;
          if (failures <= 20) {
            console.error(`${pack}:${index + 1}:${column + 1}: ${what} '${text}' has ${scopes.join(" ")}, not ${scope}`);
          }
        }
      }
      // a line inside a string or comment never carries a keyword scope
      for (const token of result.tokens) {
        const inText = token.scopes.some((s) => s.startsWith("comment") ||
          (s.startsWith("string") && !token.scopes.some((t) => t.startsWith("meta.interpolation"))));
        if (inText && token.scopes.some((s) => s.startsWith("keyword"))) {
          failures += 1;
          console.error(`${pack}:${index + 1}: a keyword scope inside text: ${token.scopes.join(" ")}`);
        }
      }
    });
  }
  for (const [what] of EXPECTED) {
    if (!seen[what]) {
      failures += 1;
      console.error(`no ${what} found in the shipped packs: the check would prove nothing`);
    }
  }
  console.log(`${packs.length} packs, ${Object.values(seen).reduce((a, b) => a + b, 0)} checks, ${failures} failures`);
  process.exit(failures ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
