"""The access inventory (kith/core/data/access-inventory.csv) against the running project.

Every URL pattern the project resolves must be in the inventory, and every pattern answers each
role exactly as the inventory says, with real objects of the right kind: this team's ask, this
person's ask, a published service. Another team's or another person's object answers 404.
The objects are built once for the module, inside a transaction rolled back at the end; each
test runs in its own savepoint, so a POST that changes something leaves no trace.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http.response import HttpResponseBase
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from kith.asks.models import Ask
from kith.care.measures import measure_record
from kith.care.models import Goal, Involvement, Step
from kith.care.services import ask_pick_up, goal_add, step_add
from kith.care.tests.factories import ask_for, member_make, team_make
from kith.core.access_inventory import (
    INVENTORY_PATH,
    NOT_YET_APPLICABLE,
    ROLES,
    Entry,
    InventoryError,
    Outcome,
    entry_for,
    inventory_load,
    inventory_markdown,
    inventory_parse,
)
from kith.core.testing import restore_reference_data
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import ListingChange, ListingReport, Service, ServiceAtLocation
from kith.directory.services.curation import editor_add, listing_change_propose
from kith.directory.taxonomy import SUPPORT_TYPES_TAXONOMY_ID, support_type_term_id
from kith.directory.tests.factories import nested_service
from kith.outcomes.models import MeasureResponse
from kith.people.models import Person
from kith.teams.models import TeamMember

ENTRIES = inventory_load()
DOCS = Path(__file__).resolve().parents[3] / "docs" / "access.md"
# URL arguments that name something belonging to one person (and, for staff, one team).
PERSONAL_ARGUMENTS = {"ask_id", "involvement_id", "goal_id", "step_id", "response_id"}
WALKED_ROLES = [role for role in ROLES if role not in NOT_YET_APPLICABLE]
# Signed-out (or wrong kind of account): sent to sign in before anything is looked up.
SIGN_IN_PAGES = {"core:sign_in", "people:sign_in"}


@dataclass
class World:
    person: Person
    other_person: Person
    staff: TeamMember
    other_staff: TeamMember
    lead: TeamMember
    editor: Any
    admin: Any
    ask: Ask
    involvement: Involvement
    goal: Goal
    step: Step
    response: MeasureResponse
    service: Service
    service_at_location: ServiceAtLocation
    change: ListingChange
    report: ListingReport


def _world_build() -> World:
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    other_team = team_make(name="Vauxhall community team", districts="SE11", hours=48)
    staff = member_make(team=team, username="alex")
    other_staff = member_make(team=other_team, username="kim", display_name="Kim Lee")
    lead = member_make(team=team, username="lee", display_name="Lee Okafor", is_lead=True)
    person = Person.objects.create(display_name="Sam", email="sam@example.com")
    other_person = Person.objects.create(display_name="Ash", email="ash@example.com")
    ask = ask_for(team, person=person, contact_method="email", contact_email="sam@example.com")
    involvement = ask_pick_up(ask=ask, member=staff)
    ask.refresh_from_db()
    goal = goal_add(
        involvement=involvement, member=staff, text="Sleep better", domain="mental-health"
    )
    step = step_add(involvement=involvement, member=staff, text="Try the sleep group", who="me")
    response = measure_record(person=person, code="phq9", answers=[1, 1, 1, 1, 1, 1, 1, 1, 0])
    service = nested_service(1)
    editor = editor_add(username="robin", email="robin@example.com", password="a-long-pass-1")
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@example.com", password="a-long-pass-2"
    )
    change = listing_change_propose(
        proposer=editor,
        service=service,
        data={
            "organization_id": str(service.organization_id),
            "organization_name": service.organization.name if service.organization else "",
            "name": service.name,
            "description": "A calm evening group where you can talk or just listen.",
            "support_types": ["peer-support"],
            "is_no_referral_needed": True,
            "is_free": True,
            "cost_description": "",
            "is_place_to_talk": False,
            "place_to_talk_training": "",
            "url": "",
            "email": "",
            "phone": "",
            "location_name": "",
            "address_1": "",
            "address_2": "",
            "city": "",
            "postcode": "",
            "latitude": None,
            "longitude": None,
            "has_step_free_access": False,
            "opening_times": [],
            "languages": [],
        },
    )
    report = ListingReport.objects.create(service=service, reason=ListingReport.Reason.TIMES)
    return World(
        person=person,
        other_person=other_person,
        staff=staff,
        other_staff=other_staff,
        lead=lead,
        editor=editor,
        admin=admin,
        ask=ask,
        involvement=involvement,
        goal=goal,
        step=step,
        response=response,
        service=service,
        service_at_location=ServiceAtLocation.objects.get(service=service),
        change=change,
        report=report,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            restore_reference_data()
            yield _world_build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _url(entry: Entry, world: World, *, unknown: bool = False) -> str:
    """The entry's URL built with real objects (or, with `unknown`, ids that do not exist)."""
    if entry.is_wildcard:
        return reverse(entry.name[:-1] + "index")
    objects: dict[str, object] = {
        "ask_id": world.ask.pk,
        "involvement_id": world.involvement.pk,
        "goal_id": world.goal.pk,
        "step_id": world.step.pk,
        "response_id": world.response.pk,
        "service_id": world.service.pk,
        "change_id": world.change.pk,
        "report_id": world.report.pk,
        "secret": "not-a-real-secret",
        "section": "warning-signs",
    }
    oruk_ids: dict[str, object] = {
        "oruk:service_detail": world.service.pk,
        "oruk:service_at_location_detail": world.service_at_location.pk,
        "oruk:taxonomy_detail": SUPPORT_TYPES_TAXONOMY_ID,
        "oruk:taxonomy_term_detail": support_type_term_id("peer-support"),
        "oruk:organization_detail": world.service.organization_id,
    }
    pattern = _patterns()[entry.name]
    kwargs: dict[str, object] = {}
    for argument in pattern.pattern.converters:
        if argument == "id":
            kwargs[argument] = oruk_ids[entry.name]
        else:
            kwargs[argument] = objects[argument]
        if unknown:
            kwargs[argument] = uuid.uuid4()
    return reverse(entry.name, kwargs=kwargs)


