// Compiles kith/assets/scss/main.scss and copies the front-end packages Kith serves into kith/static/.
import { compile } from "sass";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(here, "..", "static");
const nm = join(root, "node_modules");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

// A vendor script names its source map in a last-line comment; copy the map beside it, because
// collectstatic's manifest storage refuses to hash a script whose map is missing.
function copyScript(from, to) {
  cpSync(from, to);
  const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(from, "utf8"));
  if (!named || named[1].startsWith("data:")) return;
  const map = join(dirname(from), named[1]);
  if (!existsSync(map)) throw new Error(`${from} names a source map that does not exist: ${map}`);
  cpSync(map, join(dirname(to), named[1]));
}

const css = compile(join(here, "scss", "main.scss"), {
  style: "compressed",
  loadPaths: [nm],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "css", "main.css"), css.css);

copyScript(join(nm, "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js"), join(out, "js", "nhsuk-frontend.min.js"));
cpSync(join(nm, "nhsuk-frontend/dist/nhsuk/assets"), join(out, "nhsuk", "assets"), { recursive: true });
copyScript(join(nm, "htmx.org/dist/htmx.min.js"), join(out, "js", "htmx.min.js"));
copyScript(join(nm, "leaflet/dist/leaflet.js"), join(out, "vendor", "leaflet", "leaflet.js"));
cpSync(join(nm, "leaflet/dist/leaflet.css"), join(out, "vendor", "leaflet", "leaflet.css"));
cpSync(join(nm, "leaflet/dist/images"), join(out, "vendor", "leaflet", "images"), { recursive: true });
for (const name of readdirSync(join(here, "js"))) {
  if (name.endsWith(".js") && !name.endsWith(".test.js")) cpSync(join(here, "js", name), join(out, "js", name));
}
console.log(`Built ${css.css.length} bytes of CSS into kith/static/`);
