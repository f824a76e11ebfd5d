"""The demo team covers the borough's districts and, as its area, the borough's boundary."""

from __future__ import annotations

import pytest

from kith.demo.geography import lambeth_area
from kith.demo.teams import DEMO_TEAM_NAME, load_demo_team
from kith.teams.areas import area_contains
from kith.teams.models import Team
from kith.teams.selectors import team_whose_area_holds

pytestmark = pytest.mark.django_db


def test_given_the_demo_team_when_loaded_then_its_area_is_the_borough_boundary() -> None:
    # when: loaded twice, as `kith demo` may be
    load_demo_team()
    load_demo_team()
    # then
    team = Team.objects.get(name=DEMO_TEAM_NAME)
    assert team.area == lambeth_area()
    assert team.area["coordinates"][0][0] == team.area["coordinates"][0][-1]
    assert area_contains(team.area, latitude=51.4613, longitude=-0.1156)  # Brixton
    assert not area_contains(team.area, latitude=51.5080, longitude=-0.1281)  # Trafalgar Square
    assert team_whose_area_holds(latitude=51.4613, longitude=-0.1156) == team
    assert team_whose_area_holds(latitude=51.5080, longitude=-0.1281) is None
