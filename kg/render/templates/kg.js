"use strict";
// Shared page logic: draw the network, stop physics once stable, filters, the info panel.
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const container = document.getElementById("network");
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const hidden = new Set();
  const nodeView = new vis.DataView(nodes, {filter: n => !hidden.has(n.kind)});
  const options = data.options;
  const network = new vis.Network(container, {nodes: nodeView, edges: edges}, options);
  if (data.view) {  // a precomputed layout: open at its own scale so labels keep their size
    network.moveTo({position: {x: data.view.x, y: data.view.y}, scale: data.view.scale});
  }
  window.kgNetwork = network;
  window.kgNodeCount = data.nodes.length;
  window.kgStable = false;
  // Fit every node's box (shape and label) into the graph area, on load and on every resize,
  // never above the layout's own scale (a precomputed layout opens at scale 1 so its labels
  // keep their size); once the reader zooms or drags the view, resizing leaves it alone.
  const maxScale = data.view ? data.view.scale : 1;
  let moved = false;
  function fit() {
    const w = container.clientWidth, h = container.clientHeight, ids = nodeView.getIds();
    if (!w || !h || !ids.length) return;
    network.setSize("100%", "100%");  // the canvas takes the container's new size first
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const b = network.getBoundingBox(id);
      if (!b) continue;
      x0 = Math.min(x0, b.left); y0 = Math.min(y0, b.top);
      x1 = Math.max(x1, b.right); y1 = Math.max(y1, b.bottom);
    }
    if (!isFinite(x0)) return;
    const pad = 12;
    const scale = Math.min(maxScale, (w - 2 * pad) / Math.max(x1 - x0, 1),
                           (h - 2 * pad) / Math.max(y1 - y0, 1));
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: scale});
    container.dataset.fit = w + "x" + h;
  }
  window.kgFit = fit;
  network.on("zoom", () => { moved = true; });
  network.on("dragEnd", params => { if (!params.nodes.length) moved = true; });
  if (window.ResizeObserver) {
    let pending = 0;
    new ResizeObserver(() => {
      if (moved || !window.kgStable) return;
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(fit);
    }).observe(container);
  }
  const focus = new URLSearchParams(location.hash.slice(1)).get("focus");
  function stop() {
    if (window.kgStable) return;
    network.setOptions({physics: false});
    fit();
    if (focus && data.info[focus]) {  // a link to one node: show it, and keep the view there
      network.selectNodes([focus]);
      network.focus(focus, {scale: Math.max(network.getScale(), 1)});
      moved = true;
    }
    window.kgStable = true;
    container.dataset.status = "stable";
  }
  network.once("stabilizationIterationsDone", stop);
  network.once("stabilized", stop);
  if (!options.physics || options.physics.enabled === false) {
    network.once("afterDrawing", () => setTimeout(stop, 0));  // labels are measured by then
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;  // text only: never parsed as HTML
    if (cls) e.className = cls;
    return e;
  }
  function show(id) {
    const info = data.info[id];
    const panel = document.getElementById("info");
    panel.textContent = "";
    if (!info) return;
    panel.appendChild(el("h2", info.label));
    panel.appendChild(el("p", info.type, "type"));
    if (info.page && info.page !== data.self) {
      const a = el("a", "open its page"); a.href = data.root + info.page; panel.appendChild(a);
    }
    if (info.synonyms.length) panel.appendChild(el("p", "also: " + info.synonyms.join(", "), "syn"));
    if (info.ids.length) {
      const ul = el("ul", undefined, "ids");
      for (const [curie, url] of info.ids) {
        const li = el("li");
        if (url) { const a = el("a", curie); a.href = url; a.rel = "noreferrer"; li.appendChild(a); }
        else li.textContent = curie;
        ul.appendChild(li);
      }
      panel.appendChild(ul);
    }
    if (info.facts.length) {
      const table = el("table", undefined, "facts");
      for (const [k, v] of info.facts) {
        const tr = table.insertRow();
        tr.appendChild(el("th", k)); tr.appendChild(el("td", v));
      }
      panel.appendChild(table);
    }
    for (const q of info.quotes) {
      const block = el("blockquote", "“" + q.quote + "”", "quote");
      panel.appendChild(block);
      panel.appendChild(el("p", q.document + ", characters " + q.start + "–" + q.end +
                                (q.sentence ? ", sentence " + q.sentence : ""), "where"));
    }
  }
  // An aggregated overview: a group node lists its studies and can show them in the graph,
  // laid out in columns beside the group (no physics), and hide them again.
  const shown = {};
  function expand(id) {
    const members = data.groups[id];
    if (shown[id]) {
      edges.remove(shown[id].map(iri => id + " > " + iri));
      nodes.remove(shown[id]);
      shown[id] = null;
      return false;
    }
    const at = network.getPositions([id])[id];
    const perColumn = 40, ids = [], added = [], links = [];
    members.forEach(([caption, label, page, iri], i) => {
      if (nodes.get(iri)) return;
      ids.push(iri);
      added.push({id: iri, label: caption, title: label, kind: "study",
                  color: data.study_style.color, shape: data.study_style.shape,
                  x: at.x + 260 + 230 * Math.floor(i / perColumn),
                  y: at.y + 30 * (i % perColumn) - 15 * Math.min(perColumn, members.length)});
      links.push({id: id + " > " + iri, from: id, to: iri, title: "member"});
      data.info[iri] = {label: label, type: "study", page: page || null, synonyms: [], ids: [],
                        facts: [], quotes: []};
    });
    nodes.add(added);
    edges.add(links);
    shown[id] = ids;
    network.fit({nodes: [id].concat(ids), maxZoomLevel: 1});  // the group and its studies
    moved = true;
    return true;
  }
  window.kgExpand = expand;
  function groupList(id) {
    const members = data.groups[id];
    const panel = document.getElementById("info");
    const button = el("button", shown[id] ? "Hide its studies" : "Show its " + members.length +
                      " studies in the graph", "expand");
    button.type = "button";
    button.addEventListener("click", () => {
      button.textContent = expand(id) ? "Hide its studies"
        : "Show its " + members.length + " studies in the graph";
    });
    panel.appendChild(button);
    const ul = el("ul", undefined, "members");
    for (const [caption, label, page] of members) {
      const li = el("li");
      if (page) { const a = el("a", caption); a.href = data.root + page; a.title = label; li.appendChild(a); }
      else li.textContent = caption;
      ul.appendChild(li);
    }
    panel.appendChild(ul);
  }
  window.kgShow = data.groups ? id => { show(id); if (data.groups[id]) groupList(id); } : show;
  const showNode = window.kgShow;
  network.on("click", params => { if (params.nodes.length) showNode(params.nodes[0]); });
  for (const box of document.querySelectorAll("#filters input")) {
    box.addEventListener("change", () => {
      if (box.checked) hidden.delete(box.dataset.kind); else hidden.add(box.dataset.kind);
      nodeView.refresh();
    });
  }
  if (focus && data.info[focus]) showNode(focus);
})();
