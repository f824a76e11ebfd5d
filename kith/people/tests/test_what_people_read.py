"""What people read about themselves: the readable download, who has looked at their record
(repeated reads grouped, and why), who wrote each note, and closing an account."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pytest
import time_machine
from django.http import Http404
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask
from kith.audit.events import Purpose
from kith.care.access import access_huddle_board, access_involvement
from kith.care.consent import consent_withhold
from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.services import ask_pick_up, goal_add, note_add, plan_update, step_add
from kith.care.tests.factories import ask_for, member_make, team_make
from kith.core.testing import html, text
from kith.people.access import SESSION_KEY
from kith.people.models import Person
from kith.record.presenters import READABLE_FIELDS
from kith.record.services import person_export
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db

# In December the locality's clock is UTC, so these read as they are written.
ASKED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
NOTED = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
MEASURED = dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC)
BOARD_DAY = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
TODAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIELD_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def team() -> Team:
    return team_make(name="Brixton community team", districts="SW9, SW2", hours=24)


@pytest.fixture
def member(team: Team) -> TeamMember:
    return member_make(team=team)  # Alex Morgan, peer worker, Brixton Mind


@pytest.fixture
def colleague(team: Team) -> TeamMember:
    return member_make(
        team=team,
        username="jo",
        display_name="Jo Patel",
        role="social-prescriber",
        organisation_name="Stockwell GP practice",
    )


@pytest.fixture
def ruby() -> Person:
    with time_machine.travel(ASKED - dt.timedelta(minutes=5), tick=False):
        return Person.objects.create(
            display_name="Ruby",
            email="ruby@example.com",
            email_verified_at=ASKED,
            phone="+447700900123",
            preferred_contact="text",
        )


@pytest.fixture
def involvement(team: Team, member: TeamMember, colleague: TeamMember, ruby: Person) -> Involvement:
    """Ruby asked the team for help; Alex picked it up, wrote a note, wrote her plan with her and
    recorded a SWEMWBS; on 4 December Alex looked at the board 8 times, and Jo (Stockwell GP
    practice) opened her plan, before and after Ruby kept her record from Jo's organisation."""
    with time_machine.travel(ASKED, tick=False):
        ask = ask_for(
            team,
            person=ruby,
            text="Since the baby I feel flat and I've stopped going out.",
            what_would_help="Talking to other parents",
            contact_method="text",
            contact_phone="07700 900123",
            contact_times="Evenings",
            age_band="25-34",
            ethnicity="white-irish",
        )
    with time_machine.travel(ASKED + dt.timedelta(hours=1), tick=False):
        involvement = ask_pick_up(ask=ask, member=member)
    with time_machine.travel(NOTED, tick=False):
        note_add(involvement=involvement, author=member, text="Ruby would like the Tuesday walk.")
    with time_machine.travel(NOTED + dt.timedelta(minutes=30), tick=False):
        plan_update(involvement=involvement, member=member, what_matters="Feeling like myself")
        goal = goal_add(
            involvement=involvement,
            member=member,
            text="Go out with the baby three times a week",
            domain="leisure",
            score=3,
            recorded_on=NOTED.date(),
        )
        step_add(involvement=involvement, member=member, text="Try the walk", who="me", goal=goal)
    with time_machine.travel(MEASURED, tick=False):
        measure_record(
            person=ruby,
            code="swemwbs",
            answers=[4, 3, 3, 4, 5, 2, 3],
            involvement=involvement,
            member=member,
        )
    for n in range(8):  # 9am to 4:30pm
        with time_machine.travel(BOARD_DAY + dt.timedelta(minutes=n * 65), tick=False):
            access_huddle_board(member=member, now=BOARD_DAY)
    with time_machine.travel(BOARD_DAY + dt.timedelta(hours=1), tick=False):
        access_involvement(involvement.pk, member=colleague, purpose=Purpose.PLAN)
    with time_machine.travel(BOARD_DAY + dt.timedelta(hours=3), tick=False):
        consent_withhold(person=ruby, team=team, organisation_name="Stockwell GP practice")
    with (
        time_machine.travel(BOARD_DAY + dt.timedelta(hours=5), tick=False),
        pytest.raises(Http404),
    ):
        access_involvement(involvement.pk, member=colleague, purpose=Purpose.PLAN)
    return involvement


