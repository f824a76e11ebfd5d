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
from django.urls import reverse

from kith.core.errors import ImportFailed
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
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
from kith.directory.services.curation import editor_add
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
    monkeypatch.setattr(importer, "services_reindex", lambda ids: calls.append(sorted(ids)))
    return calls


def fixed_official_example(tmp_path: Path) -> Path:
    """The official example with its impossible coordinates (100, 101) moved to Lambeth."""
    service = json.loads(OFFICIAL_SERVICE.read_text())
    location = service["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 51.4613, -0.1156
    path = tmp_path / "service_full_fixed.json"
    path.write_text(json.dumps(service))
    return path


def test_official_example_is_imported_without_its_impossible_coordinates(
    indexed: list[list[uuid.UUID]],
) -> None:
    # given the official ORUK 3.0 example, whose location is at latitude 100
    # when
    report = oruk_import(source=str(OFFICIAL_SERVICE))
    # then the service and its location are in, the location without a place on the map
    assert (len(report.created), report.problems) == (1, [])
    location = Location.objects.get(id="3a19ff88-4620-4d17-9830-ac1d859eb5d5")
    assert (location.name, location.latitude, location.longitude) == (
        "MyCity Civic Center",
        None,
        None,
    )
    assert [str(c) for c in report.changes] == [
        "record 1 (id ac148810-d857-441c-9679-408f346de14b): "
        "service_at_locations[0].location.latitude: left out: 100 is not between -90 and 90 "
        "(latitude and longitude both left out: the location has no place on the map) "
        "(was '100, 101')"
    ]


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
    service = Service.objects.select_related("organization").get(id=service_id)
    assert service.organization is not None
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


def test_bad_value_is_left_out_and_unreadable_record_skipped(
    indexed: list[list[uuid.UUID]],
) -> None:
    # when
    report = oruk_import(source=str(DATA / "v3_mixed.ndjson"))
    # then the record with a bad email is imported without it; the unreadable line is skipped
    assert [str(p) for p in report.problems] == [
        "record 3: record: line 3 is not JSON (Expecting property name enclosed in double quotes)",
    ]
    assert [str(c) for c in report.changes] == [
        "record 2 (id a1b2c3d4-0000-4000-8000-0000000000a2): email: left out: "
        "is not an email address (was 'not an email')",
    ]
    assert sorted((s.name, s.email) for s in Service.objects.all()) == [
        ("Knitting circle", ""),
        ("Thursday tea club", "tea@example.com"),
    ]
    assert list(Attribute.objects.values_list("taxonomy_term_id", flat=True)) == [
        support_type_term_id("social-connection")
    ]


def test_oruk_1_feed_is_mapped_to_our_model(indexed: list[list[uuid.UUID]]) -> None:
    # when
    report = oruk_import(source=str(DATA / "v1_services_page.json"))
    # then
    assert (len(report.created), report.oruk1_records, report.problems) == (2, 2, [])
    walk = Service.objects.get(id=oruk1_id("svc-101", "service"))
    assert walk.organization is not None
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
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 2)
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
        "record 2 (id 1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f): name: is missing; "
        "a listing needs a name",
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
    assert "Imported 2 services from" in out.getvalue()
    assert "2 new, 0 updated, 0 unchanged, 1 skipped." in out.getvalue()
    assert err.getvalue().splitlines() == [
        "record 2 (id a1b2c3d4-0000-4000-8000-0000000000a2): email: left out: "
        "is not an email address (was 'not an email')",
        "Skipped record 3: record: line 3 is not JSON (Expecting property name enclosed in "
        "double quotes)",
    ]


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


# --- real feeds import whole: list-form ORUK 1.0 with bad values (fictional fixtures) ---------

LIST_FORM = DATA / "v1_list_form.json"
CRAFT, LINE, WALKS, GROW, NAMELESS, CHOIR = (
    uuid.UUID(f"3f1c0a52-0000-4000-8000-00000000000{n}") for n in range(1, 7)
)


def not_converted(report: importer.ImportReport) -> list[str]:
    return [str(c) for c in report.changes if c.action != importer.Action.CONVERTED]


