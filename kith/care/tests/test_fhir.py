"""A person's plan, measures and team as HL7 FHIR R4B, validated with fhir.resources."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from kith.audit.models import AuditEvent
from kith.care.consent import consent_allow, consent_share, consent_withdraw, consent_withhold
from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.services import (
    ask_pick_up,
    goal_add,
    goal_progress_record,
    involvement_close,
    plan_update,
    step_add,
    step_done,
)
from kith.care.tests.factories import ask_for, member_make, team_make
from kith.core.testing import html, one
from kith.core.testing.staff import sign_in_staff
from kith.directory.tests.factories import ServiceFactory
from kith.outcomes.models import CompletedBy, MeasureResponse
from kith.people.access import SESSION_KEY
from kith.people.models import Consent, Person
from kith.record.fhir import care_team_id, person_bundle
from kith.record.services import person_close
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
BASE = "https://kith.example/fhir"
DAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
PHQ9 = [1, 2, 0, 3, 1, 0, 2, 1, 1]


def _person(email: str = "sam@example.com", name: str = "Sam") -> Person:
    return Person.objects.create(email=email, display_name=name)


def _involvement(team: Team, member: TeamMember, person: Person) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person), member=member)


def _plan(involvement: Involvement, member: TeamMember, *, goals: int = 1) -> None:
    """What matters, `goals` goals with two progress readings each, and a step for each goal
    (the first one done)."""
    plan_update(involvement=involvement, member=member, what_matters="Seeing my kids more often")
    for number in range(goals):
        goal = goal_add(
            involvement=involvement,
            member=member,
            text=f"Get back to playing football {number}",
            domain="leisure",
            score=2,
            recorded_on=DAY,
        )
        goal_progress_record(goal=goal, member=member, score=5, recorded_on=DAY.replace(day=20))
        step = step_add(
            involvement=involvement,
            member=member,
            text=f"Ask about the Tuesday kickabout {number}",
            who="me",
            due_on=dt.date(2026, 12, 1),
            goal=goal,
        )
        if number == 0:
            step_done(step=step, member=member)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _only(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    found = _resources(bundle, kind)
    assert len(found) == 1, f"{len(found)} {kind} resources"
    return found[0]


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _validated(resource: dict[str, Any]) -> Any:
    """Validate with the R4B model for its type; typed Any so tests can walk optional fields."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def _sharing_of(person: Person) -> Consent:
    """The person's one decision to share so far (made by asking for help)."""
    return Consent.objects.get(person=person, withheld_organisation_name="")


@pytest.fixture
def sam() -> Person:
    return _person()


@pytest.fixture
def involvement(team: Team, member: TeamMember, sam: Person) -> Involvement:
    # A week before NOW, whatever today is, so that later decisions come after the sharing.
    with time_machine.travel(NOW - dt.timedelta(days=7), tick=False):
        return _involvement(team, member, sam)


# The whole bundle


@time_machine.travel(NOW, tick=False)
def test_given_a_full_record_when_bundled_then_every_resource_validates_as_r4b(
    involvement: Involvement, member: TeamMember, colleague: TeamMember, sam: Person
) -> None:
    # given a plan, a measure done alone and one done with the worker
    _plan(involvement, member)
    measure_record(person=sam, code="phq9", answers=PHQ9)
    measure_record(
        person=sam, code="ucla3", answers=[2, 3, 1], involvement=involvement, member=member
    )
    # when
    bundle = person_bundle(person=sam)
    # then the bundle and each resource in it validate with the R4B models
    parsed: Any = Bundle.model_validate(bundle)
    assert (parsed.type, parsed.timestamp) == ("collection", NOW)
    for entry in bundle["entry"]:
        _validated(entry["resource"])
    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    assert kinds == {
        "Patient": 1,
        "Organization": 1,
        "CareTeam": 1,
        "EpisodeOfCare": 1,
        "CarePlan": 1,
        "Goal": 1,
        "Observation": 2 + 2,  # two progress readings, two measures' scores
        "QuestionnaireResponse": 2,
        "Consent": 1,  # asking for help shared the record with the team
    }
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"


