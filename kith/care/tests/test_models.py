from __future__ import annotations

import pytest
from django.db import IntegrityError

from kith.teams.models import Team

pytestmark = pytest.mark.django_db


def test_a_team_reads_its_postcode_districts_tidily() -> None:
    # given
    team = Team(name="Brixton community team", postcode_districts=" sw9, SW2 ,, se 11")
    # when
    districts = team.districts
    # then
    assert districts == ["SW9", "SW2", "SE11"]


def test_there_is_at_most_one_default_team() -> None:
    # given
    Team.objects.create(name="Lambeth team", is_default=True)
    # when / then
    with pytest.raises(IntegrityError):
        Team.objects.create(name="Another default team", is_default=True)