def updated_at() -> dict[tuple[str, uuid.UUID], object]:
    models = (Service, Organization, Location, ServiceAtLocation, Phone, Attribute)
    return {
        (m.__name__, pk): at for m in models for pk, at in m.objects.values_list("id", "updated_at")
    }


def test_list_form_feed_imports_every_record_that_can_be_a_listing(
    indexed: list[list[uuid.UUID]],
) -> None:
    # when
    report = oruk_import(source=str(LIST_FORM))
    # then only the record with no name and the second record with the same id are skipped
    assert sorted(report.created) == sorted([CRAFT, LINE, WALKS, GROW, CHOIR])
    assert [str(p) for p in report.problems] == [
        f"record 5 (id {NAMELESS}): name: is missing; a listing needs a name",
        f"record 7 (id {LINE}): id: is the same as record 2's; only the first record with an "
        "id is imported",
    ]
    # and each value repaired or left out is listed, with why
    assert not_converted(report) == [
        f"record 1 (id {CRAFT}): organization.website: repaired: had no https:// before the "
        "domain ('craft.example.org' became 'https://craft.example.org')",
        f"record 2 (id {LINE}): organization.website: repaired: had the wrong slashes after "
        "the scheme ('http:www.example.com' became 'http://www.example.com')",
        f"record 2 (id {LINE}): url: repaired: had no https:// before the domain "
        "('www.example.org/branches/fictional/' became "
        "'https://www.example.org/branches/fictional/')",
        f"record 3 (id {WALKS}): organization.website: left out: is not a web address "
        "(was 'Fictional Community Centre')",
        f"record 3 (id {WALKS}): url: left out: is not a web address "
        "(was 'Fictional Community Centre')",
        f"record 3 (id {WALKS}): email: repaired: had extra characters around the address "
        "('walks@example.org.' became 'walks@example.org')",
        f"record 4 (id {GROW}): organization: left out: the record has none (no "
        "organization, nor the organization_id of one imported before), so the service has "
        "no organisation",
        f"record 6 (id {CHOIR}): email: left out: is not an email address (was 'not an email')",
    ]
    assert [(c.record, c.field) for c in report.changes_by_action(importer.Action.CONVERTED)] == [
        (1, "description"),
        (3, "description"),
    ]
    services = {s.id: s for s in Service.objects.select_related("organization")}
    assert (services[LINE].url, services[LINE].organization.website) == (  # type: ignore[union-attr]
        "https://www.example.org/branches/fictional/",
        "http://www.example.com",
    )
    assert (services[WALKS].url, services[WALKS].email) == ("", "walks@example.org")
    assert services[WALKS].organization.website == ""  # type: ignore[union-attr]
    assert (services[GROW].organization, services[GROW].service_at_locations.count()) == (None, 0)
    assert services[CHOIR].email == ""


def test_html_description_becomes_text_with_paragraphs_and_list_lines(
    indexed: list[list[uuid.UUID]],
) -> None:
    # when
    oruk_import(source=str(LIST_FORM))
    # then
    assert Service.objects.get(id=CRAFT).description == (
        "A friendly craft group for adults.\n\n"
        "We meet at the Fictional Hall.\nTea & biscuits provided.\n\n"
        "Knitting\nPainting"
    )
    # and plain text is kept as it was written
    assert Service.objects.get(id=LINE).description == "Plain text description.\nA second line."


