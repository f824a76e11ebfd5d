"""`kith demo`: loads the locality once, is idempotent, and `--reset` touches only the demo."""

from __future__ import annotations

from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command

from kith.core.models import SiteState
from kith.core.selectors import is_demo_data_loaded
from kith.core.testing import restore_reference_data, text
from kith.core.testing.staff import totp_code
from kith.demo.generator import DEMO_IDENTIFIER_SCHEME
from kith.demo.services import demo_load, demo_organizations, demo_remove
from kith.directory.geo import postcode_location
from kith.directory.models import (
    Attribute,
    Location,
    Organization,
    OrganizationIdentifier,
    Postcode,
    Service,
)
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)


@pytest.fixture(scope="module", autouse=True)
def demo_loaded(django_db_setup, django_db_blocker):
    """Load the demo once for the module (committed), and take it away again afterwards."""
    with django_db_blocker.unblock():
        restore_reference_data()  # a transactional test run before this module may have flushed it
        postcodes_before = set(Postcode.objects.values_list("code", flat=True))
        result = demo_load()
        yield result
        demo_remove()
        Postcode.objects.exclude(code__in=postcodes_before).delete()
        SiteState.objects.all().delete()
        index_services()


def counts() -> tuple[int, int, int, int]:
    orgs = demo_organizations()
    return (
        orgs.count(),
        Service.objects.filter(organization__in=orgs).count(),
        Location.objects.filter(organization__in=orgs).count(),
        Attribute.objects.filter(link_entity="service").count(),
    )


@pytest.mark.django_db
def test_the_demo_is_loaded_with_its_banner_flag(demo_loaded):
    # then
    assert demo_loaded.is_loaded is True
    assert counts()[:3] == (171, 420, 320)
    assert is_demo_data_loaded() is True
    assert SiteState.objects.get().demo_loaded_at is not None
    assert (
        OrganizationIdentifier.objects.filter(identifier_scheme=DEMO_IDENTIFIER_SCHEME).count()
        == 171
    )


@pytest.mark.django_db
def test_postcode_search_works_offline_for_districts_and_full_postcodes():
    # given
    place = Service.objects.filter(is_place_to_talk=True).first()
    assert place is not None
    address = place.service_at_locations.get().location.addresses.get()
    # when
    full = postcode_location(address.postal_code)
    district = postcode_location("sw9")
    unknown_in_district = postcode_location("SW16 9ZZ")
    # then
    row = Postcode.objects.get(code=address.postal_code.replace(" ", ""))
    assert full == (row.latitude, row.longitude)
    assert district == (51.47, -0.115)
    assert unknown_in_district == (51.422, -0.128)


@pytest.mark.django_db
def test_running_it_again_does_nothing():
    # given
    before = counts()
    ids_before = set(Service.objects.values_list("id", flat=True))
    out = StringIO()
    # when
    call_command("demo", stdout=out)
    # then
    assert counts() == before
    assert set(Service.objects.values_list("id", flat=True)) == ids_before
    assert "already loaded (420 services)" in out.getvalue()


@pytest.mark.django_db
def test_reset_reloads_the_demo_and_keeps_real_listings():
    # given
    real_service: Service = ServiceFactory.create(
        name="Real lunch club", description="A real listing."
    )
    real_location: Location = LocationFactory.create(organization=real_service.organization)
    ServiceAtLocationFactory(service=real_service, location=real_location)
    tag_support_types(real_service, "food")
    Postcode.objects.create(code="SW98EJ", latitude=51.4652, longitude=-0.115)
    demo_service = Service.objects.filter(organization__in=demo_organizations()).first()
    assert demo_service is not None
    Service.objects.filter(id=demo_service.id).update(name="Edited by someone")
    out = StringIO()
    # when
    call_command("demo", "--reset", stdout=out)
    # then
    assert counts() == (171, 420, 320, 668 + 1)
    assert Service.objects.get(id=demo_service.id).name != "Edited by someone"
    real_service.refresh_from_db()
    assert real_service.name == "Real lunch club"
    assert Location.objects.filter(id=real_location.id).exists()
    assert Organization.objects.filter(services=real_service).exists()
    assert Attribute.objects.filter(link_id=real_service.id).count() == 1
    assert Postcode.objects.get(code="SW98EJ").latitude == 51.4652
    assert "Loaded the demo locality: 420 services from 171 organisations" in out.getvalue()
    assert is_demo_data_loaded() is True


@pytest.mark.django_db
def test_removing_the_demo_clears_the_banner_flag_and_only_demo_rows():
    # given
    real_service: Service = ServiceFactory.create(name="Real choir")
    # when
    removed = demo_remove()
    # then
    assert removed == 171
    assert counts()[:3] == (0, 0, 0)
    assert list(Service.objects.values_list("name", flat=True)) == ["Real choir"]
    assert Attribute.objects.count() == 0
    assert is_demo_data_loaded() is False
    assert real_service.organization_id is not None


def test_the_demo_team_takes_lambeth_asks_and_its_workers_can_sign_in(client):
    # given the demo (loaded by the module fixture) and its team, loaded by the command
    call_command("demo", stdout=StringIO())
    from kith.demo.teams import DEMO_TEAM_NAME
    from kith.teams.models import Team, TeamMember

    team = Team.objects.get(name=DEMO_TEAM_NAME)
    # then it covers the borough's districts and has two members from different organisations
    assert {"SW9", "SE11", "SW2"} <= {d.strip() for d in team.postcode_districts.split(",")}
    members = TeamMember.objects.filter(team=team)
    assert members.count() == 2
    assert len({m.organisation_name for m in members}) == 2
    # and a worker signs in, sets up an authenticator app the first time, and lands on the board
    response = client.post(
        "/staff/sign-in/", {"username": "worker.sam", "password": "kith-demo-editor"}
    )
    assert response["Location"] == "/staff/sign-in/set-up/?next=%2Fstaff%2F"
    key = text(client.get(response["Location"]), ".app-totp-key").replace(" ", "")
    set_up = client.post(response["Location"], {"code": totp_code(b32decode(key))})
    assert set_up["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/team/"
    assert client.get("/team/").status_code == 200
