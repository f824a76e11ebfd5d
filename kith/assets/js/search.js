// The search form with htmx: after results are swapped in, start their modules (the map) and
// tell screen reader users how many places were found.
export default function init(form) {
  const results = document.getElementById("results");
  const status = document.getElementById("results-status");
  if (!results) return;
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target !== results) return;
    for (const el of results.querySelectorAll("[data-module^='app-']")) {
      const name = el.getAttribute("data-module").slice(4);
      import(`./${name}.js`).then((mod) => mod.default(el)).catch(() => {});
    }
    const heading = results.querySelector("#results-heading");
    if (status && heading) status.textContent = heading.textContent.trim();
  });
  // A typed postcode replaces "my location".
  const postcode = form.querySelector("#postcode");
  if (postcode) {
    postcode.addEventListener("input", () => {
      for (const id of ["lat", "long"]) {
        const field = form.querySelector(`#${id}`);
        if (field) field.value = "";
      }
    });
  }
}
