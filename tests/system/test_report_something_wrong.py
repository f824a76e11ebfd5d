"""Journey: a person tells us a listing is wrong, with a reason and details, and is thanked."""

from __future__ import annotations

from typing import Any

import pytest

from kith.directory.models import ListingReport, Service
from kith.directory.tests.factories import ServiceFactory
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_PAGES = ["page", "page_without_js"]


@pytest.fixture
def service() -> Service:
    return ServiceFactory.create(name="Thursday men's shed")


def open_the_report_form(page: Any, live_server: Any, service: Service) -> None:
    page.goto(f"{live_server.url}/services/{service.pk}/")
    page.get_by_role("link", name="Report something wrong").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/services/{service.pk}/report/"
    assert page.locator("h1").inner_text() == "What is wrong with this listing?"
    assert page.locator(".nhsuk-caption-l").inner_text() == "Thursday men's shed"
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_report_with_a_reason_and_details_reaches_the_staff_queue(
    request: pytest.FixtureRequest, live_server: Any, service: Service, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    open_the_report_form(page, live_server, service)
    # when
    page.get_by_label("Opening times are wrong").check()
    page.get_by_label("Tell us more (optional)").fill("It starts at 7pm now, not 6pm.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    # then they are thanked
    assert page.url == f"{live_server.url}/services/{service.pk}/report/done/"
    assert page.locator("h1").inner_text() == "Thank you, your report has been sent"
    assert page.get_by_role("link", name="Back to Thursday men's shed").get_attribute("href") == (
        f"/services/{service.pk}/"
    )
    assert_accessible(page)
    # and exactly one report waits for staff, as they wrote it
    report = ListingReport.objects.get()
    assert (report.service_id, report.reason, report.details, report.status) == (
        service.pk,
        ListingReport.Reason.TIMES,
        "It starts at 7pm now, not 6pm.",
        ListingReport.Status.OPEN,
    )


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_a_report_without_a_reason_is_refused_clearly_and_keeps_the_details(
    request: pytest.FixtureRequest, live_server: Any, service: Service, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    open_the_report_form(page, live_server, service)
    # when they forget to choose a reason
    page.get_by_label("Tell us more (optional)").fill("The phone number has changed.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    # then the NHS.UK error summary says what to do, and nothing is stored
    assert page.title().startswith("Error: ")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.locator("h2").inner_text() == "There is a problem"
    link = summary.locator("a")
    assert link.all_inner_texts() == ["Select what is wrong"]
    assert link.get_attribute("href") == "#reason"
    assert page.locator("#reason-error").inner_text().endswith("Select what is wrong")
    assert page.get_by_label("Tell us more (optional)").input_value() == (
        "The phone number has changed."
    )
    assert ListingReport.objects.count() == 0
    assert_accessible(page)
    # when they follow the error to the question and answer it
    link.click()
    page.get_by_label("Phone number, email or website is wrong").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    # then the report is sent, once
    assert page.locator("h1").inner_text() == "Thank you, your report has been sent"
    assert list(ListingReport.objects.values_list("reason", "details")) == [
        (ListingReport.Reason.CONTACT, "The phone number has changed.")
    ]
