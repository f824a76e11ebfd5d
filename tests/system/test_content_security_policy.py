"""Journey: pages work under the Content Security Policy without one violation (issue 8, point 9).

The policy refuses every inline script without the response's nonce and every inline style, so a
page that needed either would break quietly: the NHS.UK template's script would not mark the page
as having JavaScript, htmx's indicator <style> and the map's styles it copies when swapping or
going back would be refused, the admin's widgets would not start. The browser reports each
refusal as a `securitypolicyviolation` event; this journey collects them on every page it visits:
the front page, a search whose results htmx swaps in and whose map Leaflet draws, going back, and
the admin from its sign-in page to a form with its widgets.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kith.core.testing.staff import TEST_TOTP_KEY, totp_code_for, totp_device_for
from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)

pytestmark = pytest.mark.django_db(transaction=True)

SW9_8EJ = (51.4655, -0.1150)
PASSWORD = "a-long-test-password-1"  # noqa: S105 - a fictional test account

# Runs in every document before its own scripts, so no refusal goes unseen.
WATCH_VIOLATIONS = """
window.kithCspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.kithCspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def violations(page: Any) -> list[str]:
    """The refusals in the current document, once the browser has reported them (it queues the
    events as tasks, so wait for a frame and the task after it)."""
    return list(
        page.evaluate(
            """() => new Promise((resolve) => requestAnimationFrame(
                () => setTimeout(() => resolve(window.kithCspViolations), 0)
            ))"""
        )
    )


def has_javascript(page: Any) -> bool:
    """Whether the NHS.UK template's inline script ran (only its nonce lets it)."""
    return bool(page.evaluate("() => document.body.classList.contains('js-enabled')"))


@pytest.fixture
def watched_page(page: Any) -> Any:
    page.context.add_init_script(script=WATCH_VIOLATIONS)
    return page


@pytest.fixture
def listings() -> list[Service]:
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    services = []
    for n, name in enumerate(["Brixton friendship circle", "Stockwell evening social"]):
        service = ServiceFactory.create(name=name, description="A friendly group for anyone.")
        location = LocationFactory.create(
            organization=service.organization,
            # 0.7 and 1.4 miles north of SW9 8EJ: "1 mile" leaves only the first.
            latitude=SW9_8EJ[0] + 0.01 * (n + 1),
            longitude=SW9_8EJ[1],
        )
        ServiceAtLocationFactory.create(service=service, location=location)
        tag_support_types(service, "befriending")
        services.append(service)
    index_services()
    return services


def test_public_pages_search_and_map_run_without_a_policy_violation(
    live_server: Any, watched_page: Any, listings: list[Service]
) -> None:
    page = watched_page
    # when the person opens the front page
    page.goto(f"{live_server.url}/")
    # then its scripts ran, and nothing was refused
    assert has_javascript(page) is True
    assert violations(page) == []

    # when they search near a postcode
    page.get_by_label("What is happening, or what are you looking for?").fill("friendly group")
    page.get_by_label("Postcode (optional)").fill("SW9 8EJ")
    page.get_by_role("button", name="Find support").click()
    page.wait_for_load_state()
    # then the results page loaded htmx, Leaflet drew the map, and nothing was refused
    expect(page.locator("#results-heading")).to_have_text("2 places found")
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(2)
    assert has_javascript(page) is True
    assert violations(page) == []

    # when they narrow the distance, which htmx answers by swapping in new results
    with page.expect_response(lambda response: "/find/?" in response.url):
        page.get_by_label("Distance from the postcode").select_option("1")
    # then the new results came without a page load, their map was drawn, and nothing refused
    expect(page.locator("#results-heading")).to_have_text("1 place found")
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(1)
    assert "radius=1" in page.url
    assert violations(page) == []

    # when they go back
    page.go_back()
    page.wait_for_load_state()
    # then the page before comes back whole, its map drawn afresh, with nothing refused
    expect(page.locator("#results-heading")).to_have_text("2 places found")
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(2)
    assert "radius=1" not in page.url
    assert violations(page) == []


@pytest.fixture
def administrator() -> Any:
    user = get_user_model().objects.create_superuser(
        username="admin.ada", email="ada@example.com", password=PASSWORD
    )
    totp_device_for(user, key=TEST_TOTP_KEY)  # their authenticator app
    return user


def test_the_admin_signs_in_and_its_widgets_work_without_a_policy_violation(
    live_server: Any, watched_page: Any, administrator: Any
) -> None:
    page = watched_page
    base = live_server.url
    # when the administrator opens the admin's sign-in page
    page.goto(f"{base}/admin/")
    # then it renders under the policy, with nothing refused
    assert page.url == f"{base}/admin/login/?next=/admin/"
    expect(page.locator("#site-name")).to_have_text("Django administration")
    assert violations(page) == []

    # when they sign in with their password, then the code their app shows
    page.get_by_label("Username").fill("admin.ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/staff/sign-in/code/?next=")
    page.get_by_label("6-digit code").fill(
        totp_code_for(TOTPDevice.objects.get(user=administrator))
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    # then the admin's home page works, with nothing refused
    assert page.url == f"{base}/admin/"
    expect(page.locator("#user-tools")).to_contain_text("admin.ada")
    assert violations(page) == []

    # when they open their own account, a form whose widgets are built by the admin's scripts
    page.goto(f"{base}/admin/auth/user/{administrator.pk}/change/")
    # then the scripts built the two-list permission chooser, with nothing refused
    expect(page.locator("#id_user_permissions_from")).to_be_visible()
    expect(page.locator("#id_user_permissions_add_all")).to_have_text("Choose all user permissions")
    assert violations(page) == []
