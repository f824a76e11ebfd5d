"""HL7 FHIR for a person's work with integrated community teams, and the bundle they download.

The dicts follow FHIR R4B (4.3), wire-compatible with R4 for these resources; the tests validate
them with the `fhir.resources.R4B` models. Like `kith.outcomes.fhir`, Kith's own codes live under
`base_url()` (the `KITH_FHIR_BASE_URL` setting), references are relative (`Patient/<id>`) and
each bundle entry's `fullUrl` is `base_url()/<type>/<id>`, so every reference resolves inside the
bundle. Resource ids are Kith's UUIDs, so the same record exported twice has the same ids.

What maps to what (docs/architecture.md, "FHIR export", says the same for readers):

- Person -> Patient: the Kith id as identifier, a name only if they gave one, nothing else.
- Team -> Organization (type "team"), and a CareTeam of its active members for this person:
  name, role and organisation as display text only; no staff ids or contact details.
- Involvement -> EpisodeOfCare: open is "active", closed is "finished". EpisodeOfCare has no
  outcome or note element, so how working together ended is the complex extension
  `episode-of-care-outcome` (coded outcome, the directory service for "connected", what helped).
- Plan -> CarePlan (intent "plan"): "what matters to me" is the description, each step an
  activity ("completed" when done, else "not-started") with who does it as performer display.
- SafetyPlan -> a CarePlan of its own, categorised `safety-plan` (and SNOMED CT's mental health
  care plan): each written section an activity coded by section, the person's words as its
  description. It stays "active" after the involvement closes: it is the person's, for when they
  need it.
- Goal -> Goal in the person's words, categorised by life domain. A Goal cannot hold a series,
  so each 0-10 progress reading is an Observation whose `focus` is the Goal.
- Measures -> QuestionnaireResponse and Observation from `kith.outcomes.fhir`.
- Consent (who may see the record) -> Consent, scope patient-privacy: one per decision to share
  with a team (provision permit, actor the team's Organization, period from giving to
  withdrawing; status active while in force, else inactive), with each decision to withhold the
  record from an organisation in that team, while shared, as a nested deny provision. A
  withholding that overlaps no sharing is a Consent of its own with a deny provision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Prefetch
from django.utils import timezone

from kith.asks.models import Outcome
from kith.care.consent import consents_for_person
from kith.care.models import (
    Goal,
    GoalProgress,
    Involvement,
    InvolvementStatus,
    LifeDomain,
    Plan,
    SafetyPlan,
    SafetyPlanEntry,
    SafetyPlanSection,
    Step,
    StepOwner,
)
from kith.core.errors import ValidationFailed
from kith.directory.selectors.services import service_by_id
from kith.outcomes.fhir import base_url, observation, questionnaire_response
from kith.outcomes.models import CompletedBy, MeasureResponse
from kith.people.models import Consent, ConsentHow, Person
from kith.teams.models import Role, Team, TeamMember

LOINC: Final = "http://loinc.org"
SNOMED: Final = "http://snomed.info/sct"
MENTAL_HEALTH_CARE_PLAN: Final = ("718347000", "Mental health care plan (record artifact)")
ORGANIZATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/organization-type"
GOAL_ACHIEVEMENT: Final = "http://terminology.hl7.org/CodeSystem/goal-achievement"
EPISODE_OF_CARE_FOCUSED_TEAM: Final = ("LA27977-0", "Episode of care-focused care team")
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
RELEASE_OF_INFORMATION: Final = ("64292-6", "Release of information consent")
GOAL_PROGRESS_TOP: Final = 10
ACHIEVEMENT_DISPLAY: Final = {
    "in-progress": "In Progress",
    "improving": "Improving",
    "worsening": "Worsening",
    "no-change": "No Change",
    "achieved": "Achieved",
}


# Kith's code systems, identifier systems and extension, all under base_url().


def life_domain_system() -> str:
    """The 12 parts of life a goal can be about (`LifeDomain`: `mental-health`, `money`...)."""
    return f"{base_url()}/CodeSystem/life-domain"


def care_concept_system() -> str:
    """Kith's care concepts: `community-mental-health-support` (the kind of episode of care)
    and `goal-progress` (a 0-10 reading of how far along a goal the person feels)."""
    return f"{base_url()}/CodeSystem/care"


def episode_outcome_system() -> str:
    """How working together ended: `supported`, `connected`, `chose-to-stop`, `not-reached`."""
    return f"{base_url()}/CodeSystem/episode-outcome"


def team_role_system() -> str:
    """Roles of team members (`Role`: `peer-worker`, `social-prescriber`, `nurse`...)."""
    return f"{base_url()}/CodeSystem/team-role"


def episode_outcome_extension_url() -> str:
    return f"{base_url()}/StructureDefinition/episode-of-care-outcome"


def consent_how_system() -> str:
    """How a consent was given: `asked` (by asking for help) or `chose` (from their account)."""
    return f"{base_url()}/CodeSystem/consent-how"


def care_plan_category_system() -> str:
    """Kinds of care plan Kith keeps: `safety-plan` (the person's safety plan). The person-held
    plan ("My plan") has no category."""
    return f"{base_url()}/CodeSystem/care-plan-category"


def safety_plan_section_system() -> str:
    """The sections of a safety plan (`SafetyPlanSection`: `warning-signs`, `coping`,
    `distractions`, `people-to-ask`, `professionals`, `safer`, `worth-living-for`)."""
    return f"{base_url()}/CodeSystem/safety-plan-section"


def identifier_system(kind: str) -> str:
    """Identifier systems for Kith's ids: `person`, `team`, `directory-service`."""
    return f"{base_url()}/Id/{kind}"


# One resource at a time. Each takes model objects (with their related rows already loaded)
# and returns a JSON-ready dict.


def patient_resource(person: Person) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "identifier": [{"system": identifier_system("person"), "value": str(person.pk)}],
        "active": person.closed_at is None,
    }
    if person.display_name.strip():
        resource["name"] = [{"text": person.display_name.strip()}]
    return resource


