"""What the person can see of their record: the download (open notes, plans, measures) and who
has looked at it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kith.care.access import access_involvement
from kith.care.measures import measure_record
from kith.care.models import HoldBackReason
from kith.care.services import ask_pick_up, goal_add, note_add, plan_update, step_add
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, text
from kith.people.access import SESSION_KEY
from kith.record.services import person_export
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db


def test_the_download_holds_open_notes_the_plan_and_measures_but_not_held_back_notes(
    team: Team, member: TeamMember, outsider: TeamMember
) -> None:
    # given: the team worked with Sam, and also with Kim
    sam = person_make(email="sam@example.com")
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    note_add(involvement=involvement, author=member, text="We talked about sleep.")
    note_add(
        involvement=involvement,
        author=member,
        text="Their neighbour said something in confidence.",
        held_back_reason=HoldBackReason.THIRD_PARTY,
        held_back_explanation="A neighbour's information.",
    )
    plan_update(involvement=involvement, person=sam, what_matters="Seeing my kids on Sundays")
    goal = goal_add(
        involvement=involvement,
        member=member,
        text="Sleep through the night",
        domain="mental-health",
        score=3,
        recorded_on=dt.date(2026, 11, 20),
    )
    step_add(involvement=involvement, person=sam, text="No phone after ten", who="me", goal=goal)
    measure_record(person=sam, code="ucla3", answers=[2, 2, 1])
    kim = person_make(email="kim@example.com")
    other = ask_pick_up(ask=ask_for(team, person=kim), member=member)
    note_add(involvement=other, author=member, text="Kim's own words.")
    # when
    data = person_export(person=sam)
    # then
    assert [note["text"] for note in data["notes_from_the_team"]] == ["We talked about sleep."]
    assert data["notes_from_the_team"][0]["team"] == team.name
    [plan] = data["plans"]
    assert plan["what_matters_to_me"] == "Seeing my kids on Sundays"
    assert plan["goals"] == [
        {
            "goal": "Sleep through the night",
            "part_of_life": "Mental health",
            "progress": [{"on": "2026-11-20", "out_of_10": 3}],
        }
    ]
    assert [(step["step"], step["done_at"]) for step in plan["steps"]] == [
        ("No phone after ten", None)
    ]
    assert [(m["measure"], m["answers"], m["score"]["total"]) for m in data["measures"]] == [
        ("ucla3", [2, 2, 1], 5)
    ]
    assert "Kim" not in repr(data)
    assert "neighbour" not in repr(data)


def test_the_person_sees_which_member_of_staff_looked_at_their_record(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given Alex picked up Sam's ask, and Jo opened their record
    sam = person_make(email="sam@example.com")
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    access_involvement(involvement.pk, member=colleague)
    session = client.session
    session[SESSION_KEY] = str(sam.pk)
    session.save()
    # when Sam opens "who has looked at my record"
    page = client.get(reverse("people:access_log"))
    # then each entry names the member of staff, their role, organisation and team
    entries = [
        (
            text(entry, ".app-access-entry__summary"),
            text(entry, ".app-access-entry__where"),
        )
        for entry in html(page).select(".app-access-entry")
    ]
    assert {(", ".join(summary.split(", ")[:2]), where) for summary, where in entries} == {
        ("Alex Morgan, peer worker", "Brixton Mind, Brixton community team"),
        ("Jo Patel, social prescriber", "Stockwell GP practice, Brixton community team"),
    }
