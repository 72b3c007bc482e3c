// API docs from /openapi.json: Swagger UI when its local files are served, else a plain list of endpoints.
"use strict";

function plainList(box, spec) {
  box.replaceChildren();
  for (const [path, ops] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(ops)) {
      const section = document.createElement("section");
      section.className = "endpoint";
      const h = document.createElement("h3");
      const code = document.createElement("code");
      code.textContent = method.toUpperCase() + " " + path;
      h.append(code);
      section.append(h);
      const p = document.createElement("p");
      p.textContent = op.summary || "";
      section.append(p);
      const params = (op.parameters || []).map((x) => x.name + (x.required ? " (required)" : "") +
        (x.description ? ": " + x.description : ""));
      if (params.length) {
        const ul = document.createElement("ul");
        for (const t of params) { const li = document.createElement("li"); li.textContent = t; ul.append(li); }
        section.append(ul);
      }
      box.append(section);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const swagger = document.getElementById("swagger-ui");
  if (swagger && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({url: swagger.dataset.spec, dom_id: "#swagger-ui", deepLinking: false});
    return;
  }
  const box = document.getElementById("api-list") || swagger;
  if (!box) return;
  fetch(box.dataset.spec, {credentials: "same-origin"}).then((r) => r.json()).then((spec) => plainList(box, spec))
    .catch((err) => { box.textContent = "Could not load the API description: " + err; });
});