def organization_resource(team: Team) -> dict[str, Any]:
    """The integrated community team as an organisation: its members come from many others."""
    return {
        "resourceType": "Organization",
        "id": str(team.pk),
        "identifier": [{"system": identifier_system("team"), "value": str(team.pk)}],
        "active": True,
        "type": [
            {
                "coding": [
                    {"system": ORGANIZATION_TYPE, "code": "team", "display": "Organizational team"}
                ],
                "text": "Integrated community team",
            }
        ],
        "name": team.name,
    }


def care_team_id(*, team: Team, person: Person) -> str:
    """A CareTeam is one team around one person: a stable id derived from both."""
    return str(uuid.uuid5(team.pk, str(person.pk)))


def care_team_resource(
    *, team: Team, person: Person, members: Iterable[TeamMember], is_active: bool
) -> dict[str, Any]:
    """The team around the person: its active members by name, role and organisation only."""
    participants = []
    for member in members:
        role = Role(member.role) if member.role in Role.values else Role.OTHER
        participants.append(
            {
                "role": [
                    {
                        "coding": [
                            {
                                "system": team_role_system(),
                                "code": role.value,
                                "display": str(role.label),
                            }
                        ],
                        "text": str(role.label),
                    }
                ],
                "member": {"display": member.display_name},
                "onBehalfOf": {"display": member.organisation_name},
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "CareTeam",
        "id": care_team_id(team=team, person=person),
        "status": "active" if is_active else "inactive",
        "category": [
            {
                "coding": [
                    {
                        "system": LOINC,
                        "code": EPISODE_OF_CARE_FOCUSED_TEAM[0],
                        "display": EPISODE_OF_CARE_FOCUSED_TEAM[1],
                    }
                ]
            }
        ],
        "name": team.name,
        "subject": _patient_reference(person),
        "managingOrganization": [_organization_reference(team)],
    }
    if participants:
        resource["participant"] = participants
    return resource


def episode_of_care_resource(
    involvement: Involvement, *, person: Person, service_name: str | None = None
) -> dict[str, Any]:
    """One involvement: a team working with the person. `service_name` names the directory
    service a "connected" outcome points at, when it still exists."""
    team = involvement.team
    is_open = involvement.status == InvolvementStatus.OPEN
    period: dict[str, str] = {"start": _instant(involvement.created_at)}
    if not is_open and involvement.closed_at is not None:
        period["end"] = _instant(involvement.closed_at)
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "id": str(involvement.pk),
        "status": "active" if is_open else "finished",
        "type": [
            {
                "coding": [
                    {
                        "system": care_concept_system(),
                        "code": "community-mental-health-support",
                        "display": "Community mental health support",
                    }
                ],
                "text": "Community mental health support",
            }
        ],
        "patient": _patient_reference(person),
        "managingOrganization": _organization_reference(team),
        "period": period,
        "team": [
            {
                "reference": f"CareTeam/{care_team_id(team=team, person=person)}",
                "display": team.name,
            }
        ],
    }
    if involvement.worker is not None:
        resource["careManager"] = {"display": involvement.worker.display_name}
    if not is_open and involvement.outcome:
        resource["extension"] = [_outcome_extension(involvement, service_name=service_name)]
    return resource