def _signed_in(client: Client, person: Person) -> Client:
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()
    return client


def _entries(response: Any) -> list[dict[str, str]]:
    page = html(response)
    return [
        {
            name: (found.get_text(" ", strip=True) if (found := item.select_one(f".{css}")) else "")
            for name, css in (
                ("summary", "app-access-entry__summary"),
                ("why", "app-access-entry__why"),
                ("where", "app-access-entry__where"),
            )
        }
        for item in page.select(".app-access-entry")
    ]


def test_who_has_looked_groups_repeated_reads_and_says_who_and_why_in_plain_words(
    client: Client, ruby: Person, involvement: Involvement
) -> None:
    # given Ruby's record, looked at and changed by the team (the fixture)
    # when she opens "who has looked at my record"
    with time_machine.travel(TODAY, tick=False):
        response = _signed_in(client, ruby).get(reverse("people:access_log"))
    # then repeated reads are one line each, newest first, with who, how often, when and why
    entries = _entries(response)
    assert [entry["summary"] for entry in entries] == [
        "Alex Morgan, peer worker, looked at your record 8 times on 4 December, between 9am "
        "and 4:35pm.",
        "Jo Patel, social prescriber, tried to look at your record, and was not let in on "
        "4 December, at 2pm.",
        "Jo Patel, social prescriber, looked at your record on 4 December, at 10am.",
        "Alex Morgan, peer worker, recorded a questionnaire with you on 3 December, at 3:30pm.",
        "Alex Morgan, peer worker, changed your plan 4 times on 2 December, at 9:30am.",
        "Alex Morgan, peer worker, wrote a note on 2 December, at 9am.",
        "Alex Morgan, peer worker, picked up your ask on 1 December, at 11am.",
    ]
    assert [entry["why"] for entry in entries] == [
        "Why: you were on the team's board, where the team sees new asks and what is due today.",
        "Why: you do not share your record with them.",
        "Why: your plan.",
        "",
        "",
        "Why: you can read it in your record.",
        "Why: so you have a named worker.",
    ]
    assert entries[0]["where"] == "Brixton Mind, Brixton community team"
    assert entries[1]["where"] == "Stockwell GP practice, Brixton community team"
    # and no codes or field names are shown
    page = text(response, "main")
    assert not FIELD_NAME.search(page)
    assert "huddle" not in page


def test_the_readable_download_has_headings_plain_words_and_dates_in_words(
    client: Client, ruby: Person, involvement: Involvement
) -> None:
    # given Ruby's record (the fixture)
    # when she opens the readable download
    with time_machine.travel(TODAY, tick=False):
        response = _signed_in(client, ruby).get(reverse("people:download"))
    page = html(response)
    main = text(response, "main")
    # then it has a heading for each part of her record
    assert [h2.get_text(strip=True) for h2 in page.select("main h2")] == [
        "About you",
        "Your asks",
        "Who you shared your record with",
        "Notes from your team",
        "Your plans",
        "Your safety plans",
        "How you are doing",
        "Who has looked at or changed your record",
    ]
    # and rows in plain words, with dates in words and the words she chose, not codes
    rows = {
        text(row, "dt"): text(row, "dd")
        for row in page.select('section[data-part="person"] .nhsuk-summary-list__row')
    }
    assert rows == {
        "Name": "Ruby",
        "Email address": "ruby@example.com",
        "Mobile number": "+447700900123",
        "How we contact you": "Text message",
        "Account opened": "1 December 2026, 9:55am",
        "Last changed": "1 December 2026, 9:55am",
    }
    ask = page.select_one('section[data-part="asks"]')
    assert ask is not None
    assert text(ask, "h3") == (f"Ask {Ask.objects.get(person=ruby).reference}")
    ask_rows = {text(row, "dt"): text(row, "dd") for row in ask.select(".nhsuk-summary-list__row")}
    assert ask_rows["Sent"] == "1 December 2026, 10am"
    assert ask_rows["Status"] == "New"
    assert ask_rows["How to reach you"] == "Text message"
    assert ask_rows["When to reach you"] == "Evenings"
    assert ask_rows["Age"] == "25 to 34"
    assert ask_rows["Ethnic group"] == "White: Irish"
    assert ask_rows["Interpreter"] == "No"
    assert ask_rows["Withdrawn"] == "No"
    note = text(page, 'section[data-part="notes_from_the_team"]')
    assert "Alex Morgan, peer worker, Brixton Mind, Brixton community team" in note
    assert "Ruby would like the Tuesday walk." in note
    measures = text(page, 'section[data-part="measures"]')
    assert "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS), 3 December 2026, 3:30pm" in (
        measures
    )
    assert "Total score 24" in measures
    assert "Metric score 21.54" in measures
    assert "Optimism about the future Often" in measures
    looked = text(page, 'section[data-part="audit_log"]')
    assert (
        "Alex Morgan, peer worker, looked at your record 8 times on 4 December, between 9am and "
        "4:35pm."
    ) in looked
    assert "You downloaded your record on 7 December, at midday." in looked
    # and no ids, field names or machine dates anywhere
    assert not UUID.search(main)
    assert not ISO_DATE.search(main)
    assert not FIELD_NAME.search(main), FIELD_NAME.findall(main)


