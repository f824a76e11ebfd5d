from __future__ import annotations

import pytest

from kith.care.tests.factories import member_make, team_make
from kith.teams.models import Team, TeamMember


@pytest.fixture
def team() -> Team:
    return team_make(name="Brixton community team", districts="SW9, SW2", hours=24)


@pytest.fixture
def other_team() -> Team:
    return team_make(name="Vauxhall community team", districts="SE11", hours=48)


@pytest.fixture
def member(team: Team) -> TeamMember:
    return member_make(team=team)


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
def outsider(other_team: Team) -> TeamMember:
    return member_make(team=other_team, username="kim", display_name="Kim Lee")