def _outcome_extension(involvement: Involvement, *, service_name: str | None) -> dict[str, Any]:
    outcome = Outcome(involvement.outcome)
    parts: list[dict[str, Any]] = [
        {
            "url": "outcome",
            "valueCoding": {
                "system": episode_outcome_system(),
                "code": outcome.value,
                "display": str(outcome.label),
            },
        }
    ]
    if outcome == Outcome.CONNECTED and involvement.outcome_service_id is not None:
        service: dict[str, Any] = {
            "type": "HealthcareService",
            "identifier": {
                "system": identifier_system("directory-service"),
                "value": str(involvement.outcome_service_id),
            },
        }
        if service_name:
            service["display"] = service_name
        parts.append({"url": "service", "valueReference": service})
    if involvement.what_helped:
        parts.append({"url": "whatHelped", "valueString": involvement.what_helped})
    return {"url": episode_outcome_extension_url(), "extension": parts}


def care_plan_resource(plan: Plan, *, involvement: Involvement, person: Person) -> dict[str, Any]:
    """The person-held plan. Goals and steps must be prefetched (`plan.goals`, `plan.steps`)."""
    is_open = involvement.status == InvolvementStatus.OPEN
    period: dict[str, str] = {"start": _instant(plan.created_at)}
    if not is_open and involvement.closed_at is not None:
        period["end"] = _instant(involvement.closed_at)
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "status": "active" if is_open else "completed",
        "intent": "plan",
        "title": "My plan",
        "subject": _patient_reference(person),
        "period": period,
        "created": _instant(plan.created_at),
        "careTeam": [
            {"reference": f"CareTeam/{care_team_id(team=involvement.team, person=person)}"}
        ],
    }
    if plan.what_matters:
        resource["description"] = plan.what_matters
    goals = list(plan.goals.all())
    if goals:
        resource["goal"] = [{"reference": f"Goal/{goal.pk}"} for goal in goals]
    activities = [_activity(step, person=person) for step in plan.steps.all()]
    if activities:
        resource["activity"] = activities
    return resource


def _activity(step: Step, *, person: Person) -> dict[str, Any]:
    owner = StepOwner(step.who)
    performer: dict[str, Any] = {"display": str(owner.label)}
    if owner == StepOwner.ME:
        performer["reference"] = f"Patient/{person.pk}"
    detail: dict[str, Any] = {
        "status": "completed" if step.done_at is not None else "not-started",
        "description": step.text,
        "performer": [performer],
    }
    if step.goal_id is not None:
        detail["goal"] = [{"reference": f"Goal/{step.goal_id}"}]
    if step.due_on is not None:
        detail["scheduledPeriod"] = {"end": step.due_on.isoformat()}
    activity: dict[str, Any] = {"detail": detail}
    if step.done_at is not None:
        activity["progress"] = [{"time": _instant(step.done_at), "text": "Done"}]
    return activity


