"""Journey: a person arrives, finds the crisis options from any page, and reaches the search."""

from __future__ import annotations

from typing import Any

import pytest

from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "path", ["/", "/help-now/", "/accessibility/", "/privacy/", "/staff/sign-in/"]
)
def test_core_pages_are_accessible(page: Any, live_server: Any, path: str) -> None:
    # when
    page.goto(live_server.url + path)
    # then
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_need_help_now_is_one_step_from_the_front_page_without_javascript(
    page_without_js: Any, live_server: Any
) -> None:
    # given
    page = page_without_js
    page.goto(live_server.url + "/")
    # when
    page.locator(".app-help-now-bar a", has_text="Need help now?").click()
    # then
    assert page.url == live_server.url + "/help-now/"
    options = page.locator(".app-crisis-options").inner_text()
    assert "116 123" in options
    assert "85258" in options
    assert_accessible(page)