def test_hostile_html_leaves_no_markup_script_or_javascript_link(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # when
    oruk_import(source=str(DATA / "v1_hostile_html.json"))
    # then
    service = Service.objects.get()
    assert service.description == (
        "Come along & chat.\n\n"
        "Click me or see our times (https://dropin.example.org/times).\n\n"
        "Tea\nToast\n\n"
        "Written by staff today"
    )
    page = client.get(f"/services/{service.pk}/").content.decode()
    description = str(one(page, ".app-service__description"))
    for word in ("<script", "<img", "<iframe", "onclick", "onerror", "javascript:", "evil"):
        assert word not in description


@pytest.mark.parametrize("feed", ["v1_services_page.json", "v1_list_form.json"])
def test_importing_the_same_feed_again_changes_nothing(
    feed: str, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    first = oruk_import(source=str(DATA / feed))
    before, written = counts(), updated_at()
    # when
    report = oruk_import(source=str(DATA / feed))
    # then
    assert (report.created, report.updated) == ([], [])
    assert sorted(report.unchanged) == sorted(first.created)
    assert counts() == before
    assert updated_at() == written
    assert indexed == [sorted(first.created)]  # the second import re-indexed nothing


@pytest.mark.parametrize(
    ("feed", "changed_service", "description"),
    [
        (
            "v1_services_page",
            uuid.UUID("6c0a3f35-0a3f-4d7c-9a1e-1f1e2d3c4b5a"),
            "Help with bills, debt and benefits. Now on Fridays too.",
        ),
        ("v1_list_form", GROW, "Grow food with neighbours, every Saturday."),
    ],
)
def test_a_changed_record_updates_that_service_by_id_and_nothing_else(
    feed: str, changed_service: uuid.UUID, description: str, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    oruk_import(source=str(DATA / f"{feed}.json"))
    before, written = counts(), updated_at()
    # when
    report = oruk_import(source=str(DATA / f"{feed}_changed.json"))
    # then
    assert (report.created, report.updated) == ([], [changed_service])
    assert Service.objects.get(id=changed_service).description == description
    assert counts() == before
    moved = [key for key, at in updated_at().items() if written[key] != at]
    assert moved == [("Service", changed_service)]
    assert indexed[1:] == [[changed_service]]


def test_service_without_place_or_organisation_validates_in_the_oruk_api(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    oruk_import(source=str(LIST_FORM))
    # when
    body = client.get(f"/api/oruk/services/{GROW}").json()
    page = client.get("/api/oruk/services?per_page=10").json()
    summaries = client.get("/api/oruk/services?per_page=10&full=false").json()
    # then
    assert schema_errors(body, "service.json") == []
    assert (body["service_at_locations"], "organization" in body) == ([], False)
    assert schema_errors(page, "service_list.json") == []
    assert schema_errors(summaries, "service_list.json") == []
    assert len(page["contents"]) == 5


def test_service_page_without_a_place_says_to_contact_them(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    oruk_import(source=str(LIST_FORM))
    # when
    line = html(client.get(f"/services/{LINE}/"))
    grow = html(client.get(f"/services/{GROW}/"))
    # then
    assert text(line, ".app-service__no-place") == (
        "No address is given for this service. Contact them to find out where and how it runs."
    )
    assert line.select("#where") == []
    assert line.select(".app-location") == []
    assert line.select("#times") == []  # no opening times given, so none shown (not "Closed")
    assert one(line, ".app-service__contact .app-phone")["href"] == "tel:07700900123"
    assert one(line, ".app-service__contact .app-website")["href"] == (
        "https://www.example.org/branches/fictional/"
    )
    assert text(line, ".app-service__organisation") == "Run by Fictional Listening Trust"
    # a service without an organisation says nothing about who runs it
    assert grow.select(".app-service__organisation") == []
    assert one(grow, ".app-service__contact .app-email")["href"] == "mailto:grow@example.org"


def test_description_paragraphs_and_lines_show_on_the_service_page(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    oruk_import(source=str(LIST_FORM))
    # when
    page = html(client.get(f"/services/{CRAFT}/"))
    # then
    paragraphs = page.select(".app-service__description p")
    assert [p.get_text("|") for p in paragraphs] == [
        "A friendly craft group for adults.",
        "We meet at the Fictional Hall.|Tea & biscuits provided.",
        "Knitting|Painting",
    ]


def test_search_results_show_how_to_contact_a_service_without_a_place(client: Client) -> None:
    # given the list-form feed imported and indexed
    oruk_import(source=str(LIST_FORM))
    # when
    response = client.get("/find/", {"q": "befriending"})
    grow = client.get("/find/", {"q": "grow food"})
    # then no distance and no map, but how to contact them
    result = one(response, ".app-result")
    assert text(result, ".app-result__name") == "Fictional befriending line"
    assert result.select(".app-result__distance") == []
    assert html(response).select("#results-map") == []
    assert text(result, ".app-result__contact") == (
        "No address given. Contact them: 07700 900123 , example.org"
    )
    assert one(result, ".app-result__contact-phone")["href"] == "tel:07700900123"
    assert one(result, ".app-result__contact-website")["href"] == (
        "https://www.example.org/branches/fictional/"
    )
    row = one(grow, ".app-result")
    assert row.select(".app-result__organisation") == []
    assert one(row, ".app-result__contact-email")["href"] == "mailto:grow@example.org"


def test_command_lists_each_value_repaired_or_left_out(indexed: list[list[uuid.UUID]]) -> None:
    # given
    out, err, err_verbose = io.StringIO(), io.StringIO(), io.StringIO()
    # when
    call_command("import_oruk", str(LIST_FORM), stdout=out, stderr=err)
    call_command(
        "import_oruk", str(LIST_FORM), stdout=io.StringIO(), stderr=err_verbose, verbosity=2
    )
    # then
    assert [line for line in out.getvalue().splitlines() if line] == [
        f"Imported 5 services from {LIST_FORM}: 5 new, 0 updated, 0 unchanged, 2 skipped.",
        "Values not kept as given: 4 repaired, 4 left out, 2 converted to plain text.",
        "7 records were ORUK 1.0 and were converted.",
    ]
    lines = err.getvalue().splitlines()
    assert (len(lines), lines[0], lines[-1]) == (
        10,
        f"record 1 (id {CRAFT}): organization.website: repaired: had no https:// before the "
        "domain ('craft.example.org' became 'https://craft.example.org')",
        f"Skipped record 7 (id {LINE}): id: is the same as record 2's; only the first record "
        "with an id is imported",
    )
    assert f"record 1 (id {CRAFT}): description: converted to plain text: was HTML" in (
        err_verbose.getvalue().splitlines()
    )


def test_nested_row_that_cannot_be_kept_is_left_out_and_the_service_imported(
    tmp_path: Path, indexed: list[list[uuid.UUID]]
) -> None:
    # given the official example with a phone without a number and an unknown support type
    source = fixed_official_example(tmp_path)
    service = json.loads(source.read_text())
    service["phones"] = [{"id": "5c3b0a4e-0000-4000-8000-0000000000b1", "number": ""}]
    service["attributes"].append(
        {
            "id": "5c3b0a4e-0000-4000-8000-0000000000b2",
            "taxonomy_term": {
                "id": "5c3b0a4e-0000-4000-8000-0000000000b3",
                "term": "not-a-support-type",
                "taxonomy": "Kith support types",
            },
        }
    )
    source.write_text(json.dumps(service))
    # when
    report = oruk_import(source=str(source))
    # then
    assert (len(report.created), report.problems) == (1, [])
    assert [str(c) for c in report.changes] == [
        "record 1 (id ac148810-d857-441c-9679-408f346de14b): phones[0]: left out: "
        "phones[0].number: This field cannot be blank.",
        "record 1 (id ac148810-d857-441c-9679-408f346de14b): attributes[1]: left out: "
        "attributes[1].taxonomy_term.term: 'not-a-support-type' is not a Kith support type",
    ]
    assert Phone.objects.filter(service_id=report.created[0]).count() == 0
    assert Attribute.objects.filter(link_id=report.created[0]).count() == 1


def test_staff_can_open_an_imported_listing_without_an_organisation(
    client: Client, indexed: list[list[uuid.UUID]]
) -> None:
    # given
    oruk_import(source=str(LIST_FORM))
    editor = editor_add(username="editor.ada", email="ada@example.com", password="x")
    sign_in_staff(client, editor)
    # when
    listings = client.get(reverse("directory:listing_list"), {"name": "food growing"})
    form = client.get(reverse("directory:listing_edit", args=[GROW]))
    # then the editor sees the listing, and is asked for the organisation it lacks
    assert (listings.status_code, form.status_code) == (200, 200)
    assert "Fictional food growing" in listings.content.decode()
    assert one(form, "#id_name")["value"] == "Fictional food growing"
    chosen = html(form).select("#id_organization option[selected]")
    assert [(o["value"], o.get_text()) for o in chosen] == [("", "Choose an organisation")]
