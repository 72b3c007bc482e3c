// newstrace: a little interaction on server-rendered pages. No third-party code, no inline handlers.
"use strict";

function networkHover() {
  const svg = document.getElementById("network");
  if (!svg) return;
  const info = document.getElementById("netinfo");
  const edges = Array.from(svg.querySelectorAll("line.nedge"));
  const nodes = Array.from(svg.querySelectorAll("a.site"));
  function show(site) {
    const near = new Set([site]);
    const from = [], to = [];
    for (const e of edges) {
      const s = e.dataset.source, c = e.dataset.copy;
      const on = s === site || c === site;
      e.classList.toggle("dim", !on);
      if (on) { near.add(s); near.add(c); }
      if (c === site) from.push(s);
      if (s === site) to.push(c);
    }
    for (const n of nodes) n.classList.toggle("dim", !near.has(n.dataset.site));
    if (info) {
      info.replaceChildren();
      const h = document.createElement("h3");
      h.textContent = site;
      info.append(h);
      for (const [label, list] of [["copies from", from], ["copied by", to]]) {
        const p = document.createElement("p");
        p.textContent = label + ": " + (list.length ? list.join(", ") : "none");
        info.append(p);
      }
    }
  }
  function clear() {
    for (const e of edges) e.classList.remove("dim");
    for (const n of nodes) n.classList.remove("dim");
  }
  for (const n of nodes) {
    n.addEventListener("mouseenter", () => show(n.dataset.site));
    n.addEventListener("focus", () => show(n.dataset.site));
    n.addEventListener("mouseleave", clear);
    n.addEventListener("blur", clear);
  }
}

function storyHighlight() {
  const svg = document.getElementById("story-tree");
  if (!svg) return;
  const here = svg.querySelector("a.node.here");
  if (here && here.scrollIntoView) here.scrollIntoView({block: "center", inline: "nearest"});
}

document.addEventListener("DOMContentLoaded", () => { networkHover(); storyHighlight(); });
