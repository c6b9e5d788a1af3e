// Findings table, filters, sorting, paging and the per-object panel.
// Data comes from the JSON blob only; every value reaches the page through textContent,
// never innerHTML, so names and messages from the estate cannot inject markup.
(function () {
  "use strict";
  const PAGE_SIZE = 100;
  const data = JSON.parse(document.getElementById("findings-data").textContent);
  const rows = data.findings; // [check, status, severity, object, message, evidence]
  const C = 0, ST = 1, SEV = 2, OBJ = 3, MSG = 4, EV = 5;
  // FAIL first, as the engine sorts; PASS last
  const STATUS_ORDER = { FAIL: 0, ERROR: 1, UNKNOWN: 2, SKIPPED: 3, PASS: 4 };
  const statusRank = data.statuses.map((s) => STATUS_ORDER[s]);

  const state = { text: "", family: "", severity: "", status: "", sortKey: null, sortDir: 1, page: 0 };
  let view = rows.map((_, i) => i);
  let haystacks = null; // lower-case search text per row, built on first text filter

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function fillSelect(select, values) {
    values.forEach((v) => select.appendChild(new Option(v, v)));
  }
  fillSelect($("filter-family"), data.families);
  fillSelect($("filter-severity"), data.severities.slice().reverse());
  fillSelect($("filter-status"), data.statuses);

  function haystack(i) {
    const r = rows[i], chk = data.checks[r[C]], obj = data.objects[r[OBJ]];
    return [chk[0], chk[1], chk[2], obj[1], obj[2], obj[3], r[MSG], r[EV]].join("\u0001").toLowerCase();
  }

  const sorters = {
    severity: (i) => -rows[i][SEV],
    status: (i) => statusRank[rows[i][ST]],
    check: (i) => data.checks[rows[i][C]][0],
    family: (i) => data.checks[rows[i][C]][3],
    object: (i) => data.objects[rows[i][OBJ]][2].toLowerCase(),
    message: (i) => rows[i][MSG].toLowerCase(),
  };

  function applyFilters() {
    const text = state.text.trim().toLowerCase();
    const fam = state.family === "" ? -1 : data.families.indexOf(state.family);
    const sev = state.severity === "" ? -1 : data.severities.indexOf(state.severity);
    const st = state.status === "" ? -1 : data.statuses.indexOf(state.status);
    if (text && haystacks === null) haystacks = rows.map((_, i) => haystack(i));
    const out = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (sev >= 0 && r[SEV] !== sev) continue;
      if (st >= 0 && r[ST] !== st) continue;
      if (fam >= 0 && data.checks[r[C]][3] !== fam) continue;
      if (text && haystacks[i].indexOf(text) < 0) continue;
      out.push(i);
    }
    if (state.sortKey) {
      const key = sorters[state.sortKey], dir = state.sortDir;
      const keys = new Map(out.map((i) => [i, key(i)]));
      out.sort((a, b) => {
        const ka = keys.get(a), kb = keys.get(b);
        return ka < kb ? -dir : ka > kb ? dir : a - b; // ties keep the engine's order
      });
    }
    view = out;
    state.page = 0;
    render();
  }

  function severityBadge(sevIndex) {
    const name = data.severities[sevIndex];
    return el("span", "sev sev-" + name, name);
  }

  function objectButton(objIndex) {
    const obj = data.objects[objIndex];
    const button = el("button", "object-link", obj[2]);
    button.type = "button";
    button.dataset.object = String(objIndex);
    button.title = obj[0] + " " + obj[1];
    return button;
  }

  function render() {
    const body = $("findings-body");
    const pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE_SIZE, end = Math.min(view.length, start + PAGE_SIZE);
    const frag = document.createDocumentFragment();
    for (let k = start; k < end; k++) {
      const r = rows[view[k]], chk = data.checks[r[C]], obj = data.objects[r[OBJ]];
      const tr = el("tr");
      const sevCell = el("td"); sevCell.appendChild(severityBadge(r[SEV])); tr.appendChild(sevCell);
      tr.appendChild(el("td", "st-" + data.statuses[r[ST]], data.statuses[r[ST]]));
      const checkCell = el("td", null, chk[0] + " ");
      checkCell.appendChild(el("span", "note", chk[2]));
      tr.appendChild(checkCell);
      tr.appendChild(el("td", null, data.families[chk[3]]));
      const objCell = el("td");
      objCell.appendChild(el("span", "objtype", obj[0]));
      objCell.appendChild(objectButton(r[OBJ]));
      tr.appendChild(objCell);
      tr.appendChild(el("td", null, r[MSG] || chk[2]));
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    const filtered = view.length === rows.length ? "" : " (filtered from " + rows.length + ")";
    $("match-count").textContent = view.length + " findings" + filtered;
    $("match-count").dataset.count = String(view.length);
    $("page-info").textContent = view.length
      ? "rows " + (start + 1) + "–" + end + " of " + view.length + ", page " + (state.page + 1) + " of " + pages
      : "no finding matches";
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
  }

  // --- per-object panel -------------------------------------------------------------------------
  let byObject = null;
  function findingsOf(objIndex) {
    if (byObject === null) {
      byObject = new Map();
      rows.forEach((r, i) => {
        const list = byObject.get(r[OBJ]);
        if (list) list.push(i); else byObject.set(r[OBJ], [i]);
      });
    }
    return byObject.get(objIndex) || [];
  }

  function openObject(objIndex) {
    const obj = data.objects[objIndex];
    if (!obj) return;
    $("object-title").textContent = obj[0] + " " + obj[2];
    const facts = $("object-facts");
    facts.replaceChildren();
    [["type", obj[0]], ["id", obj[1]], ["cluster", obj[3] || "—"]].forEach(([k, v]) => {
      facts.appendChild(el("dt", null, k));
      facts.appendChild(el("dd", null, v));
    });
    const list = $("object-findings");
    list.replaceChildren();
    const mine = findingsOf(objIndex);
    list.appendChild(el("p", "note", mine.length + " finding(s)"));
    mine.forEach((i) => {
      const r = rows[i], chk = data.checks[r[C]];
      const box = el("div", "object-finding");
      const head = el("div");
      head.appendChild(severityBadge(r[SEV]));
      head.appendChild(el("strong", "st-" + data.statuses[r[ST]], " " + data.statuses[r[ST]] + " "));
      head.appendChild(el("span", null, chk[0] + " " + chk[2]));
      box.appendChild(head);
      if (r[MSG]) box.appendChild(el("div", null, r[MSG]));
      if (r[EV]) box.appendChild(el("div", "evidence", r[EV]));
      if (chk[4]) box.appendChild(el("div", "remediation", "Remediation: " + chk[4]));
      if (chk[5]) box.appendChild(el("div", "note", "References: " + chk[5]));
      list.appendChild(box);
    });
    $("object-panel").hidden = false;
    const hash = "#object=" + encodeURIComponent(obj[0] + ":" + obj[1]);
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function openFromHash() {
    const m = /^#object=(.+)$/.exec(location.hash);
    if (!m) return;
    const key = decodeURIComponent(m[1]);
    const idx = data.objects.findIndex((o) => o[0] + ":" + o[1] === key);
    if (idx >= 0) openObject(idx);
  }

  function closeObject() {
    $("object-panel").hidden = true;
    if (location.hash.indexOf("#object=") === 0) history.replaceState(null, "", "#findings");
  }

  // --- wiring -----------------------------------------------------------------------------------
  let textTimer = null;
  $("filter-text").addEventListener("input", (e) => {
    clearTimeout(textTimer);
    textTimer = setTimeout(() => { state.text = e.target.value; applyFilters(); }, 150);
  });
  [["filter-family", "family"], ["filter-severity", "severity"], ["filter-status", "status"]].forEach(([id, key]) => {
    $(id).addEventListener("change", (e) => { state[key] = e.target.value; applyFilters(); });
  });
  document.querySelectorAll("#findings-table th[data-sort]").forEach((th) => {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      state.sortDir = state.sortKey === key ? -state.sortDir : 1;
      state.sortKey = key;
      document.querySelectorAll("#findings-table th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
      th.classList.add(state.sortDir === 1 ? "sorted-asc" : "sorted-desc");
      applyFilters();
    });
  });
  $("page-prev").addEventListener("click", () => { state.page -= 1; render(); });
  $("page-next").addEventListener("click", () => { state.page += 1; render(); });
  $("findings-body").addEventListener("click", (e) => {
    const button = e.target.closest("button.object-link");
    if (button) openObject(Number(button.dataset.object));
  });
  $("object-close").addEventListener("click", closeObject);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeObject(); });
  window.addEventListener("hashchange", openFromHash);
  document.querySelectorAll("button.show-family").forEach((b) => {
    b.addEventListener("click", () => {
      $("filter-family").value = b.dataset.family;
      state.family = b.dataset.family;
      applyFilters();
      $("findings").scrollIntoView();
    });
  });

  // small static tables (check statistics): click a header to sort by that column
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("th").forEach((th, col) => {
      th.addEventListener("click", () => {
        const numeric = th.hasAttribute("data-num");
        const dir = th.classList.contains("sorted-desc") ? 1 : -1;
        const body = table.tBodies[0];
        const trs = Array.from(body.rows);
        const val = (tr) => (numeric ? Number(tr.cells[col].textContent) : tr.cells[col].textContent.toLowerCase());
        trs.sort((a, b) => (val(a) < val(b) ? -dir : val(a) > val(b) ? dir : 0));
        table.querySelectorAll("th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
        th.classList.add(dir === 1 ? "sorted-asc" : "sorted-desc");
        body.replaceChildren(...trs);
      });
    });
  });

  // compliance table (only with a baseline profile): filter rows by status and text
  const controlTable = $("compliance-table");
  if (controlTable) {
    const filterControls = () => {
      const text = $("control-filter-text").value.trim().toLowerCase();
      const status = $("control-filter-status").value;
      let shown = 0;
      Array.from(controlTable.tBodies[0].rows).forEach((tr) => {
        const visible = (!status || tr.dataset.status === status) &&
          (!text || tr.textContent.toLowerCase().indexOf(text) >= 0);
        tr.hidden = !visible;
        if (visible) shown += 1;
      });
      $("control-count").textContent = shown + " controls";
    };
    $("control-filter-text").addEventListener("input", filterControls);
    $("control-filter-status").addEventListener("change", filterControls);
    document.querySelectorAll("#compliance-counts .card").forEach((card) => {
      card.addEventListener("click", () => {
        $("control-filter-status").value = card.className.replace(/.*control-/, "");
        filterControls();
      });
    });
  }

  applyFilters();
  openFromHash();
})();
