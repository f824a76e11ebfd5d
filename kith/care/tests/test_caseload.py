"""A worker's caseload, and finding a person the team works with: own team only, only people who
share their record with the team, every view audited, hostile input harmless."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kith.asks.models import Ask
from kith.audit.models import AuditEvent
from kith.care.access import access_people_search
from kith.care.consent import consent_withdraw, consent_withhold
from kith.care.models import Involvement
from kith.care.selectors import PeopleQuery, people_query_parse
from kith.care.services import (
    ask_pick_up,
    conversation_record,
    safety_plan_write,
    step_add,
)
from kith.care.tests.factories import ask_for
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.people.models import Consent, Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 26)


def _person(name: str, email: str, phone: str = "") -> Person:
    return Person.objects.create(
        display_name=name, email=email, email_verified_at=timezone.now(), phone=phone
    )


def _involvement(
    team: Team, worker: TeamMember, person: Person | None, **answers: object
) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person, **answers), member=worker)


def _rows(response: object) -> list[str]:
    return [
        " ".join(row.get_text(" ", strip=True).split())
        for row in html(response).select("tr.app-involvement-row")
    ]


def _talk(involvement: Involvement, worker: TeamMember, at: dt.datetime) -> None:
    ask = involvement.asks.get()
    Ask.objects.filter(pk=ask.pk).update(created_at=at - dt.timedelta(hours=1))
    ask.refresh_from_db()
    conversation_record(
        ask=ask, member=worker, happened_at=at, method="phone", with_whom="the person"
    )


# The caseload


@time_machine.travel(NOW, tick=False)
def test_the_caseload_lists_my_open_work_next_step_soonest_then_longest_since_contact(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given four people Alex works with, and one Jo does
    sam = _involvement(team, member, _person("Sam Okafor", "sam@example.com"))
    ash = _involvement(team, member, _person("Ash Reid", "ash@example.com"))
    kit = _involvement(team, member, _person("Kit Moss", "kit@example.com"))
    lee = _involvement(team, member, _person("Lee Hart", "lee@example.com"))
    _involvement(team, colleague, _person("Jo's person", "jos@example.com"))
    Involvement.objects.filter(pk=sam.pk).update(
        next_step="Call about housing", next_step_due_on=TODAY + dt.timedelta(days=3)
    )
    Involvement.objects.filter(pk=ash.pk).update(
        next_step="Send the debt advice leaflet", next_step_due_on=TODAY - dt.timedelta(days=1)
    )
    _talk(kit, member, NOW - dt.timedelta(days=2))
    _talk(lee, member, NOW - dt.timedelta(days=9))
    step_add(involvement=sam, member=member, text="Ring the council", who="worker")
    safety_plan_write(involvement=lee, member=member, section="coping", text="Music")
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:caseload"))
    # then
    assert response.status_code == 200
    assert text(response, "h1") == "Your caseload"
    assert _rows(response) == [
        f"Ash Reid {_reference(ash)} Send the debt advice leaflet due 25 November 2026 Overdue "
        "No conversation yet 0 steps to do",
        f"Sam Okafor {_reference(sam)} Call about housing due 29 November 2026 "
        "No conversation yet 1 step to do",
        f"Lee Hart {_reference(lee)} – 17 November 2026 0 steps to do Safety plan of Lee Hart",
        f"Kit Moss {_reference(kit)} – 24 November 2026 0 steps to do",
    ]
    assert text(response, ".app-caseload-count") == "Showing 1 to 4 of 4"
    assert response["Cache-Control"] == "no-store"


def _reference(involvement: Involvement) -> str:
    return involvement.asks.get().reference


def test_the_caseload_of_a_colleague_in_my_team_can_be_chosen(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given
    _involvement(team, colleague, _person("Jo's person", "jos@example.com"))
    _involvement(team, member, _person("Mine", "mine@example.com"))
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:caseload"), {"worker": str(colleague.pk)})
    # then
    assert text(response, "h1") == "Caseload of Jo Patel"
    assert [row.split(" KTH-")[0] for row in _rows(response)] == ["Jo's person"]
    chosen = one(response, "#worker option[selected]")
    assert chosen["value"] == str(colleague.pk)


@pytest.mark.parametrize("worker", ["another team", "unknown", "not an id"])
def test_the_caseload_of_someone_outside_my_team_is_not_found(
    client: Client, team: Team, member: TeamMember, outsider: TeamMember, worker: str
) -> None:
    # given
    _involvement(outsider.team, outsider, _person("Theirs", "theirs@example.com"))
    sign_in_staff(client, member.user)
    ids = {"another team": str(outsider.pk), "unknown": str(uuid.uuid4()), "not an id": "x' OR 1"}
    # when
    response = client.get(reverse("care:caseload"), {"worker": ids[worker]})
    # then
    assert response.status_code == 404
    assert "Theirs" not in response.text
    assert not AuditEvent.objects.filter(subject_type="caseload").exists()


def test_the_caseload_leaves_out_people_who_do_not_share_with_me(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given Sam stopped sharing with the team, Ash keeps their record from Alex's organisation
    sam = _person("Sam Okafor", "sam@example.com")
    ash = _person("Ash Reid", "ash@example.com")
    _involvement(team, member, sam)
    _involvement(team, member, ash)
    _involvement(team, member, _person("Kit Moss", "kit@example.com"))
    consent_withdraw(person=sam, consent=Consent.objects.get(person=sam))
    consent_withhold(person=ash, team=team, organisation_name=member.organisation_name)
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:caseload"))
    # then
    assert [row.split(" KTH-")[0] for row in _rows(response)] == ["Kit Moss"]


def test_a_long_caseload_is_paged_and_each_page_costs_the_same(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given 3 then 30 people
    for number in range(3):
        _involvement(team, member, _person(f"Person {number}", f"p{number}@example.com"))
    sign_in_staff(client, member.user)
    client.get(reverse("care:caseload"))  # what is cached after one page
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("care:caseload"))
    for number in range(3, 30):
        _involvement(team, member, _person(f"Person {number}", f"p{number}@example.com"))
    # when
    with CaptureQueriesContext(connection) as many:
        first = client.get(reverse("care:caseload"))
    second = client.get(reverse("care:caseload"), {"page": "2"})
    # then
    assert len(many.captured_queries) == len(few.captured_queries)
    assert (len(_rows(first)), len(_rows(second))) == (25, 5)
    assert text(second, ".app-caseload-count") == "Showing 26 to 30 of 30"
    pages = [a["href"] for a in html(first).select("a.nhsuk-pagination__link")]
    assert pages[-1] == "/team/caseload/?page=2"


def test_each_view_of_a_caseload_is_one_audit_event_listing_who_it_showed(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    people = [_person(f"Person {n}", f"p{n}@example.com") for n in range(3)]
    for person in people:
        _involvement(team, member, person)
    sign_in_staff(client, member.user)
    # when
    client.get(reverse("care:caseload"))
    # then
    event = AuditEvent.objects.get(subject_type="caseload")
    assert (event.actor_id, event.action, event.purpose, event.subject_id) == (
        str(member.user_id),
        "read",
        "caseload",
        str(member.pk),
    )
    assert sorted(event.person_ids or []) == sorted(str(person.pk) for person in people)


def test_the_workspace_links_to_the_caseload_and_the_search(
    client: Client, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:huddle_board"))
    # then
    nav = one(response, ".app-staff-nav")
    assert [a.get_text(strip=True) for a in nav.select("a")] == [
        "Huddle board",
        "Your caseload",
        "Find a person",
    ]


# Reading a search


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Sam Okafor", PeopleQuery(words=("Sam", "Okafor"))),
        ("  sam   okafor ", PeopleQuery(words=("sam", "okafor"))),
        ("KTH-7Q4M-2X", PeopleQuery(reference="KTH-7Q4M-2X")),
        ("kth 7q4m 2x", PeopleQuery(reference="KTH-7Q4M-2X")),
        ("7q4m2x", PeopleQuery(reference="KTH-7Q4M-2X")),
        ("Harvey", PeopleQuery(words=("Harvey",), reference="KTH-HARV-EY")),
        ("Sam@Example.com", PeopleQuery(email="Sam@example.com")),
        (
            "07700 900123",
            PeopleQuery(phone="+447700900123"),
        ),
        (
            "+44 (0)7700 900123",
            PeopleQuery(phone="+447700900123"),
        ),
        ("020 7946 0000", PeopleQuery(phone="+442079460000")),
        ("", PeopleQuery()),
    ],
)
def test_a_search_is_read_every_way_it_could_be_meant(typed: str, expected: PeopleQuery) -> None:
    assert people_query_parse(typed) == expected


def test_a_search_is_cut_to_100_characters() -> None:
    assert people_query_parse("a" * 10_000).words == ("a" * 100,)


# Finding a person


@pytest.fixture
def sam(team: Team, member: TeamMember) -> Involvement:
    person = _person("Sam Okafor", "sam@example.com", phone="+447700900123")
    return _involvement(
        team,
        member,
        person,
        contact_method="phone",
        contact_phone="07700 900456",
        contact_email="sam.work@example.com",
    )


def _found(client: Client, query: str) -> list[str]:
    response = client.get(reverse("care:people_search"), {"q": query})
    assert response.status_code == 200
    return [row.split(" KTH-")[0] for row in _rows(response)]


@pytest.mark.parametrize(
    "query",
    [
        "Sam Okafor",
        "okafor",
        "SAM",
        "sam@example.com",
        "SAM.WORK@example.com",
        "07700 900123",
        "+44 7700 900456",
        "reference",
        "reference typed loosely",
    ],
)
def test_a_person_the_team_works_with_is_found_by_name_reference_or_contact(
    client: Client, member: TeamMember, sam: Involvement, query: str
) -> None:
    # given
    reference = _reference(sam)
    if query == "reference":
        query = reference
    elif query == "reference typed loosely":
        query = reference.lower().replace("-", " ")
    sign_in_staff(client, member.user)
    # when
    found = _found(client, query)
    # then
    assert found == ["Sam Okafor"]


def test_a_search_shows_open_work_first_with_its_worker_and_links_to_the_record(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember, sam: Involvement
) -> None:
    # given another Sam, with Jo
    _involvement(team, colleague, _person("Sam Reid", "samr@example.com"))
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:people_search"), {"q": "sam"})
    # then
    people = [
        " ".join(row.select("td")[0].get_text(" ", strip=True).split())
        for row in html(response).select("tr.app-involvement-row")
    ]
    reid = Involvement.objects.get(person__display_name="Sam Reid")
    assert sorted(people) == [
        f"Sam Okafor {_reference(sam)} Open, Alex Morgan",
        f"Sam Reid {_reference(reid)} Open, Jo Patel",
    ]
    link = one(response, f'a[href="{reverse("care:involvement_show", args=[sam.pk])}"]')
    assert link.get_text(strip=True) == "Sam Okafor"


def test_a_new_ask_nobody_has_picked_up_is_found_by_its_reference_or_contact(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given an ask from someone without an account yet
    ask = ask_for(team, contact_method="email", contact_email="new@example.com")
    sign_in_staff(client, member.user)
    # when
    by_reference = client.get(reverse("care:people_search"), {"q": ask.reference})
    by_email = client.get(reverse("care:people_search"), {"q": "NEW@example.com"})
    # then
    for response in (by_reference, by_email):
        assert " ".join(one(response, ".app-asks-found").get_text().split()) == (
            f"{ask.reference}, asked {timezone.localtime(ask.created_at):%-d %B %Y}"
        )
        assert one(response, ".app-asks-found a")["href"] == reverse("care:ask_show", args=[ask.pk])
        assert text(response, ".app-people-none").startswith("Nobody your team works with")


def test_another_teams_people_are_never_found(
    client: Client, member: TeamMember, outsider: TeamMember, sam: Involvement
) -> None:
    # given Vauxhall works with another Sam Okafor, and has an ask by Sam's own email address
    other = _person("Sam Okafor", "sam.o@example.com", phone="+447700900999")
    _involvement(outsider.team, outsider, other, contact_email="sam@example.com")
    theirs = ask_for(outsider.team, contact_email="sam@example.com")
    sign_in_staff(client, member.user)
    # when
    searches = {
        query: client.get(reverse("care:people_search"), {"q": query})
        for query in ["Sam Okafor", "sam@example.com", "07700 900999", theirs.reference]
    }
    # then only Brixton's own Sam, never Vauxhall's
    for query, response in searches.items():
        expected = [] if query in ("07700 900999", theirs.reference) else ["Sam Okafor"]
        assert [row.split(" KTH-")[0] for row in _rows(response)] == expected, query
        assert html(response).select(".app-asks-found") == []
        assert str(other.pk) not in response.text
    event_ids = [set(e.person_ids or []) for e in AuditEvent.objects.filter(purpose="search")]
    assert all(str(other.pk) not in ids for ids in event_ids)


@pytest.mark.parametrize("how", ["withdrawn", "withheld from my organisation"])
def test_people_who_do_not_share_their_record_with_me_are_not_found(
    client: Client, team: Team, member: TeamMember, sam: Involvement, how: str
) -> None:
    # given
    person = sam.person
    assert person is not None
    if how == "withdrawn":
        consent_withdraw(person=person, consent=Consent.objects.get(person=person))
    else:
        consent_withhold(person=person, team=team, organisation_name=member.organisation_name)
    sign_in_staff(client, member.user)
    # when
    found = _found(client, "Sam Okafor")
    # then
    assert found == []


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "__",
        "%%%%",
        "\\",
        "' OR '1'='1",
        "'; DROP TABLE care_involvement; --",
        '<script>alert("x")</script>',
        "Sam\u202eOkafor",
        "\U0001f600\U0001f600",
    ],
)
def test_hostile_searches_find_nothing_and_do_no_harm(
    client: Client, member: TeamMember, sam: Involvement, query: str
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:people_search"), {"q": query})
    # then
    assert response.status_code == 200
    assert _rows(response) == []
    assert "<script>alert" not in response.text
    assert Involvement.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a name, a reference, an email address or a phone number"),
        ("S", "Enter at least 2 characters"),
        ("S" * 101, "Enter 100 characters or fewer"),
    ],
)
def test_a_search_too_short_or_too_long_says_what_to_do_and_runs_nothing(
    client: Client, member: TeamMember, sam: Involvement, query: str, message: str
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:people_search"), {"q": query})
    # then
    assert text(response, "#q-error") == f"Error: {message}"
    assert response.text.count("Error: ") >= 1
    assert _rows(response) == []
    assert not AuditEvent.objects.filter(subject_type="person_search").exists()


def test_each_search_is_one_audit_event_listing_who_it_showed_but_not_the_words(
    client: Client, team: Team, member: TeamMember, sam: Involvement
) -> None:
    # given
    waiting = ask_for(team, person=_person("Sam Waits", "waits@example.com"))
    sign_in_staff(client, member.user)
    # when
    client.get(reverse("care:people_search"), {"q": "Sam"})
    # then
    event = AuditEvent.objects.get(subject_type="person_search")
    assert (event.actor_id, event.action, event.purpose, event.subject_id) == (
        str(member.user_id),
        "read",
        "search",
        str(team.pk),
    )
    assert sorted(event.person_ids or []) == sorted([str(sam.person_id), str(waiting.person_id)])
    assert "Sam" not in " ".join(
        str(value) for value in AuditEvent.objects.values_list(flat=False).get(pk=event.pk)
    )


def test_an_empty_query_reaching_the_access_function_is_not_run_or_audited(
    member: TeamMember, sam: Involvement
) -> None:
    # when
    found = access_people_search(member=member, query=PeopleQuery())
    # then
    assert (list(found.involvements), list(found.asks)) == ([], [])
    assert not AuditEvent.objects.filter(subject_type="person_search").exists()


def test_a_search_costs_the_same_however_many_people_match(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    for number in range(2):
        _involvement(team, member, _person(f"Sam {number}", f"s{number}@example.com"))
    sign_in_staff(client, member.user)
    client.get(reverse("care:people_search"), {"q": "Sam"})  # what is cached after one page
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("care:people_search"), {"q": "Sam"})
    for number in range(2, 30):
        _involvement(team, member, _person(f"Sam {number}", f"s{number}@example.com"))
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("care:people_search"), {"q": "Sam"})
    # then
    assert len(many.captured_queries) == len(few.captured_queries)
    assert text(response, ".app-people-count") == "Showing 1 to 25 of 30"
    pages = [a["href"] for a in html(response).select("a.nhsuk-pagination__link")]
    assert pages[-1] == "/team/people/?q=Sam&page=2"


def test_a_search_matching_more_than_the_limit_says_so(
    client: Client, team: Team, member: TeamMember, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given five Sams, and a limit of three
    monkeypatch.setattr("kith.care.selectors.PEOPLE_FOUND_LIMIT", 3)
    for number in range(5):
        _involvement(team, member, _person(f"Sam {number}", f"s{number}@example.com"))
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:people_search"), {"q": "Sam"})
    # then
    assert len(_rows(response)) == 3
    assert text(response, ".app-people-capped").startswith("More people match than this.")
    assert (
        html(client.get(reverse("care:people_search"), {"q": "Sam 4"})).select(".app-people-capped")
        == []
    )
