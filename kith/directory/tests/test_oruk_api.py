"""The ORUK 3.0 API: every endpoint, every page, validated against the published schemas."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from kith.directory.models import Postcode, Service, Taxonomy, TaxonomyTerm
from kith.directory.oruk.validation import schema_errors
from kith.directory.search import index_services
from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID, support_type_term_id
from kith.directory.tests.factories import nested_service

pytestmark = pytest.mark.django_db
BASE = "/api/oruk"


def get_json(client: Client, path: str, status: int = 200) -> Any:
    response = client.get(BASE + path)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_valid(document: object, schema: str) -> None:
    assert schema_errors(document, schema) == []


@pytest.fixture
def services() -> list[Service]:
    made = [
        nested_service(
            n, support_types=("peer-support", "befriending") if n == 1 else ("peer-support",)
        )
        for n in range(1, 6)
    ]
    index_services([s.id for s in made])
    return made


def test_api_details_answers_the_version(client: Client) -> None:
    # when
    body = get_json(client, "/")
    # then
    assert body == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": "https://openreferraluk.org/specifications/3.0/openapi.json",
    }
    assert_valid(body, "api_details.json")


def test_cors_is_open_to_any_origin(client: Client) -> None:
    # when
    response = client.get(BASE + "/services", headers={"Origin": "https://other.example.com"})
    # then
    assert response["Access-Control-Allow-Origin"] == "*"


def test_every_page_of_services_validates(client: Client, services: list[Service]) -> None:
    # given five services, two a page
    seen: list[str] = []
    # when
    pages = [get_json(client, f"/services?per_page=2&page={n}") for n in (1, 2, 3)]
    # then
    for page in pages:
        assert_valid(page, "service_list.json")
        for service in page["contents"]:
            assert_valid(service, "service.json")
            seen.append(service["id"])
    assert sorted(seen) == sorted(str(s.id) for s in services)
    assert [
        (p["page_number"], p["first_page"], p["last_page"], len(p["contents"])) for p in pages
    ] == [(1, True, False, 2), (2, False, False, 2), (3, False, True, 1)]
    assert {(p["total_items"], p["total_pages"], p["size"], p["empty"]) for p in pages} == {
        (5, 3, 2, False)
    }


def test_page_past_the_end_is_empty_and_valid(client: Client, services: list[Service]) -> None:
    # when
    page = get_json(client, "/services?per_page=2&page=9")
    # then
    assert (page["contents"], page["empty"], page["last_page"]) == ([], True, True)
    assert_valid(page, "service_list.json")


def test_service_is_fully_nested(client: Client, services: list[Service]) -> None:
    # given
    service = services[1]
    # when
    body = get_json(client, f"/services/{service.id}")
    # then
    assert_valid(body, "service.json")
    assert body["organization"]["name"] == "Kennington Kindness Collective 2"
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1100002"
    sal = body["service_at_locations"][0]
    assert sal["location"]["addresses"][0]["postal_code"] == "SE11 5QY"
    assert sal["location"]["accessibility"][0]["description"] == "Level access and a hearing loop"
    assert sal["location"]["phones"][0]["number"] == "07700 900002"
    assert sal["location"]["has_step_free_access"] is True
    assert sal["phones"][0]["number"] == "07700 900124"
    assert [(s.get("byday"), s.get("opens_at")) for s in sal["schedules"]] == [
        ("TU", "18:00:00"),
        (None, None),
    ]
    closed = sal["schedules"][1]
    assert (closed["valid_from"], closed["valid_to"], closed["notes"]) == (
        "2026-12-25",
        "2026-12-25",
        "Xmas",
    )
    assert closed["description"] == "Closed on Friday 25 December 2026: Xmas"
    assert [s.get("byday") for s in body["schedules"]] == ["SA", None]
    assert body["phones"][0]["number"] == "07700 900123"
    assert body["contacts"][0]["phones"][0]["number"] == "07700 900125"
    assert body["cost_options"][0]["amount"] == 2.5
    assert body["languages"][0]["code"] == "pt"
    assert body["service_areas"][0]["name"] == "Lambeth"
    assert body["funding"][0]["source"] == "Lambeth community chest (fictional)"
    assert body["last_modified"] == "2026-02-01T09:30:15.123Z"
    assert (body["is_no_referral_needed"], body["is_free"], body["is_place_to_talk"]) == (
        True,
        True,
        True,
    )
    assert body["place_to_talk_training"] == "Mental Health First Aid (2026)"
    assert body["place_to_talk_trained_on"] == "2026-01-05"


def test_support_types_are_attributes_with_the_code_as_term(
    client: Client, services: list[Service]
) -> None:
    # when
    body = get_json(client, f"/services/{services[0].id}")
    # then
    terms = sorted(
        (a["taxonomy_term"]["term"], a["taxonomy_term"]["taxonomy"], a["link_type"])
        for a in body["attributes"]
    )
    assert terms == [
        ("befriending", "Kith support types", "support_type"),
        ("peer-support", "Kith support types", "support_type"),
    ]


def test_services_filter_by_taxonomy_term_and_taxonomy(
    client: Client, services: list[Service]
) -> None:
    # when
    by_term = get_json(client, f"/services?taxonomy_term_id={support_type_term_id('befriending')}")
    by_taxonomy = get_json(client, f"/services?taxonomy_id={SUPPORT_TYPES_TAXONOMY_ID}")
    by_other = get_json(client, f"/services?taxonomy_id={uuid.uuid4()}")
    # then
    assert [s["id"] for s in by_term["contents"]] == [str(services[0].id)]
    assert by_taxonomy["total_items"] == 5
    assert by_other["total_items"] == 0
    assert_valid(by_other, "service_list.json")


def test_services_filter_by_organization_and_modified_after(
    client: Client, services: list[Service]
) -> None:
    # given
    Service.objects.filter(id=services[2].id).update(last_modified="2026-06-01T00:00:00Z")
    # when
    by_organization = get_json(client, f"/services?organization_id={services[3].organization_id}")
    recent = get_json(client, "/services?modified_after=2026-05-01T00:00:00Z")
    recent_date = get_json(client, "/services?modified_after=2026-05-01")
    # then
    assert [s["id"] for s in by_organization["contents"]] == [str(services[3].id)]
    assert [s["id"] for s in recent["contents"]] == [str(services[2].id)]
    assert recent_date["total_items"] == 1


def test_search_comes_from_the_search_engine(client: Client, services: list[Service]) -> None:
    # given
    Service.objects.filter(id=services[4].id).update(name="Allotment afternoons")
    index_services()
    # when
    page = get_json(client, "/services?search=allotment")
    # then
    assert [s["id"] for s in page["contents"]] == [str(services[4].id)]
    assert_valid(page, "service_list.json")


def test_full_false_and_minimal_still_validate(client: Client, services: list[Service]) -> None:
    # when
    summary = get_json(client, "/services?full=false&per_page=1")
    minimal = get_json(client, "/services?minimal=true&per_page=1")
    # then
    assert "service_at_locations" not in summary["contents"][0]
    first = Service.objects.get(id=summary["contents"][0]["id"])
    assert summary["contents"][0]["organization"]["id"] == str(first.organization_id)
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}
    assert_valid(summary, "service_list.json")
    assert_valid(minimal, "service_list.json")


def test_ndjson_streams_every_service(client: Client, services: list[Service]) -> None:
    # when
    response = client.get(BASE + "/services?format=ndjson&per_page=1")
    # then
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    rows = [json.loads(line) for line in lines]
    assert sorted(r["id"] for r in rows) == sorted(str(s.id) for s in services)
    for row in rows:
        assert_valid(row, "service.json")


def test_service_list_queries_do_not_grow_with_the_page(
    client: Client, services: list[Service], django_assert_max_num_queries: Any
) -> None:
    # given five nested services on one page
    # when / then: one query per relation, whatever the page size
    with django_assert_max_num_queries(24):
        page = get_json(client, "/services?per_page=5")
    assert len(page["contents"]) == 5
    more = [nested_service(n) for n in range(6, 16)]
    with django_assert_max_num_queries(24):
        page = get_json(client, "/services?per_page=15")
    assert len(page["contents"]) == 5 + len(more)


def test_service_at_locations_near_a_postcode(client: Client, services: list[Service]) -> None:
    # given services 1..5 lie 111 m apart going south from 51.485
    Postcode.objects.create(code="SE115QY", latitude=51.4850, longitude=-0.1230)
    # when
    near = get_json(client, "/service_at_locations?postcode=se11 5qy&proximity=150")
    everything = get_json(client, "/service_at_locations?lat=51.4850&long=-0.1230&per_page=2")
    # then
    assert [s["service_id"] for s in near["contents"]] == [str(services[0].id), str(services[1].id)]
    assert [s["distance"] for s in near["contents"]] == [0.0, 111.2]
    assert near["total_items"] == 2
    assert everything["total_items"] == 5
    assert everything["contents"][1]["distance"] == 111.2
    for page in (near, everything):
        assert_valid(page, "service_at_location_list.json")
        for sal in page["contents"]:
            assert_valid(sal, "service_at_location.json")
            assert_valid(sal["service"], "service.json")


def test_every_page_of_service_at_locations_validates(
    client: Client, services: list[Service]
) -> None:
    # when
    pages = [get_json(client, f"/service_at_locations?per_page=3&page={n}") for n in (1, 2)]
    filtered = get_json(
        client,
        f"/service_at_locations?taxonomy_term_id={support_type_term_id('befriending')}",
    )
    one = get_json(client, f"/service_at_locations/{pages[0]['contents'][0]['id']}")
    # then
    assert [len(p["contents"]) for p in pages] == [3, 2]
    for page in pages:
        assert_valid(page, "service_at_location_list.json")
    assert [s["service_id"] for s in filtered["contents"]] == [str(services[0].id)]
    assert_valid(one, "service_at_location.json")
    assert one["location"]["addresses"][0]["city"] == "London"


def test_taxonomies_and_terms_validate(client: Client, services: list[Service]) -> None:
    # given a second taxonomy with a child term
    other = Taxonomy.objects.create(name="Fictional needs", description="Test needs")
    parent = TaxonomyTerm.objects.create(taxonomy=other, code="N1", name="Money", description="")
    child = TaxonomyTerm.objects.create(taxonomy=other, code="N1.1", name="Debt", parent=parent)
    # when
    taxonomies = get_json(client, "/taxonomies")
    support = get_json(client, f"/taxonomies/{SUPPORT_TYPES_TAXONOMY_ID}")
    terms_pages = [get_json(client, f"/taxonomy_terms?per_page=20&page={n}") for n in (1, 2, 3)]
    children = get_json(client, f"/taxonomy_terms?parent_id={parent.id}")
    top = get_json(client, f"/taxonomy_terms?taxonomy_id={other.id}&top_only=true")
    one = get_json(client, f"/taxonomy_terms/{child.id}")
    # then
    assert_valid(taxonomies, "taxonomy_list.json")
    assert sorted(t["name"] for t in taxonomies["contents"]) == [
        "Fictional needs",
        "Kith support types",
    ]
    assert_valid(support, "taxonomy.json")
    assert len(support["taxonomy_terms"]) == 39
    assert [len(p["contents"]) for p in terms_pages] == [20, 20, 1]
    for page in terms_pages:
        assert_valid(page, "taxonomy_term_list.json")
    assert [t["term"] for t in children["contents"]] == ["N1.1"]
    assert [t["term"] for t in top["contents"]] == ["N1"]
    assert_valid(one, "taxonomy_term.json")
    assert (one["parent_id"], one["taxonomy_id"], one["taxonomy"]) == (
        str(parent.id),
        str(other.id),
        "Fictional needs",
    )


def test_organizations_validate(client: Client, services: list[Service]) -> None:
    # when
    pages = [get_json(client, f"/organizations?per_page=4&page={n}") for n in (1, 2)]
    searched = get_json(client, "/organizations?search=collective 3")
    one = get_json(client, f"/organizations/{services[0].organization_id}")
    full = get_json(client, f"/organizations/{services[0].organization_id}?full_service=true")
    # then
    assert [len(p["contents"]) for p in pages] == [4, 1]
    for page in pages:
        assert_valid(page, "organization_list.json")
    assert [o["name"] for o in searched["contents"]] == ["Kennington Kindness Collective 3"]
    assert_valid(one, "organization.json")
    assert [s["name"] for s in one["services"]] == ["Evening listening circle 1"]
    assert_valid(full, "organization.json")
    assert full["services"][0]["service_at_locations"][0]["location"]["name"] == (
        "Vauxhall community room 1"
    )
    for service in full["services"]:
        assert_valid(service, "service.json")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/services/not-a-uuid", "id"),
        ("/services?page=0", "page"),
        ("/services?page=two", "page"),
        ("/services?per_page=100000", "per_page"),
        ("/services?per_page=-1", "per_page"),
        ("/services?format=xml", "format"),
        ("/services?taxonomy_term_id=123", "taxonomy_term_id"),
        ("/services?taxonomy_id=abc", "taxonomy_id"),
        ("/services?organization_id=abc", "organization_id"),
        ("/services?modified_after=yesterday", "modified_after"),
        ("/services?modified_after=2026-13-01", "modified_after"),
        ("/services?minimal=maybe", "minimal"),
        ("/service_at_locations?postcode=NOT A POSTCODE", "postcode"),
        ("/service_at_locations?postcode=ZZ9 9ZZ", "postcode"),
        ("/service_at_locations?proximity=500", "proximity"),
        ("/service_at_locations?proximity=-5&lat=51.5&long=-0.1", "proximity"),
        ("/service_at_locations?lat=51.5", "long"),
        ("/service_at_locations?lat=951&long=0", "lat"),
        ("/service_at_locations?lat=nan&long=0", "lat"),
        ("/service_at_locations/xyz", "id"),
        ("/taxonomies/xyz", "id"),
        ("/taxonomy_terms?top_only=perhaps", "top_only"),
        ("/taxonomy_terms?parent_id=1", "parent_id"),
        ("/organizations/1", "id"),
        ("/organizations?full_service=2", "full_service"),
    ],
)
def test_bad_parameters_get_a_clear_400(client: Client, path: str, field: str) -> None:
    # when
    body = get_json(client, path, status=400)
    # then
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["field"] == field
    assert body["error"]["message"]


@pytest.mark.parametrize(
    "path",
    ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/organizations"],
)
def test_unknown_ids_get_a_json_404(client: Client, path: str) -> None:
    # given
    missing = uuid.uuid4()
    # when
    body = get_json(client, f"{path}/{missing}", status=404)
    # then
    assert body["error"]["code"] == "not_found"
    assert str(missing) in body["error"]["message"]


def test_search_keeps_the_engine_order_best_first(
    client: Client, services: list[Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an engine that ranks service 3, then 1, then 5
    from kith.directory.oruk import api
    from kith.directory.search import SearchHit, SearchResults

    ranked = [services[2], services[0], services[4]]

    def engine(query: Any) -> SearchResults:
        hits = [SearchHit(service=s, location=None, distance_m=None, score=1.0) for s in ranked]
        start = (query.page - 1) * query.per_page
        return SearchResults(
            hits=hits[start : start + query.per_page],
            total=3,
            page=query.page,
            per_page=query.per_page,
        )

    monkeypatch.setattr(api, "search_services", engine)
    # when
    plain = get_json(client, "/services?search=talk&per_page=2")
    filtered = get_json(
        client, f"/services?search=talk&organization_id={services[4].organization_id}"
    )
    sals = get_json(client, "/service_at_locations?search=talk")
    # then
    assert [s["id"] for s in plain["contents"]] == [str(services[2].id), str(services[0].id)]
    assert (plain["total_items"], plain["total_pages"]) == (3, 2)
    assert [s["id"] for s in filtered["contents"]] == [str(services[4].id)]
    assert [s["service_id"] for s in sals["contents"]] == [str(s.id) for s in ranked]


def test_the_validator_checks_formats() -> None:
    # given a service with a bad id, email, url and date-time
    service = {
        "id": "123",
        "name": "x",
        "status": "active",
        "email": "nobody",
        "url": "not a url",
        "last_modified": "yesterday",
    }
    # when
    errors = schema_errors(service, "service.json")
    # then
    assert errors == [
        "$.email: 'nobody' is not a 'email'",
        "$.id: '123' is not a 'uuid'",
        "$.last_modified: 'yesterday' is not a 'date-time'",
        "$.url: 'not a url' is not a 'uri'",
    ]


def test_service_at_locations_near_a_point_read_only_up_to_the_page(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # given 120 listings on a line going north, one with no point, indexed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kith.directory.models import Location, ServiceAtLocation
    from kith.directory.tests.factories import ServiceAtLocationFactory

    sals = [
        ServiceAtLocationFactory.create(
            location__latitude=51.40 + n * 0.002, location__longitude=-0.12
        )
        for n in range(120)
    ]
    unplaced = ServiceAtLocationFactory.create(location__latitude=None, location__longitude=None)
    index_services(ServiceAtLocation.objects.values_list("service_id", flat=True))
    assert Location.objects.count() == 121
    # when the third page of five nearest a point near the far end is asked for, without a radius
    with CaptureQueriesContext(connection) as queries:
        page = get_json(client, "/service_at_locations?lat=51.638&long=-0.12&per_page=5&page=3")
        last = get_json(client, "/service_at_locations?lat=51.638&long=-0.12&per_page=5&page=25")
    # then the order is by distance, the row with no point comes last, and no query read
    # every service at location: each one on the index is a count or stops at the page's end
    assert [s["id"] for s in page["contents"]] == [str(sals[n].id) for n in range(109, 104, -1)]
    assert page["total_items"] == 121
    assert [s["id"] for s in last["contents"]] == [str(unplaced.id)]
    entry_reads = [q["sql"] for q in queries if '"directory_searchentry"' in q["sql"]]
    assert entry_reads
    for sql in entry_reads:
        limit = re.search(r"LIMIT (\d+)", sql)
        assert "COUNT(" in sql or (limit and int(limit.group(1)) <= 15), sql
    assert not [
        q["sql"]
        for q in queries
        if 'FROM "directory_serviceatlocation"' in q["sql"] and "WHERE" not in q["sql"]
    ]
