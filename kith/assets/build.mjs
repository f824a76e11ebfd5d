// Compiles kith/assets/scss/main.scss and copies the front-end packages Kith serves into kith/static/.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(here, "..", "static");
const nm = join(root, "node_modules");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = compile(join(here, "scss", "main.scss"), {
  style: "compressed",
  loadPaths: [nm],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "css", "main.css"), css.css);

cpSync(join(nm, "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js"), join(out, "js", "nhsuk-frontend.min.js"));
cpSync(join(nm, "nhsuk-frontend/dist/nhsuk/assets"), join(out, "nhsuk", "assets"), { recursive: true });
cpSync(join(nm, "htmx.org/dist/htmx.min.js"), join(out, "js", "htmx.min.js"));
cpSync(join(nm, "leaflet/dist/leaflet.js"), join(out, "vendor", "leaflet", "leaflet.js"));
cpSync(join(nm, "leaflet/dist/leaflet.css"), join(out, "vendor", "leaflet", "leaflet.css"));
cpSync(join(nm, "leaflet/dist/images"), join(out, "vendor", "leaflet", "images"), { recursive: true });
for (const name of readdirSync(join(here, "js"))) {
  if (name.endsWith(".js") && !name.endsWith(".test.js")) cpSync(join(here, "js", name), join(out, "js", name));
}
console.log(`Built ${css.css.length} bytes of CSS into kith/static/`);