def _client(role: str, world: World) -> Client:
    client = Client(enforce_csrf_checks=True)
    people = {"person": world.person, "other_person": world.other_person}
    users = {
        "staff": world.staff.user,
        "other_staff": world.other_staff.user,
        "lead": world.lead.user,
        "editor": world.editor,
        "admin": world.admin,
    }
    if role in people:
        session = client.session
        session["person_id"] = str(people[role].id)
        session.save()
    elif role in users:
        sign_in_staff(client, users[role])
    return client


def _send(client: Client, method: str, url: str) -> HttpResponseBase:
    if method == "GET":
        return client.get(url)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return client.post(url, {"csrfmiddlewaretoken": token})


def _observed(response: HttpResponseBase) -> Outcome:
    if not 300 <= response.status_code < 400:
        return Outcome(status=response.status_code)
    path = urlsplit(response["Location"]).path
    try:
        target = resolve(path).view_name
    except Resolver404:
        target = path
    return Outcome(status=response.status_code, redirect_to=target)


def _walk(
    resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = ":".join((*namespaces, pattern.name or "(unnamed)"))
            yield name, prefix + str(pattern.pattern), pattern


def _patterns() -> dict[str, URLPattern]:
    return {name: pattern for name, _route, pattern in _walk(get_resolver())}


def test_given_every_url_pattern_when_the_inventory_is_read_then_each_is_there_and_no_more() -> (
    None
):
    # given
    resolved = [(name, route) for name, route, _pattern in _walk(get_resolver())]
    # when
    missing = [f"{name} /{route}" for name, route in resolved if entry_for(name, ENTRIES) is None]
    names = {name for name, _route in resolved}
    gone = [
        entry.name
        for entry in ENTRIES
        if not entry.is_wildcard
        and entry.name not in names
        or entry.is_wildcard
        and not any(entry.covers(name) for name in names)
    ]
    routes = dict(resolved)
    moved = [
        f"{entry.name}: inventory /{entry.route}, project /{routes[entry.name]}"
        for entry in ENTRIES
        if entry.name in routes and entry.route != routes[entry.name]
    ]
    # then
    assert missing == [], "routes missing from kith/core/data/access-inventory.csv"
    assert gone == [], "the inventory names routes that no longer exist"
    assert moved == [], "the inventory's route differs from the project's"
    assert [name for name in names if "(unnamed)" in name and not name.startswith("admin:")] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "role"),
    [(entry, role) for entry in ENTRIES for role in WALKED_ROLES],
    ids=[f"{entry.name}-{entry.method}-{role}" for entry in ENTRIES for role in WALKED_ROLES],
)
def test_given_a_role_when_it_asks_for_a_route_then_it_gets_what_the_inventory_says(
    world: World, entry: Entry, role: str
) -> None:
    # given
    client = _client(role, world)
    url = _url(entry, world)
    # when
    response = _send(client, entry.method, url)
    # then
    assert str(_observed(response)) == str(entry.outcomes[role]), f"{entry.method} {url} as {role}"


def test_given_the_inventory_when_another_team_or_person_asks_then_it_is_404_never_403() -> None:
    # given
    patterns = _patterns()
    personal = [
        entry
        for entry in ENTRIES
        if not entry.is_wildcard
        and PERSONAL_ARGUMENTS & set(patterns[entry.name].pattern.converters)
    ]
    # when
    refusals = {
        (entry.name, role): entry.outcomes[role].status
        for entry in ENTRIES
        for role in ("other_person", "other_staff")
        if entry.outcomes[role].status == 403
    }
    not_hidden = {
        (entry.name, role): str(entry.outcomes[role])
        for entry in personal
        for role in ("other_person", "other_staff")
        if entry.outcomes[role].status != 404
        and entry.outcomes[role].redirect_to not in SIGN_IN_PAGES
    }
    # then
    assert len(personal) == 26
    assert refusals == {}
    assert not_hidden == {}


