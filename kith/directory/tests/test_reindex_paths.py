"""Listings stay searchable: every write path that changes data the search index holds
re-indexes through `services_reindex`, and search finds the change at once.

The admin is driven as a browser drives it: each change form is read from the page, one
field changed and the whole form posted back, inlines and all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kith.core.testing import html
from kith.core.testing.background import database_tasks, on_commit_as_in_production, run_worker
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    TaxonomyTerm,
)
from kith.directory.oruk.importer import oruk_import
from kith.directory.search import SearchQuery, search_services
from kith.directory.selectors.curation import listing_data_for_service, service_for_listing
from kith.directory.services import indexing
from kith.directory.services.curation import (
    editor_add,
    listing_change_propose,
    listing_change_publish,
)
from kith.directory.services.indexing import services_reindex
from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID, support_type_term_id
from kith.directory.tests.browser_forms import form_as_browser_sends
from kith.directory.tests.factories import (
    LanguageFactory,
    LocationFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    UserFactory,
    nested_service,
    tag_support_types,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
BRIXTON = (51.4613, -0.1156)
LEEDS = (53.7997, -1.5492)
MONDAY_10AM = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)
MONDAY_6_30AM = dt.datetime(2026, 6, 1, 6, 30, tzinfo=LONDON)


@dataclass
class World:
    service: Service
    other_service: Service
    organization: Organization
    other_organization: Organization
    location: Location
    far_location: Location
    schedule: Schedule
    language: Language
    attribute: Attribute


@pytest.fixture
def world() -> World:
    organization = OrganizationFactory.create(name="Fictional community group")
    service = ServiceFactory.create(
        organization=organization, name="Fictional listening space", is_free=False
    )
    location = LocationFactory.create(organization=organization, name="Fictional hall")
    ServiceAtLocationFactory.create(service=service, location=location)
    schedule = ScheduleFactory.create(service=service, byday="MO", opens_at=dt.time(9))
    language = LanguageFactory.create(service=service, name="Portuguese", code="pt")
    attribute = tag_support_types(service, "peer-support")[0]
    other_service = ServiceFactory.create(name="Fictional other service")
    world = World(
        service=service,
        other_service=other_service,
        organization=organization,
        other_organization=OrganizationFactory.create(name="Fictional second group"),
        location=location,
        far_location=LocationFactory.create(
            name="Fictional northern hall", latitude=LEEDS[0], longitude=LEEDS[1]
        ),
        schedule=schedule,
        language=language,
        attribute=attribute,
    )
    services_reindex([service.id, other_service.id])
    return world


def found(query: SearchQuery) -> set[UUID]:
    return {hit.service.id for hit in search_services(query).hits}


def codes_of(service: Service) -> list[str]:
    hits = [h for h in search_services(SearchQuery(per_page=100)).hits if h.service == service]
    return hits[0].support_types if hits else []


@pytest.fixture
def admin_client(client: Client) -> Iterator[Client]:
    """An administrator's browser. The admin re-indexes in a background task once its write
    commits; here a commit is the admin's own transaction ending, as in production."""
    user = cast(User, UserFactory.create(username="admin.ada", is_staff=True, is_superuser=True))
    sign_in_staff(client, user)
    with on_commit_as_in_production():
        yield client