def safety_plan_resource(
    safety_plan: SafetyPlan, *, involvement: Involvement, person: Person
) -> dict[str, Any]:
    """The person's safety plan as a CarePlan of its own. Entries must be prefetched
    (`safety_plan.entries`). Each section written is an activity, in the plan's order, coded by
    section, with the person's words (one thing to a line) as its description. Contributors: the
    Patient when they wrote any of it themselves, the team's CareTeam when staff wrote any."""
    entries = {entry.section: entry for entry in safety_plan.entries.all()}
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(safety_plan.pk),
        "status": "active",
        "intent": "plan",
        "category": [
            {
                "coding": [
                    {
                        "system": care_plan_category_system(),
                        "code": "safety-plan",
                        "display": "Safety plan",
                    }
                ],
                "text": "Safety plan",
            },
            {
                "coding": [
                    {
                        "system": SNOMED,
                        "code": MENTAL_HEALTH_CARE_PLAN[0],
                        "display": MENTAL_HEALTH_CARE_PLAN[1],
                    }
                ]
            },
        ],
        "title": "My safety plan",
        "description": "What I can do, step by step, to stay safe when things get hard "
        "(the Stanley-Brown safety planning intervention), in my own words.",
        "subject": _patient_reference(person),
        "period": {"start": _instant(safety_plan.created_at)},
        "created": _instant(safety_plan.created_at),
        "careTeam": [
            {"reference": f"CareTeam/{care_team_id(team=involvement.team, person=person)}"}
        ],
    }
    written = [entries[s.value] for s in SafetyPlanSection if s.value in entries]
    written = [entry for entry in written if entry.text]
    contributors = []
    if any(entry.is_written_by_person for entry in written):
        contributors.append(_patient_reference(person))
    if any(not entry.is_written_by_person for entry in written):
        contributors.append(
            {
                "reference": f"CareTeam/{care_team_id(team=involvement.team, person=person)}",
                "display": involvement.team.name,
            }
        )
    if contributors:
        resource["contributor"] = contributors
    if written:
        resource["activity"] = [_safety_plan_activity(entry) for entry in written]
    return resource


def _safety_plan_activity(entry: SafetyPlanEntry) -> dict[str, Any]:
    section = SafetyPlanSection(entry.section)
    return {
        "detail": {
            "code": {
                "coding": [
                    {
                        "system": safety_plan_section_system(),
                        "code": section.value,
                        "display": str(section.label),
                    }
                ],
                "text": str(section.label),
            },
            "status": "in-progress",
            "description": entry.text,
        }
    }


def goal_resource(goal: Goal, *, involvement: Involvement, person: Person) -> dict[str, Any]:
    """A goal in the person's words. Progress must be prefetched, oldest first (`goal.progress`).

    Lifecycle: "completed" (no longer being sought) once the involvement has closed or the
    latest reading is 10 ("there"), else "active". Achievement, from the last two readings:
    10 is "achieved"; otherwise "improving", "worsening" or "no-change" against the reading
    before, or "in-progress" for a single reading. No readings, no achievement status.
    """
    readings = list(goal.progress.all())
    latest = readings[-1] if readings else None
    is_done = involvement.status == InvolvementStatus.CLOSED or (
        latest is not None and latest.score >= GOAL_PROGRESS_TOP
    )
    domain = LifeDomain(goal.domain) if goal.domain in LifeDomain.values else LifeDomain.OTHER
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(goal.pk),
        "lifecycleStatus": "completed" if is_done else "active",
        "category": [
            {
                "coding": [
                    {
                        "system": life_domain_system(),
                        "code": domain.value,
                        "display": str(domain.label),
                    }
                ],
                "text": str(domain.label),
            }
        ],
        "description": {"text": goal.text},
        "subject": _patient_reference(person),
        "startDate": timezone.localtime(goal.created_at).date().isoformat(),
        "expressedBy": _patient_reference(person),
        "target": [{"measure": _goal_progress_concept(), "detailInteger": GOAL_PROGRESS_TOP}],
    }
    achievement = _achievement(readings)
    if achievement is not None and latest is not None:
        resource["achievementStatus"] = {
            "coding": [
                {
                    "system": GOAL_ACHIEVEMENT,
                    "code": achievement,
                    "display": ACHIEVEMENT_DISPLAY[achievement],
                }
            ],
            "text": f"{latest.score} out of {GOAL_PROGRESS_TOP}",
        }
        resource["statusDate"] = latest.recorded_on.isoformat()
    return resource


