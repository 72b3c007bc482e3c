// API docs rendered from /openapi.json with DOM text nodes only (no third-party viewer, nothing from a CDN).
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function typeOf(schema) {
  if (!schema) return "";
  if (schema.type) return schema.type;
  if (schema.anyOf) return schema.anyOf.map(typeOf).filter(Boolean).join(" | ");
  return "";
}

function render(box, spec) {
  box.replaceChildren();
  for (const [path, ops] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(ops)) {
      const section = el("section", undefined, "endpoint");
      const h = el("h3");
      h.append(el("span", method.toUpperCase(), "method"), document.createTextNode(" "), el("code", path));
      section.append(h, el("p", op.summary || ""));
      if (op.description) section.append(el("p", op.description, "muted"));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table", undefined, "results params");
        const head = el("tr");
        for (const t of ["parameter", "in", "type", "required", "default", "description"]) head.append(el("th", t));
        table.append(head);
        for (const p of params) {
          const row = el("tr");
          const s = p.schema || {};
          for (const v of [p.name, p.in, typeOf(s), p.required ? "yes" : "", s.default === undefined ? "" : String(s.default),
            p.description || ""]) row.append(el("td", v));
          table.append(row);
        }
        section.append(table);
      }
      if (method === "get" && !path.includes("{")) {
        const a = el("a", "try it: " + path);
        a.href = path;
        section.append(a);
      }
      box.append(section);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("api-list");
  if (!box) return;
  fetch(box.dataset.spec, {credentials: "same-origin"}).then((r) => r.json()).then((spec) => render(box, spec))
    .catch((err) => { box.textContent = "Could not load the API description: " + err; });
});
