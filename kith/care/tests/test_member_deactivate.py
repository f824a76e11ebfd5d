"""Deactivating a team member ends every session they are signed in with, and is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kith.audit.models import AuditEvent
from kith.care.tests.factories import member_make
from kith.core.models import StaffSession
from kith.core.testing import text
from kith.core.testing.staff import sign_in_staff
from kith.teams.models import Team, TeamMember
from kith.teams.services import member_deactivate

pytestmark = pytest.mark.django_db
SIGN_IN_FROM_BOARD = "/staff/sign-in/?next=/team/"


@pytest.fixture
def lead(team: Team) -> TeamMember:
    return member_make(team=team, username="lee", display_name="Lee Okafor", is_lead=True)


def test_given_a_member_signed_in_twice_when_deactivated_then_both_sessions_end(
    team: Team, member: TeamMember, colleague: TeamMember, lead: TeamMember
) -> None:
    # given: the member on a laptop and a phone, and a colleague at work too
    laptop, phone, colleagues = Client(), Client(), Client()
    sign_in_staff(laptop, member.user)
    sign_in_staff(phone, member.user)
    sign_in_staff(colleagues, colleague.user)
    keys = [laptop.session.session_key, phone.session.session_key]
    assert laptop.get("/team/").status_code == phone.get("/team/").status_code == 200
    # when
    member_deactivate(member=member, by=lead.user)
    # then
    member.refresh_from_db()
    assert member.is_active is False
    assert Session.objects.filter(session_key__in=keys).count() == 0
    assert StaffSession.objects.filter(user=member.user).count() == 0
    assert laptop.get("/team/")["Location"] == SIGN_IN_FROM_BOARD
    assert phone.get("/team/")["Location"] == SIGN_IN_FROM_BOARD
    assert colleagues.get("/team/").status_code == 200
    event = AuditEvent.objects.get(purpose="deactivate")
    assert (event.actor_type, event.actor_id, event.action) == (
        "staff",
        str(lead.user.pk),
        "change",
    )
    assert (event.subject_type, event.subject_id, event.person_id) == (
        "team_member",
        str(member.pk),
        None,
    )


def test_given_a_session_whose_key_changed_when_deactivated_then_it_ends_on_its_next_request(
    member: TeamMember, lead: TeamMember
) -> None:
    # given: a session that got a new key after signing in (as signing in as a person does)
    client = Client()
    sign_in_staff(client, member.user)
    session = client.session
    session.cycle_key()
    client.cookies["sessionid"] = session.session_key or ""
    assert client.get("/team/").status_code == 200
    # when
    member_deactivate(member=member, by=lead.user)
    response = client.get("/team/")
    # then
    assert response["Location"] == SIGN_IN_FROM_BOARD
    assert "your session was ended" in text(
        client.get(response["Location"]), ".nhsuk-notification-banner"
    )
    assert AuditEvent.objects.filter(purpose="staff-session-ended").count() == 1


def test_given_an_administrator_unticks_active_in_the_admin_then_the_service_ends_sessions(
    team: Team, member: TeamMember
) -> None:
    # given
    admin_user = get_user_model().objects.create_superuser(
        username="root", email="root@example.com", password="a-long-admin-password"
    )
    admin, members_laptop = Client(), Client()
    sign_in_staff(admin, admin_user)
    sign_in_staff(members_laptop, member.user)
    # when
    response = admin.post(
        reverse("admin:teams_teammember_change", args=[member.pk]),
        {
            "user": member.user_id,
            "team": team.pk,
            "display_name": "Alex Morgan-Reid",
            "organisation_name": member.organisation_name,
            "role": member.role,
        },
    )
    # then
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_active, member.display_name) == (False, "Alex Morgan-Reid")
    assert members_laptop.get("/team/")["Location"] == SIGN_IN_FROM_BOARD
    event = AuditEvent.objects.get(purpose="deactivate")
    assert event.actor_id == str(admin_user.pk)


def test_given_the_admin_action_then_each_selected_member_is_deactivated_through_the_service(
    member: TeamMember, colleague: TeamMember
) -> None:
    # given
    admin_user = get_user_model().objects.create_superuser(
        username="root", email="root@example.com", password="a-long-admin-password"
    )
    admin, members_laptop = Client(), Client()
    sign_in_staff(admin, admin_user)
    sign_in_staff(members_laptop, member.user)
    # when
    admin.post(
        reverse("admin:teams_teammember_changelist"),
        {"action": "deactivate", "_selected_action": [str(member.pk)]},
    )
    # then
    member.refresh_from_db()
    colleague.refresh_from_db()
    assert (member.is_active, colleague.is_active) == (False, True)
    assert members_laptop.get("/team/")["Location"] == SIGN_IN_FROM_BOARD
    assert AuditEvent.objects.filter(purpose="deactivate").count() == 1