def admin_post(client: Client, url: str, changes: dict[str, Any]) -> None:
    """Read the change form at `url`, change some fields, and post it back as a browser would."""
    page = client.get(url)
    assert page.status_code == 200
    data: dict[str, Any] = form_as_browser_sends(html(page), "#content-main form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, html(response).select(".errorlist")


def change_url(obj: Any) -> str:
    return f"/admin/directory/{obj._meta.model_name}/{obj.pk}/change/"


# --- The Django admin: each indexed field, through each page that edits it --------------------


@dataclass(frozen=True)
class Edit:
    """An edit through the admin and the search that must see it (and did not before)."""

    url: Callable[[World], str]
    changes: Callable[[World], dict[str, Any]]
    query: Callable[[World], SearchQuery]
    who: Callable[[World], Service] = lambda w: w.service
    # "found": the search finds the service only after the edit; "gone": only before it.
    expect: str = "found"


EDITS = {
    "service name": Edit(
        lambda w: change_url(w.service),
        lambda w: {"name": "Harbour listening space"},
        lambda w: SearchQuery(text="harbour"),
    ),
    "service other name": Edit(
        lambda w: change_url(w.service),
        lambda w: {"alternate_name": "Lighthouse"},
        lambda w: SearchQuery(text="lighthouse"),
    ),
    "service description": Edit(
        lambda w: change_url(w.service),
        lambda w: {"description": "Knitting and a cup of tea."},
        lambda w: SearchQuery(text="knitting"),
    ),
    "service eligibility": Edit(
        lambda w: change_url(w.service),
        lambda w: {"eligibility_description": "Pensioners"},
        lambda w: SearchQuery(text="pensioners"),
    ),
    "service is free": Edit(
        lambda w: change_url(w.service),
        lambda w: {"is_free": "on"},
        lambda w: SearchQuery(is_free=True),
    ),
    "service needs no referral": Edit(
        lambda w: change_url(w.service),
        lambda w: {"is_no_referral_needed": "on"},
        lambda w: SearchQuery(is_no_referral_needed=True),
    ),
    "service status": Edit(
        lambda w: change_url(w.service),
        lambda w: {"status": "inactive"},
        lambda w: SearchQuery(text="listening"),
        expect="gone",
    ),
    "service organisation": Edit(
        lambda w: change_url(w.service),
        lambda w: {"organization": str(w.other_organization.pk)},
        lambda w: SearchQuery(organization_id=w.other_organization.pk),
    ),
    "service at location (inline)": Edit(
        lambda w: change_url(w.service),
        lambda w: {"service_at_locations-0-location": str(w.far_location.pk)},
        lambda w: SearchQuery(latitude=LEEDS[0], longitude=LEEDS[1], radius_m=1000),
    ),
    "schedule (inline)": Edit(
        lambda w: change_url(w.service),
        lambda w: {"schedules-0-opens_at": "06:00:00", "schedules-0-closes_at": "07:00:00"},
        lambda w: SearchQuery(open_at=MONDAY_6_30AM),
    ),
    "closed date (inline)": Edit(
        lambda w: change_url(w.service),
        lambda w: {
            "closed_dates-TOTAL_FORMS": "1",
            "closed_dates-0-date": "2026-06-01",
            "closed_dates-0-reason": "Training day",
        },
        lambda w: SearchQuery(open_at=MONDAY_10AM),
        expect="gone",
    ),
    "language (inline)": Edit(
        lambda w: change_url(w.service),
        lambda w: {"languages-0-name": "Somali", "languages-0-code": "so"},
        lambda w: SearchQuery(language="so"),
    ),
    "organisation name": Edit(
        lambda w: change_url(w.organization),
        lambda w: {"name": "Zephyr neighbours"},
        lambda w: SearchQuery(text="zephyr"),
    ),
    "location name": Edit(
        lambda w: change_url(w.location),
        lambda w: {"name": "Quayside rooms"},
        lambda w: SearchQuery(text="quayside"),
    ),
    "location point": Edit(
        lambda w: change_url(w.location),
        lambda w: {"latitude": str(LEEDS[0]), "longitude": str(LEEDS[1])},
        lambda w: SearchQuery(latitude=LEEDS[0], longitude=LEEDS[1], radius_m=1000),
    ),
    "location step-free access": Edit(
        lambda w: change_url(w.location),
        lambda w: {"has_step_free_access": "on"},
        lambda w: SearchQuery(has_step_free_access=True),
    ),
    "attribute support type": Edit(
        lambda w: change_url(w.attribute),
        lambda w: {"taxonomy_term": str(support_type_term_id("befriending"))},
        lambda w: SearchQuery(support_types=("befriending",)),
    ),
    "attribute moved to another service (new)": Edit(
        lambda w: change_url(w.attribute),
        lambda w: {"link_id": str(w.other_service.pk)},
        lambda w: SearchQuery(support_types=("peer-support",)),
        who=lambda w: w.other_service,
    ),
    "attribute moved to another service (old)": Edit(
        lambda w: change_url(w.attribute),
        lambda w: {"link_id": str(w.other_service.pk)},
        lambda w: SearchQuery(support_types=("peer-support",)),
        expect="gone",
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_admin_edit_of_an_indexed_field_is_found_in_search(
    admin_client: Client, world: World, edit: Edit
) -> None:
    # given the search before the edit
    service = edit.who(world)
    query = edit.query(world)
    assert (service.id in found(query)) == (edit.expect == "gone")
    # when the admin change form is posted with the field changed
    admin_post(admin_client, edit.url(world), edit.changes(world))
    # then the search sees the change at once
    assert (service.id in found(query)) == (edit.expect == "found")


@pytest.mark.parametrize("page", ["term", "taxonomy"])
def test_an_admin_edit_of_a_support_type_code_is_found_in_search(
    admin_client: Client, world: World, page: str
) -> None:
    # given
    term = TaxonomyTerm.objects.get(pk=support_type_term_id("peer-support"))
    assert codes_of(world.service) == ["peer-support"]
    # when the term's code changes on its own page or in its taxonomy's inline
    if page == "term":
        admin_post(admin_client, change_url(term), {"code": "peer-talk"})
    else:
        page_html = html(admin_client.get(change_url(term.taxonomy)))
        data = form_as_browser_sends(page_html, "#content-main form")
        row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(term.pk)])
        admin_post(admin_client, change_url(term.taxonomy), {row[:-2] + "code": "peer-talk"})
    # then
    assert codes_of(world.service) == ["peer-talk"]
    assert str(term.taxonomy_id) == str(SUPPORT_TYPES_TAXONOMY_ID)


DELETES = {
    "service": (lambda w: w.service, lambda w: SearchQuery(text="listening")),
    "organisation": (lambda w: w.organization, lambda w: SearchQuery(text="listening")),
    "location": (
        lambda w: w.location,
        lambda w: SearchQuery(latitude=BRIXTON[0], longitude=BRIXTON[1], radius_m=1000),
    ),
    "attribute": (lambda w: w.attribute, lambda w: SearchQuery(support_types=("peer-support",))),
}


@pytest.mark.parametrize("how", ["page", "bulk action"])
@pytest.mark.parametrize("what", DELETES.values(), ids=DELETES.keys())
def test_an_admin_delete_takes_the_listing_out_of_search(
    admin_client: Client, world: World, what: Any, how: str
) -> None:
    # given
    obj, query = what[0](world), what[1](world)
    assert world.service.id in found(query)
    # when it is deleted on its own page, or with "delete selected" on the list
    if how == "page":
        response = admin_client.post(
            change_url(obj).replace("/change/", "/delete/"), {"post": "yes"}
        )
    else:
        response = admin_client.post(
            f"/admin/directory/{obj._meta.model_name}/",
            {"action": "delete_selected", "_selected_action": [str(obj.pk)], "post": "yes"},
        )
    # then
    assert response.status_code == 302
    assert world.service.id not in found(query)


def test_a_bulk_admin_delete_reindexes_once_for_the_batch(
    admin_client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given two services
    calls: list[list[UUID]] = []
    real = indexing.index_services

    def counted(ids: Any) -> None:
        calls.append(list(ids))
        real(ids)

    monkeypatch.setattr(indexing, "index_services", counted)
    # when both are deleted with one action
    response = admin_client.post(
        "/admin/directory/service/",
        {
            "action": "delete_selected",
            "_selected_action": [str(world.service.pk), str(world.other_service.pk)],
            "post": "yes",
        },
    )
    # then
    assert response.status_code == 302
    assert [sorted(c) for c in calls] == [sorted([world.service.pk, world.other_service.pk])]
    assert found(SearchQuery()) == set()


def test_the_admin_leaves_re_indexing_to_the_worker(admin_client: Client, world: World) -> None:
    # given the database queue a `kith worker` reads
    query = SearchQuery(text="Zanzibar")
    with database_tasks():
        # when an administrator renames a service
        admin_post(admin_client, change_url(world.service), {"name": "Zanzibar"})
        # then the page did not wait for the index: search sees the change once the worker ran
        assert world.service.id not in found(query)
        run_worker()
    assert world.service.id in found(query)


# --- Curation publishing and the ORUK importer ------------------------------------------------


def test_a_published_edit_of_each_indexed_field_is_found_in_search(world: World) -> None:
    # given two editors and the listing as the editor form shows it
    editor = editor_add(username="editor.ada", email="ada@example.com", password="x")
    reviewer = editor_add(username="editor.ben", email="ben@example.com", password="x")
    data = listing_data_for_service(service_for_listing(world.service.pk))
    data.update(  # type: ignore[call-arg]
        name="Harbour listening space",
        description="Knitting and a cup of tea.",
        support_types=["befriending"],
        is_free=True,
        is_no_referral_needed=True,
        location_name="Quayside rooms",
        address_1="1 Fictional Quay",
        city="Leeds",
        postcode="LS1 4AP",
        latitude=LEEDS[0],
        longitude=LEEDS[1],
        has_step_free_access=True,
        languages=["Somali"],
        opening_times=[
            {
                "id": "",
                "days": ["MO"],
                "repeat": "weekly",
                "starts_on": "",
                "opens": "06:00",
                "closes": "07:00",
            }
        ],
    )
    # and another service at the same place
    neighbour = ServiceAtLocationFactory.create(location=world.location).service
    services_reindex([neighbour.id])
    # when the edit is published
    change = listing_change_propose(proposer=editor, data=data, service=world.service)
    listing_change_publish(change=change, reviewer=reviewer)
    # then each change is found, and the shared place's new name and point for its neighbour too
    assert neighbour.id in found(
        SearchQuery(text="quayside", latitude=LEEDS[0], longitude=LEEDS[1])
    )
    near_leeds = {"latitude": LEEDS[0], "longitude": LEEDS[1], "radius_m": 1000}
    for query in (
        SearchQuery(text="harbour"),
        SearchQuery(text="knitting"),
        SearchQuery(text="quayside"),
        SearchQuery(support_types=("befriending",)),
        SearchQuery(is_free=True, is_no_referral_needed=True, has_step_free_access=True),
        SearchQuery(language="Somali"),
        SearchQuery(open_at=MONDAY_6_30AM),
        SearchQuery(**near_leeds),  # type: ignore[arg-type]
    ):
        assert world.service.id in found(query), query


def test_an_imported_change_of_each_indexed_field_is_found_in_search(
    client: Client, tmp_path: Path
) -> None:
    # given a listing, indexed, and its own ORUK record with every indexed field changed
    service = nested_service(1)
    services_reindex([service.id])
    response = client.get(f"/api/oruk/services/{service.pk}")
    record = response.json()
    record["name"] = "Harbour listening space"
    record["description"] = "Knitting and a cup of tea."
    record["organization"]["name"] = "Zephyr neighbours"
    record["languages"] = [{**record["languages"][0], "name": "Somali", "code": "so"}]
    place = record["service_at_locations"][0]["location"]
    place.update(name="Quayside rooms", latitude=LEEDS[0], longitude=LEEDS[1])
    feed = tmp_path / "feed.ndjson"
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    # when the feed is imported
    report = oruk_import(source=str(feed))
    # then
    assert report.updated == [service.id]
    for query in (
        SearchQuery(text="harbour"),
        SearchQuery(text="knitting"),
        SearchQuery(text="zephyr"),
        SearchQuery(text="quayside"),
        SearchQuery(language="so"),
        SearchQuery(latitude=LEEDS[0], longitude=LEEDS[1], radius_m=1000),
    ):
        assert service.id in found(query), query
