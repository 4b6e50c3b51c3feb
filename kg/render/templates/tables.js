"use strict";
// Every table.data sorts by a click on its header and downloads as CSV (built in the page, no
// network). Rows that carry data-indication / data-drug / data-endpoint can be filtered by the
// menus of a #filters block (the report), which also filters forest-plot and dot-plot rows.
(function () {
  const FACETS = ["indication", "endpoint", "drug"];

  function bodyRows(table) {
    return Array.from(table.rows).filter(r => r.cells.length && r.cells[0].tagName === "TD");
  }
  function headerRow(table) {
    return Array.from(table.rows).find(r => r.cells.length && r.cells[0].tagName === "TH");
  }
  function cellText(cell) { return cell ? cell.textContent.trim() : ""; }
  function number(text) {
    const m = text.replace(/−/g, "-").match(/^[<>≤=p\s]*(-?\d+(?:\.\d+)?)/);
    return m ? parseFloat(m[1]) : NaN;
  }
  function sortBy(table, col, th) {
    const rows = bodyRows(table);
    const texts = rows.map(r => cellText(r.cells[col]));
    const numeric = texts.every(t => t === "" || !isNaN(number(t)));
    const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    const order = rows.map((r, i) => i).sort((a, b) => {
      const x = texts[a], y = texts[b];
      if (x === "" || y === "") return (x === "") - (y === "") || a - b;  // blanks last
      const c = numeric ? number(x) - number(y) : x.localeCompare(y, undefined, {numeric: true});
      return dir * c || a - b;
    });
    const parent = rows.length ? rows[0].parentNode : table;
    for (const i of order) parent.appendChild(rows[i]);
    for (const h of headerRow(table).cells) h.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  }
  function csvField(text) {
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  // The CSV of what the table shows: its header and the rows not filtered out, in page order.
  function tableCsv(table) {
    const rows = [headerRow(table), ...bodyRows(table).filter(r => !r.classList.contains("filtered-out"))];
    return rows.map(r => Array.from(r.cells).map(c => csvField(cellText(c))).join(",")).join("\r\n") + "\r\n";
  }
  window.kgTableCsv = tableCsv;

  // Long tables and lists show a page of rows at a time (a graph of 3,000 studies has 12,000
  // outcome rows): sorting, filtering and the CSV download still see every row.
  const PAGE = 100;
  const pagers = [];
  function pager(container, items) {
    const bar = document.createElement("div");
    bar.className = "pager";
    const prev = document.createElement("button"), next = document.createElement("button");
    const where = document.createElement("span");
    prev.type = next.type = "button";
    prev.textContent = "◀ previous"; next.textContent = "next ▶";
    bar.append(prev, where, next);
    container.parentNode.insertBefore(bar, container.nextSibling);
    const state = {page: 0};
    function show() {
      const rows = items().filter(r => !r.classList.contains("filtered-out"));
      const pages = Math.max(1, Math.ceil(rows.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      const first = state.page * PAGE;
      for (const r of items()) r.classList.add("paged-out");
      rows.slice(first, first + PAGE).forEach(r => r.classList.remove("paged-out"));
      where.textContent = " " + (rows.length ? first + 1 : 0) + "–" +
        Math.min(first + PAGE, rows.length) + " of " + rows.length + " ";
      prev.disabled = state.page === 0; next.disabled = state.page >= pages - 1;
    }
    prev.addEventListener("click", () => { state.page -= 1; show(); });
    next.addEventListener("click", () => { state.page += 1; show(); });
    show();
    pagers.push(show);
    return show;
  }
  window.kgRepage = () => pagers.forEach(show => show());

  const tables = Array.from(document.querySelectorAll("table.data"));
  tables.forEach((table, n) => {
    const head = headerRow(table);
    if (!head) return;
    Array.from(head.cells).forEach((th, col) => {
      th.classList.add("sortable");
      th.title = "sort by " + th.textContent;
      th.addEventListener("click", () => sortBy(table, col, th));
    });
    const tools = document.createElement("div");
    tools.className = "table-tools";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Download CSV";
    button.className = "csv";
    const name = (table.id || "table-" + (n + 1)) + ".csv";
    button.addEventListener("click", () => {
      const blob = new Blob([tableCsv(table)], {type: "text/csv;charset=utf-8"});
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    tools.appendChild(button);
    table.parentNode.insertBefore(tools, table);
    if (bodyRows(table).length > PAGE) {
      const repage = pager(table, () => bodyRows(table));
      head.addEventListener("click", () => repage());  // after a sort: the first rows again
    }
  });
  for (const list of document.querySelectorAll("ul.paged")) {
    if (list.children.length > PAGE) pager(list, () => Array.from(list.children));
  }

  const box = document.getElementById("filters");
  if (!box || box.tagName !== "DIV" || !box.classList.contains("filters")) return;
  const filtered = Array.from(document.querySelectorAll(
    "tr[data-indication], g.hr-row[data-indication], g.ae-row[data-indication]"));
  const chosen = {};
  function apply() {
    for (const el of filtered) {
      const keep = FACETS.every(f => {
        if (!chosen[f] || !el.hasAttribute("data-" + f)) return true;  // not applicable: keep
        return el.getAttribute("data-" + f).split("|").includes(chosen[f]);
      });
      el.classList.toggle("filtered-out", !keep);
    }
    window.kgRepage();
  }
  for (const f of FACETS) {
    const values = new Set();
    for (const el of filtered) {
      for (const v of (el.getAttribute("data-" + f) || "").split("|")) if (v) values.add(v);
    }
    const label = document.createElement("label");
    label.textContent = f + ": ";
    const select = document.createElement("select");
    select.id = "filter-" + f;
    select.appendChild(new Option("all", ""));
    for (const v of Array.from(values).sort()) select.appendChild(new Option(v, v));
    select.addEventListener("change", () => { chosen[f] = select.value; apply(); });
    label.appendChild(select);
    box.appendChild(label);
  }
})();