def test_given_a_full_record_when_bundled_then_every_reference_resolves_inside_it(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given
    _plan(involvement, member, goals=2)
    measure_record(person=sam, code="gad7", answers=[3, 3, 2, 2, 1, 1, 0])
    # when
    bundle = person_bundle(person=sam)
    # then each fullUrl is base/Type/id, and each relative reference names one of them
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"{BASE}/{resource['resourceType']}/{resource['id']}"
    references = list(_references(bundle))
    assert len(references) > 10
    unresolved = [ref for ref in references if f"{BASE}/{ref}" not in full_urls]
    assert unresolved == []


def test_given_another_base_url_when_bundled_then_full_urls_use_it(
    involvement: Involvement, sam: Person, settings: Any
) -> None:
    # given
    settings.KITH_FHIR_BASE_URL = "https://fhir.kith.example.org/r4/"
    # when
    bundle = person_bundle(person=sam)
    # then
    assert {entry["fullUrl"].rsplit("/", 2)[0] for entry in bundle["entry"]} == {
        "https://fhir.kith.example.org/r4"
    }
    episode = _only(bundle, "EpisodeOfCare")
    assert (
        episode["type"][0]["coding"][0]["system"]
        == "https://fhir.kith.example.org/r4/CodeSystem/care"
    )


def test_given_a_person_with_nothing_yet_when_bundled_then_only_their_patient(
    team: Team, member: TeamMember
) -> None:
    # given someone who signed up but gave no name and has no involvement
    person = _person(name="")
    # when
    bundle = person_bundle(person=person)
    # then
    Bundle.model_validate(bundle)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]
    patient = _validated(bundle["entry"][0]["resource"])
    assert patient.identifier[0].system == f"{BASE}/Id/person"
    assert patient.identifier[0].value == str(person.pk)
    assert patient.name is None
    assert patient.telecom is None


def test_given_a_named_person_when_bundled_then_the_patient_has_their_name_only(
    sam: Person,
) -> None:
    patient = _only(person_bundle(person=sam), "Patient")
    assert patient["name"] == [{"text": "Sam"}]
    assert "sam@example.com" not in json.dumps(patient)


def test_given_two_people_with_the_same_team_when_one_is_bundled_then_nothing_of_the_other(
    team: Team, member: TeamMember, sam: Person
) -> None:
    # given Ash, with a plan and measures of their own, in the same team
    ash = _person(email="ash@example.com", name="Ash")
    theirs = _involvement(team, member, ash)
    goal_add(involvement=theirs, member=member, text="Ash's private goal", domain="money")
    plan_update(involvement=theirs, member=member, what_matters="Ash's own words")
    measure_record(person=ash, code="phq9", answers=PHQ9)
    mine = _involvement(team, member, sam)
    _plan(mine, member)
    # when
    text = json.dumps(person_bundle(person=sam))
    # then
    for secret in ("Ash", str(ash.pk), str(theirs.pk), "ash@example.com"):
        assert secret not in text
    assert str(theirs.plan.pk) not in text
    assert str(MeasureResponse.objects.get(person=ash).pk) not in text


# EpisodeOfCare


