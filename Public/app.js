// Sluice's browser page: the connector list, a source preview and a sink upload form.
//
// Plain JavaScript, no build step, no dependencies. The page works without it (the server
// renders the connector list into index.html); this script enhances that list and adds the
// views. Routes live in the URL hash so views can be linked:
//   #/                                   home
//   #/sources/{name}?where=&columns=&limit=   a source's preview
//   #/sinks/{name}                       a sink's upload form
// Every piece of data reaches the DOM through textContent or setAttribute, never innerHTML.
"use strict";

(function () {
  const DEFAULT_LIMIT = 20;
  const MAX_PREVIEW_LIMIT = 10000;
  const NUMERIC_TYPE = /^(U?Int\d+|Float\d+|Decimal)/;

  /** Connectors by name, once /v1/connectors has answered. */
  let connectors = new Map();
  /** Why /v1/connectors could not be loaded, if it could not. */
  let connectorsError = null;
  /** The view on screen: {route, name, ...} plus its controls. */
  let current = { route: null, name: null };
  /** Where the access token lives: this tab's sessionStorage, never localStorage or cookies. */
  const TOKEN_KEY = "sluice.token";

  // ---------------------------------------------------------------- DOM helpers

  /** Builds an element. `props`: class, text, attrs {}, on {event: handler}, and DOM
   *  properties (hidden, value, type...). Children: nodes or strings (as text). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key === "attrs") for (const [a, v] of Object.entries(value)) { if (v !== null && v !== undefined) node.setAttribute(a, String(v)); }
      else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node[key] = value;
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  const enc = encodeURIComponent;
  const $ = (selector, root) => (root || document).querySelector(selector);

  function kindBadge(kind) {
    return el("span", { class: "badge badge-" + (kind === "sink" ? "sink" : "source"), text: kind });
  }

  function isNumericType(type) { return NUMERIC_TYPE.test(type || ""); }

  /** A cell's text: null shown as such, nested values as compact JSON. */
  function cellText(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function isNumeric(column) { return column.numeric || isNumericType(column.type); }

  /** A table of `rows` (objects) under `columns` [{key, label, type?, numeric?, missing?}]:
   *  `type` is shown under the label, `missing` replaces the "null" shown for absent values.
   *  Returns {table, add(row)}. */
  function dataTable(caption, columns) {
    const tbody = el("tbody");
    const table = el("table", { class: "data" },
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, el("tr", {}, columns.map(c =>
        el("th", { attrs: { scope: "col" }, class: isNumeric(c) ? "num" : null },
          c.label, c.type ? el("span", { class: "col-type", text: c.type }) : null)))),
      tbody);
    function add(row) {
      tbody.appendChild(el("tr", {}, columns.map(c => {
        const text = cellText(row[c.key]);
        return text === null
          ? el("td", { class: isNumeric(c) ? "null num" : "null", text: c.missing === undefined ? "null" : c.missing })
          : el("td", { class: isNumeric(c) ? "num" : null, text });
      })));
    }
    return { table: el("div", { class: "table-wrap", attrs: { tabindex: "0", role: "region", "aria-label": caption || "table" } }, table), add };
  }

  function fieldColumns(fields) { return (fields || []).map(f => ({ key: f.name, label: f.name, type: f.type })); }

  // ---------------------------------------------------------------- HTTP helpers

  /** An error answer, carrying the problem+json body when there was one. */
  class ProblemError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ("HTTP " + status));
      this.status = status;
      this.problem = problem || { title: "HTTP " + status, status };
    }
  }

  function parseJSON(text) { try { return JSON.parse(text); } catch (_) { return null; } }

  async function problemFrom(response) {
    const problem = parseJSON(await response.text());
    return new ProblemError(response.status, problem && typeof problem === "object" ? problem : null);
  }

  // ---------------------------------------------------------------- access token

  function storedToken() { try { return sessionStorage.getItem(TOKEN_KEY); } catch (_) { return null; } }

  /** The Authorization header for the stored token, if any. */
  function authHeaders() {
    const token = storedToken();
    return token ? { Authorization: "Bearer " + token } : {};
  }

  /** A 401 means the server wants a (different) token: show the form. */
  function noteAnswer(status) {
    if (status === 401) showAuthPanel(storedToken() ? "The server did not accept the token." : "This server needs an access token.");
  }

  function showAuthPanel(message, tokenName) {
    const panel = $("#auth-panel");
    if (!panel) return;
    panel.hidden = false;
    $("#auth-status").textContent = message;
    $("#auth-entry").hidden = Boolean(tokenName);
    $("#auth-use").hidden = Boolean(tokenName);
    $("#auth-forget").hidden = !tokenName;
  }

  async function showTokenInUse() {
    if (!storedToken()) return;
    try {
      const me = await getJSON("/v1/token");
      if (me.name) showAuthPanel("Using token '" + me.name + "' (" + me.scopes.join(", ") + ").", me.name);
    } catch (_) { /* noteAnswer has shown the form */ }
  }

  function setUpAuthPanel() {
    const panel = $("#auth-panel");
    if (!panel) return;
    panel.addEventListener("submit", async event => {
      event.preventDefault();
      const value = $("#auth-token").value.trim();
      if (!value) return;
      try { sessionStorage.setItem(TOKEN_KEY, value); } catch (_) { /* private mode: the token lasts for this page */ }
      $("#auth-token").value = "";
      await loadConnectors();
      await showTokenInUse();
      route();
    });
    $("#auth-forget").addEventListener("click", async () => {
      try { sessionStorage.removeItem(TOKEN_KEY); } catch (_) { /* nothing stored */ }
      connectors = new Map();
      renderConnectorList();
      showAuthPanel("Token forgotten.");
      await loadConnectors();
    });
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json", ...authHeaders() } });
    noteAnswer(response.status);
    if (!response.ok) throw await problemFrom(response);
    return response.json();
  }

  /** Streams an NDJSON response, calling onRow for each object as its line arrives.
   *  Resolves with the row count; throws ProblemError for an error answer. */
  async function streamNDJSON(url, signal, onRow) {
    const response = await fetch(url, { headers: { Accept: "application/x-ndjson", ...authHeaders() }, signal });
    noteAnswer(response.status);
    if (!response.ok) throw await problemFrom(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    let count = 0;
    const take = line => { if (line.trim() !== "") { onRow(JSON.parse(line)); count += 1; } };
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal && signal.aborted) throw error;
        // The server ends a failed stream without its last chunk: the rows so far are partial.
        throw new Error("the stream ended early after " + count + " rows (the source failed mid-stream)");
      }
      const { done, value } = chunk;
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        take(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    }
    take(pending + decoder.decode());
    return count;
  }

  /** Sends a request with XMLHttpRequest (for upload progress). Resolves with
   *  {status, body} where body is parsed JSON (or null); never rejects on HTTP errors. */
  function send(method, url, { body = null, headers = {}, onProgress = null } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Accept", "application/json");
      for (const [name, value] of Object.entries({ ...authHeaders(), ...headers })) xhr.setRequestHeader(name, value);
      if (onProgress) xhr.upload.addEventListener("progress", e => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
      xhr.addEventListener("load", () => { noteAnswer(xhr.status); resolve({ status: xhr.status, body: parseJSON(xhr.responseText) }); });
      xhr.addEventListener("error", () => reject(new Error("network error: the server did not answer")));
      xhr.addEventListener("abort", () => reject(new Error("the request was cancelled")));
      xhr.send(body);
    });
  }

  /** Like send, but throws ProblemError unless the status is `expected`. */
  async function sendExpecting(expected, method, url, options) {
    const answer = await send(method, url, options);
    if (answer.status !== expected) throw new ProblemError(answer.status, answer.body);
    return answer.body;
  }

  // ---------------------------------------------------------------- problems

  /** Renders a problem+json error: title and status, detail, a caret under `expression` at
   *  the problem's 1-based `position`, and the per-row `errors` table. */
  function problemBox(problem, expression) {
    const box = el("div", { class: "problem", attrs: { role: "alert" } },
      el("p", { class: "problem-title" },
        el("strong", { text: problem.title || "Error" }),
        problem.status ? " (HTTP " + problem.status + ")" : ""),
      problem.detail ? el("p", { class: "problem-detail", text: problem.detail }) : null);
    if (Number.isInteger(problem.position) && typeof expression === "string") {
      const chars = Array.from(expression.replace(/[\t\n\r]/g, " "));
      const index = Math.min(Math.max(problem.position - 1, 0), chars.length);
      box.appendChild(el("pre", { class: "caret", attrs: { "aria-hidden": "true" } },
        chars.join("") + "\n" + " ".repeat(index) + "^"));
      box.appendChild(el("p", { class: "visually-hidden", text: "The problem is at character " + problem.position + " of the expression." }));
    }
    if (Array.isArray(problem.errors) && problem.errors.length > 0) {
      const count = problem.errors.length;
      const caption = count + " row error" + (count === 1 ? "" : "s") + (count >= 100 ? " (the first 100)" : "");
      const errors = dataTable(caption, [
        { key: "line", label: "Line", numeric: true, missing: "" }, { key: "column", label: "Column", numeric: true, missing: "" },
        { key: "field", label: "Field", missing: "" }, { key: "message", label: "Message", missing: "" }]);
      problem.errors.forEach(errors.add);
      box.appendChild(errors.table);
    }
    return box;
  }

  function errorProblem(error) {
    return error instanceof ProblemError ? error.problem : { title: "Request failed", detail: error.message };
  }

  // ---------------------------------------------------------------- connector list

  function routeOf(connector) {
    return "#/" + (connector.kind === "sink" ? "sinks/" : "sources/") + enc(connector.name);
  }

  function connectorFields(connector) {
    if (connector.kind === "sink") {
      return Array.isArray(connector.input_schema) ? connector.input_schema : null;
    }
    return connector.schema || [];
  }

  function fieldList(fields, emptyText) {
    if (!fields) return el("p", { class: "fields-note", text: emptyText });
    return el("ul", { class: "fields", attrs: { "aria-label": "fields" } }, fields.map(f =>
      el("li", {}, el("code", { text: f.name }), " ", el("span", { class: "field-type", text: f.type + (f.nullable ? "" : " not null") }))));
  }

  function renderConnectorList() {
    const list = el("ul", { class: "connector-cards" });
    for (const connector of connectors.values()) {
      list.appendChild(el("li", { class: "card", attrs: { "data-name": connector.name, "data-kind": connector.kind } },
        el("a", { class: "card-link", href: routeOf(connector) },
          el("span", { class: "card-name", text: connector.name }), " ", kindBadge(connector.kind)),
        el("p", { class: "card-type" }, "type ", el("code", { text: connector.type })),
        connector.description ? el("p", { class: "card-description", text: connector.description }) : null,
        fieldList(connectorFields(connector), "input: any fields, types inferred")));
    }
    clear($("#connector-list")).appendChild(list);
    markCurrentConnector();
  }

  function markCurrentConnector() {
    for (const link of document.querySelectorAll("#connector-list a")) {
      const li = link.closest("[data-name]");
      if (li && li.getAttribute("data-name") === current.name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }

  /** Points the server-rendered list's links at the page's views, before the JSON arrives. */
  function enhanceServerList() {
    for (const li of document.querySelectorAll("#connector-list li[data-name][data-kind]")) {
      const link = li.querySelector("a");
      if (link) link.setAttribute("href", routeOf({ name: li.getAttribute("data-name"), kind: li.getAttribute("data-kind") }));
    }
  }

  async function loadConnectors() {
    const status = $("#connector-status");
    try {
      const answer = await getJSON("/v1/connectors");
      connectors = new Map(answer.connectors.map(c => [c.name, c]));
      renderConnectorList();
      status.textContent = "";
      const note = $("#auth-required");
      if (note) note.hidden = true;
    } catch (error) {
      connectorsError = error.message;
      status.textContent = "Could not load the connectors: " + error.message;
    }
  }

  // ---------------------------------------------------------------- routing

  function parseHash() {
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query] = hash.split("?");
    const parts = path.split("/").filter(Boolean).map(p => { try { return decodeURIComponent(p); } catch (_) { return p; } });
    const params = new URLSearchParams(query || "");
    if (parts[0] === "sources" && parts[1]) return { route: "source", name: parts[1], params };
    if (parts[0] === "sinks" && parts[1]) return { route: "sink", name: parts[1], params };
    if (parts[0] === "connectors" && parts[1]) return { route: "connector", name: parts[1], params };
    return { route: "home", name: null, params };
  }

  function showView(node, title) {
    const home = $("#view-home");
    const view = $("#view");
    if (!node) {
      home.hidden = false;
      view.hidden = true;
      clear(view);
      document.title = "Sluice";
      return;
    }
    home.hidden = true;
    clear(view).appendChild(node);
    view.hidden = false;
    document.title = title + " · Sluice";
    const heading = $("h2", view);
    if (heading && document.readyState === "complete") heading.focus({ preventScroll: false });
  }

  function route() {
    const target = parseHash();
    if (target.route === "source" && current.route === "source" && current.name === target.name && current.view.node.isConnected) {
      current.view.apply(target.params);
      return;
    }
    if (current.abort) current.abort();
    current = { route: target.route, name: target.name };
    markCurrentConnector();
    if (target.route === "home") { showView(null); return; }
    const connector = connectors.get(target.name);
    if (!connector) {
      showView(el("section", {}, el("h2", { attrs: { tabindex: "-1" }, text: "Not found" }),
        el("p", { text: connectorsError
          ? "The connectors could not be loaded (" + connectorsError + ")."
          : "There is no connector called “" + target.name + "”." }),
        el("p", {}, el("a", { href: "#/", text: "Back to the start" }))), "Not found");
      return;
    }
    if (target.route === "connector") { location.replace(routeOf(connector)); return; }
    if (connector.kind === "source" && target.route === "source") {
      current.view = sourceView(connector);
      showView(current.view.node, connector.name);
      current.view.apply(target.params);
    } else if (connector.kind === "sink" && target.route === "sink") {
      current.view = sinkView(connector);
      showView(current.view.node, connector.name);
    } else {
      location.replace(routeOf(connector));
    }
  }

  function viewHeader(connector) {
    return el("header", { class: "view-header" },
      el("h2", { attrs: { tabindex: "-1" }, text: connector.name }), " ", kindBadge(connector.kind),
      " ", el("span", { class: "view-type" }, "type ", el("code", { text: connector.type })));
  }

  // ---------------------------------------------------------------- source view

  /** A query string of the non-empty pushdowns. */
  function pushdownQuery(pushdowns) {
    const params = new URLSearchParams();
    for (const key of ["columns", "where", "limit"]) {
      if (pushdowns[key] !== undefined && pushdowns[key] !== "") params.set(key, pushdowns[key]);
    }
    return params.toString();
  }

  function whereExample(fields) {
    const field = fields[0];
    if (!field) return "";
    if (isNumericType(field.type)) return field.name + " > 5";
    if (/^Bool/.test(field.type)) return field.name + " = true";
    return field.name + " != ''";
  }

  function sourceView(connector) {
    const fields = connector.schema || [];
    const base = "/v1/sources/" + enc(connector.name);
    const id = s => "src-" + s;
    const whereInput = el("input", { id: id("where"), name: "where", type: "text", class: "mono", autocomplete: "off", spellcheck: false,
      placeholder: whereExample(fields), attrs: { "aria-describedby": id("where-help") } });
    const limitInput = el("input", { id: id("limit"), name: "limit", type: "number", min: "0", max: String(MAX_PREVIEW_LIMIT), required: true, value: String(DEFAULT_LIMIT) });
    const boxes = fields.map(f => el("input", { type: "checkbox", name: "columns", value: f.name }));
    const problem = el("div", { class: "problem-slot" });
    const status = el("p", { class: "status", attrs: { role: "status", "aria-live": "polite" } });
    const results = el("div", { class: "results" });
    const links = el("p", { class: "links" });
    let controller = null;

    const form = el("form", { class: "query-form", attrs: { "aria-label": "Preview query" } },
      el("div", { class: "field field-where" },
        el("label", { attrs: { for: id("where") } }, "Filter ", el("code", { text: "where" })),
        whereInput,
        el("p", { id: id("where-help"), class: "help" },
          "Comparisons ", el("code", { text: "= != < <= > >=" }), ", ", el("code", { text: "AND OR NOT" }),
          ", ", el("code", { text: "IN (…)" }), ", ", el("code", { text: "IS [NOT] NULL" }), "; text in 'single quotes'.")),
      el("fieldset", { class: "field field-columns" },
        el("legend", {}, "Columns ", el("span", { class: "help", text: "(none checked: all)" })),
        el("div", { class: "checkboxes" }, fields.map((f, i) =>
          el("label", { class: "checkbox" }, boxes[i], " ", el("code", { text: f.name }), " ", el("span", { class: "field-type", text: f.type }))))),
      el("div", { class: "field field-limit" },
        el("label", { attrs: { for: id("limit") } }, "Rows ", el("code", { text: "limit" })), limitInput),
      el("div", { class: "actions" }, el("button", { type: "submit", text: "Preview" })));

    form.addEventListener("submit", event => {
      event.preventDefault();
      const query = pushdownQuery(readForm());
      const hash = "#/sources/" + enc(connector.name) + (query ? "?" + query : "");
      if (location.hash === hash) apply(new URLSearchParams(query)); else location.hash = hash;
    });

    function readForm() {
      return { where: whereInput.value.trim(), columns: boxes.filter(b => b.checked).map(b => b.value).join(","), limit: limitInput.value.trim() };
    }

    /** Shows the form for these pushdowns and previews them. */
    function apply(params) {
      whereInput.value = params.get("where") || "";
      const chosen = (params.get("columns") || "").split(",").filter(Boolean);
      boxes.forEach(b => { b.checked = chosen.includes(b.value); });
      limitInput.value = params.get("limit") || String(DEFAULT_LIMIT);
      preview(readForm());
    }

    function updateLinks(pushdowns) {
      const query = pushdownQuery(pushdowns);
      const withQuery = (path, extra) => base + path + (query || extra ? "?" + [query, extra].filter(Boolean).join("&") : "");
      clear(links).append("Open this query as ",
        el("a", { href: withQuery("/rows"), text: "NDJSON" }), ", ",
        el("a", { href: withQuery("/rows", "format=csv"), text: "CSV" }), " or its ",
        el("a", { href: withQuery("/tasks"), text: "task list" }), ".");
    }

    async function preview(pushdowns) {
      if (controller) controller.abort();
      controller = new AbortController();
      const signal = controller.signal;
      let limit = Number.parseInt(pushdowns.limit, 10);
      if (!Number.isFinite(limit) || limit < 0) limit = DEFAULT_LIMIT;
      pushdowns.limit = String(Math.min(limit, MAX_PREVIEW_LIMIT));
      updateLinks(pushdowns);
      clear(problem);
      whereInput.removeAttribute("aria-invalid");
      const chosen = pushdowns.columns ? pushdowns.columns.split(",") : null;
      const columns = fieldColumns(chosen ? fields.filter(f => chosen.includes(f.name)) : fields);
      const table = dataTable("First rows of " + connector.name, columns);
      status.textContent = "Loading…";
      clear(results);
      const started = performance.now();
      try {
        let shown = false;
        const count = await streamNDJSON(base + "/rows?" + pushdownQuery(pushdowns), signal, row => {
          if (!shown) { results.appendChild(table.table); shown = true; }
          table.add(row);
        });
        if (!shown) results.appendChild(el("p", { class: "empty", text: "No rows match." }));
        status.textContent = count + " row" + (count === 1 ? "" : "s") + " in " + Math.round(performance.now() - started) + " ms";
      } catch (error) {
        if (signal.aborted) return;
        status.textContent = "";
        const details = errorProblem(error);
        if (details.parameter === "where" || details.position !== undefined) whereInput.setAttribute("aria-invalid", "true");
        problem.appendChild(problemBox(details, pushdowns.where));
      }
    }

    const node = el("section", { class: "source-view", attrs: { "aria-labelledby": "view-heading" } },
      viewHeader(connector),
      connector.description ? el("p", { class: "view-description", text: connector.description }) : null,
      form, problem, links, status, results);
    $("h2", node).id = "view-heading";
    return { node, apply, abort: () => controller && controller.abort() };
  }

  // ---------------------------------------------------------------- sink view

  /** The upload Content-Type (and gzip coding) a file's name implies. */
  function uploadTypeForName(fileName) {
    const lower = fileName.toLowerCase();
    const gzip = lower.endsWith(".gz");
    const bare = gzip ? lower.slice(0, -3) : lower;
    const type = bare.endsWith(".csv") ? "text/csv" : bare.endsWith(".json") ? "application/json" : "application/x-ndjson";
    return { type, gzip };
  }

  function exampleRows(connector) {
    const fields = Array.isArray(connector.input_schema) ? connector.input_schema : null;
    if (!fields) return '{"id":1,"name":"ada","score":9.5}\n{"id":2,"name":"grace","score":7.25}\n';
    const sample = (f, i) => isNumericType(f.type) ? i + 1 : /^Bool/.test(f.type) ? true : f.type.startsWith("Date") ? "2026-11-02" : f.type.startsWith("Timestamp") ? "2026-11-02T09:00:00Z" : "text " + (i + 1);
    return [0, 1].map(i => JSON.stringify(Object.fromEntries(fields.map(f => [f.name, sample(f, i)])))).join("\n") + "\n";
  }

  function sinkView(connector) {
    const base = "/v1/sinks/" + enc(connector.name);
    const id = s => "sink-" + s;
    const text = el("textarea", { id: id("text"), name: "rows", rows: 8, class: "mono", spellcheck: false, placeholder: exampleRows(connector) });
    const format = el("select", { id: id("format"), name: "format" },
      el("option", { value: "application/x-ndjson", text: "NDJSON (one object per line)" }),
      el("option", { value: "application/json", text: "JSON array of objects" }),
      el("option", { value: "text/csv", text: "CSV with a header row" }));
    const file = el("input", { id: id("file"), name: "file", type: "file", accept: ".ndjson,.jsonl,.json,.csv,.gz,.txt",
      attrs: { "aria-describedby": id("file-help") } });
    const buttons = [
      el("button", { type: "submit", value: "session", text: "Upload and finalize" }),
      el("button", { type: "submit", value: "oneshot", class: "secondary", text: "One-shot upload" })];
    const progress = el("progress", { id: id("progress"), max: 100, value: 0 });
    const progressText = el("span", { class: "progress-text" });
    const progressBlock = el("div", { class: "progress-block", hidden: true },
      el("label", { attrs: { for: id("progress") }, text: "Upload" }), progress, progressText);
    const steps = el("ol", { class: "steps", attrs: { "aria-live": "polite" } });
    const problem = el("div", { class: "problem-slot" });
    const summary = el("div", { class: "summary" });

    const form = el("form", { class: "upload-form", attrs: { "aria-label": "Upload rows" } },
      el("div", { class: "field" },
        el("label", { attrs: { for: id("text") } }, "Paste rows"),
        text,
        el("div", { class: "inline" },
          el("label", { attrs: { for: id("format") }, text: "Pasted rows are" }), format,
          el("button", { type: "button", class: "link-button", text: "Insert example rows",
            on: { click: () => { text.value = exampleRows(connector); format.value = "application/x-ndjson"; text.focus(); } } }))),
      el("div", { class: "field" },
        el("label", { attrs: { for: id("file") } }, "…or choose a file"), file,
        el("p", { id: id("file-help"), class: "help" },
          "A chosen file wins over pasted rows. Its name picks the type: ", el("code", { text: ".csv" }), " CSV, ",
          el("code", { text: ".json" }), " JSON, anything else NDJSON; ", el("code", { text: ".gz" }), " is sent gzip-encoded.")),
      el("div", { class: "actions" }, buttons,
        el("p", { class: "help" }, "“Upload and finalize” opens a write session, uploads one batch and finalizes it; “One-shot” does all three in one request.")));

    /** The body to send and its headers, from the chosen file or the pasted text. */
    function uploadBody() {
      const chosen = file.files && file.files[0];
      if (chosen) {
        const { type, gzip } = uploadTypeForName(chosen.name);
        return { body: chosen, size: chosen.size, label: chosen.name, headers: Object.assign({ "Content-Type": type }, gzip ? { "Content-Encoding": "gzip" } : {}) };
      }
      const blob = new Blob([text.value]);
      return { body: blob, size: blob.size, label: "pasted rows", headers: { "Content-Type": format.value } };
    }

    function step(textOrNodes, state) {
      const item = el("li", { class: "step" + (state ? " step-" + state : "") }, textOrNodes);
      steps.appendChild(item);
      return item;
    }

    function onProgress(loaded, total) {
      if (total > 0) {
        progress.value = Math.round((loaded / total) * 100);
        progressText.textContent = progress.value + "% of " + total + " bytes";
      } else {
        progress.removeAttribute("value");
        progressText.textContent = loaded + " bytes";
      }
    }

    function showSummary(result) {
      const table = dataTable("Summary", fieldColumns(result.schema));
      (result.rows || []).forEach(table.add);
      clear(summary).appendChild(table.table);
    }

    async function run(mode) {
      buttons.forEach(b => { b.disabled = true; });
      clear(steps); clear(problem); clear(summary);
      const upload = uploadBody();
      progress.value = 0; progressText.textContent = "";
      progressBlock.hidden = false;
      let session = null;
      try {
        if (mode === "oneshot") {
          step("Sending " + upload.label + " (" + upload.size + " bytes) in one shot…");
          showSummary(await sendExpecting(200, "POST", base, { body: upload.body, headers: upload.headers, onProgress }));
          step("Written and finalized.", "done");
          return;
        }
        session = await sendExpecting(201, "POST", base + "/writes");
        const sessionURL = base + "/writes/" + enc(session.id);
        step(["Opened write session ", el("a", { href: sessionURL }, el("code", { text: session.id })), "."], "done");
        const written = await sendExpecting(200, "POST", sessionURL + "/batches", { body: upload.body, headers: upload.headers, onProgress });
        step("Uploaded " + upload.label + ": " + written.rows_written + " rows, " + written.bytes_written + " bytes written.", "done");
        showSummary(await sendExpecting(200, "POST", sessionURL + "/finalize"));
        session = null;
        step("Finalized.", "done");
      } catch (error) {
        step("Failed: " + error.message, "failed");
        problem.appendChild(problemBox(errorProblem(error)));
        if (session) {
          const aborted = await send("DELETE", base + "/writes/" + enc(session.id)).catch(() => null);
          step(aborted && aborted.status === 200 ? "Session aborted; nothing from this upload was written." : "Could not abort the session.", aborted && aborted.status === 200 ? null : "failed");
        } else if (mode === "oneshot") {
          step("Nothing was written.");
        }
      } finally {
        buttons.forEach(b => { b.disabled = false; });
      }
    }

    form.addEventListener("submit", event => {
      event.preventDefault();
      const mode = event.submitter && event.submitter.value === "oneshot" ? "oneshot" : "session";
      run(mode);
    });

    const inputFields = Array.isArray(connector.input_schema) ? connector.input_schema : null;
    const node = el("section", { class: "sink-view", attrs: { "aria-labelledby": "view-heading" } },
      viewHeader(connector),
      connector.description ? el("p", { class: "view-description", text: connector.description }) : null,
      el("div", { class: "schemas" },
        el("div", {}, el("h3", { text: "Input" }), fieldList(inputFields, "Any fields; types are inferred from the rows.")),
        el("div", {}, el("h3", { text: "Summary" }), fieldList(connector.summary_schema || [], "No summary fields."))),
      form, progressBlock, steps, problem, summary);
    $("h2", node).id = "view-heading";
    return { node };
  }

  // ---------------------------------------------------------------- start

  /** Shows a curl call for the first source, with this server's address. */
  function fillHomeExample() {
    const code = $("#home-example");
    const source = Array.from(connectors.values()).find(c => c.kind === "source");
    if (code && source) code.textContent = "curl -N '" + location.origin + "/v1/sources/" + enc(source.name) + "/rows?limit=3'";
  }

  async function start() {
    enhanceServerList();
    setUpAuthPanel();
    await loadConnectors();
    await showTokenInUse();
    fillHomeExample();
    window.addEventListener("hashchange", route);
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
