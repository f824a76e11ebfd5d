"""Teams cover postcode districts or an area (a GeoJSON polygon): asks are routed by district
first, then by the area holding the postcode, then to the default team. Areas are checked before
they are kept, with errors that say what to fix."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kith.asks.answers import AskAnswers
from kith.asks.selectors import team_for_postcode
from kith.asks.services import ask_submit
from kith.care.tests.factories import team_make
from kith.core.errors import ValidationFailed
from kith.core.testing import text
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import Postcode
from kith.teams.admin import TeamAdminForm
from kith.teams.areas import MAX_POINTS, MAX_TEXT, area_clean, area_contains
from kith.teams.models import Team

pytestmark = pytest.mark.django_db

# A fictional square around Herne Hill with a square hole in the middle ([longitude, latitude]).
OUTER = [[-0.13, 51.44], [-0.09, 51.44], [-0.09, 51.48], [-0.13, 51.48], [-0.13, 51.44]]
HOLE = [[-0.12, 51.45], [-0.10, 51.45], [-0.10, 51.47], [-0.12, 51.47], [-0.12, 51.45]]
SQUARE_WITH_HOLE = {"type": "Polygon", "coordinates": [OUTER, HOLE]}
# Two separate squares further south, as one MultiPolygon.
ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[-0.13, 51.40], [-0.12, 51.40], [-0.12, 51.41], [-0.13, 51.41], [-0.13, 51.40]]],
        [[[-0.10, 51.40], [-0.09, 51.40], [-0.09, 51.41], [-0.10, 51.41], [-0.10, 51.40]]],
    ],
}
# (code, latitude, longitude, is_district): fictional postcodes placed on the shapes above.
POSTCODES = [
    ("SE240AA", 51.475, -0.095, False),  # inside the square, outside the hole
    ("SE240AB", 51.460, -0.110, False),  # in the hole
    ("SE240AC", 51.520, -0.200, False),  # outside everything
    ("SE240AD", 51.405, -0.095, False),  # in the second island
    ("SE24", 51.442, -0.125, True),  # the district's centre, inside the square
    ("SE25", 51.600, -0.300, True),  # a district's centre outside everything
]


@pytest.fixture
def default_team() -> Team:
    return team_make(name="Default team", districts="", is_default=True)


@pytest.fixture
def postcodes() -> None:
    Postcode.objects.bulk_create(
        Postcode(code=code, latitude=lat, longitude=lon, is_district=is_district)
        for code, lat, lon, is_district in POSTCODES
    )


def _area_team(name: str, area: dict[str, Any], districts: str = "") -> Team:
    return Team.objects.create(name=name, postcode_districts=districts, area=area)


# Routing


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("SE24 0AA", "Herne Hill area team"),  # inside the polygon
        ("SE24 0AB", "Default team"),  # inside the polygon's hole
        ("SE24 0AC", "Default team"),  # outside it
        ("SE24 0AD", "Islands team"),  # inside the second polygon of a MultiPolygon
        ("SE24", "Herne Hill area team"),  # a district alone: its centre
        ("SE24 9ZZ", "Herne Hill area team"),  # an unknown full postcode: its district's centre
        ("SE25 1AA", "Default team"),  # its district's centre is outside every area
        ("ZZ99 9ZZ", "Default team"),  # not in the postcode table at all
        ("", "Default team"),
        ("not a postcode", "Default team"),  # malformed: never an error, never lost
        ("SW9!!8EJ", "Default team"),
    ],
)
def test_given_teams_with_areas_when_a_postcode_is_routed_then_the_area_or_the_default_team_takes_it(
    default_team: Team, postcodes: None, postcode: str, expected: str
) -> None:
    # given
    _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    _area_team("Islands team", ISLANDS)
    # when
    team = team_for_postcode(postcode=postcode)
    # then
    assert team is not None
    assert team.name == expected


def test_given_a_district_team_and_an_area_team_when_both_cover_a_postcode_then_the_district_wins(
    default_team: Team, postcodes: None
) -> None:
    # given
    _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    district_team = team_make(name="SE24 team", districts="SE24")
    # when
    team = team_for_postcode(postcode="SE24 0AA")
    # then
    assert team == district_team


def test_given_overlapping_areas_when_a_postcode_is_in_both_then_the_most_local_team_takes_it(
    default_team: Team, postcodes: None
) -> None:
    # given: a borough-wide team and a neighbourhood team inside it
    _area_team("Borough team", {"type": "Polygon", "coordinates": [OUTER]})
    small = [[-0.10, 51.47], [-0.09, 51.47], [-0.09, 51.48], [-0.10, 51.48], [-0.10, 51.47]]
    neighbourhood = _area_team("Neighbourhood team", {"type": "Polygon", "coordinates": [small]})
    # when
    team = team_for_postcode(postcode="SE24 0AA")
    # then
    assert team == neighbourhood


def test_given_no_default_team_when_nothing_covers_a_postcode_then_there_is_no_team(
    postcodes: None,
) -> None:
    # given
    _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    # when / then
    assert team_for_postcode(postcode="SE24 0AC") is None
    assert team_for_postcode(postcode="nonsense") is None


def _queries_to_route(postcode: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        team_for_postcode(postcode=postcode)
    return [query["sql"] for query in queries.captured_queries]


def test_given_many_area_teams_when_routing_then_queries_stay_the_same_and_far_areas_stay_unread(
    default_team: Team, postcodes: None
) -> None:
    # given: one team, then thirty more whose areas are far away
    _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    few = _queries_to_route("SE24 0AA")
    for n in range(30):
        far = [[10.0 + n, 50.0], [10.5 + n, 50.0], [10.5 + n, 50.5], [10.0 + n, 50.0]]
        _area_team(f"Far team {n}", {"type": "Polygon", "coordinates": [far]})
    # when
    many = _queries_to_route("SE24 0AA")
    # then: the same queries, and the areas are filtered by their bounding box in SQL
    assert len(many) == len(few) == 3  # district teams, the postcode, teams around the point
    assert "area_min_latitude" in many[-1]
    district_query = many[0]
    assert '"area"' not in district_query


def test_given_an_ask_from_a_postcode_in_an_area_when_sent_then_it_goes_to_that_team(
    default_team: Team, postcodes: None
) -> None:
    # given
    area_team = _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    # when
    ask = ask_submit(
        answers=AskAnswers.from_dict(
            {"text": "I have been feeling low since I lost my job.", "postcode": "se24 0aa"}
        )
    )
    # then
    assert (ask.team, ask.postcode, ask.postcode_district) == (area_team, "SE24 0AA", "SE24")


def test_given_an_ask_from_an_unknown_postcode_when_sent_then_the_default_team_has_all_of_it(
    default_team: Team, postcodes: None
) -> None:
    # given
    _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    # when
    ask = ask_submit(
        answers=AskAnswers.from_dict(
            {
                "text": "I have been feeling low since I lost my job.",
                "what_would_help": "Someone to talk to",
                "postcode": "ZZ99 9ZZ",
            }
        )
    )
    # then
    assert ask.team == default_team
    assert (ask.text, ask.what_would_help, ask.postcode) == (
        "I have been feeling low since I lost my job.",
        "Someone to talk to",
        "ZZ99 9ZZ",
    )


# Checking an area before it is kept


def _polygon(*rings: list[list[Any]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


BAD_AREAS: list[tuple[Any, str]] = [
    ([1, 2], "Enter the area as a GeoJSON Polygon or MultiPolygon, like {"),
    ("SW9", "Enter the area as a GeoJSON Polygon or MultiPolygon, like {"),
    ({"type": "Point", "coordinates": [0, 51]}, "The area must be a GeoJSON Polygon or"),
    (
        {"coordinates": [OUTER]},
        "The area must be a GeoJSON Polygon or MultiPolygon; its type is missing",
    ),
    ({"type": "Polygon"}, 'The area needs "coordinates": a list of rings'),
    ({"type": "Polygon", "coordinates": []}, 'The area needs "coordinates"'),
    (_polygon(OUTER[:3]), "The outer ring needs at least 4 points: 3 corners, then the first"),
    (_polygon(OUTER[:4] + [[-0.13, 51.45]]), "The outer ring is not closed: its last point must"),
    (
        _polygon([[-0.13, 51.44], [200, 51.44], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: longitude 200 is outside -180 to 180. GeoJSON puts longitude",
    ),
    (
        _polygon([[-0.13, 51.44], [-0.09, 95], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: latitude 95 is outside -90 to 90",
    ),
    (
        _polygon([[-0.13, 51.44], ["-0.09", 51.44], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: a point must be [longitude, latitude], two numbers",
    ),
    (
        _polygon([[-0.13, 51.44], [True, 51.44], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: a point must be [longitude, latitude]",
    ),
    (
        _polygon([[-0.13, 51.44], [float("nan"), 51.44], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: a point must be [longitude, latitude]",
    ),
    (
        _polygon([[-0.13, 51.44], [-0.09], [-0.09, 51.48], [-0.13, 51.44]]),
        "The outer ring, point 2: a point must be [longitude, latitude]",
    ),
    (
        _polygon([[0, 0], [1, 1], [0, 0], [0, 0]]),
        "The outer ring has fewer than 3 different points, so it encloses nothing",
    ),
    (_polygon(OUTER, HOLE[:4] + [[-0.11, 51.46]]), "Hole 1 is not closed"),
    (
        {"type": "MultiPolygon", "coordinates": [[OUTER], [OUTER[:4]]]},
        "Polygon 2, outer ring is not closed",
    ),
    ({"type": "MultiPolygon", "coordinates": [[OUTER], []]}, "Polygon 2 has no rings"),
    (
        _polygon([[-0.1 + i / 1e6, 51.4] for i in range(MAX_POINTS)] + [[-0.1, 51.4]]),
        "The area has 10,001 points; the most Kith takes is 10,000. Simplify the boundary",
    ),
    (
        {"type": "FeatureCollection", "features": [{}, {}]},
        "Paste one area: a Polygon, a MultiPolygon, or a FeatureCollection with exactly one",
    ),
]


@pytest.mark.parametrize(("value", "message"), BAD_AREAS)
def test_given_a_malformed_area_when_checked_then_a_clear_error_says_what_to_fix(
    value: Any, message: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        area_clean(value)
    # then
    assert error.value.field == "area"
    assert error.value.message.startswith(message), error.value.message


def test_given_a_feature_with_altitudes_when_checked_then_its_polygon_is_kept_plainly() -> None:
    # given
    ring = [[-0.13, 51.44, 12], [-0.09, 51.44, 12], [-0.09, 51.48, 9], [-0.13, 51.44, 12]]
    feature = {"type": "Feature", "properties": {}, "geometry": _polygon(ring)}
    # when
    area = area_clean({"type": "FeatureCollection", "features": [feature]})
    # then
    assert area == _polygon([[-0.13, 51.44], [-0.09, 51.44], [-0.09, 51.48], [-0.13, 51.44]])
    assert area_clean(None) is None
    assert area_clean("") is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "inside"),
    [(51.475, -0.095, True), (51.46, -0.11, False), (51.52, -0.2, False), (51.445, -0.125, True)],
)
def test_given_a_polygon_with_a_hole_when_asked_about_a_point_then_the_hole_is_outside(
    latitude: float, longitude: float, inside: bool
) -> None:
    # when / then
    area = area_clean(SQUARE_WITH_HOLE)
    assert area is not None
    assert area_contains(area, latitude=latitude, longitude=longitude) is inside


def test_given_a_team_saved_with_a_bad_area_then_it_is_refused_and_nothing_is_kept() -> None:
    # when
    with pytest.raises(ValidationFailed, match="not closed"):
        Team.objects.create(name="Broken", area=_polygon(OUTER[:4] + [[-0.13, 51.45]]))
    # then
    assert not Team.objects.filter(name="Broken").exists()


def test_given_an_area_when_a_team_is_saved_then_its_bounding_box_follows_it() -> None:
    # given
    team = _area_team("Herne Hill area team", SQUARE_WITH_HOLE)
    # when
    team.area = ISLANDS
    team.save(update_fields=["area"])
    team.refresh_from_db()
    # then
    assert (
        team.area_min_latitude,
        team.area_max_latitude,
        team.area_min_longitude,
        team.area_max_longitude,
    ) == (51.40, 51.41, -0.13, -0.09)
    team.area = None
    team.save()
    team.refresh_from_db()
    assert team.area_min_latitude is None


# The admin form


def _form_data(area: str) -> dict[str, str]:
    return {
        "name": "Herne Hill area team",
        "postcode_districts": "",
        "area": area,
        "response_time_hours": "24",
    }


@pytest.mark.parametrize(
    ("area", "message"),
    [
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]',
            "The area is not valid JSON: check",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}',
            "The outer ring is not closed",
        ),
        (" " * (MAX_TEXT + 1), "The area is 1,000,001 characters long; the most Kith takes is"),
    ],
)
def test_given_a_bad_area_in_the_admin_form_then_the_field_shows_what_to_fix(
    area: str, message: str
) -> None:
    # when
    form = TeamAdminForm(data=_form_data(area))
    # then
    assert not form.is_valid()
    assert list(form.errors) == ["area"]
    error = str(form.errors["area"][0])
    assert error.startswith(message), error


def test_given_a_good_area_in_the_admin_form_then_the_team_keeps_it() -> None:
    # when
    form = TeamAdminForm(data=_form_data(json.dumps(SQUARE_WITH_HOLE)))
    # then
    assert form.is_valid(), form.errors
    team = form.save()
    assert team.area == SQUARE_WITH_HOLE
    assert team.area_max_latitude == 51.48


def test_given_an_administrator_when_they_add_a_team_with_a_bad_area_then_the_admin_says_why(
    client: Client,
) -> None:
    # given
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@example.com", password="a-long-test-password-2"
    )
    sign_in_staff(client, admin)
    bad = json.dumps({"type": "Polygon", "coordinates": [[[-0.13, 51.44], [-0.09, 200]]]})
    # when
    response = client.post(reverse("admin:teams_team_add"), _form_data(bad))
    # then
    assert response.status_code == 200
    assert "The outer ring needs at least 4 points" in text(response, ".field-area .errorlist")
    assert not Team.objects.filter(name="Herne Hill area team").exists()
