// Kith's progressive enhancements. Each module attaches to [data-module] and does nothing without it.
import { initAll } from "./nhsuk-frontend.min.js";

initAll();
for (const el of document.querySelectorAll("[data-module]")) {
  const name = el.getAttribute("data-module");
  if (name && name.startsWith("app-")) {
    import(`./${name.slice(4)}.js`).then((mod) => mod.default(el)).catch(() => {});
  }
}
