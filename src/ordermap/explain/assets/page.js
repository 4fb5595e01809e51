// ordermap explain: draws the page from the data in the "ordermap-data" block.
// Values arrive as their JSON text (strings), so no number is ever read as a float here.
// Everything is written with textContent: nothing in a payload becomes markup.
"use strict";
(function () {
  var FATES = { m: "mapped", d: "derived", l: "lost", c: "carried" };
  var ACTION_FATE = { lost: "l", derived: "d", carried: "c" };
  var app = document.getElementById("app");
  var state = { text: "", fates: { m: true, d: true, l: true, c: true } };
  var data = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var name in attrs) {
        if (name === "text") node.textContent = attrs[name];
        else if (name === "cls") node.className = attrs[name];
        else node.setAttribute(name, attrs[name]);
      }
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(child);
    });
    return node;
  }
  function escapeKey(key) { return String(key).replace(/~/g, "~0").replace(/\//g, "~1"); }
  function field(pointer) { return (pointer || "").replace(/\/[0-9]+(?=\/|$)/g, "/*") || "/"; }
  function plural(count, word) { return count.toLocaleString("en") + " " + word + (count === 1 ? "" : "s"); }
  function fateBadge(fate, label) {
    return el("span", { cls: "fate " + fate, text: label || FATES[fate] });
  }

  // --- filtering -----------------------------------------------------------------------------

  function filtering() {
    return state.text !== "" || !(state.fates.m && state.fates.d && state.fates.l && state.fates.c);
  }
  function nodeMatches(fate, pointer) {
    if (!state.fates[fate]) return false;
    if (state.text === "") return true;
    return field(pointer).toLowerCase().indexOf(state.text) !== -1;
  }
  // Whether a node or anything below it matches, memoised per draw in `seen`.
  function anyMatch(node, pointer, seen) {
    if (nodeMatches(node[1], pointer)) { seen[pointer] = true; return true; }
    var found = false;
    if (Array.isArray(node[2])) {
      node[2].forEach(function (child) {
        if (anyMatch(child, pointer + "/" + escapeKey(child[0]), seen)) found = true;
      });
    }
    if (found) seen[pointer] = true;
    return found;
  }

  // --- trees ---------------------------------------------------------------------------------

  function ruleOf(row) {
    if (!row) return null;
    var note = row[3] || "";
    var cut = note.indexOf(":");
    return cut > 0 && /^[a-z-]+$/.test(note.slice(0, cut)) ? note.slice(0, cut) : null;
  }
  function noteLine(note, row, isTarget, other) {
    var kind = note[0];
    var reason = data.reasons[note[1]];
    if (kind === "p") return el("div", { cls: "note problem", text: "problem: " + reason });
    var text = FATES[kind];
    if (kind === "d") {
      var rule = ruleOf(row);
      text += rule ? " by rule " + rule : "";
    }
    var there = note[2];
    if (there) {
      if (there.charAt(0) === "@") there = (other || "") + there.slice(1);
      text += (isTarget ? " from " : " \u2192 ") + (there || "/");
    }
    text += ": " + reason;
    return el("div", { cls: "note " + kind, text: text });
  }
  function drawTree(node, pointer, seen, isTarget, other) {
    var ul = el("ul", { cls: "tree" });
    ul.appendChild(drawNode(node, pointer, seen, isTarget, other));
    return ul;
  }
  function drawNode(node, pointer, seen, isTarget, other) {
    var key = node[0], fate = node[1], value = node[2], notes = node[3] || [];
    var row = node.length > 4 && node[4] >= 0 ? data.rows[node[4]] : null;
    var li = el("li", { cls: fate, "data-pointer": pointer, "data-fate": FATES[fate] });
    var label = key === null ? (isTarget ? data.target_format : data.source_format) : String(key);
    var line = el("div", { cls: "row" }, [el("span", { cls: "key", text: label })]);
    if (!Array.isArray(value)) line.appendChild(el("span", { cls: "value", text: value }));
    else line.appendChild(el("span", { cls: "muted", text: typeof value[0][0] === "number" ? "[" + value.length + "]" : "{" + value.length + "}" }));
    line.appendChild(fateBadge(fate));
    line.title = pointer || "/";
    if (row && !isTarget) {
      line.title += "\ncrosswalk: " + (row[0] || "\u2014") + " \u2194 " + (row[1] || "\u2014") + " (" + row[2] + ")";
    }
    li.appendChild(line);
    notes.forEach(function (note) {
      if (note[0] === "p") li.classList.add("pinned");
      li.appendChild(noteLine(note, row, isTarget, other));
    });
    if (Array.isArray(value)) {
      var ul = el("ul");
      value.forEach(function (child) {
        var at = pointer + "/" + escapeKey(child[0]);
        if (seen && !seen[at]) return;
        ul.appendChild(drawNode(child, at, seen, isTarget, other));
      });
      li.appendChild(ul);
    }
    return li;
  }
  function drawSides(item) {
    var seen = null;
    if (filtering()) {
      seen = {};
      anyMatch(item.source, item.source_at, seen);
      if (item.target) anyMatch(item.target, item.target_at, seen);
      if (item.source && !seen[item.source_at]) seen[item.source_at] = true;
      if (item.target && !seen[item.target_at]) seen[item.target_at] = true;
    }
    var source = el("div", { cls: "side source" }, [
      el("h3", { text: "Source \u00b7 " + data.source_format }),
      drawTree(item.source, item.source_at, seen, false, item.target_at),
    ]);
    var target = el("div", { cls: "side target" }, [
      el("h3", { text: "Target \u00b7 " + data.target_format }),
      item.target ? drawTree(item.target, item.target_at, seen, true, item.source_at)
        : el("p", { cls: "muted", text: data.refused ? "Nothing written: strict mode refused." : "No counterpart." }),
    ]);
    return el("div", { cls: "sides" }, [source, target]);
  }

  // --- sections ------------------------------------------------------------------------------

  function header() {
    var t = data.totals;
    var title = el("h1", { text: data.source_format + " \u2192 " + data.target_format + " (" + data.mode + " mode)" });
    var totals = el("ul", { cls: "totals", id: "totals" }, [
      el("li", { "data-total": "orders" }, [el("b", { text: data.orders.length.toLocaleString("en") }), document.createTextNode(data.orders.length === 1 ? " order" : " orders")]),
      el("li", { "data-total": "lost" }, [el("b", { text: t.lost.toLocaleString("en") }), document.createTextNode(" lost")]),
      el("li", { "data-total": "derived" }, [el("b", { text: t.derived.toLocaleString("en") }), document.createTextNode(" derived")]),
      el("li", { "data-total": "carried" }, [el("b", { text: t.carried.toLocaleString("en") }), document.createTextNode(" carried")]),
      el("li", { "data-total": "mapped" }, [el("b", { text: t.mapped.toLocaleString("en") }), document.createTextNode(t.mapped === 1 ? " value mapped" : " values mapped")]),
    ]);
    var parts = [title, totals];
    if (data.refused) {
      parts.push(el("div", { cls: "banner refused", id: "refused", text:
        "Strict mode refuses this translation: " + plural(t.lost, "value") + " would be lost. " +
        "--mode carry keeps them in " + data.target_format + "'s extension slot; --mode report converts without them." }));
    }
    return el("header", null, parts);
  }
  // The problems as a list: severity, code, message and place; `reveal` shows a problem's
  // value where there are trees to show it in.
  function problemList(problems, reveal) {
    var list = el("ul", { cls: "problems", id: "problems" });
    problems.forEach(function (problem) {
      var item = el("li", null, [
        fateBadge("p", problem.severity), document.createTextNode(" "),
        el("code", { text: problem.code }), document.createTextNode(" " + problem.message + " "),
      ]);
      if (problem.where) item.appendChild(el("span", { cls: "muted", text: "at " + problem.where }));
      if (reveal && problem.pointer) {
        var go = el("button", { type: "button", text: "show", "data-goto": problem.pointer });
        go.addEventListener("click", function () { reveal(problem.pointer); });
        item.appendChild(document.createTextNode(" "));
        item.appendChild(go);
      }
      list.appendChild(item);
    });
    return list;
  }
  function problemsSection() {
    if (!data.problems.length) return null;
    return el("section", null, [el("h2", { text: "Problems" }), problemList(data.problems, reveal)]);
  }
  function filters() {
    var box = el("div", { cls: "filters", id: "filters" });
    var input = el("input", { type: "search", id: "field-filter", placeholder: "Filter by field, e.g. customer_email", list: "fields", "aria-label": "Filter by field" });
    input.value = state.text;
    input.addEventListener("input", function () { state.text = input.value.trim().toLowerCase(); redraw(); });
    var options = el("datalist", { id: "fields" });
    var known = {};
    data.summary.forEach(function (line) { if (!known[line.source]) { known[line.source] = 1; options.appendChild(el("option", { value: line.source })); } });
    box.appendChild(el("label", null, [document.createTextNode("Field "), input]));
    box.appendChild(options);
    ["l", "c", "d", "m"].forEach(function (fate) {
      var check = el("input", { type: "checkbox", id: "fate-" + FATES[fate], "data-fate": FATES[fate] });
      check.checked = state.fates[fate];
      check.addEventListener("change", function () { state.fates[fate] = check.checked; redraw(); });
      box.appendChild(el("label", null, [check, document.createTextNode(" "), fateBadge(fate)]));
    });
    var shown = el("span", { cls: "muted", id: "shown" });
    box.appendChild(shown);
    var expand = el("button", { type: "button", id: "expand-all", text: "Expand shown" });
    expand.addEventListener("click", function () { openShown(true); });
    var collapse = el("button", { type: "button", id: "collapse-all", text: "Collapse all" });
    collapse.addEventListener("click", function () { openShown(false); });
    box.appendChild(expand);
    box.appendChild(collapse);
    return box;
  }
  function summarySection() {
    var body = el("tbody");
    data.summary.forEach(function (line) {
      var fate = ACTION_FATE[line.action];
      var pick = el("button", { cls: "field", type: "button", text: line.source, title: "Filter by this field" });
      pick.addEventListener("click", function () {
        var input = document.getElementById("field-filter");
        input.value = line.source; state.text = line.source.toLowerCase(); redraw();
      });
      var reason = line.reason + (line.other_reasons ? " (and " + line.other_reasons + " with other reasons)" : "");
      body.appendChild(el("tr", { "data-fate": line.action, "data-field": line.source }, [
        el("td", null, [fateBadge(fate)]), el("td", { cls: "mono" }, [pick]),
        el("td", { cls: "mono", text: line.target || "" }), el("td", { cls: "count", text: line.count.toLocaleString("en") }),
        el("td", { text: reason }),
      ]));
    });
    var table = el("table", { id: "summary" }, [
      el("thead", null, [el("tr", null, ["Fate", "Source field", "Target field", "Count", "Reason"].map(function (h) { return el("th", { text: h }); }))]),
      body,
    ]);
    var empty = el("p", { cls: "muted", text: "Nothing lost, derived or carried: every value reached the target as it is." });
    return el("section", null, [el("h2", { text: "By field" }), data.summary.length ? table : empty]);
  }
  function rowsSection() {
    var body = el("tbody");
    data.rows.forEach(function (row) {
      body.appendChild(el("tr", null, [
        el("td", { cls: "mono", text: row[0] || "\u2014" }), el("td", { cls: "mono", text: row[1] || "\u2014" }),
        el("td", { text: row[2] }), el("td", { cls: "count", text: row[4].toLocaleString("en") }), el("td", { text: row[3] }),
      ]));
    });
    var table = el("table", { id: "crosswalk" }, [
      el("thead", null, [el("tr", null, ["Talkdesk", "Dexero", "Rule", "Values", "Note"].map(function (h) { return el("th", { text: h }); }))]),
      body,
    ]);
    return el("section", null, [el("details", null, [
      el("summary", null, [el("h2", { text: "Crosswalk rows that applied (" + data.rows.length + ")", style: "display:inline" })]),
      table,
    ])]);
  }
  function orderItem(item, index) {
    var counts = item.counts;
    var summary = el("summary", null, [el("span", { cls: "name", text: item.label })]);
    ["l", "c", "d"].forEach(function (fate) {
      if (counts[fate]) summary.appendChild(fateBadge(fate, counts[fate] + " " + FATES[fate]));
    });
    summary.appendChild(el("span", { cls: "muted", text: plural(counts.m || 0, "value") + " mapped" }));
    var details = el("details", { cls: "order", "data-order": String(index) }, [summary]);
    details.addEventListener("toggle", function () {
      if (details.open && !details.querySelector(".sides")) details.appendChild(drawSides(item));
    });
    return details;
  }
  var orderNodes = [];
  var pageNode = null;
  function ordersSection() {
    var list = el("div", { id: "orders" });
    orderNodes = data.orders.map(function (item, index) {
      var node = orderItem(item, index);
      list.appendChild(node);
      return node;
    });
    if (data.orders.length === 1) orderNodes[0].open = true;
    var parts = [el("h2", { text: data.orders.length === 1 ? "The order" : "Orders" })];
    if (data.page) {
      pageNode = el("details", { cls: "order", id: "page-members" }, [el("summary", null, [el("span", { cls: "name", text: "Page members (outside the orders)" })])]);
      pageNode.addEventListener("toggle", function () {
        if (pageNode.open && !pageNode.querySelector(".sides")) pageNode.appendChild(drawSides(data.page));
      });
      parts.push(pageNode);
    }
    parts.push(list);
    return el("section", null, parts);
  }
  function openShown(open) {
    orderNodes.forEach(function (node) { if (!node.classList.contains("hidden")) node.open = open; });
  }
  function orderShown(item) {
    if (!filtering()) return true;
    var seen = {};
    return anyMatch(item.source, item.source_at, seen) || (item.target ? anyMatch(item.target, item.target_at, seen) : false);
  }
  function redraw() {
    var shown = 0;
    data.orders.forEach(function (item, index) {
      var node = orderNodes[index];
      var visible = orderShown(item);
      node.classList.toggle("hidden", !visible);
      if (visible) shown += 1;
      var drawn = node.querySelector(".sides");
      if (drawn) { drawn.remove(); if (node.open) node.appendChild(drawSides(item)); }
    });
    if (pageNode) {
      var drawnPage = pageNode.querySelector(".sides");
      if (drawnPage) { drawnPage.remove(); if (pageNode.open) pageNode.appendChild(drawSides(data.page)); }
    }
    document.querySelectorAll("#summary tbody tr").forEach(function (row) {
      var fate = ACTION_FATE[row.getAttribute("data-fate")];
      var name = row.getAttribute("data-field").toLowerCase();
      row.classList.toggle("hidden", !(state.fates[fate] && (state.text === "" || name.indexOf(state.text) !== -1)));
    });
    var label = document.getElementById("shown");
    if (label) label.textContent = shown.toLocaleString("en") + " of " + plural(data.orders.length, "order") + " shown";
  }
  function reveal(pointer) {
    var holder = null;
    data.orders.forEach(function (item, index) {
      if (pointer === item.source_at || pointer.indexOf(item.source_at + "/") === 0) holder = orderNodes[index];
    });
    if (!holder && data.page) holder = pageNode;
    if (!holder) return;
    holder.classList.remove("hidden");
    holder.open = true;
    if (!holder.querySelector(".sides")) holder.dispatchEvent(new Event("toggle"));
    var found = null;
    holder.querySelectorAll(".source li").forEach(function (li) { if (li.getAttribute("data-pointer") === pointer) found = li; });
    if (found) {
      found.classList.add("flash");
      found.scrollIntoView({ block: "center" });
    }
  }

  function draw(payload) {
    data = payload;
    state.text = "";
    app.textContent = "";
    app.appendChild(header());
    var problems = problemsSection();
    if (problems) app.appendChild(problems);
    app.appendChild(filters());
    app.appendChild(summarySection());
    app.appendChild(rowsSection());
    app.appendChild(ordersSection());
    redraw();
  }
  function drawProblems(payload) {
    data = null;
    app.textContent = "";
    app.appendChild(el("div", { cls: "banner error", id: "error" }, [
      el("strong", { text: payload.title || "The payload cannot be explained" }),
      problemList(payload.problems, null),
    ]));
  }

  window.ordermapExplain = { draw: draw, drawProblems: drawProblems };

  // --- the served page's form (ordermap serve) ----------------------------------------------

  var form = document.getElementById("play");
  if (form) {
    var payload = document.getElementById("payload");
    var status = document.getElementById("status");
    var dropped = null;  // a dropped file is sent as its bytes, not as the text shown
    payload.addEventListener("input", function () { dropped = null; });
    payload.addEventListener("dragover", function (event) { event.preventDefault(); payload.classList.add("drop"); });
    payload.addEventListener("dragleave", function () { payload.classList.remove("drop"); });
    payload.addEventListener("drop", function (event) {
      event.preventDefault();
      payload.classList.remove("drop");
      var file = event.dataTransfer && event.dataTransfer.files[0];
      if (!file) return;
      dropped = file;
      file.text().then(function (text) { payload.value = text; status.textContent = file.name + " (" + file.size.toLocaleString("en") + " bytes)"; });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = "to=" + encodeURIComponent(document.getElementById("to").value) +
        "&mode=" + encodeURIComponent(document.getElementById("mode").value);
      var source = document.getElementById("from").value;
      if (source) query += "&from=" + encodeURIComponent(source);
      status.textContent = "Explaining\u2026";
      fetch("explain?" + query, { method: "POST", body: dropped || payload.value, headers: { "Content-Type": "application/octet-stream" } })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.ok) { draw(answer.data); status.textContent = ""; }
          else { drawProblems(answer); status.textContent = answer.title; }
        })
        .catch(function (error) { drawProblems({ title: "The server did not answer", problems: [{ severity: "error", code: "no-answer", message: String(error), where: "" }] }); status.textContent = ""; });
    });
  }
  var embedded = document.getElementById("ordermap-data");
  if (embedded && embedded.textContent.trim()) {
    draw(JSON.parse(embedded.textContent));
  }
})();
