"use strict";
// Search box of the index page: ranked search over the prebuilt index (search.py builds it).
// Every word of the query must start a token of a hit; exact names and identifiers rank first,
// then (for several words) hits whose study, drug and endpoint the words name, then studies,
// then entities, then statements; case, accents, hyphens and Greek letters fold.
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
    const prefix = ts => w => ts.some(t => t.startsWith(w));
    for (const n of data.index) {
      if (!ws.every(prefix(n.tokens))) continue;
      const whole = ws.filter(w => n.tokens.includes(w)).length;  // words matched whole
      // With several words, what each names counts: a statement whose study, drug and endpoint
      // the words name ('MISSION PFS') before one that merely mentions them; among those,
      // studies, then comparisons, then results; the regimen the words name whole, then the
      // higher phase first.
      const about = n.about ? Object.values(n.about) : [];
      const named = ws.length > 1 ? ws.filter(w => about.some(ts => prefix(ts)(w))).length : 0;
      const all = named > 0 && named === ws.length;
      const regimen = all && n.regimen.length > 0 && n.regimen.every(d => ws.some(w => d.startsWith(w)));
      hits.push({n: n, key: [n.exact.includes(exact) ? 0 : 1, -named, all ? n.focus : 0,
                             regimen ? 0 : 1, all ? -n.phase : 0, n.tier, -whole,
                             n.label.length]});
    }
    hits.sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return a.n.label.localeCompare(b.n.label);
    });
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
