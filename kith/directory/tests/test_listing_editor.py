"""The listing editor as editors use it: what they leave alone stays exactly as it was.

The form is read from the page and sent back the way a browser sends it (a textarea's line
breaks as CRLF, unchecked boxes left out), so these tests catch what a real round trip changes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.db.models import Model, Q
from django.test import Client
from django.urls import reverse

from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import (
    Address,
    Attribute,
    ClosedDate,
    CostOption,
    Language,
    ListingChange,
    Location,
    Organization,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.services.curation import editor_add
from kith.directory.tests.browser_forms import form_as_browser_sends
from kith.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)

LONDON = ZoneInfo("Europe/London")
# Monday 7 December 2026, in the morning.
MONDAY_MORNING = dt.datetime(2026, 12, 7, 8, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


# --- What a listing is, row by row --------------------------------------------------------


def _rows(model: type[Model], query: Q) -> dict[str, dict[str, Any]]:
    return {
        f"{model.__name__.lower()}:{row['id']}": row
        for row in model.objects.filter(query).values()  # type: ignore[attr-defined]
    }


def listing_snapshot(service_id: UUID) -> dict[str, dict[str, Any]]:
    """Every stored row that makes up the listing, by table and id."""
    service = Service.objects.get(pk=service_id)
    sal_ids = list(service.service_at_locations.values_list("id", flat=True))
    location_ids = list(service.service_at_locations.values_list("location_id", flat=True))
    rows: dict[str, dict[str, Any]] = {}
    rows |= _rows(Service, Q(pk=service_id))
    rows |= _rows(Organization, Q(pk=service.organization_id))
    rows |= _rows(ServiceAtLocation, Q(pk__in=sal_ids))
    rows |= _rows(Location, Q(pk__in=location_ids))
    rows |= _rows(Address, Q(location_id__in=location_ids))
    rows |= _rows(Schedule, Q(service_id=service_id) | Q(service_at_location_id__in=sal_ids))
    rows |= _rows(ClosedDate, Q(service_id=service_id))
    rows |= _rows(Phone, Q(service_id=service_id))
    rows |= _rows(Language, Q(service_id=service_id))
    rows |= _rows(CostOption, Q(service_id=service_id))
    rows |= _rows(Attribute, Q(link_id=service_id))
    return rows


# Publishing marks the listing as checked: these change on every publish, by design.
CHECKED_ON_PUBLISH = {"assured_date", "assurer_email", "last_modified", "updated_at"}


def snapshot_changes(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> set[str]:
    """What differs, as "table.field" for changed values and "table+"/"table-" for rows."""
    changes: set[str] = set()
    for key in before.keys() | after.keys():
        table = key.split(":")[0]
        if key not in after:
            changes.add(f"{table}-")
        elif key not in before:
            changes.add(f"{table}+")
        else:
            for field in before[key].keys() | after[key].keys():
                if table == "service" and field in CHECKED_ON_PUBLISH:
                    continue
                if before[key].get(field) != after[key].get(field):
                    changes.add(f"{table}.{field}")
    return changes


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture
def editor() -> User:
    return cast(User, editor_add(username="editor.ada", email="ada@example.com", password="x"))


@pytest.fixture
def reviewer() -> User:
    return cast(User, editor_add(username="editor.ben", email="ben@example.com", password="x"))


@pytest.fixture
def postcodes() -> None:
    Postcode.objects.create(code="SW98EJ", latitude=51.4652, longitude=-0.1150)
    Postcode.objects.create(code="SE115QY", latitude=51.4861, longitude=-0.1106)


@pytest.fixture
def listing(postcodes: None) -> Service:
    """A listing with every field the editor shows filled in, some as an import leaves them:
    paragraphs, a lower-case postcode, a map position that is not the postcode's centre, a
    language known only by its code, a cost only in its cost options, and opening times of
    every kind the editor handles (two sessions on a Monday, monthly, every other week) beside
    ones it does not (a seasonal rule, words only)."""
    OrganizationFactory.create(name="Another fictional group")
    organisation = OrganizationFactory.create(name="Kennington Kindness Collective")
    service = ServiceFactory.create(
        organization=organisation,
        name="Evening listening circle",
        description=(
            "A calm evening group where you can talk, or just listen.\n\n"
            "Tea and biscuits from 6pm.\nNo need to book."
        ),
        is_no_referral_needed=True,
        is_free=False,
        fees_description="",
        is_place_to_talk=True,
        place_to_talk_training="Mental Health First Aid (2026)",
        url="https://circle.example.com/evening",
        email="circle@example.com",
        assured_date=dt.date(2026, 1, 12),
    )
    tag_support_types(service, "peer-support", "social-connection")
    CostOption.objects.create(
        service=service, option="Donation", amount=Decimal("2.50"), amount_description="suggested"
    )
    Phone.objects.create(service=service, number="07700 900123", description="Text or call")
    location = LocationFactory.create(
        organization=organisation,
        name="Vauxhall community room",
        latitude=51.4855,
        longitude=-0.1229,
        has_step_free_access=True,
    )
    Address.objects.create(
        location=location,
        address_1="3 Fictional Walk",
        address_2="Back entrance",
        city="London",
        postal_code="se11 5qy",
    )
    sal = ServiceAtLocationFactory.create(service=service, location=location)
    weekly = {"service": service, "freq": Schedule.Freq.WEEKLY, "interval": 1}
    Schedule.objects.create(**weekly, byday="MO", opens_at=dt.time(9), closes_at=dt.time(12))
    Schedule.objects.create(**weekly, byday="MO", opens_at=dt.time(13), closes_at=dt.time(17))
    Schedule.objects.create(
        **weekly, byday="WE,FR", opens_at=dt.time(18), closes_at=dt.time(20), notes="Ring the bell"
    )
    Schedule.objects.create(
        service=service,
        freq=Schedule.Freq.MONTHLY,
        byday="1TU",
        opens_at=dt.time(18),
        closes_at=dt.time(20, 30),
    )
    Schedule.objects.create(
        service_at_location=sal,
        freq=Schedule.Freq.WEEKLY,
        interval=2,
        dtstart=dt.date(2026, 12, 10),
        byday="TH",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )
    # Not the editor's to change: a summer-only rule, and words with no hours.
    Schedule.objects.create(
        **weekly,
        byday="SA",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
        valid_from=dt.date(2027, 6, 1),
        valid_to=dt.date(2027, 8, 31),
    )
    Schedule.objects.create(service=service, description="Closed on bank holidays")
    ClosedDate.objects.create(service=service, date=dt.date(2026, 12, 25), reason="Christmas Day")
    Language.objects.create(service=service, name="English", code="en")
    Language.objects.create(service=service, name="", code="pt")
    Language.objects.create(service=service, name="somali", code="so")
    return service


def edit_page(client: Client, service: Service) -> BeautifulSoup:
    response = client.get(reverse("directory:listing_edit", args=[service.pk]))
    assert response.status_code == 200
    return html(response)


def send_for_review(client: Client, service: Service, data: dict[str, Any]) -> Any:
    return client.post(reverse("directory:listing_edit", args=[service.pk]), data)


def publish_latest_change(client: Client, reviewer: User) -> ListingChange:
    change = ListingChange.objects.get(status=ListingChange.Status.AWAITING_REVIEW)
    sign_in_staff(client, reviewer)
    response = client.post(reverse("directory:listing_change_publish", args=[change.pk]))
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ListingChange.Status.PUBLISHED
    return change


# --- Editing one field changes only that field --------------------------------------------


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_sending_the_form_back_unchanged_records_nothing_and_changes_nothing(
    client: Client, editor: User, listing: Service
) -> None:
    # given the editor opens the listing
    before = listing_snapshot(listing.pk)
    sign_in_staff(client, editor)
    page = edit_page(client, listing)
    sent = form_as_browser_sends(page)
    # every field of the form is there to send back
    form_fields = {
        str(el["name"])
        for el in one(page, "form.app-listing-form").select("input, textarea, select")
        if el.get("name") and el.get("type") not in {"submit", "hidden"}
    }
    assert form_fields - {"csrfmiddlewaretoken"} <= set(sent) | {
        name for name in form_fields if name.endswith(("_days", "is_no_referral_needed"))
    }
    # when they send it back without changing anything
    response = send_for_review(client, listing, sent)
    # then nothing is proposed, they are told so, and nothing in the listing changed
    assert response.status_code == 200
    assert ListingChange.objects.count() == 0
    assert text(response, ".app-nothing-changed p") == (
        "You have not changed anything, so there is nothing to review."
    )
    assert listing_snapshot(listing.pk) == before


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_an_unchanged_description_keeps_its_paragraphs(
    client: Client, editor: User, reviewer: User, listing: Service
) -> None:
    # given
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    # when the editor changes only the name, and another editor publishes it
    sent["name"] = ["Evening circle"]
    assert send_for_review(client, listing, sent).status_code == 302
    change = ListingChange.objects.get()
    sign_in_staff(client, reviewer)
    review = html(client.get(reverse("directory:listing_change_show", args=[change.pk])))
    publish_latest_change(client, reviewer)
    # then the reviewer saw one change, and the description is exactly as it was
    assert [text(row, "th") for row in review.select("table.app-diff tbody tr")] == ["Service name"]
    listing.refresh_from_db()
    assert listing.description == (
        "A calm evening group where you can talk, or just listen.\n\n"
        "Tea and biscuits from 6pm.\nNo need to book."
    )
    page = html(client.get(reverse("directory:service_show", args=[listing.pk])))
    assert [
        " ".join(p.get_text(" ").split()) for p in page.select(".app-service__description p")
    ] == [
        "A calm evening group where you can talk, or just listen.",
        "Tea and biscuits from 6pm. No need to book.",
    ]


def _set_name(sent: dict[str, list[str]]) -> None:
    sent["name"] = ["Evening circle"]


def _set_description(sent: dict[str, list[str]]) -> None:
    sent["description"] = [sent["description"][0] + "\r\n\r\nEveryone is welcome."]


def _set_phone(sent: dict[str, list[str]]) -> None:
    sent["phone"] = ["07700 900999"]


def _set_step_free(sent: dict[str, list[str]]) -> None:
    sent.pop("has_step_free_access", None)


def _add_language(sent: dict[str, list[str]]) -> None:
    sent["languages"] = [sent["languages"][0] + ", Polish"]


def _add_support_type(sent: dict[str, list[str]]) -> None:
    sent["support_types"] = [*sent["support_types"], "creative-arts"]


def _later_close_on_monday_afternoon(sent: dict[str, list[str]]) -> None:
    row = next(
        name[: -len("_opens")]
        for name, values in sent.items()
        if name.endswith("_opens") and values == ["13:00"]
    )
    sent[f"{row}_closes"] = ["5:30pm"]


@time_machine.travel(MONDAY_MORNING, tick=False)
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_set_name, {"service.name"}),
        (_set_description, {"service.description"}),
        (_set_phone, {"phone.number", "phone.updated_at"}),
        (_set_step_free, {"location.has_step_free_access", "location.updated_at"}),
        (_add_language, {"language+"}),
        (_add_support_type, {"attribute+"}),
        (_later_close_on_monday_afternoon, {"schedule.closes_at", "schedule.updated_at"}),
    ],
    ids=["name", "description", "phone", "step-free", "language", "support-type", "session"],
)
def test_editing_one_field_changes_only_that_field(
    client: Client,
    editor: User,
    reviewer: User,
    listing: Service,
    edit: Any,
    expected: set[str],
) -> None:
    # given
    before = listing_snapshot(listing.pk)
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    # when the editor changes one thing and another editor publishes it
    edit(sent)
    response = send_for_review(client, listing, sent)
    assert response.status_code == 302, text(response, ".nhsuk-error-summary")
    publish_latest_change(client, reviewer)
    # then only that changed
    assert snapshot_changes(before, listing_snapshot(listing.pk)) == expected


def test_a_description_saved_with_crlf_still_shows_its_paragraphs(client: Client) -> None:
    # given a description saved before the editor kept line endings as they were
    service = ServiceFactory.create(description="First part.\r\n\r\nSecond part.\r\nSame part.")
    # when
    page = html(client.get(reverse("directory:service_show", args=[service.pk])))
    # then
    assert [
        " ".join(p.get_text(" ").split()) for p in page.select(".app-service__description p")
    ] == [
        "First part.",
        "Second part. Same part.",
    ]


# --- Opening sessions: more than one a day, and not only weekly ---------------------------


def session_post(
    row: int, days: list[str], repeat: str, opens: str, closes: str, starts_on: str = ""
) -> dict[str, Any]:
    return {
        f"session_{row}_id": "",
        f"session_{row}_days": days,
        f"session_{row}_repeat": repeat,
        f"session_{row}_starts_on": starts_on,
        f"session_{row}_opens": opens,
        f"session_{row}_closes": closes,
    }


def new_listing_post(*sessions: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization": "",
        "new_organization_name": "Stockwell Neighbours (fictional)",
        "name": "Tea and talk",
        "description": "A friendly morning where you can talk, or just have a cuppa.",
        "support_types": ["peer-support"],
        "cost": "free",
        "address_1": "1 Imaginary Road",
        "city": "London",
        "postcode": "SW9 8EJ",
        "languages": "English",
        "session_rows": str(len(sessions) or 3),
    }
    for session in sessions:
        data |= session
    data.update(overrides)
    return data


EVERY_KIND = (
    session_post(0, ["MO"], "weekly", "9am", "midday"),
    session_post(1, ["MO"], "weekly", "1pm", "5pm"),
    session_post(2, ["TU"], "monthly-1", "6pm", "8pm"),
    session_post(3, ["TH"], "fortnightly", "10am", "12:00", starts_on="10/12/2026"),
    session_post(4, ["WE", "FR"], "weekly", "6pm", "midnight"),
)


@pytest.fixture
def published_every_kind(client: Client, editor: User, reviewer: User, postcodes: None) -> Service:
    sign_in_staff(client, editor)
    response = client.post(reverse("directory:listing_create"), new_listing_post(*EVERY_KIND))
    assert response.status_code == 302, text(response, ".nhsuk-error-summary")
    publish_latest_change(client, reviewer)
    return Service.objects.get(name="Tea and talk")


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_sessions_are_stored_as_hsds_schedules(published_every_kind: Service) -> None:
    # then each session is one schedule, in the fields HSDS and iCalendar use
    schedules = Schedule.objects.filter(service=published_every_kind).order_by(
        "freq", "byday", "opens_at"
    )
    assert [
        (s.freq, s.interval, s.byday, s.dtstart, s.opens_at, s.closes_at) for s in schedules
    ] == [
        ("MONTHLY", 1, "1TU", None, dt.time(18), dt.time(20)),
        ("WEEKLY", 1, "MO", None, dt.time(9), dt.time(12)),
        ("WEEKLY", 1, "MO", None, dt.time(13), dt.time(17)),
        ("WEEKLY", 2, "TH", dt.date(2026, 12, 10), dt.time(10), dt.time(12)),
        ("WEEKLY", 1, "WE,FR", None, dt.time(18), dt.time(0)),
    ]


@pytest.mark.parametrize(
    ("moment", "open_text"),
    [
        (dt.datetime(2026, 12, 7, 12, 30, tzinfo=LONDON), "Opens today at 1pm"),
        (dt.datetime(2026, 12, 7, 13, 30, tzinfo=LONDON), "Open now until 5pm"),
        (dt.datetime(2026, 12, 9, 23, 30, tzinfo=LONDON), "Open now until midnight"),
        (dt.datetime(2026, 12, 10, 11, 0, tzinfo=LONDON), "Open now until midday"),
        (dt.datetime(2026, 12, 17, 11, 0, tzinfo=LONDON), "Opens tomorrow at 6pm"),
        (dt.datetime(2027, 1, 5, 19, 0, tzinfo=LONDON), "Open now until 8pm"),
        (dt.datetime(2027, 1, 12, 19, 0, tzinfo=LONDON), "Opens tomorrow at 6pm"),
    ],
    ids=[
        "monday-lunch",
        "monday-afternoon",
        "wednesday-late",
        "fortnightly-on",
        "fortnightly-off",
        "first-tuesday",
        "second-tuesday",
    ],
)
def test_sessions_show_on_the_service_page_and_in_open_now(
    client: Client, published_every_kind: Service, moment: dt.datetime, open_text: str
) -> None:
    # given
    from kith.directory.search import SearchQuery, search_services

    with time_machine.travel(moment, tick=False):
        # when
        page = html(client.get(reverse("directory:service_show", args=[published_every_kind.pk])))
        found = search_services(SearchQuery(open_at=moment)).hits
    # then
    assert text(page, ".app-service__open") == open_text
    is_open = open_text.startswith("Open now")
    assert [hit.service.pk for hit in found] == ([published_every_kind.pk] if is_open else [])


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_service_page_lists_every_session(
    client: Client, published_every_kind: Service
) -> None:
    # when
    page = html(client.get(reverse("directory:service_show", args=[published_every_kind.pk])))
    # then
    times = page.select_one(".app-service__times")
    assert times is not None
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in times.select(".app-opening-times tbody tr")
    ]
    assert rows == [
        ["Monday", "9am to midday, 1pm to 5pm"],
        ["Tuesday", "Closed"],
        ["Wednesday", "6pm to midnight"],
        ["Thursday", "Closed"],
        ["Friday", "6pm to midnight"],
        ["Saturday", "Closed"],
        ["Sunday", "Closed"],
    ]
    assert [li.get_text(strip=True) for li in times.select(".app-other-times li")] == [
        "First Tuesday of the month, 6pm to 8pm",
        "Every other week on Thursdays, 10am to midday (next on Thursday 10 December)",
    ]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_oruk_api_publishes_sessions_as_valid_schedules(
    client: Client, published_every_kind: Service
) -> None:
    from kith.directory.oruk.validation import schema_errors

    # when
    response = client.get(f"/api/oruk/services/{published_every_kind.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert schema_errors(body, "service.json") == []
    published = sorted(
        (
            s["freq"],
            s.get("interval"),
            s["byday"],
            s.get("dtstart"),
            s["opens_at"],
            s["closes_at"],
        )
        for s in body["schedules"]
        if s.get("byday")
    )
    assert published == [
        ("MONTHLY", 1, "1TU", None, "18:00:00", "20:00:00"),
        ("WEEKLY", 1, "MO", None, "09:00:00", "12:00:00"),
        ("WEEKLY", 1, "MO", None, "13:00:00", "17:00:00"),
        ("WEEKLY", 1, "WE,FR", None, "18:00:00", "00:00:00"),
        ("WEEKLY", 2, "TH", "2026-12-10", "10:00:00", "12:00:00"),
    ]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_editor_shows_each_session_and_leaves_other_rules_alone(
    client: Client, editor: User, listing: Service
) -> None:
    # when
    sign_in_staff(client, editor)
    page = edit_page(client, listing)
    # then each session the editor can change is a row, in order, with two empty rows after
    rows = []
    for fieldset in page.select("fieldset.app-session"):
        days = [c["value"] for c in fieldset.select("input[type=checkbox][checked]")]
        repeat = fieldset.select_one("select option[selected]")
        rows.append(
            (
                text(fieldset, "legend"),
                days,
                repeat["value"] if repeat else "",
                str(fieldset.select("input[type=text]")[0].get("value", "")),
                [str(i.get("value", "")) for i in fieldset.select("input[type=text]")[1:]],
            )
        )
    assert rows == [
        ("Session 1", ["MO"], "weekly", "", ["09:00", "12:00"]),
        ("Session 2", ["MO"], "weekly", "", ["13:00", "17:00"]),
        ("Session 3", ["WE", "FR"], "weekly", "", ["18:00", "20:00"]),
        ("Session 4", ["TH"], "fortnightly", "10/12/2026", ["10:00", "12:00"]),
        ("Session 5", ["TU"], "monthly-1", "", ["18:00", "20:30"]),
        ("Session 6", [], "weekly", "", ["", ""]),
        ("Session 7", [], "weekly", "", ["", ""]),
    ]
    # and the rules it does not change are listed, so the editor knows they stay
    assert [li.get_text(strip=True) for li in page.select(".app-other-opening-times li")] == [
        "Saturdays, 10am to midday (from 1 June 2027 to 31 August 2027)",
        "Closed on bank holidays",
    ]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_removing_a_session_deletes_only_its_schedule(
    client: Client, editor: User, reviewer: User, listing: Service
) -> None:
    # given
    before = listing_snapshot(listing.pk)
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    # when the editor clears the monthly session's days and times
    row = next(n[: -len("_repeat")] for n, v in sent.items() if v == ["monthly-1"])
    sent.pop(f"{row}_days")
    sent[f"{row}_opens"] = [""]
    sent[f"{row}_closes"] = [""]
    assert send_for_review(client, listing, sent).status_code == 302
    publish_latest_change(client, reviewer)
    # then
    assert snapshot_changes(before, listing_snapshot(listing.pk)) == {"schedule-"}
    assert not Schedule.objects.filter(byday="1TU").exists()


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_changing_how_often_a_session_runs_updates_its_schedule_in_place(
    client: Client, editor: User, reviewer: User, listing: Service
) -> None:
    # given the Wednesday and Friday session, which has notes the editor does not show
    notes = Schedule.objects.get(notes="Ring the bell")
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    row = next(n[: -len("_days")] for n, v in sent.items() if v == ["WE", "FR"])
    # when it becomes the last Wednesday of the month
    sent[f"{row}_days"] = ["WE"]
    sent[f"{row}_repeat"] = ["monthly-last"]
    assert send_for_review(client, listing, sent).status_code == 302
    publish_latest_change(client, reviewer)
    # then the same schedule (same id, same notes) says so
    notes.refresh_from_db()
    assert (notes.freq, notes.interval, notes.byday, notes.notes) == (
        "MONTHLY",
        1,
        "-1WE",
        "Ring the bell",
    )


@pytest.mark.parametrize(
    ("session", "field", "message"),
    [
        (
            session_post(0, [], "weekly", "9am", "5pm"),
            "session_0_days",
            "Select the days of session 1",
        ),
        (
            session_post(0, ["MO"], "weekly", "", "5pm"),
            "session_0_opens",
            "Enter the time session 1 opens, like 9am or 17:30",
        ),
        (
            session_post(0, ["MO"], "weekly", "9am", "soon"),
            "session_0_closes",
            "Enter the time session 1 closes as a time, like 5pm or 17:30",
        ),
        (
            session_post(0, ["MO"], "weekly", "3pm", "1pm"),
            "session_0_closes",
            "Session 1 must close after it opens",
        ),
        (
            session_post(0, ["MO"], "fortnightly", "9am", "5pm"),
            "session_0_starts_on",
            "Enter the date of a week when session 1 runs, like 10/12/2026",
        ),
        (
            session_post(0, ["MO"], "fortnightly", "9am", "5pm", starts_on="31/2/2027"),
            "session_0_starts_on",
            "Enter a real date for session 1, like 10/12/2026",
        ),
        (
            session_post(0, ["XX"], "weekly", "9am", "5pm"),
            "session_0_days",
            "Select days of the week for session 1",
        ),
    ],
    ids=["no-days", "no-opening", "bad-closing", "backwards", "no-start", "bad-start", "bad-day"],
)
def test_each_bad_session_gets_a_clear_error(
    client: Client,
    editor: User,
    postcodes: None,
    session: dict[str, Any],
    field: str,
    message: str,
) -> None:
    # given
    sign_in_staff(client, editor)
    # when
    response = client.post(reverse("directory:listing_create"), new_listing_post(session))
    # then
    assert response.status_code == 200
    page = html(response)
    assert [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary__list a")] == [
        message
    ]
    assert one(page, ".nhsuk-error-summary__list a")["href"] == f"#id_{field}"
    one(page, f"#id_{field}")  # the link lands on a real field
    assert ListingChange.objects.count() == 0


def test_a_change_proposed_before_sessions_can_still_be_revised_and_published(
    client: Client, editor: User, reviewer: User, postcodes: None
) -> None:
    # given a change stored with one opening a day, the editor's old shape
    sign_in_staff(client, editor)
    client.post(reverse("directory:listing_create"), new_listing_post())
    change = ListingChange.objects.get()
    change.data["opening_times"] = {"TU": {"opens": "10:00", "closes": "12:30"}}
    change.save(update_fields=["data"])
    # when the proposer opens it to revise
    page = html(client.get(reverse("directory:listing_change_revise", args=[change.pk])))
    # then it shows as a session
    assert [c["value"] for c in page.select("input[name=session_0_days][checked]")] == ["TU"]
    assert one(page, "#id_session_0_opens")["value"] == "10:00"
    # and when it is published as it was, the schedule is there
    publish_latest_change(client, reviewer)
    service = Service.objects.get()
    assert list(
        Schedule.objects.filter(service=service).values_list("byday", "opens_at", "closes_at")
    ) == [("TU", dt.time(10), dt.time(12, 30))]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_a_published_value_that_fails_todays_checks_does_not_block_an_edit_elsewhere(
    client: Client, editor: User, reviewer: User, listing: Service
) -> None:
    # given an imported phone number with words in it, and an address with an unknown postcode
    phone = Phone.objects.get(service=listing)
    phone.number = "0800 123 4567 (free, ask for Sam)"
    phone.save()
    Address.objects.filter(location__service_at_locations__service=listing).update(
        postal_code="ZZ1 1ZZ"
    )
    before = listing_snapshot(listing.pk)
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    # when the editor changes only the name
    sent["name"] = ["Evening circle"]
    response = send_for_review(client, listing, sent)
    # then it goes for review, and publishing changes only the name
    assert response.status_code == 302
    publish_latest_change(client, reviewer)
    assert snapshot_changes(before, listing_snapshot(listing.pk)) == {"service.name"}


def test_a_changed_value_is_still_checked(client: Client, editor: User, listing: Service) -> None:
    # given
    sign_in_staff(client, editor)
    sent = form_as_browser_sends(edit_page(client, listing))
    # when the editor types a phone number with words in it
    sent["phone"] = ["call Sam"]
    response = send_for_review(client, listing, sent)
    # then
    assert response.status_code == 200
    assert [
        a.get_text(strip=True) for a in html(response).select(".nhsuk-error-summary__list a")
    ] == ["Enter a phone number, like 020 7946 0000 or 07700 900 982"]
    assert ListingChange.objects.count() == 0


# --- Edits published in another order ------------------------------------------------------


def propose_edit(client: Client, user: User, service: Service, edit: Any) -> ListingChange:
    sign_in_staff(client, user)
    sent = form_as_browser_sends(edit_page(client, service))
    edit(sent)
    response = send_for_review(client, service, sent)
    assert response.status_code == 302, text(response, ".nhsuk-error-summary")
    return ListingChange.objects.get(pk=UUID(response["Location"].rstrip("/").split("/")[-1]))


def publish(client: Client, user: User, change: ListingChange) -> BeautifulSoup:
    """Publish as `user`; returns the review page they saw first."""
    sign_in_staff(client, user)
    page = html(client.get(reverse("directory:listing_change_show", args=[change.pk])))
    response = client.post(reverse("directory:listing_change_publish", args=[change.pk]))
    assert response.status_code == 302
    return page


def _add_saturday_session(sent: dict[str, list[str]]) -> None:
    row = next(
        name[: -len("_opens")]
        for name, values in sorted(sent.items())
        if name.endswith("_opens") and values == [""]
    )
    sent[f"{row}_days"] = ["SA"]
    sent[f"{row}_opens"] = ["10am"]
    sent[f"{row}_closes"] = ["midday"]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_publishing_an_older_edit_does_not_undo_a_later_one(
    client: Client, editor: User, reviewer: User, listing: Service
) -> None:
    # given editor A proposes a new description and a later close on Monday afternoons
    def describe_and_close_later(sent: dict[str, list[str]]) -> None:
        sent["description"] = ["A calm evening group."]
        _later_close_on_monday_afternoon(sent)

    older = propose_edit(client, editor, listing, describe_and_close_later)

    # and editor B's new name and Saturday session are published first
    def rename_and_add_saturday(sent: dict[str, list[str]]) -> None:
        _set_name(sent)
        _add_saturday_session(sent)

    newer = propose_edit(client, reviewer, listing, rename_and_add_saturday)
    publish(client, editor, newer)
    # when B publishes A's older edit
    review = publish(client, reviewer, older)
    # then the reviewer saw only A's changes, and both edits stand
    assert [text(row, "th") for row in review.select("table.app-diff tbody tr")] == [
        "Description",
        "Opening times",
    ]
    listing.refresh_from_db()
    assert (listing.name, listing.description) == ("Evening circle", "A calm evening group.")
    assert sorted(
        Schedule.objects.filter(
            Q(service=listing) | Q(service_at_location__service=listing),
            byday__in=["MO", "SA"],
            valid_from=None,
        ).values_list("byday", "opens_at", "closes_at")
    ) == [
        ("MO", dt.time(9), dt.time(12)),
        ("MO", dt.time(13), dt.time(17, 30)),
        ("SA", dt.time(10), dt.time(12)),
    ]
