"""A service's public page and "Report something wrong"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import unquote
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from kith.core.testing import html, one, text
from kith.directory.models import (
    Accessibility,
    Address,
    CostOption,
    Language,
    ListingReport,
    Phone,
    Service,
)
from kith.directory.tests.factories import (
    ClosedDateFactory,
    LocationFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_10AM = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


def add_location(service: Service, number: int) -> None:
    location = LocationFactory.create(
        name=f"Railton Road hall {number}",
        latitude=51.4550,
        longitude=-0.1090,
        transportation="Bus 3 or 196 to Railton Road. Herne Hill station is 5 minutes' walk.",
        has_step_free_access=True,
    )
    Address.objects.create(
        location=location, address_1=f"{number} Railton Road", city="London", postal_code="SE24 0LN"
    )
    Phone.objects.create(location=location, number=f"07700 900{number:03d}")
    Accessibility.objects.create(location=location, description="Ramp at the side door")
    Language.objects.create(location=location, code="so", name="Somali")
    sal = ServiceAtLocationFactory.create(service=service, location=location)
    ScheduleFactory.create(
        service_at_location=sal, byday="SA", opens_at=dt.time(10), closes_at=dt.time(12)
    )


@pytest.fixture
def full_service() -> Service:
    organisation = OrganizationFactory.create(
        name="Herne Hill Neighbours", website="https://example.com"
    )
    service = ServiceFactory.create(
        organization=organisation,
        name="Herne Hill barbers' chat",
        description="A fictional barber shop where you can talk.\n\nNo appointment needed.",
        email="chat@example.com",
        url="https://example.com/chat",
        is_place_to_talk=True,
        place_to_talk_training="Mental Health First Aid",
        place_to_talk_trained_on=dt.date(2026, 1, 12),
        is_no_referral_needed=True,
        is_free=True,
        fees_description="Haircuts cost extra; the chat is free.",
        assured_date=dt.date(2026, 3, 3),
        eligibility_description="Anyone over 16.",
        minimum_age=16,
    )
    Phone.objects.create(service=service, number="07700 900123")
    CostOption.objects.create(service=service, option="Haircut", amount=Decimal("12.50"))
    Language.objects.create(service=service, code="pt", name="Portuguese")
    ScheduleFactory.create(service=service, byday="MO,TU,WE,TH,FR")
    ClosedDateFactory.create(service=service, date=dt.date(2026, 4, 3), reason="Good Friday")
    ClosedDateFactory.create(service=service, date=dt.date(2026, 1, 1), reason="New Year's Day")
    tag_support_types(service, "talking-space", "men")
    add_location(service, 1)
    return service


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_service_page_shows_everything_needed_to_go_or_get_in_touch(
    client: Client, full_service: Service
) -> None:
    # when
    response = client.get(f"/services/{full_service.pk}/")
    # then
    assert response.status_code == 200
    page = html(response)
    assert [h.get_text(strip=True) for h in page.select("h1")] == ["Herne Hill barbers' chat"]
    assert text(page, ".app-service__organisation") == "Run by Herne Hill Neighbours"
    description = [p.get_text(strip=True) for p in page.select(".app-service__description p")]
    assert description == ["A fictional barber shop where you can talk.", "No appointment needed."]
    badges = [t.get_text(strip=True) for t in page.select(".app-service__badges strong")]
    assert badges == ["Place to talk", "No referral needed", "Free"]
    # getting in touch
    assert [a["href"] for a in page.select(".app-service__contact a")] == [
        "tel:07700900123",
        "mailto:chat@example.com",
        "https://example.com/chat",
    ]
    # going there
    location = one(page, ".app-location")
    assert text(location, "h3") == "Railton Road hall 1"
    assert text(location, ".app-location__address") == "1 Railton Road London SE24 0LN"
    assert one(location, ".app-location__map")["href"] == (
        "https://www.openstreetmap.org/?mlat=51.45500&mlon=-0.10900#map=17/51.45500/-0.10900"
    )
    assert text(location, ".app-location__transport").startswith("Bus 3 or 196")
    access = [li.get_text(strip=True) for li in location.select(".app-location__access li")]
    assert access == ["Step-free access", "Ramp at the side door"]
    assert one(location, "a.app-phone")["href"] == "tel:07700900001"
    assert "Somali" in location.get_text()
    assert "Saturday" in text(location, ".app-opening-times")
    # opening times
    assert text(page, ".app-service__open") == "Open now until 5pm"
    assert [
        li.get_text(strip=True) for li in page.select(".app-service__times .app-closed-dates li")
    ] == ["Friday 3 April 2026 (Good Friday)"]
    # cost, languages, place to talk, support types, last checked
    cost = text(page, ".app-service__cost")
    assert "Free" in cost
    assert "Haircuts cost extra; the chat is free." in cost
    assert "Haircut: £12.50" in cost
    assert text(page, ".app-service__languages") == "Portuguese"
    assert text(page, ".app-service__training") == (
        "Training: Mental Health First Aid (completed 12 January 2026)"
    )
    assert text(page, ".app-service__no-referral").startswith("No referral needed")
    assert text(page, ".app-service__ages") == "Ages 16 and over"
    types = [t.get_text(strip=True) for t in page.select(".app-service__types strong")]
    assert types == [
        "Places to talk (mental-health-informed barbers, cafes, libraries and other everyday spaces)",
        "Men's groups",
    ]
    assert text(page, ".app-service__checked") == "Last checked on 3 March 2026"


def test_service_page_offers_print_share_and_report_without_javascript(
    client: Client, full_service: Service
) -> None:
    # when
    page = html(client.get(f"/services/{full_service.pk}/"))
    # then print is a hint, the button waits for JavaScript
    assert one(page, "[data-module=app-print]").has_attr("hidden")
    assert "use your browser's print option" in text(page, ".app-print__hint")
    # share is an email with the page address and nothing else
    share = one(page, "a.app-share")
    assert share["data-share-url"] == f"http://testserver/services/{full_service.pk}/"
    mailto = unquote(str(share["href"]))
    assert mailto.startswith("mailto:?subject=Herne Hill barbers' chat on Kith&body=")
    assert mailto.endswith(f"http://testserver/services/{full_service.pk}/")
    # and reporting goes to its own page
    assert one(page, "a.app-report-link")["href"] == f"/services/{full_service.pk}/report/"


def test_service_page_reads_in_a_constant_number_of_queries(
    client: Client, full_service: Service, django_assert_max_num_queries: object
) -> None:
    # given
    def queries_for_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/services/{full_service.pk}/").status_code == 200
        return len(captured)

    queries_for_page()  # the first request also reads site-wide state, then caches it
    one_location = queries_for_page()
    # when it gains four more locations, each with phones, access, languages and times
    for number in range(2, 6):
        add_location(full_service, number)
    # then
    assert queries_for_page() == one_location
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        client.get(f"/services/{full_service.pk}/")


def test_free_service_says_free_once(client: Client) -> None:
    # given a free service whose cost option and fees description also say free
    service = ServiceFactory.create(is_free=True, fees_description="Free")
    CostOption.objects.create(service=service, option="Free", amount=Decimal("0"))
    # when
    cost = text(client.get(f"/services/{service.pk}/"), ".app-service__cost")
    # then
    assert cost == "Free"


def test_unknown_service_is_404(client: Client) -> None:
    response = client.get(f"/services/{uuid4()}/")
    assert response.status_code == 404


@pytest.mark.parametrize("status", [Service.Status.INACTIVE, Service.Status.DEFUNCT])
def test_closed_service_says_clearly_that_it_has_closed(client: Client, status: str) -> None:
    # given
    service = ServiceFactory.create(name="Old lunch club", status=status)
    Phone.objects.create(service=service, number="07700 900999")
    # when
    response = client.get(f"/services/{service.pk}/")
    # then
    assert response.status_code == 410
    assert text(response, "h1") == "Old lunch club"
    assert text(response, ".app-service__closed") == "This service has closed."
    assert "07700 900999" not in response.text


def test_temporarily_closed_service_warns_before_anything_else(client: Client) -> None:
    service = ServiceFactory.create(status=Service.Status.TEMPORARILY_CLOSED)
    response = client.get(f"/services/{service.pk}/")
    assert response.status_code == 200
    callout = text(response, ".app-service__temporarily-closed")
    assert callout.startswith("Important: Temporarily closed")
    assert "This service is not running at the moment." in callout


def test_report_form_offers_every_structured_reason(client: Client) -> None:
    # given
    service = ServiceFactory.create()
    # when
    page = html(client.get(f"/services/{service.pk}/report/"))
    # then
    values = [i["value"] for i in page.select("input[name=reason]")]
    assert values == [choice.value for choice in ListingReport.Reason]
    assert text(page, "legend h1") == "What is wrong with this listing?"
    assert one(page, "textarea#details")
    assert one(page, "input[name=csrfmiddlewaretoken]")


def test_report_creates_exactly_one_report_then_confirms(client: Client) -> None:
    # given
    service = ServiceFactory.create(name="Clapham knitters")
    # when
    response = client.post(
        f"/services/{service.pk}/report/",
        {"reason": "times", "details": "  They meet on Thursdays now.  "},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/services/{service.pk}/report/done/"
    report = ListingReport.objects.get()
    assert (report.service_id, report.reason, report.details, report.status) == (
        service.pk,
        "times",
        "They meet on Thursdays now.",
        "open",
    )
    done = client.get(response["Location"])
    assert text(done, "h1") == "Thank you, your report has been sent"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"details": "Wrong number"}, "reason", "Select what is wrong"),
        ({"reason": "nonsense"}, "reason", "Select what is wrong from the list"),
        (
            {"reason": "other", "details": "x" * 2001},
            "details",
            "Details must be 2000 characters or fewer",
        ),
    ],
)
def test_report_with_errors_creates_nothing_and_keeps_what_was_typed(
    client: Client, data: dict[str, str], field: str, message: str
) -> None:
    # given
    service = ServiceFactory.create()
    # when
    response = client.post(f"/services/{service.pk}/report/", data)
    # then
    assert response.status_code == 200
    assert ListingReport.objects.count() == 0
    page = html(response)
    assert text(page, "title").startswith("Error: ")
    link = one(page, ".nhsuk-error-summary a")
    assert (link.get_text(strip=True), link["href"]) == (message, f"#{field}")
    if "details" in data:
        assert text(page, "textarea#details") == data["details"]


def test_report_needs_the_csrf_token(full_service: Service) -> None:
    # given
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post(f"/services/{full_service.pk}/report/", {"reason": "closed"})
    # then
    assert response.status_code == 403
    assert ListingReport.objects.count() == 0


def test_report_for_unknown_service_is_404(client: Client) -> None:
    response = client.post(f"/services/{uuid4()}/report/", {"reason": "closed"})
    assert response.status_code == 404
    assert ListingReport.objects.count() == 0
