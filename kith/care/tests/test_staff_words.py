"""Staff pages use staff words: the person is "the person" (or "they"), never "me", which is the
person's own word in their plan."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kith.care.services import ask_pick_up, plan_update, step_add
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, text
from kith.core.testing.staff import sign_in_staff
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement_id(client: Client, team: Team, member: TeamMember) -> str:
    involvement = ask_pick_up(ask=ask_for(team, person=person_make()), member=member)
    plan_update(involvement=involvement, member=member, what_matters="Seeing my kids")
    step_add(involvement=involvement, member=member, text="Call the school", who="me")
    step_add(involvement=involvement, member=member, text="Find a group", who="worker")
    sign_in_staff(client, member.user)
    return str(involvement.pk)


def test_adding_a_step_offers_who_does_it_in_staff_words(
    client: Client, involvement_id: str
) -> None:
    # when a member of staff adds a step to the person's plan
    response = client.get(reverse("care:step_add", args=[involvement_id]))
    # then "who does it" names the person and their worker, not "me" and "my worker"
    labels = [label.get_text(strip=True) for label in html(response).select("form label")]
    assert labels[1:5] == ["The person", "Their worker", "A volunteer", "A community group"]


def test_what_matters_is_asked_about_them(client: Client, involvement_id: str) -> None:
    # when a member of staff writes what matters to the person
    response = client.get(reverse("care:plan_edit", args=[involvement_id]))
    # then the field is about them
    assert text(response, 'label[for="id_what_matters"]') == "What matters to them"


def test_the_plan_page_for_staff_says_who_does_each_step_in_staff_words(
    client: Client, involvement_id: str
) -> None:
    # when a member of staff reads the plan
    response = client.get(reverse("care:plan_show", args=[involvement_id]))
    # then its headings and steps speak about the person
    headings = [h3.get_text(strip=True) for h3 in html(response).select(".app-plan h3")]
    assert headings == ["What matters to them", "Their goals", "Steps"]
    steps = [step.get_text(" ", strip=True) for step in html(response).select(".app-plan__step")]
    assert [step.split(" · ")[1].split(" To do")[0] for step in steps] == [
        "Who: the person",
        "Who: their worker",
    ]
