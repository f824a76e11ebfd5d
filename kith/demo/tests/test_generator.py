"""The demo generator: big enough, varied, deterministic and inside the borough."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import models

from kith.demo.generator import DemoLocality, generate_locality
from kith.demo.geography import LAMBETH_LOCAL_AUTHORITY, is_in_lambeth, postcode_districts
from kith.directory.models import Schedule
from kith.directory.taxonomy import support_type_term_id, support_types

TODAY = dt.date(2026, 4, 2)
DISTRICTS = {
    "SE1", "SE5", "SE11", "SE19", "SE21", "SE24", "SE27",
    "SW2", "SW4", "SW8", "SW9", "SW12", "SW16",
}  # fmt: skip


@pytest.fixture(scope="module")
def locality() -> DemoLocality:
    return generate_locality(today=TODAY)


def rows(locality: DemoLocality) -> dict[str, list[tuple[Any, ...]]]:
    def values(obj: models.Model) -> tuple[Any, ...]:
        return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)

    return {name: [values(o) for o in objs] for name, objs in vars(locality).items()}


def test_the_locality_is_big_enough(locality):
    # then
    assert len(locality.services) == 420
    assert len(locality.organizations) == 171
    assert len(locality.locations) == 320
    assert len({o.name for o in locality.organizations}) == 171


def test_every_support_type_is_present_at_least_five_times(locality):
    # given
    counts = Counter(a.taxonomy_term_id for a in locality.attributes)
    # then
    assert len(support_types()) == 39
    thin = [st.code for st in support_types() if counts[support_type_term_id(st.code)] < 5]
    assert thin == []
    assert {a.link_entity for a in locality.attributes} == {"service"}
    assert {a.link_type for a in locality.attributes} == {"support_type"}


def test_two_runs_with_the_same_seed_are_identical(locality):
    # when
    again = generate_locality(today=TODAY)
    # then
    assert rows(again) == rows(locality)


def test_another_seed_gives_another_locality(locality):
    # when
    other = generate_locality(today=TODAY, seed=7)
    # then
    assert [s.name for s in other.services] != [s.name for s in locality.services]


def test_every_location_is_inside_the_borough(locality):
    # then
    outside = [
        loc.name for loc in locality.locations if not is_in_lambeth(loc.latitude, loc.longitude)
    ]
    assert outside == []
    assert all(51.41 <= loc.latitude <= 51.51 for loc in locality.locations)
    assert all(-0.15 <= loc.longitude <= -0.077 for loc in locality.locations)


@pytest.mark.parametrize(
    ("place", "latitude", "longitude", "expected"),
    [
        ("Brixton station", 51.4627, -0.1145, True),
        ("Waterloo station", 51.5031, -0.1132, True),
        ("West Norwood station", 51.4317, -0.1038, True),
        ("Streatham station", 51.4259, -0.1316, True),
        ("Trafalgar Square", 51.5080, -0.1281, False),
        ("Camberwell Green", 51.4741, -0.0925, False),
        ("Battersea Park", 51.4791, -0.1566, False),
        ("Croydon", 51.3762, -0.0982, False),
    ],
)
def test_the_boundary_polygon_knows_lambeth_from_its_neighbours(
    place, latitude, longitude, expected
):
    # then
    assert is_in_lambeth(latitude, longitude) is expected, place


def test_addresses_use_lambeth_postcodes_that_the_postcode_table_knows(locality):
    # given
    known = {p.code: p for p in locality.postcodes}
    # then
    for address in locality.addresses:
        outward, inward = address.postal_code.split(" ")
        assert outward in DISTRICTS
        assert re.fullmatch(r"[0-9][ABD-HJLNP-UW-Z]{2}", inward)
        row = known[address.postal_code.replace(" ", "")]
        assert row.is_district is False
        assert row.local_authority == LAMBETH_LOCAL_AUTHORITY
        assert is_in_lambeth(row.latitude, row.longitude)
    districts = {p.code for p in locality.postcodes if p.is_district}
    assert districts == DISTRICTS == {code for code, _, _ in postcode_districts()}


def test_about_thirty_places_to_talk_record_their_training(locality):
    # given
    places = [s for s in locality.services if s.is_place_to_talk]
    # then
    assert len(places) == 30
    for service in places:
        assert service.place_to_talk_trained_on is not None
        assert service.place_to_talk_training.endswith(
            f", {service.place_to_talk_trained_on:%B %Y}"
        )
    assert all(s.place_to_talk_training == "" for s in locality.services if not s.is_place_to_talk)


def test_is_free_matches_the_cost_options(locality):
    # given
    amounts: dict[Any, list[Decimal]] = {}
    for option in locality.cost_options:
        amounts.setdefault(option.service_id, []).append(option.amount)
    # then
    for service in locality.services:
        if service.is_free:
            assert amounts[service.id] == [Decimal("0.00")]
        else:
            assert all(amount > 0 for amount in amounts[service.id])
    free = sum(s.is_free for s in locality.services)
    assert 0 < len(locality.services) - free < free


def test_contact_details_are_visibly_fictional(locality):
    # then
    for phone in locality.phones:
        assert re.fullmatch(r"020 7946 0\d{3}|07700 900\d{3}", phone.number)
    assert len({p.number for p in locality.phones}) == len(locality.phones)
    emails = [o.email for o in locality.organizations] + [c.email for c in locality.contacts]
    emails += [s.email for s in locality.services if s.email]
    assert all(re.search(r"\.example\.(com|org)$", email) for email in emails)
    websites = [o.website for o in locality.organizations] + [s.url for s in locality.services]
    assert all(re.match(r"https://[a-z0-9-]+\.example\.(com|org)/", url) for url in websites)


def test_most_need_no_referral_but_some_nhs_style_services_do(locality):
    # given
    referral = [s for s in locality.services if not s.is_no_referral_needed]
    # then
    assert 5 <= len(referral) < len(locality.services) // 10
    assert all(s.application_process for s in referral)


def test_some_listings_are_stale_and_most_are_fresh(locality):
    # given
    ages = [(TODAY - s.assured_date).days for s in locality.services]
    stale = sum(age > 91 for age in ages)
    # then
    assert 0 < stale < len(ages) // 2
    assert min(ages) >= 0


def test_schedules_cover_mornings_evenings_weekends_and_monthly_rules(locality):
    # given
    schedules = locality.schedules
    # then
    assert any(s.opens_at.hour < 12 for s in schedules)
    assert any(s.opens_at.hour >= 18 for s in schedules)
    assert any(s.byday in {"SA", "SU"} for s in schedules)
    monthly = [s for s in schedules if s.freq == Schedule.Freq.MONTHLY]
    assert monthly
    assert all(re.fullmatch(r"-?[1-4](MO|TU|WE|TH|FR|SA|SU)", s.byday) for s in monthly)
    assert any(s.description.startswith("First ") for s in monthly)
    assert all(s.opens_at < s.closes_at for s in schedules)
    assert locality.closed_dates
    assert all(c.date > TODAY for c in locality.closed_dates)


def test_languages_have_iso_codes_and_include_the_local_ones(locality):
    # given
    codes = Counter(language.code for language in locality.languages)
    # then
    assert codes["en"] == len(locality.services)
    for code in ("pt", "es", "so", "pl", "yo", "tw", "bn", "ar", "bfi"):
        assert codes[code] > 0, code


def test_locations_say_how_accessible_they_are(locality):
    # given
    described = {a.location_id for a in locality.accessibility}
    step_free = sum(loc.has_step_free_access for loc in locality.locations)
    # then
    assert described == {loc.id for loc in locality.locations}
    assert 0 < step_free < len(locality.locations)


def test_every_service_and_location_is_linked(locality):
    # given
    linked_services = {sal.service_id for sal in locality.service_at_locations}
    linked_locations = {sal.location_id for sal in locality.service_at_locations}
    pairs = [(sal.service_id, sal.location_id) for sal in locality.service_at_locations]
    # then
    assert linked_services == {s.id for s in locality.services}
    assert linked_locations == {loc.id for loc in locality.locations}
    assert len(set(pairs)) == len(pairs)


def test_descriptions_are_varied_and_read_like_local_groups(locality):
    # given
    descriptions = [s.description for s in locality.services]
    # then
    assert len(set(descriptions)) >= 0.95 * len(descriptions)
    assert all("{" not in d and "}" not in d for d in descriptions)
    assert sum("Come as you are" in d for d in descriptions) >= 5
    assert any("We're a small group of dads who" in d for d in descriptions)