def test_given_an_open_involvement_when_bundled_then_an_active_episode_with_its_team(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # when
    bundle = person_bundle(person=sam)
    episode: Any = _validated(_only(bundle, "EpisodeOfCare"))
    # then
    assert episode.id == str(involvement.pk)
    assert episode.status == "active"
    assert episode.period.end is None
    assert episode.patient.reference == f"Patient/{sam.pk}"
    assert episode.managingOrganization.reference == f"Organization/{involvement.team_id}"
    assert episode.careManager.display == "Alex Morgan"
    assert episode.careManager.reference is None
    assert (
        episode.team[0].reference == f"CareTeam/{care_team_id(team=involvement.team, person=sam)}"
    )
    assert episode.type[0].coding[0].code == "community-mental-health-support"
    assert episode.extension is None
    organisation = _only(bundle, "Organization")
    assert (organisation["name"], organisation["type"][0]["coding"][0]["code"]) == (
        "Brixton community team",
        "team",
    )


@pytest.mark.parametrize(
    ("outcome", "display"),
    [
        ("supported", "Supported by the team"),
        ("connected", "Connected to community support"),
        ("chose-to-stop", "The person chose not to continue"),
        ("not-reached", "Could not be reached after documented attempts"),
    ],
)
def test_given_a_closed_involvement_when_bundled_then_a_finished_episode_with_its_outcome(
    involvement: Involvement, member: TeamMember, sam: Person, outcome: str, display: str
) -> None:
    # given
    service = ServiceFactory.create(name="Brixton men's shed")
    with time_machine.travel(NOW, tick=False):
        involvement_close(
            involvement=involvement,
            member=member,
            outcome=outcome,
            what_helped="Having someone to talk to on Tuesdays",
            service_id=service.pk,
            attempts="Phoned on 3 and 5 November, texted on 6 November",
        )
    # when
    episode: Any = _validated(_only(person_bundle(person=sam), "EpisodeOfCare"))
    # then
    assert episode.status == "finished"
    assert episode.period.end == NOW
    [extension] = episode.extension
    assert extension.url == f"{BASE}/StructureDefinition/episode-of-care-outcome"
    parts = {part.url: part for part in extension.extension}
    assert parts["outcome"].valueCoding.system == f"{BASE}/CodeSystem/episode-outcome"
    assert (parts["outcome"].valueCoding.code, parts["outcome"].valueCoding.display) == (
        outcome,
        display,
    )
    assert parts["whatHelped"].valueString == "Having someone to talk to on Tuesdays"
    if outcome == "connected":
        reference = parts["service"].valueReference
        assert reference.display == "Brixton men's shed"
        assert reference.type == "HealthcareService"
        assert reference.identifier.value == str(service.pk)
    else:
        assert "service" not in parts


def test_given_a_closed_involvement_when_bundled_then_plan_goals_and_team_are_finished_too(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given
    _plan(involvement, member)
    involvement_close(involvement=involvement, member=member, outcome="supported")
    # when
    bundle = person_bundle(person=sam)
    # then
    assert _only(bundle, "CarePlan")["status"] == "completed"
    assert _only(bundle, "Goal")["lifecycleStatus"] == "completed"
    assert _only(bundle, "CareTeam")["status"] == "inactive"


# CareTeam


def test_given_a_team_when_bundled_then_the_care_team_lists_active_members_by_name_role_and_organisation(
    involvement: Involvement, colleague: TeamMember, outsider: TeamMember, sam: Person
) -> None:
    # given a third member who has left the team
    gone = member_make(team=involvement.team, username="ren", display_name="Ren Hall")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    # when
    bundle = person_bundle(person=sam)
    care_team: Any = _validated(_only(bundle, "CareTeam"))
    # then
    assert care_team.status == "active"
    assert care_team.subject.reference == f"Patient/{sam.pk}"
    assert care_team.name == "Brixton community team"
    assert care_team.category[0].coding[0].code == "LA27977-0"
    assert [
        (p.member.display, p.role[0].coding[0].code, p.role[0].text, p.onBehalfOf.display)
        for p in care_team.participant
    ] == [
        ("Alex Morgan", "peer-worker", "Peer worker", "Brixton Mind"),
        ("Jo Patel", "social-prescriber", "Social prescriber", "Stockwell GP practice"),
    ]
    assert all(p.member.reference is None for p in care_team.participant)
    text = json.dumps(bundle)
    for staff_detail in ("Ren Hall", "Kim Lee", "alex@example.com", "jo@example.com"):
        assert staff_detail not in text
    for member in (colleague, outsider, gone):
        assert str(member.user_id) not in [
            part for ref in _references(bundle) for part in ref.split("/")
        ]


# CarePlan, Goal and progress


def test_given_a_plan_when_bundled_then_steps_are_activities_done_or_not_started(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given a done step for the person and, later, an open one for a community group, no date
    with time_machine.travel(NOW, tick=False):
        _plan(involvement, member)
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        step_add(
            involvement=involvement,
            member=member,
            text="Join the walking group",
            who="community-group",
        )
    # when
    bundle = person_bundle(person=sam)
    plan: Any = _validated(_only(bundle, "CarePlan"))
    goal = _only(bundle, "Goal")
    # then
    assert (plan.status, plan.intent) == ("active", "plan")
    assert plan.subject.reference == f"Patient/{sam.pk}"
    assert plan.description == "Seeing my kids more often"
    assert [ref.reference for ref in plan.goal] == [f"Goal/{goal['id']}"]
    assert plan.careTeam[0].reference.startswith("CareTeam/")
    assert plan.addresses is None
    done, open_ = (activity.detail for activity in plan.activity)
    assert (done.status, done.description) == ("completed", "Ask about the Tuesday kickabout 0")
    assert (done.performer[0].display, done.performer[0].reference) == ("Me", f"Patient/{sam.pk}")
    assert done.goal[0].reference == f"Goal/{goal['id']}"
    assert done.scheduledPeriod.end.isoformat() == "2026-12-01"
    assert plan.activity[0].progress[0].time == NOW
    assert (open_.status, open_.description) == ("not-started", "Join the walking group")
    assert (open_.performer[0].display, open_.performer[0].reference) == (
        "A community group",
        None,
    )
    assert open_.scheduledPeriod is None
    assert open_.goal is None


def test_given_a_goal_when_bundled_then_it_is_coded_by_life_domain_with_progress_observations(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given
    _plan(involvement, member)
    # when
    bundle = person_bundle(person=sam)
    goal: Any = _validated(_only(bundle, "Goal"))
    progress = [_validated(o) for o in _resources(bundle, "Observation") if "focus" in o]
    # then the goal is the person's words, in the leisure part of life, and improving
    assert goal.description.text == "Get back to playing football 0"
    assert goal.lifecycleStatus == "active"
    assert goal.expressedBy.reference == f"Patient/{sam.pk}"
    coding = goal.category[0].coding[0]
    assert (coding.system, coding.code, coding.display) == (
        f"{BASE}/CodeSystem/life-domain",
        "leisure",
        "Leisure activities",
    )
    assert goal.achievementStatus.coding[0].code == "improving"
    assert goal.achievementStatus.text == "5 out of 10"
    assert goal.statusDate.isoformat() == "2026-11-20"
    assert goal.target[0].detailInteger == 10
    assert goal.target[0].measure.coding[0].code == "goal-progress"
    # and each reading is an Observation focused on the goal, oldest first
    assert [
        (o.focus[0].reference, o.effectiveDateTime.isoformat(), o.valueInteger) for o in progress
    ] == [
        (f"Goal/{goal.id}", "2026-11-02", 2),
        (f"Goal/{goal.id}", "2026-11-20", 5),
    ]
    assert {o.code.coding[0].system for o in progress} == {f"{BASE}/CodeSystem/care"}


def test_given_progress_the_person_recorded_when_bundled_then_they_are_its_performer(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given one reading recorded with the worker, one by the person from their account
    goal = goal_add(involvement=involvement, member=member, text="Sleep better", domain="money")
    goal_progress_record(goal=goal, member=member, score=3, recorded_on=DAY)
    goal_progress_record(goal=goal, person=sam, score=4, recorded_on=DAY.replace(day=9))
    # when
    readings = [_validated(o) for o in _resources(person_bundle(person=sam), "Observation")]
    # then
    assert [(o.valueInteger, o.performer) for o in readings][0] == (3, None)
    assert readings[1].valueInteger == 4
    assert [p.reference for p in readings[1].performer] == [f"Patient/{sam.pk}"]


@pytest.mark.parametrize(
    ("scores", "lifecycle", "achievement"),
    [
        ([], "active", None),
        ([4], "active", "in-progress"),
        ([4, 6], "active", "improving"),
        ([6, 4], "active", "worsening"),
        ([5, 5], "active", "no-change"),
        ([7, 10], "completed", "achieved"),
    ],
)
def test_given_progress_readings_when_bundled_then_goal_statuses_follow_the_latest(
    involvement: Involvement,
    member: TeamMember,
    sam: Person,
    scores: list[int],
    lifecycle: str,
    achievement: str | None,
) -> None:
    # given
    goal = goal_add(
        involvement=involvement, member=member, text="Sleep better", domain="physical-health"
    )
    for day, score in enumerate(scores, start=1):
        goal_progress_record(
            goal=goal, member=member, score=score, recorded_on=DAY.replace(day=day)
        )
    # when
    resource = _only(person_bundle(person=sam), "Goal")
    # then
    _validated(resource)
    assert resource["lifecycleStatus"] == lifecycle
    status = resource.get("achievementStatus")
    assert (status["coding"][0]["code"] if status else None) == achievement


# Measures


def test_given_measures_when_bundled_then_questionnaire_responses_with_derived_observations(
    involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given one measure completed alone and one with the worker
    alone = measure_record(person=sam, code="phq9", answers=PHQ9)
    together = measure_record(
        person=sam, code="ucla3", answers=[2, 3, 1], involvement=involvement, member=member
    )
    # when
    bundle = person_bundle(person=sam)
    # then
    answers = {r["id"]: _validated(r) for r in _resources(bundle, "QuestionnaireResponse")}
    assert set(answers) == {str(alone.pk), str(together.pk)}
    assert answers[str(alone.pk)].author.reference == f"Patient/{sam.pk}"
    assert answers[str(together.pk)].author.display == "Alex Morgan"
    assert answers[str(together.pk)].source.reference == f"Patient/{sam.pk}"
    scores = {o["id"]: _validated(o) for o in _resources(bundle, "Observation")}
    assert {key: (o.derivedFrom[0].reference, o.valueInteger) for key, o in scores.items()} == {
        str(alone.pk): (f"QuestionnaireResponse/{alone.pk}", 11),
        str(together.pk): (f"QuestionnaireResponse/{together.pk}", 6),
    }


def test_given_a_measure_this_deployment_no_longer_has_when_bundled_then_it_is_left_out(
    sam: Person,
) -> None:
    # given a response to a retired measure, kept from before
    MeasureResponse.objects.create(
        person=sam,
        code="retired-measure",
        answers=[1, 2],
        score={"total": 3},
        completed_by=CompletedBy.PERSON,
        completed_at=NOW,
    )
    # when
    bundle = person_bundle(person=sam)
    # then the bundle is still valid, with only the Patient
    Bundle.model_validate(bundle)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]


# Consent


def test_given_a_person_who_asked_for_help_when_bundled_then_an_active_consent_for_the_team(
    involvement: Involvement, sam: Person
) -> None:
    # when
    bundle = person_bundle(person=sam)
    consent: Any = _validated(_only(bundle, "Consent"))
    # then
    ask = involvement.asks.get()
    assert consent.status == "active"
    assert consent.scope.coding[0].code == "patient-privacy"
    assert consent.category[0].coding[0].code == "64292-6"
    assert consent.category[1].coding[0].code == "asked"
    assert consent.patient.reference == f"Patient/{sam.pk}"
    assert consent.performer[0].reference == f"Patient/{sam.pk}"
    assert consent.dateTime == ask.created_at
    assert consent.policyRule.coding[0].code == "OPTIN"
    assert consent.provision.type == "permit"
    assert consent.provision.actor[0].reference.reference == f"Organization/{involvement.team_id}"
    assert consent.provision.actor[0].role.coding[0].code == "IRCP"
    assert (consent.provision.period.start, consent.provision.period.end) == (ask.created_at, None)
    assert consent.provision.provision is None


def test_given_sharing_withdrawn_and_given_again_when_bundled_then_both_decisions_are_kept(
    involvement: Involvement, sam: Person
) -> None:
    # given
    first = _sharing_of(sam)
    with time_machine.travel(NOW, tick=False):
        consent_withdraw(person=sam, consent=first)
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        again = consent_share(person=sam, team=involvement.team)
    # when
    consents = {c["id"]: _validated(c) for c in _resources(person_bundle(person=sam), "Consent")}
    # then
    assert set(consents) == {str(first.pk), str(again.pk)}
    old, new = consents[str(first.pk)], consents[str(again.pk)]
    assert (old.status, old.provision.period.end) == ("inactive", NOW)
    assert (new.status, new.provision.period.end) == ("active", None)
    assert new.provision.period.start == NOW + dt.timedelta(days=2)
    assert new.category[1].coding[0].code == "chose"


def test_given_an_organisation_withheld_and_allowed_when_bundled_then_nested_deny_provisions(
    involvement: Involvement, colleague: TeamMember, sam: Person
) -> None:
    # given the person keeps their record from the GP practice, and from Brixton Mind for a day
    gp = consent_withhold(
        person=sam, team=involvement.team, organisation_name="Stockwell GP practice"
    )
    with time_machine.travel(NOW, tick=False):
        mind = consent_withhold(person=sam, team=involvement.team, organisation_name="brixton mind")
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        consent_allow(person=sam, consent=mind)
    # when
    bundle = person_bundle(person=sam)
    consent: Any = _validated(_only(bundle, "Consent"))
    # then
    assert consent.provision.type == "permit"
    denied = {
        p.actor[0].reference.display: (p.type, p.period.start, p.period.end)
        for p in consent.provision.provision
    }
    assert denied == {
        "Stockwell GP practice": ("deny", gp.given_at, None),
        "Brixton Mind": ("deny", NOW, NOW + dt.timedelta(days=1)),
    }


def test_given_a_withholding_outside_any_sharing_when_bundled_then_a_consent_of_its_own(
    involvement: Involvement, sam: Person
) -> None:
    # given the person stopped sharing, then also withheld their record from Brixton Mind
    consent_withdraw(person=sam, consent=_sharing_of(sam))
    withheld = consent_withhold(person=sam, team=involvement.team, organisation_name="Brixton Mind")
    # when
    bundle = person_bundle(person=sam)
    consents = {c["id"]: _validated(c) for c in _resources(bundle, "Consent")}
    # then
    alone = consents[str(withheld.pk)]
    assert (alone.status, alone.provision.type) == ("active", "deny")
    assert alone.provision.actor[0].reference.display == "Brixton Mind"
    assert len(consents) == 2


def test_given_a_team_shared_with_but_never_involved_when_bundled_then_its_organisation_only(
    involvement: Involvement, other_team: Team, sam: Person
) -> None:
    # given
    consent_share(person=sam, team=other_team)
    # when
    bundle = person_bundle(person=sam)
    # then the team is there for the consent to point at, with no care team around the person
    assert {o["name"] for o in _resources(bundle, "Organization")} == {
        "Brixton community team",
        "Vauxhall community team",
    }
    assert [t["name"] for t in _resources(bundle, "CareTeam")] == ["Brixton community team"]
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert [ref for ref in _references(bundle) if f"{BASE}/{ref}" not in full_urls] == []


# Queries


def _bundle_queries(person: Person) -> int:
    with CaptureQueriesContext(connection) as queries:
        person_bundle(person=person)
    return len(queries.captured_queries)


def test_given_more_goals_steps_and_measures_when_bundled_then_no_more_queries(
    team: Team, member: TeamMember
) -> None:
    # given one person with one of everything and another with many
    few = _person(email="few@example.com")
    _plan(_involvement(team, member, few), member, goals=1)
    measure_record(person=few, code="phq9", answers=PHQ9)
    many = _person(email="many@example.com")
    _plan(_involvement(team, member, many), member, goals=6)
    for _ in range(4):
        measure_record(person=many, code="phq9", answers=PHQ9)
    consent_withhold(person=many, team=team, organisation_name="Brixton Mind")
    consent_share(person=many, team=team_make(name="Oval community team", districts="SE11"))
    # when
    counts = (_bundle_queries(few), _bundle_queries(many))
    # then
    assert counts[0] == counts[1]


# The download


def _signed_in(client: Client, person: Person) -> Client:
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()
    return client


def test_given_a_person_when_they_open_the_download_page_then_it_links_to_fhir(
    client: Client, sam: Person
) -> None:
    response = _signed_in(client, sam).get(reverse("people:download"))
    link = one(html(response), f'a[href="{reverse("people:download_fhir")}"]')
    assert link.get_text(strip=True) == "Download as FHIR (for health and care systems)"


def test_given_a_person_when_they_download_fhir_then_a_valid_bundle_of_theirs_and_audited(
    client: Client, involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given
    _plan(involvement, member)
    # when
    response = _signed_in(client, sam).get(reverse("people:download_fhir"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kith-record-fhir-')
    assert response["Cache-Control"] == "no-store"
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert _only(bundle, "Patient")["id"] == str(sam.pk)
    assert _only(bundle, "Goal")["description"]["text"] == "Get back to playing football 0"
    event = AuditEvent.objects.get(purpose="download_fhir")
    assert (event.actor_type, event.actor_id, event.action, event.person_id) == (
        "person",
        str(sam.pk),
        "export",
        sam.pk,
    )


def test_given_a_closed_account_when_its_session_asks_for_fhir_then_no_download(
    client: Client, involvement: Involvement, member: TeamMember, sam: Person
) -> None:
    # given a session left over from before the account was closed
    _plan(involvement, member)
    _signed_in(client, sam)
    person_close(person=sam)
    # when
    response = client.get(reverse("people:download_fhir"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("people:sign_in")
    assert not AuditEvent.objects.filter(purpose="download_fhir").exists()


def test_given_staff_of_the_team_when_they_ask_for_the_fhir_download_then_no_export(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("people:download_fhir"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("people:sign_in")
    assert not AuditEvent.objects.filter(purpose="download_fhir").exists()


def test_given_a_post_when_sent_to_the_fhir_download_then_refused(
    client: Client, sam: Person
) -> None:
    response = _signed_in(client, sam).post(reverse("people:download_fhir"))
    assert response.status_code == 405
