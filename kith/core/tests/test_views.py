from __future__ import annotations

import pytest
from django.test import Client

from kith.core.services import site_mark_demo_loaded
from kith.core.testing import html, one, text

PUBLIC_PAGES = ["/", "/help-now/", "/find/", "/accessibility/", "/privacy/", "/staff/sign-in/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_links_to_help_now_and_has_nhs_layout(client: Client, path: str) -> None:
    # when
    response = client.get(path)
    # then
    assert response.status_code == 200
    page = html(response)
    one(page, "a.nhsuk-skip-link[href='#maincontent']")
    one(page, "main#maincontent")
    one(page, "header.nhsuk-header")
    one(page, "footer.nhsuk-footer")
    assert text(page, ".app-help-now-bar a[href='/help-now/']") == "Need help now?"
    assert text(page, "title").endswith("– Kith – NHS")


@pytest.mark.django_db
def test_help_now_lists_every_crisis_option(client: Client) -> None:
    # when
    page = html(client.get("/help-now/"))
    # then
    options = text(page, ".app-crisis-options")
    for option in ["999", "111", "option 2", "116 123", "SHOUT", "85258"]:
        assert option in options
    hrefs = {a["href"] for a in page.select(".app-crisis-options a")}
    assert hrefs == {"tel:999", "tel:111", "tel:116123", "sms:85258&body=SHOUT"}


@pytest.mark.django_db
def test_demo_banner_shows_only_when_demo_data_is_loaded(client: Client) -> None:
    # given no demo data
    assert html(client.get("/")).select_one(".app-demo-banner") is None
    # when the demo locality is loaded
    site_mark_demo_loaded(is_loaded=True)
    # then
    assert "all organisations are fictional" in text(client.get("/"), ".app-demo-banner")
    # and when it is removed again
    site_mark_demo_loaded(is_loaded=False)
    assert html(client.get("/")).select_one(".app-demo-banner") is None


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text(response, "h1") == "Page not found"


@pytest.mark.django_db
def test_pages_send_security_headers(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