def _owner_role(entry: Entry) -> str | None:
    """The first role that gets past the sign-in to the object itself, if any does."""
    for role in WALKED_ROLES:
        outcome = entry.outcomes[role]
        if outcome.status != 404 and outcome.redirect_to not in SIGN_IN_PAGES:
            return role
    return None


OWNED = [
    (entry, role)
    for entry in ENTRIES
    if "_id>" in entry.route and (role := _owner_role(entry)) is not None
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "role"), OWNED, ids=[f"{entry.name}-{role}" for entry, role in OWNED]
)
def test_given_an_id_that_does_not_exist_when_asked_for_then_404_like_someone_elses(
    world: World, entry: Entry, role: str
) -> None:
    # given
    client = _client(role, world)
    url = _url(entry, world, unknown=True)
    # when
    response = _send(client, entry.method, url)
    # then
    assert response.status_code == 404, f"{entry.method} {url} as {role}"


@pytest.mark.django_db
def test_given_the_admin_when_each_page_without_arguments_is_asked_for_then_only_admins_see_it(
    world: World,
) -> None:
    # given
    pages = [
        name
        for name, _route, pattern in _walk(get_resolver())
        if name.startswith("admin:") and not pattern.pattern.regex.groups and name != "admin:logout"
    ]
    admin, lead = _client("admin", world), _client("lead", world)
    # when
    answers = {
        name: (admin.get(reverse(name)).status_code, lead.get(reverse(name))) for name in pages
    }
    # then
    assert len(pages) >= 10
    assert {name: status for name, (status, _) in answers.items() if status != 200} == {
        "admin:login": 302,  # already signed in: on to the index
        "admin:autocomplete": 403,  # needs its query parameters
        "admin:directory_listingchange_add": 403,  # changes are proposed through curation
        # Sign-in failures and lockouts are written by django-axes only.
        "admin:axes_accessattempt_add": 403,
        "admin:axes_accessfailurelog_add": 403,
        "admin:axes_accesslog_add": 403,
        # Tasks are queued by Kith and read in the admin, never added there (django-tasks-db).
        "admin:django_tasks_database_dbtaskresult_add": 403,
    }
    assert {
        name: str(_observed(response))
        for name, (_, response) in answers.items()
        if str(_observed(response)) != "302>admin:login"
    } == {"admin:login": "200"}


def test_given_the_docs_when_read_then_they_hold_the_inventory_table() -> None:
    # given
    docs = DOCS.read_text(encoding="utf-8")
    # when
    table = inventory_markdown(ENTRIES)
    # then
    assert table in docs, "regenerate: python -m kith.core.access_inventory"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,route\n", "line 1: the columns must be name, route, method,"),
        (
            "{header}\ncore:home,,GET,200,200,200,n/a,200,200,200,200,OK,\n",
            "line 2, admin: 'OK' is not a status code like 200 or 302>core:sign_in",
        ),
        (
            "{header}\ncore:home,,GET,302,200,200,n/a,200,200,200,200,200,\n",
            "line 2, anonymous: '302': a redirect needs a target (302>name), nothing else may",
        ),
        (
            "{header}\ncore:home,,GET,200,200,200,200,200,200,200,200,200,\n",
            "line 2: volunteer has no accounts yet; write n/a",
        ),
        (
            "{header}\ncore:home,,GET,200,200,200,n/a,200,200,200,200,200,\n"
            "core:home,,GET,200,200,200,n/a,200,200,200,200,200,\n",
            "line 3: core:home GET is listed twice",
        ),
        (
            "{header}\ncore:home,,PUT,200,200,200,n/a,200,200,200,200,200,\n",
            "line 2: needs a name and a method, GET or POST",
        ),
    ],
)
def test_given_a_bad_inventory_when_read_then_a_clear_error_names_the_line(
    text: str, message: str
) -> None:
    # given
    header = INVENTORY_PATH.read_text(encoding="utf-8").splitlines()[0]
    # when
    with pytest.raises(InventoryError) as error:
        inventory_parse(text.replace("{header}", header))
    # then
    assert str(error.value).startswith(message)


def test_given_the_real_inventory_when_read_then_a_volunteer_is_treated_as_anonymous() -> None:
    # given
    entries = inventory_load()
    # when
    different = [
        entry.name
        for entry in entries
        if entry.outcomes["volunteer"] != entry.outcomes["anonymous"]
    ]
    # then
    assert different == []
    assert len(entries) == len(ENTRIES) > 70
