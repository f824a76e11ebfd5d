"""Measure pages in the right words for who reads them (staff record a measure with the person;
the person fills it in), and SWEMWBS with its metric score beside the raw score."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kith.care.measures import measure_record
from kith.care.services import ask_pick_up
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, text
from kith.core.testing.staff import sign_in_staff
from kith.people.access import SESSION_KEY
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
SWEMWBS = [4, 3, 3, 4, 5, 2, 3]  # raw 24, metric 21.54 in Warwick's table
PROMPT = "Below are some statements about feelings and thoughts."


def test_staff_are_told_to_read_the_measure_to_the_person_and_record_their_answers(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given a member of the team working with Sam
    involvement = ask_pick_up(ask=ask_for(team, person=person_make()), member=member)
    sign_in_staff(client, member.user)
    # when they open SWEMWBS to record it with Sam
    response = client.get(
        reverse("care:measure_record", args=[involvement.pk]), {"measure": "swemwbs"}
    )
    # then the page speaks to them, and the person's instructions are for reading out
    assert text(response, ".app-measure-instructions") == (
        "Read the instructions and each question to the person as they are written, and select "
        "the answer they give."
    )
    assert text(response, ".app-measure-prompt").startswith(f"Read out: {PROMPT}")
    assert text(response, "form.app-measure-form button") == "Save their answers"


def test_the_person_reads_the_measures_own_instructions(client: Client) -> None:
    # given Sam, signed in
    sam = person_make()
    session = client.session
    session[SESSION_KEY] = str(sam.pk)
    session.save()
    # when they open SWEMWBS
    response = client.get(reverse("people:measure_record"), {"measure": "swemwbs"})
    # then the instructions are addressed to them, with no staff instructions
    assert text(response, ".app-measure-prompt").startswith(PROMPT)
    assert not html(response).select(".app-measure-instructions")
    assert text(response, "form.app-measure-form button") == "Save answers"


def _table(response: object, code: str) -> tuple[list[str], list[list[str]]]:
    section = html(response).select_one(f'section[data-measure="{code}"]')
    assert section is not None
    head = [th.get_text(strip=True) for th in section.select("thead th")]
    rows = [
        [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in section.select("tbody tr")
    ]
    return head, rows


def test_swemwbs_shows_the_metric_score_beside_the_raw_score_for_staff_and_the_person(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given Sam's SWEMWBS (raw 24) and PHQ-9, recorded with their worker
    sam = person_make()
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    for code, answers in (("swemwbs", SWEMWBS), ("phq9", [1] * 9)):
        measure_record(
            person=sam, code=code, answers=answers, involvement=involvement, member=member
        )
    # when the team, then Sam, look at the measures
    sign_in_staff(client, member.user)
    team_page = client.get(reverse("care:measures", args=[involvement.pk]))
    session = client.session
    session[SESSION_KEY] = str(sam.pk)
    session.save()
    person_page = client.get(reverse("people:measures"))
    # then SWEMWBS shows the raw score and Warwick's metric score beside it, on both
    for page in (team_page, person_page):
        head, rows = _table(page, "swemwbs")
        assert head == ["Date", "Raw score", "Metric score", "Band"]
        assert [row[1:3] for row in rows] == [["24", "21.54"]]
        # and a measure without a conversion keeps its one total
        head, rows = _table(page, "phq9")
        assert head == ["Date", "Total", "Band"]
        assert [row[1] for row in rows] == ["9"]
