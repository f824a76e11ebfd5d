// Print: with JavaScript a button opens the browser's print dialogue; without it a hint stays.
export default function init(button) {
  button.hidden = false;
  const hint = button.parentElement && button.parentElement.querySelector(".app-print__hint");
  if (hint) hint.hidden = true;
  button.addEventListener("click", () => window.print());
}
