"""A person's record is a timeline: asks, conversations, notes, plan changes (with who made each),
steps (the tasks) added and done, measures, and the community support they were connected to.
The page takes the same number of queries however long the timeline is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.selectors import involvement_timeline, involvement_timeline_page
from kith.care.services import (
    ask_pick_up,
    conversation_record,
    goal_add,
    goal_progress_record,
    involvement_close,
    note_add,
    plan_update,
    step_add,
    step_done,
)
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.directory.tests.factories import ServiceFactory
from kith.people.models import Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
MILD = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # PHQ-9: total 8, "Mild"


def _at(hours: int) -> time_machine.travel:
    return time_machine.travel(START + dt.timedelta(hours=hours), tick=False)


def _involvement(team: Team, member: TeamMember, email: str = "sam@example.com") -> Involvement:
    with _at(0):
        return ask_pick_up(ask=ask_for(team, person=person_make(email=email)), member=member)


def _person(involvement: Involvement) -> Person:
    assert involvement.person is not None
    return involvement.person


def _entries(client: Client, involvement: Involvement) -> list[tuple[str, str]]:
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    assert response.status_code == 200
    entries = []
    for item in html(response).select(".app-timeline > li"):
        words = " ".join(p.get_text(" ") for p in item.select("p")[1:]).split()  # not the date
        entries.append((item["class"][0].removeprefix("app-timeline__"), " ".join(words)))
    return entries


def test_given_plan_changes_by_everyone_when_staff_read_the_timeline_then_each_says_who(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given: the reader, a colleague and the person each change the plan
    involvement = _involvement(team, member)
    person = _person(involvement)
    with _at(1):
        plan_update(involvement=involvement, person=person, what_matters="Seeing my kids")
    with _at(2):
        goal = goal_add(
            involvement=involvement, member=colleague, text="Sleep better", domain="mental-health"
        )
    with _at(3):
        goal_progress_record(goal=goal, person=person, score=4, recorded_on=dt.date(2026, 11, 2))
    with _at(4):
        step = step_add(
            involvement=involvement,
            member=member,
            text="Try the sleep group",
            who="me",
            due_on=dt.date(2026, 12, 3),
            goal=goal,
        )
    with _at(5):
        step_done(step=step, person=person)
    sign_in_staff(client, member.user)
    # when
    entries = _entries(client, involvement)
    # then
    assert entries[0][0] == "ask"
    assert entries[1:] == [
        ("plan", "Plan: what matters by the person . Seeing my kids"),
        ("goal", "Plan: goal added by Jo Patel (Mental health). Sleep better"),
        ("progress", "Plan: progress by the person . Sleep better: 4 out of 10 on 2 November 2026"),
        (
            "step",
            "Plan: step added by you . Try the sleep group Who does it: the person. "
            "By 3 December 2026. Towards: Sleep better",
        ),
        (
            "step_done",
            "Plan: step done by the person . Try the sleep group Who does it: the person. "
            "By 3 December 2026. Towards: Sleep better",
        ),
    ]


def test_given_measures_when_staff_read_the_timeline_then_the_persons_and_this_teams_show(
    client: Client,
    team: Team,
    other_team: Team,
    member: TeamMember,
    outsider: TeamMember,
) -> None:
    # given: one measure by the person, one with the worker, one with another team's worker
    person = person_make()
    with _at(0):
        ask, other_ask = ask_for(team, person=person), ask_for(other_team, person=person)
        involvement = ask_pick_up(ask=ask, member=member)
        elsewhere = ask_pick_up(ask=other_ask, member=outsider)
    with _at(1):
        measure_record(person=person, code="phq9", answers=MILD)
    with _at(2):
        measure_record(
            person=person, code="phq9", answers=MILD, involvement=involvement, member=member
        )
    with _at(3):
        measure_record(
            person=person, code="gad7", answers=[0] * 7, involvement=elsewhere, member=outsider
        )
    sign_in_staff(client, member.user)
    # when
    entries = [entry for entry in _entries(client, involvement) if entry[0] == "measure"]
    # then
    assert [entry[1].split(" Outcome measures")[0] for entry in entries] == [
        "Measure completed: PHQ-9 by the person . Score 8 (Mild).",
        "Measure completed: PHQ-9 with you . Score 8 (Mild).",
    ]


def test_given_an_involvement_closed_as_connected_when_staff_read_it_then_the_service_is_linked(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    involvement = _involvement(team, member)
    service = ServiceFactory.create(name="Tuesday walking group (fictional)")
    with _at(6):
        involvement_close(
            involvement=involvement,
            member=member,
            outcome="connected",
            service_id=service.pk,
            what_helped="Meeting people on the walks",
        )
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    # then
    closed = one(response, ".app-timeline__closed")
    link = one(closed, ".app-timeline__connected a")
    assert (link.get_text(strip=True), link["href"]) == (
        "Tuesday walking group (fictional)",
        reverse("directory:service_show", args=[service.pk]),
    )
    assert "Connected to community support" in text(closed, "p:nth-of-type(2)")
    assert "What helped: Meeting people on the walks" in closed.get_text(" ")


def _fill(involvement: Involvement, member: TeamMember, times: int) -> None:
    """`times` of every kind of entry, each kind by staff and by the person."""
    person = _person(involvement)
    ask = involvement.asks.get()
    for n in range(times):
        with _at(1 + n):
            note_add(involvement=involvement, author=member, text=f"Note {n}")
            conversation_record(
                ask=ask,
                member=member,
                happened_at=START + dt.timedelta(hours=n, minutes=30),
                method="phone",
                with_whom="the person",
            )
            plan_update(involvement=involvement, person=person, what_matters=f"Matters {n}")
            goal = goal_add(involvement=involvement, person=person, text=f"Goal {n}", domain="job")
            goal_progress_record(
                goal=goal, member=member, score=n % 11, recorded_on=dt.date(2026, 11, 2)
            )
            step = step_add(
                involvement=involvement, member=member, text=f"Step {n}", who="worker", goal=goal
            )
            step_done(step=step, person=person)
            measure_record(person=person, code="phq9", answers=MILD)
            measure_record(
                person=person, code="phq9", answers=MILD, involvement=involvement, member=member
            )


def _queries(client: Client, involvement: Involvement) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_given_a_short_and_a_long_timeline_when_the_page_is_read_then_the_queries_are_the_same(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: one of every entry on one record, twelve of every entry on another; both closed as
    # connected to community support
    short = _involvement(team, member, email="sam@example.com")
    long = _involvement(team, member, email="pat@example.com")
    _fill(short, member, 1)
    _fill(long, member, 12)
    service = ServiceFactory.create(name="Tuesday walking group (fictional)")
    for involvement in (short, long):
        with _at(20):
            involvement_close(
                involvement=involvement, member=member, outcome="connected", service_id=service.pk
            )
    sign_in_staff(client, member.user)
    _queries(client, short)  # warm the caches a page reads once (the demo banner's flag)
    # when
    few, many = _queries(client, short), _queries(client, long)
    # then
    # the ask, eight entries a round, what matters (its latest), the closing
    assert len(_entries(client, short)) == 1 + 8 + 1 + 1
    assert len(_entries(client, long)) == 1 + 12 * 8 + 1 + 1
    assert few == many


def _minute(minutes: int) -> time_machine.travel:
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


def test_given_a_long_record_when_paged_back_then_every_entry_shows_once_in_order(
    team: Team, member: TeamMember
) -> None:
    # given: an ask, 150 notes, and 40 steps added early and done late (so a step's "done" entry
    # belongs to a later page than its "added" entry)
    involvement = _involvement(team, member)
    for minute in range(1, 151):
        with _minute(minute):
            note_add(involvement=involvement, author=member, text=f"Note {minute}")
    steps = []
    for minute in range(151, 191):
        with _minute(minute):
            steps.append(step_add(involvement=involvement, member=member, text="Call", who="me"))
    for minute, step in enumerate(steps, start=300):
        with _minute(minute):
            step_done(step=step, member=member)
    everything = involvement_timeline(involvement=involvement)
    assert len(everything) == 1 + 150 + 40 + 40
    # when: staff read the newest page, then follow "earlier" to the start
    pages = [involvement_timeline_page(involvement=involvement, size=100)]
    while pages[-1].earlier is not None:
        pages.append(
            involvement_timeline_page(involvement=involvement, before=pages[-1].earlier, size=100)
        )
    # then: three pages, newest first, each oldest-first inside, nothing lost or repeated
    assert [len(page.entries) for page in pages] == [100, 100, 31]
    seen = [(entry.kind, entry.item.pk) for page in reversed(pages) for entry in page.entries]
    assert seen == [(entry.kind, entry.item.pk) for entry in everything]
    assert [entry.kind for entry in pages[0].entries] == ["note"] * 20 + ["step"] * 40 + [
        "step_done"
    ] * 40


def test_given_a_long_record_when_the_page_is_read_then_it_links_to_earlier_entries(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: an ask and 120 notes, a minute apart
    involvement = _involvement(team, member)
    for minute in range(1, 121):
        with _minute(minute):
            note_add(involvement=involvement, author=member, text=f"Note {minute}")
    sign_in_staff(client, member.user)
    url = reverse("care:involvement_show", args=[involvement.pk])
    # when: the record opens on the newest 100, then "Earlier entries" is followed
    latest = client.get(url)
    earlier_url = one(latest, ".app-timeline__pages a")["href"]
    earlier = client.get(f"{url}{earlier_url}")
    # then
    assert text(latest, ".app-timeline > li:first-child").endswith("Note 21")
    assert len(html(latest).select(".app-timeline > li")) == 100
    assert text(latest, ".app-timeline__pages") == "Earlier entries"
    notes = [p.get_text() for p in html(earlier).select(".app-timeline > li > p:last-child")]
    assert notes[-1] == "Note 20"
    assert len(notes) == 1 + 20  # the ask and the 20 oldest notes
    assert text(earlier, ".app-timeline__pages") == "Latest entries"


@pytest.mark.parametrize("before", ["yesterday", "2026-11-02T09:00:00", "9" * 5000])
def test_given_a_bad_moment_when_the_record_is_read_then_the_newest_entries_show(
    client: Client, team: Team, member: TeamMember, before: str
) -> None:
    # given
    involvement = _involvement(team, member)
    with _minute(1):
        note_add(involvement=involvement, author=member, text="The newest note")
    sign_in_staff(client, member.user)
    # when
    response = client.get(
        reverse("care:involvement_show", args=[involvement.pk]), {"before": before}
    )
    # then
    assert response.status_code == 200
    assert "The newest note" in response.text
