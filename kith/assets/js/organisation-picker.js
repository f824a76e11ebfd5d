// The organisation picker: find an organisation by typing its name.
//
// Without JavaScript the page has a plain select, which works as it is. With it, the select is
// hidden (it still holds the value the form sends) and a combobox takes its place, after the
// WAI-ARIA combobox pattern: a text input that filters a list of options, arrow keys to move,
// Enter to choose, Escape to close, and a status message saying how many match.

const MAX_SHOWN = 30;

// "Café  Ünity!" → "cafe unity", "Men’s" → "mens": case, accents and punctuation do not matter.
export function normalise(text) {
  return String(text)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

// Options whose name contains every typed word, best first: the name starts with what was
// typed, then a word starts with it, then it is anywhere. Ties keep the list's order.
export function matchOptions(options, query, limit = MAX_SHOWN) {
  const wanted = normalise(query);
  if (!wanted) return [];
  const words = wanted.split(" ");
  const ranked = [];
  options.forEach((option, index) => {
    const name = normalise(option.text);
    if (!words.every((word) => name.includes(word))) return;
    let rank = 2;
    if (name.startsWith(wanted)) rank = 0;
    else if (` ${name}`.includes(` ${wanted}`)) rank = 1;
    ranked.push({ option, rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, limit).map((item) => item.option);
}

// Where the highlight goes after a key press in a list of `count` options (-1: none).
export function moveActive(index, count, key) {
  if (count === 0) return -1;
  if (key === "ArrowDown") return index + 1 >= count ? 0 : index + 1;
  if (key === "ArrowUp") return index <= 0 ? count - 1 : index - 1;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return index;
}

export function statusText(shown, total) {
  if (total === 0) return "No organisation matches. Check the name, or enter a new organisation below.";
  const what = total === 1 ? "1 organisation matches" : `${total} organisations match`;
  return shown < total ? `${what}. The first ${shown} are shown: type more to narrow them.` : `${what}.`;
}

export default function init(group) {
  const select = group.querySelector("select");
  if (!select || group.querySelector("[role=combobox]")) return;
  const options = Array.from(select.options)
    .filter((option) => option.value)
    .map((option) => ({ value: option.value, text: option.text }));
  const id = select.id;
  const listId = `${id}-options`;

  const input = document.createElement("input");
  input.type = "text";
  input.id = id;
  input.className = "nhsuk-input app-picker__input";
  if (select.classList.contains("nhsuk-select--error")) input.classList.add("nhsuk-input--error");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");
  input.setAttribute("spellcheck", "false");
  const describedBy = select.getAttribute("aria-describedby");
  if (describedBy) input.setAttribute("aria-describedby", describedBy);
  const chosen = select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
  input.value = chosen && chosen.value ? chosen.text : "";

  const list = document.createElement("ul");
  list.id = listId;
  list.className = "app-picker__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Organisations");
  list.hidden = true;

  const status = document.createElement("div");
  status.className = "nhsuk-u-visually-hidden";
  status.setAttribute("role", "status");

  select.id = `${id}-select`;
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  select.after(input, list, status);

  let shown = [];
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    Array.from(list.children).forEach((item, i) => {
      item.setAttribute("aria-selected", String(i === active));
      item.classList.toggle("app-picker__option--active", i === active);
    });
    if (active >= 0) {
      const item = list.children[active];
      input.setAttribute("aria-activedescendant", item.id);
      if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    select.value = option.value;
    input.value = option.text;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    close();
  }

  function update() {
    const query = input.value;
    const all = matchOptions(options, query, options.length);
    const exact = all.find((option) => normalise(option.text) === normalise(query));
    select.value = exact ? exact.value : "";
    if (!normalise(query)) {
      shown = [];
      status.textContent = "";
      close();
      return;
    }
    shown = all.slice(0, MAX_SHOWN);
    list.replaceChildren(
      ...shown.map((option, index) => {
        const item = document.createElement("li");
        item.id = `${listId}-${index}`;
        item.className = "app-picker__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.text;
        // mousedown, not click: it comes before the input loses focus.
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(option);
        });
        return item;
      }),
    );
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", String(shown.length > 0));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = statusText(shown.length, all.length);
  }

  input.addEventListener("input", update);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (!list.hidden) event.preventDefault();
      close();
    } else if (event.key === "Enter") {
      if (!list.hidden && active >= 0) {
        event.preventDefault();
        choose(shown[active]);
      }
    } else if (["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key) && shown.length) {
      if (list.hidden && event.key !== "ArrowDown") return;
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(moveActive(active, shown.length, event.key));
    }
  });
  input.addEventListener("blur", close);
}