def _fields(value: Any, path: str, found: dict[str, set[str]]) -> None:
    """Every field name in the download, by where it is (as READABLE_FIELDS names places)."""
    if isinstance(value, Mapping):
        found.setdefault(path, set()).update(value)
        for key, item in value.items():
            if key != "score":  # a measure's own scores are shown from its definition
                _fields(item, f"{path}.{key}".strip("."), found)
    elif isinstance(value, list):
        for item in value:
            _fields(item, path, found)


def test_every_field_of_the_json_download_has_plain_words_on_the_readable_page(
    ruby: Person, involvement: Involvement
) -> None:
    # given Ruby's full record, downloaded as JSON
    export = person_export(person=ruby)
    # when every field in it is listed by where it is
    found: dict[str, set[str]] = {}
    _fields(export, "", found)
    found = {place: names for place, names in found.items() if place in READABLE_FIELDS or names}
    # then the readable page shows (or deliberately leaves out) each one
    missing = {
        place: sorted(names - READABLE_FIELDS.get(place, frozenset()))
        for place, names in found.items()
        if names - READABLE_FIELDS.get(place, frozenset())
    }
    assert missing == {}


def test_the_json_download_stays_complete_with_ids_and_machine_dates(
    ruby: Person, involvement: Involvement
) -> None:
    # when Ruby's record is downloaded as JSON
    export = person_export(person=ruby)
    # then it keeps ids, codes and ISO dates, and each note says who wrote it and their role
    assert export["person"]["id"] == str(ruby.pk)
    assert export["asks"][0]["created_at"] == "2026-12-01T10:00:00+00:00"
    assert export["asks"][0]["contact_method"] == "text"
    assert export["notes_from_the_team"] == [
        {
            "team": "Brixton community team",
            "by": "Alex Morgan",
            "role": "Peer worker",
            "organisation": "Brixton Mind",
            "at": "2026-12-02T09:00:00+00:00",
            "text": "Ruby would like the Tuesday walk.",
        }
    ]
    assert {row["purpose"] for row in export["audit_log"]} >= {"huddle", "pick_up", "download"}


def test_notes_in_the_record_show_the_writers_name_and_role_as_the_log_does(
    client: Client, ruby: Person, involvement: Involvement
) -> None:
    # when Ruby opens her record
    response = _signed_in(client, ruby).get(reverse("people:record"))
    # then the note says who wrote it: name, role, organisation and team
    assert text(response, ".app-person-note__by") == (
        "2 December 2026, Alex Morgan, peer worker, Brixton Mind, Brixton community team"
    )


def test_the_close_account_page_links_to_the_download_first_and_says_each_thing_once(
    client: Client, ruby: Person
) -> None:
    # when Ruby opens "close your account"
    response = _signed_in(client, ruby).get(reverse("people:close"))
    # then the first link in the page is to download her record
    main = html(response).select_one("main")
    assert main is not None
    first = main.select("a[href]")[0]
    assert (first["href"], first.get_text(strip=True)) == (
        reverse("people:download"),
        "Download your record",
    )
    # and each message is shown once
    words = main.get_text(" ", strip=True)
    assert words.count("This cannot be undone") == 1
    paragraphs = [p.get_text(" ", strip=True) for p in main.select("p")]
    assert len(paragraphs) == len(set(paragraphs))
