// The SPARQL editor of the query page: CodeMirror 6, SPARQL highlighting (legacy mode), completion of
// the server's predeclared prefixes, the ontology's terms and SPARQL keywords; Ctrl/Cmd+Enter runs.
// Bundled by build.mjs into vendor/editor.js; ui.js uses window.HRESEditor when it is there and keeps
// the plain <textarea> otherwise (the page works without this file).
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";

const KEYWORDS = ["SELECT", "DISTINCT", "REDUCED", "WHERE", "OPTIONAL", "FILTER", "NOT EXISTS", "EXISTS",
  "MINUS", "UNION", "GRAPH", "BIND", "VALUES", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "ASK",
  "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT",
  "LANG", "LANGMATCHES", "STR", "REGEX", "CONTAINS", "STRSTARTS", "COALESCE", "IF", "BOUND", "YEAR", "DESC", "ASC"];

function completer(prefixes, terms) {
  const prefixOptions = Object.entries(prefixes).map(([p, iri]) => ({
    label: p + ":", type: "namespace", detail: iri, info: `PREFIX ${p}: <${iri}> (predeclared)` }));
  const declOptions = Object.entries(prefixes).map(([p, iri]) => ({
    label: `${p}: <${iri}>`, type: "namespace", detail: "PREFIX" }));
  const termOptions = terms.map((t) => ({ label: t.name, type: t.kind === "class" ? "class" : "property",
    detail: t.label || "", info: t.definition || undefined, boost: t.kind === "class" ? 1 : 0 }));
  const keywordOptions = KEYWORDS.map((k) => ({ label: k, type: "keyword" }));
  return (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (/\bPREFIX\s+[\w-]*$/i.test(before)) {
      const word = context.matchBefore(/[\w-]*/);
      return { from: word.from, options: declOptions, validFor: /^[\w-]*$/ };
    }
    const word = context.matchBefore(/[A-Za-z_][\w-]*(:[\w\-/.]*)?/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (word.text.includes(":")) {
      return { from: word.from, options: termOptions.concat(prefixOptions), validFor: /^[\w-]*:[\w\-/.]*$/ };
    }
    if (word.text.startsWith("?")) return null;
    return { from: word.from, options: prefixOptions.concat(keywordOptions, termOptions), validFor: /^[\w-]*$/ };
  };
}

function create(textarea, options = {}) {
  const { prefixes = {}, terms = [], onRun = () => {}, label = "SPARQL query" } = options;
  const host = document.createElement("div");
  host.className = "cm-host";
  textarea.insertAdjacentElement("afterend", host);
  textarea.hidden = true;
  const sync = EditorView.updateListener.of((update) => {
    if (update.docChanged) {
      textarea.value = update.state.doc.toString();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  const run = Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }]));
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [basicSetup, run, StreamLanguage.define(sparql), sync, EditorView.lineWrapping,
        autocompletion({ override: [completer(prefixes, terms)] }),
        EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": textarea.getAttribute("aria-describedby") || "" })],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}

window.HRESEditor = { create };
