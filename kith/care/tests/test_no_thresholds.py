"""Principle 1, no thresholds: nothing in the data model, the choices or the pages of the
team workspace turns a person away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

FORBIDDEN = re.compile(
    r"reject|not[\s_-]*eligible|ineligible|inappropriate|wait[\s_-]*ing[\s_-]*list|wait[\s_-]*list",
    re.IGNORECASE,
)
KITH = Path(__file__).resolve().parents[2]
# Every app a person meets on the way to help, or whose data says how it went.
APPS = ("care", "asks", "teams", "people", "outcomes")


def _model_words() -> list[str]:
    words: list[str] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            words += [model.__name__, str(model._meta.verbose_name)]
            for field in model._meta.get_fields():
                words.append(field.name)
                if isinstance(field, models.Field):
                    words += [str(field.verbose_name), str(field.help_text)]
                    for value, label_text in field.choices or []:
                        words += [str(value), str(label_text)]
            for constraint in model._meta.constraints:
                words.append(constraint.name)
    return words


def _template_and_code_texts() -> list[tuple[str, str]]:
    paths = [path for app in APPS for path in KITH.glob(f"{app}/jinja2/**/*.jinja")]
    paths += [
        path
        for app in (*APPS, "record")
        for path in KITH.glob(f"{app}/**/*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    return [(str(path.relative_to(KITH)), path.read_text(encoding="utf-8")) for path in paths]


def test_no_model_field_or_choice_can_turn_a_person_away() -> None:
    # given
    words = _model_words()
    # when
    found = [word for word in words if FORBIDDEN.search(word)]
    # then
    assert len(words) > 100
    assert found == []


@pytest.mark.parametrize(("name", "content"), _template_and_code_texts())
def test_no_page_or_care_code_mentions_turning_a_person_away(name: str, content: str) -> None:
    # when
    found = FORBIDDEN.findall(content)
    # then
    assert found == [], name
