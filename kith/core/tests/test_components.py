from __future__ import annotations

from jinja2 import Environment, PackageLoader

from kith.core.components import app_tag
from kith.core.testing import one


def _macro_tag(text: str, classes: str) -> str:
    env = Environment(loader=PackageLoader("nhsuk_frontend_jinja"), autoescape=True)  # noqa: S701
    template = env.from_string(
        '{% from "nhsuk/components/tag/macro.jinja" import tag %}'
        '{{ tag({"text": text, "classes": classes}) }}'
    )
    return template.render(text=text, classes=classes)


def test_app_tag_draws_what_the_nhs_tag_macro_draws() -> None:
    # when
    ours = one(str(app_tag("Place to talk", "nhsuk-tag--purple app-badge")), "strong")
    theirs = one(_macro_tag("Place to talk", "nhsuk-tag--purple app-badge"), "strong")
    # then
    assert ours["class"] == theirs["class"] == ["nhsuk-tag", "nhsuk-tag--purple", "app-badge"]
    assert ours.get_text(strip=True) == theirs.get_text(strip=True) == "Place to talk"


def test_app_tag_escapes_its_text() -> None:
    assert (
        str(app_tag("<b>Tea & talk</b>"))
        == '<strong class="nhsuk-tag">&lt;b&gt;Tea &amp; talk&lt;/b&gt;</strong>'
    )
