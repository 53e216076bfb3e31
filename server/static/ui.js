// The query page (server/templates/ui/query.html): named-query catalogue, parameter form, running a query
// against /sparql or /api/queries/<name>, the sortable paged table, downloads, permalink and charts.
// Plain browser JavaScript, no build step; the editor (vendor/editor.js) and the charts (vendor/charts.js)
// are optional bundles: without them the page keeps its textarea and says charts are unavailable.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("ui-config").textContent);
  const terms = JSON.parse(document.getElementById("ui-terms").textContent);
  const L = config.labels;
  const $ = (id) => document.getElementById(id);
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = ["integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger",
                   "positiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t);
  const RESERVED = new Set(["query", "name", "run", "view", "lang", "chart"]);
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : `{${k}}`));

  const state = {
    catalogue: [], current: null, loadedText: null, result: null, sortCol: null, sortDir: 1,
    page: 0, pageSize: 50, view: "table", chartsLoading: null,
  };

  // --- editor -------------------------------------------------------------------------------------
  const textarea = $("query-text");
  let editor = { getValue: () => textarea.value, setValue: (v) => { textarea.value = v; onEdit(); },
                 focus: () => textarea.focus() };
  const form = $("query-form");
  if (window.HRESEditor) {
    editor = window.HRESEditor.create(textarea, { prefixes: config.prefixes, terms, label: L.editor,
                                                  onRun: () => run() });
  } else {
    textarea.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    });
  }
  textarea.addEventListener("input", onEdit);
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });

  function onEdit() {
    const edited = state.current && editor.getValue() !== state.loadedText;
    $("edited-note").hidden = !edited;
    $("params").classList.toggle("inactive", !!edited);
  }

  // --- catalogue ----------------------------------------------------------------------------------
  async function loadCatalogue() {
    const status = $("catalogue-status");
    try {
      const response = await fetch(config.catalogue, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      const list = Array.isArray(body) ? body : body.queries || Object.values(body);
      state.catalogue = list.filter((q) => q && q.name);
      renderCatalogue("");
    } catch (err) {
      status.textContent = L.catalogue_missing;
    }
  }

  function renderCatalogue(filter) {
    const list = $("catalogue-list");
    list.textContent = "";
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = state.catalogue.filter((q) => {
      const hay = [q.name, q.title, q.description, q.tag, q.poa].join(" ").toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    let lastTag = null;
    for (const q of shown) {
      if (q.tag !== lastTag) {
        const head = document.createElement("li");
        head.className = "tag";
        head.textContent = q.tag || "";
        head.setAttribute("aria-hidden", "true");
        list.appendChild(head);
        lastTag = q.tag;
      }
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "catalogue-item";
      button.dataset.name = q.name;
      button.setAttribute("aria-pressed", String(state.current && state.current.name === q.name));
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = q.title || q.name;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = `${q.tag ? q.tag + " · " : ""}${(q.view && q.view.type && q.view.type !== "table") ? L[q.view.type] || q.view.type : L.table}`;
      button.append(title, meta);
      button.title = q.description || "";
      button.addEventListener("click", () => selectQuery(q.name, {}));
      li.appendChild(button);
      list.appendChild(li);
    }
    $("catalogue-status").textContent = !shown.length ? L.no_queries : words.length ? `${shown.length} / ${state.catalogue.length}` : "";
  }
  $("catalogue-search").addEventListener("input", (e) => renderCatalogue(e.target.value));

  async function selectQuery(name, values, options = {}) {
    const { runAfter = false } = options;
    const q = state.catalogue.find((x) => x.name === name);
    if (!q) return;
    let text = q.text;
    if (!text) {
      const response = await fetch(config.queryText + encodeURIComponent(name) + ".rq");
      text = response.ok ? await response.text() : `# ${q.title}\n# (the query text is not available: HTTP ${response.status})`;
    }
    state.current = q;
    state.loadedText = text;
    editor.setValue(text);
    state.loadedText = editor.getValue();  // as the editor holds it (line ends normalised)
    onEdit();
    $("query-info").hidden = false;
    $("query-info-title").textContent = q.title || q.name;
    $("query-info-description").textContent = q.description || "";
    $("query-info-poa").textContent = q.poa ? `PoA: ${q.poa}` : "";
    renderParams(q, values);
    document.querySelectorAll(".catalogue-item").forEach((b) =>
      b.setAttribute("aria-pressed", String(b.dataset.name === name)));
    const view = q.view && q.view.type;  // the query's declared default view
    if (!options.keepView) {
      state.view = view && view !== "table" ? "chart" : "table";
      if (state.view === "chart") $("chart-type").value = view;
    }
    if (runAfter) run();
    else $("run").focus();
  }

  // --- parameters ---------------------------------------------------------------------------------
  function renderParams(q, values) {
    const box = $("params-fields");
    box.textContent = "";
    const params = q.parameters || [];
    $("params").hidden = params.length === 0;
    params.forEach((p) => {
      const id = `param-${p.name}`;
      const row = document.createElement("div");
      row.className = "param";
      const label = document.createElement("label");
      label.htmlFor = id;
      label.innerHTML = "";
      const strong = document.createElement("strong");
      strong.textContent = p.name;
      label.append(strong, ` (${p.type}${p.required ? "" : ", " + L.optional}${p.default ? ", " + L.default + " " + p.default : ""})`);
      let input;
      if (p.type === "boolean") {
        input = document.createElement("select");
        for (const v of ["", "true", "false"]) input.add(new Option(v || "—", v));
      } else {
        input = document.createElement("input");
        input.type = { integer: "number", decimal: "number", date: "date", year: "number" }[p.type] || "text";
        if (p.type === "decimal") input.step = "any";
        if (p.type === "iri") input.placeholder = "hresid:state/SVN";
      }
      input.id = id;
      input.name = p.name;
      input.dataset.param = p.name;
      const given = values[p.name];
      input.value = given !== undefined ? given : "";
      if (p.default && given === undefined) input.placeholder = p.default;
      const help = document.createElement("span");
      help.className = "muted small";
      help.id = id + "-help";
      help.textContent = p.description || "";
      input.setAttribute("aria-describedby", help.id);
      row.append(label, input, help);
      box.appendChild(row);
    });
    const examples = (q.examples || []).filter((e) => Object.keys(e).length);
    if (examples.length) {
      const row = document.createElement("div");
      row.className = "examples";
      examples.forEach((example, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = `${L.example}${examples.length > 1 ? " " + (i + 1) : ""}: ` +
          Object.entries(example).map(([k, v]) => `${k}=${v}`).join(", ");
        b.addEventListener("click", () => {
          box.querySelectorAll("[data-param]").forEach((el) => { el.value = example[el.dataset.param] || ""; });
        });
        row.appendChild(b);
      });
      box.appendChild(row);
    }
  }

  function paramValues() {
    const values = {};
    $("params-fields").querySelectorAll("[data-param]").forEach((el) => {
      if (el.value !== "") values[el.dataset.param] = el.value;
    });
    return values;
  }

  // --- running ------------------------------------------------------------------------------------
  const usingNamed = () => state.current && editor.getValue() === state.loadedText;

  async function run() {
    const status = $("status");
    status.className = "status";
    status.textContent = L.running;
    $("run").disabled = true;
    const started = performance.now();
    let response;
    try {
      if (usingNamed()) {
        const params = new URLSearchParams(paramValues());
        response = await fetch(`${config.catalogue}/${encodeURIComponent(state.current.name)}?${params}`,
          { headers: { Accept: "application/sparql-results+json, application/json;q=0.9" } });
      } else {
        response = await fetch(config.sparql, { method: "POST",
          headers: { Accept: "application/sparql-results+json, application/json;q=0.9, text/turtle;q=0.5",
                     "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
          body: new URLSearchParams({ query: editor.getValue() }) });
      }
    } catch (err) {
      return fail(`${L.error}: ${err.message}`);
    } finally {
      $("run").disabled = false;
    }
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      let message = await response.text();
      try { const e = JSON.parse(message).error; message = e.message + (e.line ? ` (line ${e.line}, column ${e.column})` : ""); } catch (_) { /* text */ }
      if (response.status === 504) return fail(`${L.timeout} ${message}`, "timeout");
      return fail(`${L.error} ${response.status}: ${message}`);
    }
    updateUrl(false);
    if (!type.includes("json")) {  // CONSTRUCT / DESCRIBE: RDF text
      state.result = { vars: [], rows: [], raw: await response.text(), rawType: type.split(";")[0] };
      status.textContent = L.graph_answer;
      return showResults();
    }
    const body = await response.json();
    state.result = normalise(body);
    const truncatedHeader = response.headers.get("HRES-Truncated");
    state.result.truncated = !!(truncatedHeader || body.truncated);
    state.result.cap = body.rowCap || (truncatedHeader && (truncatedHeader.match(/row-cap=(\d+)/) || [])[1]) || config.rowCap;
    status.textContent = fmt(L.elapsed, { rows: state.result.rows.length, ms });
    if (state.result.truncated) {
      const warn = document.createElement("strong");
      warn.className = "truncated";
      warn.textContent = " " + fmt(L.truncated, { cap: state.result.cap });
      status.appendChild(warn);
      status.classList.add("warning");
    }
    state.sortCol = null;
    state.page = 0;
    showResults();
  }

  function fail(message, kind = "error") {
    const status = $("status");
    status.className = `status ${kind}`;
    status.textContent = message;
    status.setAttribute("role", "alert");
    $("results").hidden = true;
  }

  function normalise(body) {
    if (body.head && "boolean" in body) return { vars: ["boolean"], rows: [{ boolean: { type: "literal", value: String(body.boolean), datatype: XSD + "boolean" } }], raw: body };
    if (body.head && body.results) return { vars: body.head.vars || [], rows: body.results.bindings || [], raw: body };
    // another JSON shape (e.g. {columns, rows}): rows of plain values
    const vars = body.columns || body.variables || (body.rows && body.rows[0] ? Object.keys(body.rows[0]) : []);
    const rows = (body.rows || []).map((r) => Object.fromEntries(vars.map((v, i) => {
      const value = Array.isArray(r) ? r[i] : r[v];
      if (value === null || value === undefined) return [v, undefined];
      if (typeof value === "object") return [v, value];
      const text = String(value);
      return [v, /^https?:\/\//.test(text) ? { type: "uri", value: text } : { type: "literal", value: text }];
    })));
    return { vars, rows, raw: body };
  }

  // --- the table ----------------------------------------------------------------------------------
  function shortIri(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [p, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
  }

  function localHref(iri) {
    if (iri.startsWith(config.base)) return config.local + iri.slice(config.base.length);
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = localHref(term.value);
      const node = document.createElement(href ? "a" : "span");
      if (href) node.href = href;
      node.textContent = shortIri(term.value);
      node.title = term.value;
      td.appendChild(node);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      const extra = term["xml:lang"] ? "@" + term["xml:lang"] : "";
      if (extra) {
        const span = document.createElement("span");
        span.className = "muted small";
        span.textContent = " " + extra;
        td.appendChild(span);
      }
      if (term.datatype && NUMERIC.includes(term.datatype)) td.className = "num";
    }
    return td;
  }

  function sortKey(term) {
    if (!term) return [2, ""];
    if (term.datatype && NUMERIC.includes(term.datatype)) return [0, Number(term.value)];
    return [1, (term.type === "uri" ? shortIri(term.value) : term.value).toLowerCase()];
  }

  function sortedRows() {
    const rows = state.result.rows.slice();
    if (state.sortCol === null) return rows;
    const col = state.sortCol, dir = state.sortDir;
    return rows.sort((a, b) => {
      const [ka, va] = sortKey(a[col]), [kb, vb] = sortKey(b[col]);
      if (ka !== kb) return ka - kb;
      return (va < vb ? -1 : va > vb ? 1 : 0) * dir;
    });
  }

  function renderTable() {
    const table = $("result-table");
    table.textContent = "";
    const { vars } = state.result;
    const caption = table.createCaption();
    caption.className = "visually-hidden";
    caption.textContent = L.results;
    const head = table.createTHead().insertRow();
    vars.forEach((v) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("aria-sort", state.sortCol === v ? (state.sortDir > 0 ? "ascending" : "descending") : "none");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = v;
      b.setAttribute("aria-label", `${L.sort_by} ${v}`);
      const arrow = document.createElement("span");
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = state.sortCol === v ? (state.sortDir > 0 ? " ▲" : " ▼") : " ↕";
      b.appendChild(arrow);
      b.addEventListener("click", () => {
        state.sortDir = state.sortCol === v ? -state.sortDir : 1;
        state.sortCol = v;
        state.page = 0;
        renderTable();
        table.querySelector(`th:nth-child(${vars.indexOf(v) + 1}) button`).focus();
      });
      th.appendChild(b);
      head.appendChild(th);
    });
    const body = table.createTBody();
    const rows = sortedRows();
    const size = state.pageSize, pages = Math.max(1, Math.ceil(rows.length / size));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * size;
    rows.slice(start, start + size).forEach((row) => {
      const tr = body.insertRow();
      vars.forEach((v) => tr.appendChild(cell(row[v])));
    });
    $("page-info").textContent = rows.length
      ? fmt(L.rows_shown, { from: start + 1, to: Math.min(start + size, rows.length), total: rows.length })
      : L.no_rows;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
  }
  $("page-prev").addEventListener("click", () => { state.page -= 1; renderTable(); });
  $("page-next").addEventListener("click", () => { state.page += 1; renderTable(); });
  $("page-size").addEventListener("change", (e) => { state.pageSize = Number(e.target.value); state.page = 0; renderTable(); });

  function showResults() {
    $("results").hidden = false;
    $("status").setAttribute("role", "status");
    if (state.result.raw && typeof state.result.raw === "string") {
      $("result-table").textContent = "";
      const pre = document.createElement("pre");
      pre.textContent = state.result.raw.slice(0, 20000);
      $("result-table").appendChild(pre);
      return;
    }
    renderTable();
    selectTab(state.view);
  }

  // --- downloads ----------------------------------------------------------------------------------
  function csvValue(term) {
    const text = term ? term.value : "";
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  function tsvValue(term) {
    if (!term) return "";
    if (term.type === "uri") return `<${term.value}>`;
    if (term.type === "bnode") return `_:${term.value}`;
    const text = `"${term.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
    if (term["xml:lang"]) return `${text}@${term["xml:lang"]}`;
    if (term.datatype && term.datatype !== XSD + "string") {
      return NUMERIC.slice(0, 3).includes(term.datatype) && /^[+-]?[\d.eE+-]+$/.test(term.value) ? term.value : `${text}^^<${term.datatype}>`;
    }
    return text;
  }
  function download(kind) {
    const r = state.result;
    if (!r) return;
    let text, type;
    if (typeof r.raw === "string") { text = r.raw; type = r.rawType; kind = "ttl"; }
    else if (kind === "json") { text = JSON.stringify(r.raw, null, 2); type = "application/sparql-results+json"; }
    else if (kind === "csv") {
      text = [r.vars.join(","), ...r.rows.map((row) => r.vars.map((v) => csvValue(row[v])).join(","))].join("\r\n") + "\r\n";
      type = "text/csv";
    } else {
      text = [r.vars.map((v) => "?" + v).join("\t"), ...r.rows.map((row) => r.vars.map((v) => tsvValue(row[v])).join("\t"))].join("\n") + "\n";
      type = "text/tab-separated-values";
    }
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    a.download = `${state.current && usingNamed() ? state.current.name : "query"}-results.${kind}`;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  document.querySelectorAll("[data-download]").forEach((b) => b.addEventListener("click", () => download(b.dataset.download)));

  // --- permalink ----------------------------------------------------------------------------------
  function permalink(withRun) {
    const params = new URLSearchParams();
    if (usingNamed()) {
      params.set("name", state.current.name);
      for (const [k, v] of Object.entries(paramValues())) if (!RESERVED.has(k)) params.set(k, v);
    } else {
      params.set("query", editor.getValue());
    }
    if (state.view === "chart") { params.set("view", "chart"); params.set("chart", $("chart-type").value); }
    if (withRun) params.set("run", "1");
    const lang = new URLSearchParams(location.search).get("lang");
    if (lang) params.set("lang", lang);
    return `${location.origin}${location.pathname}?${params}`;
  }
  function updateUrl(push) {
    const url = permalink(!!state.result || !push);
    if (url !== location.href) history.replaceState(null, "", url);
  }
  $("permalink").addEventListener("click", async () => {
    const url = permalink(true);
    history.replaceState(null, "", url);
    try {
      await navigator.clipboard.writeText(url);
      $("status").textContent = L.copied;
    } catch (_) {
      window.prompt(L.permalink, url);
    }
  });

  // --- tabs and charts ----------------------------------------------------------------------------
  function selectTab(which) {
    state.view = which;
    for (const [tab, panel] of [["tab-table", "panel-table"], ["tab-chart", "panel-chart"]]) {
      const on = tab === `tab-${which}`;
      $(tab).setAttribute("aria-selected", String(on));
      $(tab).tabIndex = on ? 0 : -1;
      $(panel).hidden = !on;
    }
    if (which === "chart") renderChart();
    if (state.result) updateUrl(false);
  }
  $("tab-table").addEventListener("click", () => selectTab("table"));
  $("tab-chart").addEventListener("click", () => selectTab("chart"));
  document.querySelector("[role=tablist]").addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const next = state.view === "table" ? "chart" : "table";
      selectTab(next);
      $(`tab-${next}`).focus();
    }
  });
  $("chart-type").addEventListener("change", () => { renderChart(); updateUrl(false); });

  function loadCharts() {
    if (window.HRESCharts) return Promise.resolve(window.HRESCharts);
    if (!state.chartsLoading) {
      state.chartsLoading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = config.charts;
        s.onload = () => resolve(window.HRESCharts);
        s.onerror = () => reject(new Error("charts.js"));
        document.head.appendChild(s);
      });
    }
    return state.chartsLoading;
  }

  const isNumeric = (rows, v) => rows.length > 0 && rows.every((r) => !r[v] || (r[v].type === "literal" &&
    (NUMERIC.includes(r[v].datatype) || /^[+-]?\d+(\.\d+)?$/.test(r[v].value))));

  // Which columns play which part. A named query's `#+ view:` names them (x, y, series, label); what it
  // leaves out is guessed: categories are the non-numeric columns, the value the first numeric one.
  // For a heatmap the two categorical columns named are the axes and the numeric one is the value,
  // whichever role names them (`heatmap x=to y=from label=n` and `heatmap x=to series=from y=n` both work).
  function chartRoles(kind) {
    const { vars, rows } = state.result;
    const view = usingNamed() && state.current.view && state.current.view.type !== "table" ? state.current.view : {};
    const has = (v) => v && vars.includes(v);
    const num = (v) => has(v) && isNumeric(rows, v);
    const numeric = vars.filter((v) => isNumeric(rows, v));
    const sameAs = (a, b) => a === b || a + "Label" === b || b + "Label" === a;
    const categorical = vars.filter((v) => !numeric.includes(v) && !/Label$/.test(v));
    const named = [view.x, view.y, view.series, view.label].filter(has);
    if (kind === "heatmap") {
      const axes = named.filter((v) => !num(v));
      const x = axes[0] || categorical[0] || vars[0];
      const other = axes.find((v) => !sameAs(v, x)) || categorical.find((v) => !sameAs(v, x));
      return { x, y: named.find(num) || numeric[0], series: other, label: has(x + "Label") ? x + "Label" : undefined };
    }
    const x = has(view.x) && !num(view.x) ? view.x : categorical[0] || vars[0];
    const roles = { x, y: num(view.y) ? view.y : named.find(num) || numeric[0] };
    roles.series = has(view.series) && !num(view.series) ? view.series
      : categorical.find((v) => !sameAs(v, x) && !sameAs(v, roles.y));
    if (has(view.label) && !num(view.label)) roles.label = view.label;
    else if (has(x + "Label")) roles.label = x + "Label";
    return roles;
  }

  function plain(term, v) {
    if (!term) return null;
    if (term.type === "uri") return term.value.replace(/[/#]+$/, "").split(/[/#]/).pop() || term.value;  // its last segment
    return term.value;
  }

  async function renderChart() {
    const figure = $("chart"), note = $("chart-note");
    if (!state.result || !state.result.vars.length) return;
    const kind = $("chart-type").value;
    const roles = chartRoles(kind);
    const seriesLabel = roles.series && state.result.vars.includes(roles.series + "Label") ? roles.series + "Label" : roles.series;
    if (!roles.y || !isNumeric(state.result.rows, roles.y)) {
      figure.textContent = "";
      note.textContent = L.no_chart;
      return;
    }
    note.textContent = kind === "heatmap"
      ? `x: ${roles.label || roles.x} · y: ${seriesLabel} · ${roles.y}`
      : `x: ${roles.label || roles.x} · y: ${roles.y}${roles.series && kind !== "bar" ? " · " + seriesLabel : ""}`;
    let charts;
    try { charts = await loadCharts(); } catch (_) { note.textContent = L.chart_unavailable; return; }
    const xCol = roles.label || roles.x;
    const rows = state.result.rows.slice(0, 5000).map((r) => {
      const out = { [roles.x]: plain(r[xCol], xCol), [roles.y]: Number(r[roles.y] ? r[roles.y].value : 0) };
      if (roles.series) out[roles.series] = plain(r[seriesLabel], seriesLabel);
      return out;
    });
    const chartRolesOut = { x: roles.x, y: roles.y, series: kind === "bar" ? undefined : roles.series };
    const titles = { [roles.x]: xCol, [roles.y]: roles.y, ...(roles.series ? { [roles.series]: seriesLabel } : {}) };
    figure.textContent = "";
    figure.setAttribute("aria-label", `${L[kind] || kind}: ${titles[roles.y]} / ${xCol}`);
    await charts.render(figure, kind, chartRolesOut, rows, { titles, description: figure.getAttribute("aria-label") });
  }

  // the language menu keeps the current query (the address bar is updated after each run)
  const langSelect = document.getElementById("lang-select");
  if (langSelect) {
    langSelect.onchange = () => {
      const url = new URL(location.href);
      url.searchParams.set("lang", langSelect.value);
      location.href = url.toString();
    };
  }

  // --- start --------------------------------------------------------------------------------------
  (async function start() {
    const params = new URLSearchParams(location.search);
    if (params.get("query")) editor.setValue(params.get("query"));
    if (params.get("chart")) $("chart-type").value = params.get("chart");
    if (params.get("view") === "chart") state.view = "chart";
    await loadCatalogue();
    const name = params.get("name");
    const runNow = params.get("run") === "1";
    if (name) {
      const values = {};
      for (const [k, v] of params) if (!RESERVED.has(k)) values[k] = v;
      await selectQuery(name, values, { runAfter: runNow, keepView: params.has("view") });
    } else if (runNow) {
      run();
    }
  })();
})();