def _achievement(readings: list[GoalProgress]) -> str | None:
    if not readings:
        return None
    latest = readings[-1].score
    if latest >= GOAL_PROGRESS_TOP:
        return "achieved"
    if len(readings) == 1:
        return "in-progress"
    before = readings[-2].score
    if latest > before:
        return "improving"
    if latest < before:
        return "worsening"
    return "no-change"


def goal_progress_observation(
    progress: GoalProgress, *, goal: Goal, person: Person
) -> dict[str, Any]:
    """One 0-10 reading of how far along a goal the person feels, focused on the Goal. The
    person is its performer when they recorded it themselves; staff are not named."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(progress.pk),
        "status": "final",
        "code": _goal_progress_concept(),
        "subject": _patient_reference(person),
        "focus": [{"reference": f"Goal/{goal.pk}"}],
        "effectiveDateTime": progress.recorded_on.isoformat(),
        "issued": _instant(progress.created_at),
        "valueInteger": progress.score,
    }
    if progress.is_recorded_by_person:
        resource["performer"] = [_patient_reference(person)]
    return resource


def _goal_progress_concept() -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": care_concept_system(),
                "code": "goal-progress",
                "display": "Progress towards a goal",
            }
        ],
        "text": "Progress towards a goal, from 0 (not started) to 10 (there)",
    }


def measure_resources(response: MeasureResponse, *, person: Person) -> list[dict[str, Any]]:
    """A completed measure as a QuestionnaireResponse and the Observation derived from it.

    A response whose measure this deployment no longer has (or whose items changed since) cannot
    be expressed against its questionnaire and gives no resources; it stays in the JSON download.
    """
    subject = f"Patient/{person.pk}"
    try:
        answers = questionnaire_response(
            response.code,
            response.answers,
            subject_reference=subject,
            authored=response.completed_at,
        )
        scores = observation(
            response.code,
            response.answers,
            subject_reference=subject,
            authored=response.completed_at,
            derived_from=f"QuestionnaireResponse/{response.pk}",
        )
    except ValidationFailed:
        return []
    answers["id"] = str(response.pk)
    answers["source"] = {"reference": subject}
    if response.completed_by == CompletedBy.WORKER and response.member is not None:
        answers["author"] = {"display": response.member.display_name}
    else:
        answers["author"] = {"reference": subject}
    scores["id"] = str(response.pk)
    return [answers, scores]


def consent_resources(consents: Iterable[Consent], *, person: Person) -> list[dict[str, Any]]:
    """The person's decisions about who may see their record (oldest first, with their team).

    Each decision to share with a team is a Consent whose provision permits the team (its
    Organization) from `given_at` until `withdrawn_at`. Each decision to withhold the record from
    an organisation in the team is nested, as a deny provision with its own period, in every
    sharing it overlaps; one that overlaps none stands alone as a Consent denying it.
    """
    consents = list(consents)
    sharings = [consent for consent in consents if not consent.is_withholding]
    withholdings = [consent for consent in consents if consent.is_withholding]
    nested: set[uuid.UUID] = set()
    resources = []
    for sharing in sharings:
        within = [
            withholding
            for withholding in withholdings
            if withholding.team_id == sharing.team_id and _overlap(sharing, withholding)
        ]
        nested.update(withholding.pk for withholding in within)
        provision = _provision(sharing, kind="permit")
        if within:
            provision["provision"] = [_provision(w, kind="deny") for w in within]
        resources.append(_consent(sharing, person=person, provision=provision))
    for withholding in withholdings:
        if withholding.pk not in nested:
            resources.append(
                _consent(withholding, person=person, provision=_provision(withholding, kind="deny"))
            )
    return resources


def _overlap(first: Consent, second: Consent) -> bool:
    """Were both decisions in force at some moment? (An open end is still in force.)"""
    first_end, second_end = first.withdrawn_at, second.withdrawn_at
    starts_before_second_ends = second_end is None or first.given_at < second_end
    second_starts_before_first_ends = first_end is None or second.given_at < first_end
    return starts_before_second_ends and second_starts_before_first_ends


def _consent(consent: Consent, *, person: Person, provision: dict[str, Any]) -> dict[str, Any]:
    how = ConsentHow(consent.how_given) if consent.how_given in ConsentHow.values else None
    category: list[dict[str, Any]] = [
        {
            "coding": [
                {
                    "system": LOINC,
                    "code": RELEASE_OF_INFORMATION[0],
                    "display": RELEASE_OF_INFORMATION[1],
                }
            ]
        }
    ]
    if how is not None:
        category.append(
            {
                "coding": [
                    {"system": consent_how_system(), "code": how.value, "display": str(how.label)}
                ],
                "text": str(how.label),
            }
        )
    return {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": "active" if consent.is_in_force else "inactive",
        "scope": {
            "coding": [
                {"system": CONSENT_SCOPE, "code": "patient-privacy", "display": "Privacy Consent"}
            ]
        },
        "category": category,
        "patient": _patient_reference(person),
        "dateTime": _instant(consent.given_at),
        "performer": [_patient_reference(person)],
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]},
        "provision": provision,
    }


def _provision(consent: Consent, *, kind: str) -> dict[str, Any]:
    period = {"start": _instant(consent.given_at)}
    if consent.withdrawn_at is not None:
        period["end"] = _instant(consent.withdrawn_at)
    if kind == "permit":
        actor: dict[str, Any] = _organization_reference(consent.team)
    else:
        actor = {"type": "Organization", "display": consent.withheld_organisation_name}
    return {
        "type": kind,
        "period": period,
        "actor": [
            {
                "role": {
                    "coding": [
                        {
                            "system": PARTICIPATION_TYPE,
                            "code": "IRCP",
                            "display": "information recipient",
                        }
                    ]
                },
                "reference": actor,
            }
        ],
    }


# The whole record for one person.


@dataclass(frozen=True)
class CareRecord:
    """Everything the bundle needs, loaded in a fixed number of queries."""

    person: Person
    involvements: list[Involvement] = field(default_factory=list)
    active_members: dict[uuid.UUID, list[TeamMember]] = field(default_factory=dict)
    plans: dict[uuid.UUID, Plan] = field(default_factory=dict)  # by involvement id
    safety_plans: dict[uuid.UUID, SafetyPlan] = field(default_factory=dict)  # by involvement id
    measure_responses: list[MeasureResponse] = field(default_factory=list)
    service_names: dict[uuid.UUID, str] = field(default_factory=dict)
    consents: list[Consent] = field(default_factory=list)


def care_record_for_person(*, person: Person) -> CareRecord:
    """The person's involvements (with team and worker), the active members of those teams,
    their plans (goals with progress oldest first, steps) and measures. It reads only rows
    linked to this person, so nobody else's data can reach their bundle."""
    involvements = list(
        Involvement.objects.filter(person=person)
        .select_related("team", "worker")
        .order_by("created_at", "id")
    )
    team_ids = {involvement.team_id for involvement in involvements}
    active_members: dict[uuid.UUID, list[TeamMember]] = {team_id: [] for team_id in team_ids}
    if team_ids:
        for member in TeamMember.objects.filter(team_id__in=team_ids, is_active=True).order_by(
            "display_name", "id"
        ):
            active_members[member.team_id].append(member)
    plans: dict[uuid.UUID, Plan] = {}
    if involvements:
        plans = {
            plan.involvement_id: plan
            for plan in Plan.objects.filter(involvement__person=person).prefetch_related(
                Prefetch(
                    "goals",
                    queryset=Goal.objects.order_by("created_at", "id").prefetch_related(
                        Prefetch(
                            "progress",
                            queryset=GoalProgress.objects.order_by(
                                "recorded_on", "created_at", "id"
                            ),
                        )
                    ),
                ),
                Prefetch("steps", queryset=Step.objects.order_by("created_at", "id")),
            )
        }
    safety_plans: dict[uuid.UUID, SafetyPlan] = {}
    if involvements:
        safety_plans = {
            safety_plan.involvement_id: safety_plan
            for safety_plan in SafetyPlan.objects.filter(
                involvement__person=person
            ).prefetch_related("entries")
        }
    responses = list(
        MeasureResponse.objects.filter(person=person)
        .select_related("member")
        .order_by("completed_at", "id")
    )
    service_names: dict[uuid.UUID, str] = {}
    for involvement in involvements:
        # Only closed "connected" involvements name a service: a handful per person at most.
        service_id = involvement.outcome_service_id
        if service_id is not None and service_id not in service_names:
            service = service_by_id(service_id=service_id)
            if service is not None:
                service_names[service_id] = service.name
    return CareRecord(
        person=person,
        involvements=involvements,
        active_members=active_members,
        plans=plans,
        safety_plans=safety_plans,
        measure_responses=responses,
        service_names=service_names,
        consents=consents_for_person(person=person),
    )


