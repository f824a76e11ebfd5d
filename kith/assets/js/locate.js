// "Use my location": asks the browser where the person is, rounds it to a ~100 metre grid
// (about the size of a postcode) so no URL or log ever holds a precise position, then searches.
export const DECIMALS = 3;

export function coarse(value) {
  const factor = 10 ** DECIMALS;
  return (Math.round(value * factor) / factor).toFixed(DECIMALS);
}

export default function init(el) {
  if (!("geolocation" in navigator)) return;
  const form = el.closest("form");
  const button = el.querySelector("button");
  const status = el.querySelector("[role=status]");
  if (!form || !button) return;
  el.hidden = false;
  button.addEventListener("click", () => {
    if (status) status.textContent = "Finding your location…";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector("#lat").value = coarse(position.coords.latitude);
        form.querySelector("#long").value = coarse(position.coords.longitude);
        const postcode = form.querySelector("#postcode");
        if (postcode) postcode.value = "";
        if (status) status.textContent = "";
        button.disabled = false;
        form.requestSubmit();
      },
      () => {
        if (status) status.textContent = "We could not find your location. Enter a postcode instead.";
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 },
    );
  });
}
