"""`kith import-oruk`: ORUK 3.0 and 1.0 feeds from files and URLs, bad records, round trip."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kith.core.errors import ImportFailed
from kith.directory.models import (
    Address,
    Attribute,
    ClosedDate,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from kith.directory.oruk import importer
from kith.directory.oruk.importer import oruk_import
from kith.directory.oruk.oruk1 import oruk1_id
from kith.directory.oruk.validation import schema_errors
from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID, support_type_term_id
from kith.directory.tests.factories import nested_service

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "oruk"
OFFICIAL_SERVICE = DATA / "official" / "service_full.json"


def counts() -> dict[str, int]:
    models = (Service, Organization, Location, ServiceAtLocation, Schedule, Phone, Attribute)
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[list[uuid.UUID]]:
    calls: list[list[uuid.UUID]] = []
    monkeypatch.setattr(importer, "index_services", lambda ids: calls.append(sorted(ids)))
    return calls


def fixed_official_example(tmp_path: Path) -> Path:
    """The official example with its impossible coordinates (100, 101) moved to Lambeth."""
    service = json.loads(OFFICIAL_SERVICE.read_text())
    location = service["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 51.4613, -0.1156
    path = tmp_path / "service_full_fixed.json"
    path.write_text(json.dumps(service))
    return path


def test_official_example_is_reported_not_imported() -> None:
    # given the official ORUK 3.0 example, whose location is at latitude 100
    before = counts()
    # when
    with pytest.raises(ImportFailed) as caught:
        oruk_import(source=str(OFFICIAL_SERVICE))
    # then
    assert caught.value.extra["problems"] == [
        "record 1 (id ac148810-d857-441c-9679-408f346de14b): "
        "service_at_locations[0].location.latitude: 100 is not between -90 and 90"
    ]
    assert counts() == before


def test_official_example_imports_fully_nested(
    tmp_path: Path, client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    source = fixed_official_example(tmp_path)
    service_id = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
    # when
    report = oruk_import(source=str(source))
    # then
    assert (report.created, report.updated, report.problems) == ([service_id], [], [])
    assert indexed == [[service_id]]
    service = Service.objects.get(id=service_id)
    assert (service.name, service.organization.name, service.minimum_age) == (
        "Community Counselling",
        "Example Organization Inc.",
        12,
    )
    assert service.service_at_locations.get().location.addresses.get().city == "MyCity"
    assert service.schedules.get().byday == "TH,FR"
    term = Attribute.objects.get(link_id=service_id).taxonomy_term
    assert (term.code, term.taxonomy_name) == ("name", "taxonomy")
    body = client.get(f"/api/oruk/services/{service_id}").json()
    assert schema_errors(body, "service.json") == []


def test_importing_again_updates_not_duplicates(
    tmp_path: Path, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    source = fixed_official_example(tmp_path)
    oruk_import(source=str(source))
    after_first = counts()
    changed = json.loads(source.read_text())
    changed["name"] = "Community Counselling (renamed)"
    changed["schedules"] = []
    source.write_text(json.dumps(changed))
    # when
    report = oruk_import(source=str(source))
    # then
    assert (len(report.created), len(report.updated)) == (0, 1)
    assert Service.objects.get().name == "Community Counselling (renamed)"
    assert counts() == {**after_first, "Schedule": after_first["Schedule"] - 1}


def test_bad_records_are_reported_and_skipped(indexed: list[list[uuid.UUID]]) -> None:
    # when
    report = oruk_import(source=str(DATA / "v3_mixed.ndjson"))
    # then
    assert [str(p) for p in report.problems] == [
        "record 2 (id a1b2c3d4-0000-4000-8000-0000000000a2): email: Enter a valid email address.",
        "record 3: record: line 3 is not JSON (Expecting property name enclosed in double quotes)",
    ]
    assert [s.name for s in Service.objects.all()] == ["Thursday tea club"]
    assert list(Attribute.objects.values_list("taxonomy_term_id", flat=True)) == [
        support_type_term_id("social-connection")
    ]


def test_oruk_1_feed_is_mapped_to_our_model(indexed: list[list[uuid.UUID]]) -> None:
    # when
    report = oruk_import(source=str(DATA / "v1_services_page.json"))
    # then
    assert (len(report.created), report.oruk1_records, report.problems) == (2, 2, [])
    walk = Service.objects.get(id=oruk1_id("svc-101", "service"))
    assert (walk.organization.name, walk.organization.website) == (
        "Fictional Friends of the Park",
        "https://friends.example.com",
    )
    assert (walk.minimum_age, walk.eligibility_description, walk.fees_description) == (
        18,
        "Adults",
        "Free",
    )
    assert [(s.freq, s.byday, str(s.opens_at)) for s in walk.schedules.all()] == [
        ("WEEKLY", "WE", "10:00:00")
    ]
    assert sorted(str(c.date) for c in ClosedDate.objects.filter(service=walk)) == [
        "2026-12-24",
        "2026-12-25",
        "2026-12-26",
    ]
    sal = walk.service_at_locations.get()
    assert [s.byday for s in sal.schedules.all()] == ["SA"]
    address = Address.objects.get(location=sal.location)
    assert (address.postal_code, address.country) == ("SW2 1AA", "GB")
    assert sal.location.accessibility.get().description == "Flat paths all the way round"
    assert walk.contacts.get().phones.get().number == "07700 900301"
    term = TaxonomyTerm.objects.get(code="bccsource:Activity")
    assert (term.name, term.taxonomy.name if term.taxonomy else None) == (
        "Activity",
        "Fictional vocabulary",
    )
    advice = Service.objects.get(id="6c0a3f35-0a3f-4d7c-9a1e-1f1e2d3c4b5a")
    assert advice.schedules.get().byday == "MO"


def test_oruk_1_feed_imported_twice_keeps_its_ids(indexed: list[list[uuid.UUID]]) -> None:
    # given
    oruk_import(source=str(DATA / "v1_services_page.json"))
    before = counts()
    # when
    report = oruk_import(source=str(DATA / "v1_services_page.json"))
    # then
    assert (len(report.created), len(report.updated)) == (0, 2)
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_json.txt", "not_json.txt is neither JSON nor NDJSON"),
        ("wrong_shape.json", "wrong_shape.json is not an ORUK feed"),
        ("missing.json", "There is no file at"),
        ("all_bad.json", "has no service that could be imported; first problem: record 1"),
    ],
)
def test_unusable_feed_changes_nothing(name: str, message: str) -> None:
    # given
    nested_service(1)
    before = counts()
    # when
    with pytest.raises(ImportFailed) as caught:
        oruk_import(source=str(DATA / name))
    # then
    assert message in caught.value.message
    assert counts() == before


def test_all_bad_feed_names_every_problem() -> None:
    # when
    with pytest.raises(ImportFailed) as caught:
        oruk_import(source=str(DATA / "all_bad.json"))
    # then
    assert caught.value.extra["problems"] == [
        "record 1 (id not-a-uuid): id: 'not-a-uuid' is not a UUID",
        "record 2 (id 1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f): organization: is missing: give "
        "the organization, or the organization_id of one imported before",
    ]


# --- URLs ------------------------------------------------------------------------------------


def feed_client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def paged_feed(services: list[dict[str, Any]], per_page: int) -> httpx.Client:
    """A fake ORUK 3.0 feed: pages of shallow services, each fully nested at /services/{id}."""
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        path = request.url.path
        if path.startswith("/oruk/services/"):
            found = [s for s in services if s["id"] == path.rsplit("/", 1)[1]]
            return httpx.Response(200, json=found[0]) if found else httpx.Response(404)
        assert path == "/oruk/services"
        page = int(request.url.params["page"])
        chunk = services[(page - 1) * per_page : page * per_page]
        pages = -(-len(services) // per_page)
        return httpx.Response(
            200,
            json={
                "total_items": len(services),
                "total_pages": pages,
                "page_number": page,
                "size": per_page,
                "first_page": page == 1,
                "last_page": page >= pages,
                "empty": not chunk,
                "contents": [
                    {"id": s["id"], "name": s["name"], "status": s["status"]} for s in chunk
                ],
            },
        )

    client = feed_client(handler)
    client.requested = requested  # type: ignore[attr-defined]
    return client


def exported_services(client: Client) -> list[dict[str, Any]]:
    response = client.get("/api/oruk/services?format=ndjson")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return [json.loads(line) for line in text.splitlines()]


def test_url_feed_follows_pages_and_fetches_details(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given three services exported, then the database emptied
    services = [nested_service(n) for n in (1, 2, 3)]
    feed = exported_services(client)
    Service.objects.all().delete()
    http = paged_feed(feed, per_page=2)
    progress: list[tuple[int, int | None]] = []
    # when
    report = oruk_import(
        source="https://feed.example.com/oruk/",
        client=http,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    # then
    assert sorted(report.updated + report.created) == sorted(s.id for s in services)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert [u.split("?")[1] for u in http.requested if "?" in u] == [  # type: ignore[attr-defined]
        "page=1&per_page=100",
        "page=2&per_page=100",
    ]


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")), "Could not reach"),
        (lambda r: httpx.Response(500), "answered HTTP 500"),
        (lambda r: httpx.Response(200, text="<html>hello</html>"), "did not answer with JSON"),
        (lambda r: httpx.Response(200, json={"error": "no"}), "is not an ORUK feed"),
    ],
)
def test_unusable_url_changes_nothing(
    handler: Callable[[httpx.Request], httpx.Response], message: str
) -> None:
    # given
    nested_service(1)
    before = counts()
    # when
    with pytest.raises(ImportFailed) as caught:
        oruk_import(source="https://feed.example.com/services", client=feed_client(handler))
    # then
    assert message in caught.value.message
    assert counts() == before


def test_a_page_failing_midway_rolls_everything_back(client: Client) -> None:
    # given a feed whose second page fails
    nested_service(1)
    nested_service(2)
    feed = exported_services(client)
    Service.objects.all().delete()
    before = counts()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "2":
            return httpx.Response(503)
        return httpx.Response(
            200, json={"total_pages": 2, "last_page": False, "contents": feed[:1]}
        )

    # when
    with pytest.raises(ImportFailed):
        oruk_import(source="https://feed.example.com/api", client=feed_client(handler))
    # then
    assert counts() == before


# --- the command and the round trip ----------------------------------------------------------


def test_command_reports_and_exits_non_zero_on_unusable_feed() -> None:
    # when
    with pytest.raises(CommandError) as caught:
        call_command("import_oruk", str(DATA / "wrong_shape.json"), stdout=io.StringIO())
    # then
    assert str(caught.value).startswith("Nothing was imported: ")
    assert Service.objects.count() == 0


def test_command_prints_a_summary_and_each_skipped_record(
    indexed: list[list[uuid.UUID]],
) -> None:
    # given
    out, err = io.StringIO(), io.StringIO()
    # when
    call_command("import_oruk", str(DATA / "v3_mixed.ndjson"), stdout=out, stderr=err)
    # then
    assert "Imported 1 services from" in out.getvalue()
    assert "1 new, 0 updated, 2 skipped." in out.getvalue()
    assert err.getvalue().splitlines()[0] == (
        "Skipped record 2 (id a1b2c3d4-0000-4000-8000-0000000000a2): email: "
        "Enter a valid email address."
    )


def api_snapshot(client: Client) -> dict[str, Any]:
    paths = ["/services?per_page=3&page=1", "/services?per_page=3&page=2"]
    paths += ["/service_at_locations?per_page=50", "/organizations?per_page=50&full=true"]
    paths += ["/taxonomies", "/taxonomy_terms?per_page=100"]
    snapshot: dict[str, Any] = {p: client.get("/api/oruk" + p).json() for p in paths}
    snapshot["ndjson"] = exported_services(client)
    return snapshot


def test_round_trip_gives_identical_api_output(
    client: Client, tmp_path: Path, indexed: list[list[uuid.UUID]]
) -> None:
    # given a realistic dataset with a taxonomy of its own, exported as NDJSON
    services = [nested_service(n) for n in range(1, 6)]
    needs = Taxonomy.objects.create(name="Fictional needs", description="Needs", version="2")
    parent = TaxonomyTerm.objects.create(taxonomy=needs, code="N1", name="Money")
    term = TaxonomyTerm.objects.create(taxonomy=needs, code="N1.1", name="Debt", parent=parent)
    Attribute.objects.create(
        taxonomy_term=parent, link_entity="service", link_id=services[0].id, value="x"
    )
    Attribute.objects.create(taxonomy_term=term, link_entity="service", link_id=services[1].id)
    before = api_snapshot(client)
    export = tmp_path / "export.ndjson"
    export.write_text("".join(json.dumps(s) + "\n" for s in before["ndjson"]))
    # and an empty database
    for model in (Service, Location, Organization):
        model.objects.all().delete()
    TaxonomyTerm.objects.exclude(taxonomy_id=SUPPORT_TYPES_TAXONOMY_ID).delete()
    Taxonomy.objects.exclude(id=SUPPORT_TYPES_TAXONOMY_ID).delete()
    # when
    report = oruk_import(source=str(export))
    # then
    assert (len(report.created), report.problems) == (5, [])
    assert api_snapshot(client) == before
