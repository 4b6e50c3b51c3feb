"use strict";
// Search box of the index page: ranked search over the prebuilt index (search.py builds it).
// Every word of the query must start a token of a hit; exact names and identifiers rank first,
// then studies, then entities, then statements; case, accents, hyphens and Greek letters fold.
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const box = document.getElementById("search"), list = document.getElementById("results");
  function fold(text) {
    let out = "";
    for (const c of text.toLowerCase()) out += data.greek[c] || c;
    return out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(q) {
    return fold(q).split(/\s+/).map(w => w.replace(/[^0-9a-z]/g, "")).filter(Boolean);
  }
  function rank(q) {
    const ws = words(q), exact = ws.join("");
    const hits = [];
    if (!ws.length) return hits;
    for (const n of data.index) {
      if (!ws.every(w => n.tokens.some(t => t.startsWith(w)))) continue;
      const whole = ws.filter(w => n.tokens.includes(w)).length;  // words matched whole
      hits.push({n: n, key: [n.exact.includes(exact) ? 0 : n.tier, -whole, n.label.length]});
    }
    hits.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] ||
                        a.n.label.localeCompare(b.n.label));
    return hits.map(h => h.n);
  }
  window.kgSearch = q => rank(q).map(n => n.label);
  function run() {
    list.textContent = "";
    if (!box.value.trim()) return;
    const hits = rank(box.value);
    for (const n of hits.slice(0, 50)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = n.label;  // text only: labels are never parsed as HTML
      a.href = n.page ? n.page : "overview.html#focus=" + encodeURIComponent(n.id);
      const type = document.createElement("span");
      type.className = "hit-type";
      type.textContent = n.type;
      li.appendChild(type);
      li.appendChild(a);
      list.appendChild(li);
    }
    if (!hits.length) list.appendChild(document.createTextNode("nothing found"));
    else if (hits.length > 50) list.appendChild(document.createTextNode(hits.length + " hits, the first 50 shown"));
  }
  box.addEventListener("input", run);
  run();
})();
