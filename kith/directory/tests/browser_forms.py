"""A form read from a rendered page and sent back the way a browser sends it."""

from __future__ import annotations

from collections import defaultdict

from bs4 import BeautifulSoup

from kith.core.testing import one


def form_as_browser_sends(
    page: BeautifulSoup, selector: str = "form.app-listing-form"
) -> dict[str, list[str]]:
    """The fields of the form as a browser would submit them untouched (HTML's form data set)."""
    form = one(page, selector)
    data: dict[str, list[str]] = defaultdict(list)
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        name = str(name)
        if element.name == "input":
            kind = str(element.get("type", "text")).lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    data[name].append(str(element.get("value", "on")))
                continue
            data[name].append(str(element.get("value", "")))
        elif element.name == "textarea":
            value = element.get_text()
            if value.startswith("\n"):  # the HTML parser drops a textarea's first line break
                value = value[1:]
            data[name].append(value.replace("\r\n", "\n").replace("\n", "\r\n"))
        else:
            options = element.select("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            data[name] += [str(o.get("value", o.get_text())) for o in chosen]
    return dict(data)
