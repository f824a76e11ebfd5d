"""Fictional teams, members and asks for the team workspace tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from kith.asks.models import Ask
from kith.asks.services import ask_assign
from kith.asks.tests.factories import ask_make, team_make
from kith.people.models import Person
from kith.teams.models import Role, Team, TeamMember

__all__ = ["ask_make", "member_make", "person_make", "team_make"]


def member_make(
    *,
    team: Team,
    username: str = "alex",
    display_name: str = "Alex Morgan",
    role: str = Role.PEER_WORKER,
    organisation_name: str = "Brixton Mind",
    is_lead: bool = False,
) -> TeamMember:
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="a-long-test-password-1"
    )
    return TeamMember.objects.create(
        user=user,
        team=team,
        display_name=display_name,
        role=role,
        organisation_name=organisation_name,
        is_lead=is_lead,
    )


def person_make(*, email: str = "sam@example.com") -> Person:
    """Sam, with an account made by signing in: their email address is proved."""
    return Person.objects.create(email=email, email_verified_at=timezone.now(), display_name="Sam")


def ask_for(team: Team, **answers: object) -> Ask:
    """An ask from `team`'s first district, and with `team` even if another team in the
    database covers that district too (routing itself is tested in test_team_areas.py), unless
    easy back in returned it to a team the person knows."""
    district = team.districts[0]
    ask = ask_make(postcode=f"{district} 8EJ", **answers)
    if ask.team_id != team.pk and ask.involvement_id is None:  # not brought back to a team
        ask = ask_assign(ask=ask, worker=None, involvement_id=None, team=team)
    return ask
