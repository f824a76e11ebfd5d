"""The Content Security Policy (issue 8, point 9): no inline script runs unless it carries this
response's nonce, no inline style is needed, and the admin is covered like every other page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kith.config.settings.base import tile_origin
from kith.core.testing import html, one
from kith.core.testing.staff import sign_in_staff

# The policy with the nonce left out: each response's own is added to script-src.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Our pages, one of each layout a person or member of staff sees.
PAGES = ["/", "/find/", "/find/?q=lonely", "/help-now/", "/ask/", "/sign-in/", "/staff/sign-in/"]


def policy_of(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split("; "))}


def inline_scripts(response: Any) -> list[Any]:
    """Scripts a browser would run from the page itself (JSON data blocks never run)."""
    return [
        script
        for script in html(response).select("script:not([src])")
        if script.get("type") != "application/json"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_its_one_inline_script_by_this_responses_nonce(
    client: Client, path: str
) -> None:
    # when
    response = client.get(path)
    # then the NHS.UK template's script carries a nonce, and the policy allows that and no other
    assert response.status_code == 200
    scripts = inline_scripts(response)
    assert len(scripts) == 1
    nonce = scripts[0]["nonce"]
    assert len(nonce) == 22  # 16 random bytes, URL-safe base64
    assert policy_of(response) == {**POLICY, "script-src": ["'self'", f"'nonce-{nonce}'"]}
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_each_response_has_a_nonce_of_its_own(client: Client) -> None:
    # when the same page is asked for twice
    first, second = client.get("/"), client.get("/")
    # then a nonce seen once is no use to an attacker on the next page
    assert inline_scripts(first)[0]["nonce"] != inline_scripts(second)[0]["nonce"]
    assert policy_of(first)["script-src"] != policy_of(second)["script-src"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_page_needs_no_inline_style(client: Client, path: str) -> None:
    # when
    page = html(client.get(path))
    # then style-src 'self' costs nothing: no style attribute or element for it to refuse
    assert page.select("[style], style") == []


@pytest.mark.django_db
def test_htmx_is_told_to_add_no_inline_style(client: Client) -> None:
    # when the search page, which loads htmx, is read
    page = html(client.get("/find/"))
    # then htmx inserts no indicator <style>, settles no style attribute, and keeps no history
    # snapshot (with the map's inline styles) to put back: going back reloads the page instead
    assert one(page, "script[src*='htmx']")
    config = one(page, "head meta[name='htmx-config']")["content"]
    assert json.loads(str(config)) == {
        "includeIndicatorStyles": False,
        "attributesToSettle": ["class", "width", "height"],
        "refreshOnHistoryMiss": True,
    }
    assert one(page, "form#search-form")["hx-history"] == "false"


@pytest.fixture
def administrator() -> Any:
    return get_user_model().objects.create_superuser(
        username="admin.ada", email="ada@example.com", password="a-long-test-password-1"
    )


@pytest.mark.django_db
def test_the_admin_sign_in_page_has_the_policy(client: Client) -> None:
    # when
    response = client.get("/admin/login/")
    # then it has the same policy as every other page, with the nonce its own tags carry
    assert response.status_code == 200
    nonces = {str(tag["nonce"]) for tag in html(response).select("[nonce]")}
    assert len(nonces) == 1
    assert policy_of(response) == {**POLICY, "script-src": ["'self'", f"'nonce-{nonces.pop()}'"]}
    assert inline_scripts(response) == []


@pytest.mark.django_db
def test_admin_pages_have_the_policy_and_no_script_without_its_nonce(
    client: Client, administrator: Any
) -> None:
    # given an administrator signed in with both factors
    sign_in_staff(client, administrator)
    for path in ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{administrator.pk}/change/"]:
        # when
        response = client.get(path)
        # then
        assert response.status_code == 200, path
        policy = policy_of(response)
        assert {**policy, "script-src": ["'self'"]} == POLICY, path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        allowed = {
            value.removeprefix("'nonce-").removesuffix("'") for value in policy["script-src"]
        }
        for script in inline_scripts(response):
            assert script.get("nonce") in allowed, (path, str(script)[:200])


@pytest.mark.parametrize(
    ("tile_url", "origin"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://data.example.org:8443/tiles/{z}/{x}/{y}.png", "https://data.example.org:8443"),
    ],
)
def test_the_policy_allows_map_tiles_from_the_configured_origin_only(
    tile_url: str, origin: str
) -> None:
    # when / then
    assert tile_origin(tile_url) == origin
