"""The safety plan on the person's record: written with them, section by section, by a member of
staff and by the person from their own account; visible to them; audited; in the JSON download
and in the FHIR export as a CarePlan of its own."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan

from kith.audit.models import AuditEvent
from kith.care.consent import consent_withdraw
from kith.care.models import Involvement, SafetyPlan, SafetyPlanEntry, SafetyPlanSection
from kith.care.services import ask_pick_up, involvement_close, safety_plan_write
from kith.care.tests.factories import ask_for, person_make
from kith.core.errors import ValidationFailed
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.people.access import SESSION_KEY
from kith.people.models import Consent, Person
from kith.record.fhir import care_team_id, person_bundle
from kith.record.services import person_export
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
BASE = "https://kith.example/fhir"
SECTIONS = [
    "warning-signs",
    "coping",
    "distractions",
    "people-to-ask",
    "professionals",
    "safer",
    "worth-living-for",
]


@pytest.fixture
def person() -> Person:
    return person_make(email="sam@example.com")


@pytest.fixture
def stranger() -> Person:
    return person_make(email="pat@example.com")


@pytest.fixture
def involvement(team: Team, member: TeamMember, person: Person) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person), member=member)


def _sign_in(client: Client, person: Person) -> Client:
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()
    return client


def _changes() -> list[tuple[str, str, str]]:
    events = AuditEvent.objects.filter(subject_type="safety_plan").order_by("at", "id")
    return [(event.actor_type, event.action, event.purpose) for event in events]


# Services


def test_the_sections_are_those_of_the_stanley_brown_safety_plan_in_order() -> None:
    assert SafetyPlanSection.values == SECTIONS


@time_machine.travel(NOW, tick=False)
def test_given_a_member_and_the_person_when_they_write_sections_then_each_keeps_its_author(
    involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # when
    staff_entry = safety_plan_write(
        involvement=involvement,
        member=member,
        section="warning-signs",
        text="  Not sleeping  \r\n\r\nStaying in my room all day ",
    )
    person_entry = safety_plan_write(
        involvement=involvement, person=person, section="coping", text="A walk by the river"
    )
    # then
    plan = SafetyPlan.objects.get(involvement=involvement)
    assert (staff_entry.safety_plan_id, person_entry.safety_plan_id) == (plan.pk, plan.pk)
    assert staff_entry.text == "Not sleeping\n\nStaying in my room all day"
    assert staff_entry.lines == ["Not sleeping", "Staying in my room all day"]
    assert (staff_entry.written_by, staff_entry.is_written_by_person) == (member, False)
    assert (person_entry.written_by, person_entry.is_written_by_person) == (None, True)
    events = AuditEvent.objects.filter(subject_type="safety_plan")
    assert sorted(
        (e.actor_type, e.actor_id, e.action, e.person_id, e.subject_id) for e in events
    ) == [
        ("person", str(person.pk), "change", person.pk, str(plan.pk)),
        ("staff", str(member.user_id), "change", person.pk, str(plan.pk)),
    ]


def test_given_a_section_when_another_is_written_then_it_is_left_as_it_was(
    involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given the person wrote their warning signs
    safety_plan_write(
        involvement=involvement, person=person, section="warning-signs", text="Not sleeping"
    )
    # when their worker writes who they can ask, and rewrites a section with the same words
    safety_plan_write(
        involvement=involvement, member=member, section="people-to-ask", text="My sister Jo"
    )
    unchanged = safety_plan_write(
        involvement=involvement, member=member, section="warning-signs", text=" Not sleeping "
    )
    # then the warning signs are still the person's, and the same words changed nothing
    assert (unchanged.is_written_by_person, unchanged.written_by) == (True, None)
    assert dict(SafetyPlanEntry.objects.values_list("section", "text")) == {
        "warning-signs": "Not sleeping",
        "people-to-ask": "My sister Jo",
    }
    assert _changes() == [("person", "change", "safety_plan"), ("staff", "change", "safety_plan")]


@pytest.mark.parametrize(
    ("section", "text_", "field", "message"),
    [
        ("astrology", "Stars", "section", "Choose a section of the safety plan"),
        (
            "coping",
            "x" * 2_001,
            "text",
            "Keep it to 2,000 characters or fewer. You have written 2,001.",
        ),
    ],
)
def test_given_a_bad_section_or_too_many_words_when_written_then_a_clear_error_and_nothing_saved(
    involvement: Involvement, member: TeamMember, section: str, text_: str, field: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        safety_plan_write(involvement=involvement, member=member, section=section, text=text_)
    # then
    assert (error.value.field, error.value.message) == (field, message)
    assert (SafetyPlanEntry.objects.count(), _changes()) == (0, [])


def test_given_someone_elses_involvement_when_a_person_writes_its_safety_plan_then_refused(
    team: Team, member: TeamMember, involvement: Involvement, stranger: Person
) -> None:
    # when
    with pytest.raises(ValidationFailed):
        safety_plan_write(involvement=involvement, person=stranger, section="coping", text="Theirs")
    # then
    assert (SafetyPlanEntry.objects.count(), _changes()) == (0, [])


# Staff pages


def _staff_url(name: str, involvement: Involvement, section: str = "") -> str:
    kwargs: dict[str, Any] = {"involvement_id": involvement.pk}
    if section:
        kwargs["section"] = section
    return reverse(f"care:{name}", kwargs=kwargs)


@time_machine.travel(NOW, tick=False)
def test_given_a_member_when_they_write_a_section_with_the_person_then_the_plan_shows_it(
    client: Client, involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given the person wrote one section themselves
    safety_plan_write(
        involvement=involvement, person=person, section="coping", text="Music\nA shower"
    )
    sign_in_staff(client, member.user)
    # when the member opens a section and saves it
    form = client.get(_staff_url("safety_plan_edit", involvement, "warning-signs"))
    saved = client.post(
        _staff_url("safety_plan_edit", involvement, "warning-signs"),
        {"text": "Not sleeping\nStaying in my room"},
    )
    page = client.get(_staff_url("safety_plan_show", involvement))
    # then the form asks in the staff's words, and the plan shows each section and who wrote it
    assert form.status_code == 200
    assert text(form, "h1") == "Their warning signs"
    assert text(form, "#id_text-hint").startswith("In the person's words")
    assert saved.status_code == 302
    assert saved["Location"] == _staff_url("safety_plan_show", involvement) + "#warning-signs"
    soup = html(page)
    headings = [h.get_text(strip=True) for h in soup.select(".app-safety-plan__heading")]
    assert headings == [
        "1. My warning signs",
        "2. Things I can do on my own to help me cope",
        "3. People and places that take my mind off things",
        "4. People I can ask for help",
        "5. Professionals and services I can contact in a crisis",
        "6. Making my situation safer",
        "7. What matters most to me and is worth living for",
    ]
    warning = one(soup, "#warning-signs")
    assert [li.get_text() for li in warning.select(".app-safety-plan__lines li")] == [
        "Not sleeping",
        "Staying in my room",
    ]
    assert text(warning, ".app-safety-plan__by") == "Written by you on 26 November 2026"
    assert text(soup, "#coping .app-safety-plan__by") == (
        "Written by the person on 26 November 2026"
    )
    assert text(soup, "#safer .app-safety-plan__empty") == "Nothing written yet."
    crisis = [
        li.get_text(" ", strip=True) for li in soup.select(".app-safety-plan__crisis-lines li")
    ]
    assert "Samaritans: Call Samaritans free on 116 123" in crisis
    assert one(soup, "#safer .app-safety-plan__change")["href"] == _staff_url(
        "safety_plan_edit", involvement, "safer"
    )
    read = AuditEvent.objects.filter(action="read", purpose="safety_plan")
    assert read.count() == 3  # the form, the save and the plan each read the record
    assert {event.person_id for event in read} == {person.pk}


@pytest.mark.parametrize("who", ["other team", "withdrawn"])
def test_given_a_member_who_may_not_see_the_record_when_they_open_the_safety_plan_then_404(
    client: Client,
    involvement: Involvement,
    member: TeamMember,
    outsider: TeamMember,
    person: Person,
    team: Team,
    who: str,
) -> None:
    # given
    safety_plan_write(involvement=involvement, person=person, section="coping", text="Music")
    if who == "withdrawn":
        consent_withdraw(person=person, consent=Consent.objects.get(person=person, team=team))
    sign_in_staff(client, (outsider if who == "other team" else member).user)
    # when
    answers = [
        client.get(_staff_url("safety_plan_show", involvement)),
        client.get(_staff_url("safety_plan_edit", involvement, "coping")),
        client.post(_staff_url("safety_plan_edit", involvement, "coping"), {"text": "Changed"}),
    ]
    # then
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert "Music" not in answers[0].text
    assert SafetyPlanEntry.objects.get().text == "Music"


def test_given_an_unknown_section_when_a_member_opens_it_then_404(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    answers = [
        client.get(_staff_url("safety_plan_edit", involvement, "astrology")),
        client.post(_staff_url("safety_plan_edit", involvement, "astrology"), {"text": "x"}),
    ]
    # then
    assert [answer.status_code for answer in answers] == [404, 404]
    assert SafetyPlanEntry.objects.count() == 0


def test_given_too_many_words_when_a_member_saves_then_the_error_says_so_and_keeps_them(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        _staff_url("safety_plan_edit", involvement, "safer"), {"text": "y" * 2_001}
    )
    # then
    assert response.status_code == 400
    assert text(response, "#id_text-error") == (
        "Error: Keep it to 2,000 characters or fewer. You have written 2001."
    )
    assert one(response, "#id_text").get_text() == "y" * 2_001
    assert SafetyPlanEntry.objects.count() == 0


def test_the_record_page_links_to_the_safety_plan(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    # then
    link = one(response, f'a[href="{_staff_url("safety_plan_show", involvement)}"]')
    assert link.get_text(strip=True) == "Safety plan"


# The person's pages


def _my_url(involvement: Involvement, section: str) -> str:
    return reverse(
        "people:safety_plan_edit", kwargs={"involvement_id": involvement.pk, "section": section}
    )


@time_machine.travel(NOW, tick=False)
def test_given_the_person_when_they_write_their_safety_plan_then_it_is_theirs_and_staff_see_it(
    client: Client, involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given their worker wrote who they can ask for help, with them
    safety_plan_write(
        involvement=involvement, member=member, section="people-to-ask", text="My sister Jo"
    )
    _sign_in(client, person)
    # when the person opens a section and writes it in their own words
    form = client.get(_my_url(involvement, "warning-signs"))
    saved = client.post(_my_url(involvement, "warning-signs"), {"text": "Not sleeping"})
    page = client.get(reverse("people:safety_plan"))
    # then the form speaks to them, and their plan shows what each wrote
    assert text(form, "h1") == "What tells you a crisis may be coming?"
    assert saved.status_code == 302
    assert saved["Location"] == f"{reverse('people:safety_plan')}#warning-signs-{involvement.pk}"
    soup = html(page)
    assert text(soup, "h2#safety-plan-" + str(involvement.pk) + "-heading") == (
        "Your safety plan with Brixton community team"
    )
    section = f"#warning-signs-{involvement.pk}"
    assert text(soup, f"{section} .app-safety-plan__lines") == "Not sleeping"
    assert text(soup, f"{section} .app-safety-plan__by") == "Written by you on 26 November 2026"
    assert text(soup, f"#people-to-ask-{involvement.pk} .app-safety-plan__by") == (
        "Written by Alex Morgan, Peer worker on 26 November 2026"
    )
    assert one(soup, ".app-crisis-options")  # the crisis options are on the plan, always
    entry = SafetyPlanEntry.objects.get(section="warning-signs")
    assert (entry.is_written_by_person, entry.written_by) == (True, None)
    assert AuditEvent.objects.filter(
        actor_type="person", actor_id=str(person.pk), subject_type="safety_plan", action="change"
    ).exists()
    # and reading their own plan is not in the log of others' access
    assert not AuditEvent.objects.filter(actor_type="person", action="read").exists()


def test_given_a_closed_involvement_when_the_person_opens_their_safety_plan_then_it_is_still_there(
    client: Client, involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given
    safety_plan_write(involvement=involvement, member=member, section="coping", text="Music")
    involvement_close(involvement=involvement, member=member, outcome="supported")
    _sign_in(client, person)
    # when
    page = client.get(reverse("people:safety_plan"))
    changed = client.post(_my_url(involvement, "coping"), {"text": "Music\nGardening"})
    # then
    assert text(page, f"#coping-{involvement.pk} .app-safety-plan__lines") == "Music"
    assert changed.status_code == 302
    assert SafetyPlanEntry.objects.get().lines == ["Music", "Gardening"]


@pytest.mark.parametrize(("who", "expected"), [("nobody", 302), ("someone else", 404)])
def test_given_a_visitor_when_they_open_the_persons_safety_plan_section_then_refused(
    client: Client,
    involvement: Involvement,
    member: TeamMember,
    stranger: Person,
    who: str,
    expected: int,
) -> None:
    # given
    safety_plan_write(involvement=involvement, member=member, section="coping", text="Music")
    if who == "someone else":
        _sign_in(client, stranger)
    # when
    answers = [
        client.get(_my_url(involvement, "coping")),
        client.post(_my_url(involvement, "coping"), {"text": "Theirs"}),
    ]
    own = client.get(reverse("people:safety_plan"))
    # then
    assert [answer.status_code for answer in answers] == [expected, expected]
    assert SafetyPlanEntry.objects.get().text == "Music"
    if who == "someone else":
        assert "Music" not in own.text
        assert text(own, ".app-my-safety-plan__none").startswith("You do not have a safety plan")


def test_given_the_persons_record_when_they_open_it_then_it_links_to_their_safety_plan(
    client: Client, person: Person
) -> None:
    # when
    response = _sign_in(client, person).get(reverse("people:record"))
    # then
    links = html(response).select(f'main a[href="{reverse("people:safety_plan")}"]')
    assert [link.get_text(strip=True) for link in links] == [
        "Your safety plan: what helps, step by step, when things get hard",
        "Your safety plan",
    ]


# Downloads


@time_machine.travel(NOW, tick=False)
def test_given_a_safety_plan_when_the_person_downloads_their_record_then_every_section_is_in_it(
    involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given
    safety_plan_write(
        involvement=involvement, member=member, section="warning-signs", text="Not sleeping"
    )
    safety_plan_write(
        involvement=involvement, person=person, section="safer", text="Give Jo my pills"
    )
    # when
    data = person_export(person=person)
    # then
    [plan] = data["safety_plans"]
    assert plan["team"] == "Brixton community team"
    assert [section["section"] for section in plan["sections"]] == SECTIONS
    written = {s["section"]: (s["text"], s["written_by"]) for s in plan["sections"] if s["text"]}
    assert written == {
        "warning-signs": ("Not sleeping", "Alex Morgan, Peer worker"),
        "safer": ("Give Jo my pills", "you"),
    }
    assert plan["sections"][0]["heading"] == "My warning signs"
    assert plan["sections"][0]["written_at"] == NOW.isoformat()
    assert json.dumps(data, default=str)  # JSON-ready


def _care_plans(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "CarePlan"
    ]


@time_machine.travel(NOW, tick=False)
def test_given_a_safety_plan_when_bundled_then_a_care_plan_of_its_own_valid_in_r4b(
    involvement: Involvement, member: TeamMember, person: Person, team: Team
) -> None:
    # given
    safety_plan_write(
        involvement=involvement,
        member=member,
        section="warning-signs",
        text="Not sleeping\nStaying in",
    )
    safety_plan_write(involvement=involvement, person=person, section="coping", text="Music")
    safety_plan_write(involvement=involvement, member=member, section="safer", text="")
    # when
    bundle = person_bundle(person=person)
    # then
    Bundle.model_validate(bundle)
    [resource] = _care_plans(bundle)  # no person-held plan written yet: the safety plan alone
    parsed: Any = CarePlan.model_validate(resource)
    plan = SafetyPlan.objects.get()
    assert (parsed.id, parsed.status, parsed.intent, parsed.title) == (
        str(plan.pk),
        "active",
        "plan",
        "My safety plan",
    )
    assert resource["category"][0] == {
        "coding": [
            {
                "system": f"{BASE}/CodeSystem/care-plan-category",
                "code": "safety-plan",
                "display": "Safety plan",
            }
        ],
        "text": "Safety plan",
    }
    assert resource["category"][1]["coding"][0]["system"] == "http://snomed.info/sct"
    assert resource["subject"] == {"reference": f"Patient/{person.pk}"}
    care_team = f"CareTeam/{care_team_id(team=team, person=person)}"
    assert resource["careTeam"] == [{"reference": care_team}]
    assert [c["reference"] for c in resource["contributor"]] == [f"Patient/{person.pk}", care_team]
    activities = [
        (
            a["detail"]["code"]["coding"][0]["code"],
            a["detail"]["status"],
            a["detail"]["description"],
        )
        for a in resource["activity"]
    ]
    assert activities == [
        ("warning-signs", "in-progress", "Not sleeping\nStaying in"),
        ("coping", "in-progress", "Music"),
    ]
    assert resource["activity"][0]["detail"]["code"]["coding"][0]["system"] == (
        f"{BASE}/CodeSystem/safety-plan-section"
    )
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert f"{BASE}/CarePlan/{plan.pk}" in full_urls
    assert f"{BASE}/{care_team}" in full_urls


def test_given_a_closed_involvement_when_bundled_then_the_safety_plan_stays_active(
    involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given
    safety_plan_write(involvement=involvement, member=member, section="coping", text="Music")
    involvement_close(involvement=involvement, member=member, outcome="supported")
    # when
    [resource] = _care_plans(person_bundle(person=person))
    # then
    assert (resource["status"], resource["period"].get("end")) == ("active", None)


def _bundle_queries(person: Person) -> int:
    with CaptureQueriesContext(connection) as queries:
        person_bundle(person=person)
    return len(queries.captured_queries)


def test_given_a_fuller_safety_plan_when_bundled_then_no_more_queries(
    team: Team, member: TeamMember
) -> None:
    # given one person with one section written and another with every section, twice over
    few = person_make(email="few@example.com")
    few_involvement = ask_pick_up(ask=ask_for(team, person=few), member=member)
    safety_plan_write(involvement=few_involvement, member=member, section="coping", text="Music")
    many = person_make(email="many@example.com")
    for _ in range(2):
        involvement = ask_pick_up(ask=ask_for(team, person=many), member=member)
        for section in SECTIONS:
            safety_plan_write(involvement=involvement, person=many, section=section, text="Yes")
    # when
    counts = (_bundle_queries(few), _bundle_queries(many))
    # then
    assert counts[0] == counts[1]
