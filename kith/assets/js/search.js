// The search form with htmx: after results are swapped in, start their modules (the map) and
// tell screen reader users how many places were found.
// Choosing "On a day and time" is a change, but searching before a day and time are both picked
// would only show "Select a day": wait until the choice is complete.
export function isIncompleteDayAndTime(form) {
  const when = form.querySelector("input[name=when]:checked");
  if (!when || when.value !== "at") return false;
  const day = form.querySelector("#day");
  const time = form.querySelector("#time");
  return !(day && day.value && time && time.value);
}

// The crisis options at the top of the page (directory/_search_crisis.jinja), when a search's
// words suggest danger. htmx fills the box with the results; when it has just appeared, move
// focus to it, which scrolls it into view and has screen readers read it, as the page does
// without JavaScript by showing it first.
export function hasCrisisOptions(box) {
  return Boolean(box && box.querySelector(".app-crisis-options"));
}

export function crisisBoxToFocus(box, wasShown) {
  return hasCrisisOptions(box) && !wasShown ? box : null;
}

export default function init(form) {
  form.addEventListener("htmx:confirm", (event) => {
    const trigger = event.detail && event.detail.triggeringEvent;
    if (trigger && trigger.type === "change" && isIncompleteDayAndTime(form)) event.preventDefault();
  });
  const results = document.getElementById("results");
  const status = document.getElementById("results-status");
  if (!results) return;
  let crisisShown = hasCrisisOptions(document.getElementById("search-crisis"));
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target !== results) return;
    const crisis = document.getElementById("search-crisis");
    const toFocus = crisisBoxToFocus(crisis, crisisShown);
    crisisShown = hasCrisisOptions(crisis);
    if (toFocus) toFocus.focus();
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
