"""Staff curation through the pages: who may see them, proposing, reviewing and publishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import (
    Address,
    CostOption,
    ListingChange,
    ListingReport,
    Location,
    Organization,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.search import SearchQuery, search_services
from kith.directory.selectors.curation import service_support_type_codes
from kith.directory.services.curation import editor_add, listing_change_propose
from kith.directory.tests.browser_forms import form_as_browser_sends
from kith.directory.tests.factories import (
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    UserFactory,
    tag_support_types,
)

SIGN_IN = "/staff/sign-in/"


def make_service(**fields: Any) -> Service:
    return cast(Service, ServiceFactory(**fields))


def listing_post(**overrides: Any) -> dict[str, Any]:
    """A complete, valid editor form for a fictional new listing."""
    data: dict[str, Any] = {
        "organization": "",
        "new_organization_name": "Stockwell Neighbours (fictional)",
        "name": "Tuesday tea and talk",
        "description": "A friendly morning where you can talk, or just have a cuppa.",
        "support_types": ["peer-support", "social-connection"],
        "is_no_referral_needed": "on",
        "cost": "free",
        "cost_description": "",
        "url": "https://tea.example.com",
        "email": "tea@example.com",
        "phone": "07700 900123",
        "location_name": "Imaginary Road Hall",
        "address_1": "1 Imaginary Road",
        "address_2": "",
        "city": "London",
        "postcode": "sw9 8ej",
        "latitude": "",
        "longitude": "",
        "has_step_free_access": "on",
        "session_rows": "3",
        "session_0_days": ["TU"],
        "session_0_repeat": "weekly",
        "session_0_opens": "10am",
        "session_0_closes": "12:30",
        "languages": "English, portuguese",
    }
    data.update(overrides)
    return data


@pytest.fixture
def postcodes() -> None:
    Postcode.objects.create(code="SW98EJ", latitude=51.4652, longitude=-0.1150)
    Postcode.objects.create(code="SE115QY", latitude=51.4861, longitude=-0.1106)


@pytest.fixture
def editor() -> User:
    return cast(User, editor_add(username="editor.ada", email="ada@example.com", password="x"))


@pytest.fixture
def reviewer() -> User:
    return cast(User, editor_add(username="editor.ben", email="ben@example.com", password="x"))


@pytest.fixture
def member() -> User:
    return cast(User, UserFactory(username="not.an.editor"))


def propose(client: Client, user: User, **overrides: Any) -> ListingChange:
    sign_in_staff(client, user)
    response = client.post(reverse("directory:listing_create"), listing_post(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ListingChange.objects.get(pk=UUID(response["Location"].rstrip("/").split("/")[-1]))


# --- Permissions: one table of roles over every staff route ------------------------------


@dataclass
class World:
    service: Service
    own_change: ListingChange  # proposed by `editor`
    other_change: ListingChange  # proposed by `reviewer`
    report: ListingReport


@pytest.fixture
def world(editor: User, reviewer: User) -> World:
    service = make_service(name="Fictional garden club")
    data = {
        "organization_id": str(service.organization_id),
        "organization_name": service.organization.name if service.organization else "",
        "name": "Fictional garden club",
        "description": "Digging and chatting.",
        "support_types": ["green-spaces"],
        "is_no_referral_needed": True,
        "is_free": True,
        "cost_description": "",
        "is_place_to_talk": False,
        "place_to_talk_training": "",
        "url": "",
        "email": "",
        "phone": "",
        "location_name": "",
        "address_1": "",
        "address_2": "",
        "city": "",
        "postcode": "",
        "latitude": None,
        "longitude": None,
        "has_step_free_access": False,
        "opening_times": {},
        "languages": [],
    }
    own = listing_change_propose(proposer=editor, data=data, service=service)  # type: ignore[arg-type]
    other = listing_change_propose(proposer=reviewer, data=data, service=service)  # type: ignore[arg-type]
    report = ListingReport.objects.create(service=service, reason=ListingReport.Reason.TIMES)
    return World(service=service, own_change=own, other_change=other, report=report)


# (name, method, url, POST data, what an editor gets)
ROUTES: list[tuple[str, str, Callable[[World], str], dict[str, str], int]] = [
    ("dashboard", "get", lambda w: reverse("directory:staff_dashboard"), {}, 200),
    ("listings", "get", lambda w: reverse("directory:listing_list"), {}, 200),
    ("create", "get", lambda w: reverse("directory:listing_create"), {}, 200),
    ("edit", "get", lambda w: reverse("directory:listing_edit", args=[w.service.pk]), {}, 200),
    ("changes", "get", lambda w: reverse("directory:listing_change_list"), {}, 200),
    (
        "change",
        "get",
        lambda w: reverse("directory:listing_change_show", args=[w.other_change.pk]),
        {},
        200,
    ),
    (
        "revise",
        "get",
        lambda w: reverse("directory:listing_change_revise", args=[w.own_change.pk]),
        {},
        200,
    ),
    (
        "publish",
        "post",
        lambda w: reverse("directory:listing_change_publish", args=[w.other_change.pk]),
        {},
        302,
    ),
    (
        "request-changes",
        "post",
        lambda w: reverse("directory:listing_change_request_changes", args=[w.other_change.pk]),
        {"note": "Add the opening times"},
        302,
    ),
    (
        "withdraw",
        "post",
        lambda w: reverse("directory:listing_change_withdraw", args=[w.own_change.pk]),
        {},
        302,
    ),
    ("stale", "get", lambda w: reverse("directory:stale_listing_list"), {}, 200),
    (
        "mark-checked",
        "post",
        lambda w: reverse("directory:service_mark_checked", args=[w.service.pk]),
        {},
        302,
    ),
    ("reports", "get", lambda w: reverse("directory:listing_report_list"), {}, 200),
    (
        "resolve",
        "get",
        lambda w: reverse("directory:listing_report_resolve", args=[w.report.pk]),
        {},
        200,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member", "editor"])
@pytest.mark.parametrize(
    ("name", "method", "path", "data", "editor_status"), ROUTES, ids=[r[0] for r in ROUTES]
)
def test_staff_routes_are_for_directory_editors_only(
    client: Client,
    world: World,
    editor: User,
    member: User,
    role: str,
    name: str,
    method: str,
    path: Callable[[World], str],
    data: dict[str, str],
    editor_status: int,
) -> None:
    # given
    if role != "anonymous":
        sign_in_staff(client, editor if role == "editor" else member)
    url = path(world)
    # when
    response = getattr(client, method)(url, data)
    # then
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SIGN_IN}?next=")
    elif role == "member":
        assert response.status_code == 404
    else:
        assert response.status_code == editor_status
        if editor_status == 200:
            assert len(html(response).select("h1")) == 1
    if role != "editor":
        # nothing changed
        statuses = set(ListingChange.objects.values_list("status", flat=True))
        assert statuses == {ListingChange.Status.AWAITING_REVIEW}
        world.service.refresh_from_db()
        assert world.service.assured_date is None
        world.report.refresh_from_db()
        assert world.report.status == ListingReport.Status.OPEN


# --- Propose, review, publish ----------------------------------------------------------


@pytest.mark.django_db
def test_new_listing_is_public_only_after_another_editor_publishes_it(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given an editor proposes a new listing
    change = propose(client, editor)
    # then nothing public exists yet
    assert change.status == ListingChange.Status.AWAITING_REVIEW
    assert change.service is None
    assert Service.objects.count() == 0
    assert Organization.objects.count() == 0
    assert search_services(SearchQuery(text="Tuesday tea")).total == 0

    # when a different editor reviews and publishes it
    sign_in_staff(client, reviewer)
    page = html(client.get(reverse("directory:listing_change_show", args=[change.pk])))
    assert text(page, "h1") == "New listing: Tuesday tea and talk"
    assert page.select_one("table.app-diff") is None  # nothing to compare with
    response = client.post(reverse("directory:listing_change_publish", args=[change.pk]))

    # then the listing is public, exactly as proposed
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ListingChange.Status.PUBLISHED
    assert change.reviewed_by == reviewer
    service = Service.objects.get()
    assert change.service == service
    assert service.name == "Tuesday tea and talk"
    assert service.organization.name == "Stockwell Neighbours (fictional)"
    assert service.is_free is True
    assert service.is_no_referral_needed is True
    assert service.assured_date == timezone.localdate()
    assert service.last_modified is not None
    assert list(service.cost_options.values_list("option", "amount")) == [("Free", 0)]
    assert service_support_type_codes(service.id) == ["peer-support", "social-connection"]
    assert list(service.phones.values_list("number", flat=True)) == ["07700 900123"]
    assert list(service.languages.order_by("name").values_list("name", "code")) == [
        ("English", "en"),
        ("Portuguese", "pt"),
    ]
    location = Location.objects.get(service_at_locations__service=service)
    assert (location.latitude, location.longitude) == (51.4652, -0.1150)
    assert location.has_step_free_access is True
    address = Address.objects.get(location=location)
    assert (address.address_1, address.city, address.postal_code) == (
        "1 Imaginary Road",
        "London",
        "SW9 8EJ",
    )
    schedules = list(
        Schedule.objects.filter(service=service).values_list(
            "byday", "opens_at", "closes_at", "freq"
        )
    )
    assert schedules == [("TU", dt.time(10), dt.time(12, 30), "WEEKLY")]
    # and search finds it
    assert [h.service.pk for h in search_services(SearchQuery(text="Tuesday tea")).hits] == [
        service.pk
    ]
    assert client.get(reverse("directory:service_show", args=[service.pk])).status_code == 200


@pytest.mark.django_db
def test_an_edit_changes_nothing_until_published_and_the_reviewer_sees_what_changes(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given a published listing with a place, hours and a paid option
    service = make_service(
        name="Evening circle",
        description="A calm group.",
        is_free=False,
        fees_description="£2 a week",
        assured_date=dt.date(2020, 1, 1),
    )
    tag_support_types(service, "peer-support")
    sal = cast(ServiceAtLocation, ServiceAtLocationFactory(service=service))
    Address.objects.create(
        location=sal.location, address_1="2 Fictional Walk", city="London", postal_code="SE11 5QY"
    )
    ScheduleFactory(service=service, byday="MO,WE", opens_at=dt.time(18), closes_at=dt.time(20))
    monthly = cast(
        Schedule,
        ScheduleFactory(
            service=service, freq=Schedule.Freq.MONTHLY, byday="1SA", opens_at=dt.time(10)
        ),
    )
    CostOption.objects.create(service=service, option="Weekly", amount=2)
    sign_in_staff(client, editor)
    form_page = html(client.get(reverse("directory:listing_edit", args=[service.pk])))
    assert one(form_page, "#id_name")["value"] == "Evening circle"
    assert [c["value"] for c in form_page.select("input[name=session_0_days][checked]")] == [
        "MO",
        "WE",
    ]
    assert one(form_page, "#id_session_0_opens")["value"] == "18:00"
    assert one(form_page, "#id_session_0_closes")["value"] == "20:00"
    assert one(form_page, "#id_postcode")["value"] == "SE11 5QY"
    assert one(form_page, "#id_cost_description")["value"] == "£2 a week"

    # when the editor proposes a new name and Friday opening, everything else as it was
    post = form_as_browser_sends(form_page)
    post.update(
        name=["Evening listening circle"],
        session_2_days=["FR"],
        session_2_opens=["6pm"],
        session_2_closes=["8pm"],
    )
    response = client.post(reverse("directory:listing_edit", args=[service.pk]), post)
    assert response.status_code == 302
    change = ListingChange.objects.get()

    # then the public listing is unchanged
    service.refresh_from_db()
    assert service.name == "Evening circle"
    assert service.assured_date == dt.date(2020, 1, 1)
    assert Schedule.objects.filter(service=service, byday="FR").count() == 0

    # and the reviewer sees exactly what changes
    sign_in_staff(client, reviewer)
    page = html(client.get(reverse("directory:listing_change_show", args=[change.pk])))
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in page.select("table.app-diff tbody tr")
    ]
    assert rows == [
        ["Service name", "Evening circle", "Evening listening circle"],
        [
            "Opening times",
            "Monday: 6pm to 8pm; Wednesday: 6pm to 8pm; First Saturday of the month: 10am to 5pm",
            "Monday: 6pm to 8pm; Wednesday: 6pm to 8pm; Friday: 6pm to 8pm;"
            " First Saturday of the month: 10am to 5pm",
        ],
    ]

    # when it is published
    client.post(reverse("directory:listing_change_publish", args=[change.pk]))

    # then the new values are public, and what the form does not show survives
    service.refresh_from_db()
    assert service.name == "Evening listening circle"
    assert service.assured_date == timezone.localdate()
    assert service.is_free is False
    weekly = sorted(
        Schedule.objects.filter(service=service, freq="WEEKLY").values_list("byday", "opens_at")
    )
    assert weekly == [("FR", dt.time(18)), ("MO,WE", dt.time(18))]
    assert Schedule.objects.filter(pk=monthly.pk, byday="1SA").exists()
    assert list(service.cost_options.values_list("option", "amount")) == [("Weekly", 2)]
    assert Address.objects.get(location=sal.location).postal_code == "SE11 5QY"


@pytest.mark.django_db
def test_an_editor_cannot_publish_their_own_change(
    client: Client, editor: User, postcodes: None
) -> None:
    # given
    change = propose(client, editor)
    page = html(client.get(reverse("directory:listing_change_show", args=[change.pk])))
    assert page.select_one(f"form[action='/staff/directory/changes/{change.pk}/publish/']") is None
    # when they try anyway
    response = client.post(reverse("directory:listing_change_publish", args=[change.pk]))
    # then it is refused and nothing changes
    assert response.status_code == 403
    assert "You cannot review a change you proposed" in text(response, ".nhsuk-error-summary")
    change.refresh_from_db()
    assert change.status == ListingChange.Status.AWAITING_REVIEW
    assert change.reviewed_by is None
    assert Service.objects.count() == 0
    # nor can they request changes of themselves
    response = client.post(
        reverse("directory:listing_change_request_changes", args=[change.pk]), {"note": "Hmm"}
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert (change.status, change.review_note) == (ListingChange.Status.AWAITING_REVIEW, "")


@pytest.mark.django_db
def test_request_changes_then_revise_then_publish(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given
    change = propose(client, editor)
    sign_in_staff(client, reviewer)
    # when the reviewer asks for changes without saying what
    response = client.post(
        reverse("directory:listing_change_request_changes", args=[change.pk]), {"note": "  "}
    )
    # then they are told what to do and nothing changes
    assert response.status_code == 200
    assert text(response, ".nhsuk-error-summary a[href='#id_note']") == "Enter what needs to change"
    change.refresh_from_db()
    assert change.status == ListingChange.Status.AWAITING_REVIEW

    # when they say what needs to change
    client.post(
        reverse("directory:listing_change_request_changes", args=[change.pk]),
        {"note": "Please add the Thursday session."},
    )
    change.refresh_from_db()
    assert change.status == ListingChange.Status.CHANGES_REQUESTED
    assert change.review_note == "Please add the Thursday session."
    assert Service.objects.count() == 0

    # and the proposer revises it
    sign_in_staff(client, editor)
    revise_page = client.get(reverse("directory:listing_change_revise", args=[change.pk]))
    assert text(revise_page, ".app-review-note") == (
        "Information: What needs to change: Please add the Thursday session."
    )
    assert one(revise_page, "#id_session_0_opens")["value"] == "10:00"
    response = client.post(
        reverse("directory:listing_change_revise", args=[change.pk]),
        listing_post(
            session_1_days=["TH"],
            session_1_repeat="weekly",
            session_1_opens="2pm",
            session_1_closes="4pm",
        ),
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ListingChange.Status.AWAITING_REVIEW
    session = {"id": "", "repeat": "weekly", "starts_on": ""}
    assert change.data["opening_times"] == [
        {**session, "days": ["TU"], "opens": "10:00", "closes": "12:30"},
        {**session, "days": ["TH"], "opens": "14:00", "closes": "16:00"},
    ]

    # then the reviewer publishes the revised listing
    sign_in_staff(client, reviewer)
    client.post(reverse("directory:listing_change_publish", args=[change.pk]))
    service = Service.objects.get()
    assert sorted(Schedule.objects.filter(service=service).values_list("byday", flat=True)) == [
        "TH",
        "TU",
    ]


@pytest.mark.django_db
def test_the_proposer_can_withdraw_and_a_withdrawn_change_cannot_be_published(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given
    change = propose(client, editor)
    # when someone else tries to withdraw it
    sign_in_staff(client, reviewer)
    response = client.post(reverse("directory:listing_change_withdraw", args=[change.pk]))
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ListingChange.Status.AWAITING_REVIEW
    # when the proposer withdraws it
    sign_in_staff(client, editor)
    response = client.post(reverse("directory:listing_change_withdraw", args=[change.pk]))
    # then
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ListingChange.Status.WITHDRAWN
    # and it can no longer be published
    sign_in_staff(client, reviewer)
    response = client.post(reverse("directory:listing_change_publish", args=[change.pk]))
    assert response.status_code == 403
    assert Service.objects.count() == 0


# --- Validation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_validation_errors_keep_what_was_typed(
    client: Client, editor: User, postcodes: None
) -> None:
    # given
    sign_in_staff(client, editor)
    # when the postcode is missing and the closing time is before the opening time
    response = client.post(
        reverse("directory:listing_create"),
        listing_post(
            postcode="", session_0_opens="3pm", session_0_closes="1pm", email="not an email"
        ),
    )
    # then
    assert response.status_code == 200
    page = html(response)
    assert text(page, "title").startswith("Error: Add a listing")
    errors = [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary__list a")]
    assert errors == [
        "Enter an email address in the correct format, like name@example.com",
        "Enter a postcode, like SW9 8EJ",
        "Session 1 must close after it opens",
    ]
    assert text(page, "#id_postcode-error") == "Error: Enter a postcode, like SW9 8EJ"
    # and everything typed is still there
    assert one(page, "#id_name")["value"] == "Tuesday tea and talk"
    assert one(page, "#id_new_organization_name")["value"] == "Stockwell Neighbours (fictional)"
    assert text(page, "#id_description") == (
        "A friendly morning where you can talk, or just have a cuppa."
    )
    assert {c["value"] for c in page.select("input[name=support_types][checked]")} == {
        "peer-support",
        "social-connection",
    }
    assert one(page, "#id_session_0_opens")["value"] == "3pm"
    assert one(page, "#id_email")["value"] == "not an email"
    assert one(page, "#id_cost").has_attr("checked")
    assert ListingChange.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "SW9 8EJX"}, "postcode", "Enter a real postcode, like SW9 8EJ"),
        ({"postcode": "SW9"}, "postcode", "Enter the full postcode, like SW9 8EJ"),
        (
            {"postcode": "E1 6AN"},
            "postcode",
            "We do not know where E1 6AN is. Enter its latitude and longitude",
        ),
        ({"latitude": "51.5"}, "longitude", "Enter the longitude as well, like -0.1150"),
        ({"support_types": []}, "support_types", "Select at least one type of support"),
        (
            {"new_organization_name": ""},
            "organization",
            "Choose an organisation or enter the name of a new one",
        ),
        (
            {"cost": "cost"},
            "cost_description",
            "Enter what it costs, like £3 a session, pay what you can",
        ),
        (
            {"is_place_to_talk": "on"},
            "place_to_talk_training",
            "Enter the host's training, like Mental Health First Aid (2026)",
        ),
        (
            {"session_0_closes": ""},
            "session_0_closes",
            "Enter the time session 1 closes, like 5pm or 17:30",
        ),
        (
            {"session_0_opens": "soon"},
            "session_0_opens",
            "Enter the time session 1 opens as a time, like 9am or 17:30",
        ),
        (
            {"phone": "call me"},
            "phone",
            "Enter a phone number, like 020 7946 0000 or 07700 900 982",
        ),
        ({"url": "not a web address"}, "url", "Enter a web address, like https://www.example.com"),
    ],
)
def test_each_bad_answer_gets_a_clear_error(
    client: Client,
    editor: User,
    postcodes: None,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    # given
    sign_in_staff(client, editor)
    # when
    response = client.post(reverse("directory:listing_create"), listing_post(**overrides))
    # then
    assert response.status_code == 200
    page = html(response)
    assert [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary__list a")] == [
        message
    ]
    assert one(page, ".nhsuk-error-summary__list a")["href"] == f"#id_{field}"
    one(page, f"#id_{field}")  # the link lands on a real field
    assert ListingChange.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_postcode_is_fine_with_coordinates(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given
    change = propose(client, editor, postcode="E1 6AN", latitude="51.52", longitude="-0.075")
    # then
    assert (change.data["postcode"], change.data["latitude"], change.data["longitude"]) == (
        "E1 6AN",
        51.52,
        -0.075,
    )


@pytest.mark.django_db
def test_a_100000_character_description_gets_a_clear_error_and_is_kept(
    client: Client, editor: User, postcodes: None
) -> None:
    # given
    sign_in_staff(client, editor)
    huge = "Tea and talk. " * 7143  # 100,002 characters
    huge = huge[:100_000]
    # when
    response = client.post(reverse("directory:listing_create"), listing_post(description=huge))
    # then
    assert response.status_code == 200
    page = html(response)
    assert [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary__list a")] == [
        "Description must be 5,000 characters or fewer"
    ]
    assert len(one(page, "#id_description").get_text()) == 100_000
    assert ListingChange.objects.count() == 0


# --- Stale listings --------------------------------------------------------------------


@pytest.mark.django_db
def test_stale_listings_oldest_first_and_mark_as_checked(client: Client, editor: User) -> None:
    # given
    today = timezone.localdate()
    never = make_service(name="Never checked", assured_date=None)
    old = make_service(name="Checked long ago", assured_date=today - dt.timedelta(days=400))
    just_stale = make_service(name="Just stale", assured_date=today - dt.timedelta(days=92))
    make_service(name="Just fresh", assured_date=today - dt.timedelta(days=91))
    make_service(name="Fresh", assured_date=today - dt.timedelta(days=3))
    sign_in_staff(client, editor)
    # when
    page = html(client.get(reverse("directory:stale_listing_list")))
    # then
    names = [
        a.get_text(strip=True) for a in page.select("table.app-stale tbody tr td:first-child a")
    ]
    assert names == ["Never checked", "Checked long ago", "Just stale"]
    assert text(page, "table.app-stale tbody tr:first-child td:nth-child(2)") == "Never checked"
    dashboard = html(client.get(reverse("directory:staff_dashboard")))
    assert text(dashboard, "[data-count=stale]") == "3"

    # when the oldest is marked as checked
    response = client.post(reverse("directory:service_mark_checked", args=[old.pk]), {"page": "1"})
    # then it is checked today, with no review needed, and no longer stale
    assert response.status_code == 302
    assert response["Location"] == "/staff/directory/stale/?page=1"
    old.refresh_from_db()
    assert old.assured_date == today
    assert ListingChange.objects.count() == 0
    page = html(client.get(reverse("directory:stale_listing_list")))
    names = [
        a.get_text(strip=True) for a in page.select("table.app-stale tbody tr td:first-child a")
    ]
    assert names == ["Never checked", "Just stale"]
    never.refresh_from_db()
    just_stale.refresh_from_db()
    assert (never.assured_date, just_stale.assured_date) == (None, today - dt.timedelta(days=92))


@pytest.mark.django_db
def test_mark_as_checked_needs_a_post(client: Client, editor: User) -> None:
    # given
    service = make_service(assured_date=None)
    sign_in_staff(client, editor)
    # when
    response = client.get(reverse("directory:service_mark_checked", args=[service.pk]))
    # then
    assert response.status_code == 405
    service.refresh_from_db()
    assert service.assured_date is None


@pytest.mark.django_db
def test_stale_listings_are_paginated(client: Client, editor: User) -> None:
    # given
    for n in range(26):
        make_service(name=f"Stale {n:02d}", assured_date=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    sign_in_staff(client, editor)
    # when
    first = html(client.get(reverse("directory:stale_listing_list")))
    second = html(client.get(reverse("directory:stale_listing_list") + "?page=2"))
    # then
    assert len(first.select("table.app-stale tbody tr")) == 25
    assert [
        a.get_text(strip=True) for a in second.select("table.app-stale tbody td:first-child a")
    ] == ["Stale 25"]
    assert one(first, "a.nhsuk-pagination__link--next")["href"] == "?page=2"


# --- Reports ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_reports_queue_newest_first_and_resolve_with_a_note(client: Client, editor: User) -> None:
    # given
    service = make_service(name="Fictional choir")
    older = ListingReport.objects.create(
        service=service, reason=ListingReport.Reason.TIMES, details="Closed on Mondays now"
    )
    newer = ListingReport.objects.create(
        service=service, reason=ListingReport.Reason.CONTACT, details="Phone goes nowhere"
    )
    ListingReport.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    sign_in_staff(client, editor)
    # when
    page = html(client.get(reverse("directory:listing_report_list")))
    # then
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")][:3]
        for row in page.select("table.app-reports tbody tr")
    ]
    assert rows == [
        ["Fictional choir", "Phone number, email or website is wrong", "Phone goes nowhere"],
        ["Fictional choir", "Opening times are wrong", "Closed on Mondays now"],
    ]
    assert (
        text(html(client.get(reverse("directory:staff_dashboard"))), "[data-count=open_reports]")
        == "2"
    )

    # when resolving without a note
    url = reverse("directory:listing_report_resolve", args=[newer.pk])
    response = client.post(url, {"note": ""})
    assert text(response, ".nhsuk-error-summary__list a") == "Enter what you did about this report"
    newer.refresh_from_db()
    assert newer.status == ListingReport.Status.OPEN

    # when resolving with a note
    response = client.post(url, {"note": "Phoned them; new number added."})
    # then
    assert response.status_code == 302
    newer.refresh_from_db()
    assert newer.status == ListingReport.Status.RESOLVED
    assert newer.resolved_by == editor
    assert newer.resolved_at is not None
    assert newer.resolution == "Phoned them; new number added."
    open_page = html(client.get(reverse("directory:listing_report_list")))
    assert len(open_page.select("table.app-reports tbody tr")) == 1
    resolved_page = html(client.get(reverse("directory:listing_report_list") + "?status=resolved"))
    assert text(resolved_page, "h1") == "Resolved reports"
    assert "Phoned them; new number added." in text(resolved_page, "table.app-reports tbody tr")
    # and it cannot be resolved twice
    response = client.post(url, {"note": "Again"})
    assert response.status_code == 403
    newer.refresh_from_db()
    assert newer.resolution == "Phoned them; new number added."


@pytest.mark.django_db
def test_dashboard_counts(client: Client, editor: User, reviewer: User, world: World) -> None:
    # given world: two changes awaiting review, one never-checked listing, one open report
    sign_in_staff(client, editor)
    # when
    page = html(client.get(reverse("directory:staff_dashboard")))
    # then
    counts = {p["data-count"]: p.get_text(strip=True) for p in page.select("[data-count]")}
    assert counts == {
        "awaiting_review": "2",
        "changes_requested": "0",
        "stale": "1",
        "open_reports": "1",
    }
    assert text(page, "h1") == "Directory curation"


@pytest.mark.django_db
def test_every_field_of_the_listing_form_has_a_label(client: Client, editor: User) -> None:
    # given
    sign_in_staff(client, editor)
    # when
    page = html(client.get(reverse("directory:listing_create")))
    # then
    fields = page.select("main form input:not([type=hidden]), main form select, main form textarea")
    labelled = {label["for"] for label in page.select("main form label[for]")}
    # support types, other fields, three opening sessions (7 days, how often, from, opens, closes)
    assert len(fields) == 39 + 22 + 3 * 11
    assert [f["id"] for f in fields if f["id"] not in labelled] == []


@pytest.mark.django_db
def test_mark_as_checked_needs_the_csrf_token(editor: User) -> None:
    # given
    service = make_service(assured_date=None)
    client = Client(enforce_csrf_checks=True)
    sign_in_staff(client, editor)
    # when
    response = client.post(reverse("directory:service_mark_checked", args=[service.pk]))
    # then
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.assured_date is None
