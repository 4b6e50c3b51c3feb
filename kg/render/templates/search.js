"use strict";
// Search box of the index page: finds a node by label, synonym or identifier.
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const box = document.getElementById("search"), list = document.getElementById("results");
  function run() {
    const q = box.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) return;
    let shown = 0;
    for (const n of data.index) {
      const hay = [n.label, ...n.synonyms, ...n.ids].map(s => s.toLowerCase());
      if (!hay.some(s => s.includes(q))) continue;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = n.label;  // text only: labels are never parsed as HTML
      a.href = n.page ? n.page : "overview.html#focus=" + encodeURIComponent(n.id);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — " + n.type +
        (n.ids.length ? " (" + n.ids.slice(0, 3).join(", ") + ")" : "")));
      list.appendChild(li);
      if (++shown >= 50) break;
    }
    if (!shown) list.appendChild(document.createTextNode("nothing found"));
  }
  box.addEventListener("input", run);
  run();
})();
