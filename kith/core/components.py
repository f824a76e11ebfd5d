"""Small components rendered in Python because templates draw them dozens of times a page.

Each produces exactly the markup of its NHS.UK frontend macro for the options we use, at a
fraction of the cost of calling the macro (a results page draws about 75 tags).
"""

from __future__ import annotations

from markupsafe import Markup, escape


def app_tag(text: str, classes: str = "") -> Markup:
    """The NHS.UK tag: `<strong class="nhsuk-tag ...">text</strong>`."""
    class_names = f"nhsuk-tag {classes}".strip()
    return Markup(f'<strong class="{escape(class_names)}">{escape(text)}</strong>')  # noqa: S704 - both parts escaped
