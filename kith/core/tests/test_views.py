from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from kith.core.services import site_mark_demo_loaded

PUBLIC_PAGES = ["/", "/help-now/", "/find/", "/accessibility/", "/privacy/", "/staff/sign-in/"]


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_links_to_help_now_and_has_nhs_layout(client: Client, path: str) -> None:
    # when
    response = client.get(path)
    # then
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("a.nhsuk-skip-link[href='#maincontent']") is not None
    assert page.select_one("main#maincontent") is not None
    assert page.select_one("header.nhsuk-header") is not None
    assert page.select_one("footer.nhsuk-footer") is not None
    assert page.select_one(".app-help-now-bar a[href='/help-now/']").get_text(strip=True) == "Need help now?"
    assert page.title is not None and page.title.get_text().endswith("– Kith – NHS")


@pytest.mark.django_db
def test_help_now_lists_every_crisis_option(client: Client) -> None:
    # when
    page = soup(client.get("/help-now/"))
    # then
    text = page.select_one(".app-crisis-options").get_text(" ", strip=True)
    for option in ["999", "111", "option 2", "116 123", "SHOUT", "85258"]:
        assert option in text
    hrefs = {a["href"] for a in page.select(".app-crisis-options a")}
    assert hrefs == {"tel:999", "tel:111", "tel:116123", "sms:85258&body=SHOUT"}


@pytest.mark.django_db
def test_demo_banner_shows_only_when_demo_data_is_loaded(client: Client) -> None:
    # given no demo data
    assert soup(client.get("/")).select_one(".app-demo-banner") is None
    # when the demo locality is loaded
    site_mark_demo_loaded(is_loaded=True)
    # then
    banner = soup(client.get("/")).select_one(".app-demo-banner")
    assert banner is not None
    assert "all organisations are fictional" in banner.get_text()
    # and when it is removed again
    site_mark_demo_loaded(is_loaded=False)
    assert soup(client.get("/")).select_one(".app-demo-banner") is None


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert soup(response).h1.get_text() == "Page not found"


@pytest.mark.django_db
def test_pages_send_security_headers(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