def care_record_resources(record: CareRecord) -> Iterator[dict[str, Any]]:
    """Every resource of the record, the Patient first."""
    person = record.person
    yield patient_resource(person)
    teams: dict[uuid.UUID, Team] = {}
    open_teams: set[uuid.UUID] = set()
    for involvement in record.involvements:
        teams.setdefault(involvement.team_id, involvement.team)
        if involvement.status == InvolvementStatus.OPEN:
            open_teams.add(involvement.team_id)
    involved = set(teams)
    for consent in record.consents:
        teams.setdefault(consent.team_id, consent.team)
    for team in teams.values():
        yield organization_resource(team)
    for team_id, team in teams.items():
        if team_id not in involved:
            continue  # shared with, but nobody there has worked with the person: no care team
        yield care_team_resource(
            team=team,
            person=person,
            members=record.active_members.get(team_id, []),
            is_active=team_id in open_teams,
        )
    for involvement in record.involvements:
        service_id = involvement.outcome_service_id
        yield episode_of_care_resource(
            involvement,
            person=person,
            service_name=record.service_names.get(service_id) if service_id else None,
        )
    for involvement in record.involvements:
        plan = record.plans.get(involvement.pk)
        if plan is None:
            continue
        yield care_plan_resource(plan, involvement=involvement, person=person)
        for goal in plan.goals.all():
            yield goal_resource(goal, involvement=involvement, person=person)
            for progress in goal.progress.all():
                yield goal_progress_observation(progress, goal=goal, person=person)
    for involvement in record.involvements:
        safety_plan = record.safety_plans.get(involvement.pk)
        if safety_plan is not None:
            yield safety_plan_resource(safety_plan, involvement=involvement, person=person)
    for response in record.measure_responses:
        yield from measure_resources(response, person=person)
    yield from consent_resources(record.consents, person=person)


def person_bundle(*, person: Person, now: dt.datetime | None = None) -> dict[str, Any]:
    """A FHIR Bundle (type "collection") of everything above for one person. Reads only; the
    person's own download goes through `kith.record.services.person_export_fhir`, which records it."""
    record = care_record_for_person(person=person)
    entries = [
        {
            "fullUrl": f"{base_url()}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
        }
        for resource in care_record_resources(record)
    ]
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": uuid.uuid4().urn},
        "type": "collection",
        "timestamp": _instant(now or timezone.now()),
        "entry": entries,
    }


def _patient_reference(person: Person) -> dict[str, str]:
    return {"reference": f"Patient/{person.pk}"}


def _organization_reference(team: Team) -> dict[str, str]:
    return {"reference": f"Organization/{team.pk}", "display": team.name}


def _instant(moment: dt.datetime) -> str:
    return moment.isoformat()
