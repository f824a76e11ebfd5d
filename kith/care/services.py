"""Writes for the team workspace: picking up an ask, conversations, open notes, closing with an
open door, and a returning person's way back in.

Contract: callers pass objects they obtained through `kith.care.access` (so the team has been
checked), or for the person's own plan through `kith.care.person_access`. Every function
validates before saving, raises ValidationFailed with a message its author can act on, and
records the change in the audit log in the same transaction.
Nothing here can turn a person away: the only endings are the four `Outcome`s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from kith.asks.models import Ask, AskStatus, Outcome
from kith.asks.services import ask_assign, ask_first_conversation_record, ask_outcome_record
from kith.audit.events import Action, Purpose, SubjectType
from kith.audit.services import SYSTEM, audit
from kith.care.consent import consent_is_shared
from kith.care.models import (
    Conversation,
    ConversationMethod,
    Goal,
    GoalProgress,
    HoldBackReason,
    Involvement,
    InvolvementStatus,
    LifeDomain,
    Note,
    Plan,
    SafetyPlan,
    SafetyPlanEntry,
    SafetyPlanSection,
    Step,
    StepOwner,
    TeamMember,
)
from kith.care.selectors import involvement_latest_for_person
from kith.core.errors import ValidationFailed
from kith.directory.selectors.services import service_by_id
from kith.people.models import Person
from kith.people.selectors import person_by_proved_contact

NOTE_LIMIT = 10_000


def _audit_change(
    *,
    member: TeamMember | None,
    subject: SubjectType,
    subject_id: UUID,
    person_id: UUID | None,
    purpose: Purpose,
) -> None:
    audit(
        member or SYSTEM,
        (subject, subject_id),
        action=Action.CHANGE,
        purpose=purpose,
        person_id=person_id,
    )


@transaction.atomic
def ask_pick_up(*, ask: Ask, member: TeamMember, worker: TeamMember | None = None) -> Involvement:
    """`member` picks the ask up for `worker` (themself by default), who becomes the named
    worker. Opens the involvement, or keeps the one the ask already has."""
    worker = worker or member
    if worker.team_id != ask.team_id or not worker.is_active:
        raise ValidationFailed("Choose someone in your team", field="worker")
    if ask.status == AskStatus.WITHDRAWN:
        raise ValidationFailed("The person withdrew this ask", field="worker")
    involvement = ask.involvement
    if involvement is None:
        involvement = Involvement(team=worker.team, person_id=ask.person_id, worker=worker)
        involvement.full_clean()
        involvement.save()
    elif involvement.worker_id != worker.pk or involvement.status != InvolvementStatus.OPEN:
        involvement.worker = worker
        involvement.status = InvolvementStatus.OPEN
        involvement.save(update_fields=["worker", "status", "updated_at"])
    ask_assign(ask=ask, worker=worker, involvement_id=involvement.pk)
    _audit_change(
        member=member,
        subject=SubjectType.ASK,
        subject_id=ask.pk,
        person_id=ask.person_id,
        purpose=Purpose.PICK_UP,
    )
    return involvement


@transaction.atomic
def conversation_record(
    *,
    ask: Ask,
    member: TeamMember,
    happened_at: dt.datetime,
    method: str,
    with_whom: str,
    summary: str = "",
    next_step: str = "",
    next_step_due_on: dt.date | None = None,
) -> Conversation:
    """A conversation about a picked-up ask. The first one sets the ask's time to first
    conversation, which is kept."""
    involvement = ask.involvement
    if involvement is None or ask.worker_id is None:
        raise ValidationFailed("Pick up this ask before recording a conversation", field=None)
    if method not in ConversationMethod.values:
        raise ValidationFailed("Select how you talked", field="method")
    if not with_whom.strip():
        raise ValidationFailed("Enter who you talked with, like 'the person'", field="with_whom")
    if happened_at > timezone.now():
        raise ValidationFailed("The conversation must have happened already", field="happened_at")
    if happened_at < ask.created_at:
        raise ValidationFailed(
            "The conversation must be after the ask was sent", field="happened_at"
        )
    conversation = Conversation(
        involvement=involvement,
        ask=ask,
        author=member,
        happened_at=happened_at,
        method=method,
        with_whom=with_whom.strip(),
        summary=summary.strip(),
    )
    conversation.full_clean()
    conversation.save()
    ask_first_conversation_record(ask=ask, at=happened_at)
    if next_step.strip() or next_step_due_on:
        involvement.next_step = next_step.strip()
        involvement.next_step_due_on = next_step_due_on
        involvement.save(update_fields=["next_step", "next_step_due_on", "updated_at"])
    _audit_change(
        member=member,
        subject=SubjectType.CONVERSATION,
        subject_id=conversation.pk,
        person_id=involvement.person_id,
        purpose=Purpose.CONVERSATION,
    )
    return conversation


@transaction.atomic
def note_add(
    *,
    involvement: Involvement,
    author: TeamMember,
    text: str,
    held_back_reason: str = "",
    held_back_explanation: str = "",
) -> Note:
    """Notes are open: the person sees them. Holding one back needs a recorded reason
    (third-party or safeguarding) and is audited on its own."""
    text = text.strip()
    if not text:
        raise ValidationFailed("Write the note", field="text")
    if len(text) > NOTE_LIMIT:
        raise ValidationFailed(
            f"A note must be {NOTE_LIMIT:,} characters or fewer. You have written {len(text):,}.",
            field="text",
        )
    if held_back_reason and held_back_reason not in HoldBackReason.values:
        raise ValidationFailed("Select a reason to hold the note back", field="held_back_reason")
    if held_back_reason and not held_back_explanation.strip():
        raise ValidationFailed(
            "Explain why the person should not see this note", field="held_back_explanation"
        )
    note = Note(
        involvement=involvement,
        author=author,
        text=text,
        held_back_reason=held_back_reason,
        held_back_explanation=held_back_explanation.strip() if held_back_reason else "",
    )
    note.full_clean()
    note.save()
    _audit_change(
        member=author,
        subject=SubjectType.NOTE,
        subject_id=note.pk,
        person_id=involvement.person_id,
        purpose=Purpose.NOTE,
    )
    if held_back_reason:
        audit(
            author,
            note,
            action=Action.HOLD_BACK,
            purpose=Purpose(held_back_reason),
            person_id=involvement.person_id,
        )
    return note


@transaction.atomic
def involvement_close(
    *,
    involvement: Involvement,
    member: TeamMember,
    outcome: str,
    what_helped: str = "",
    service_id: UUID | None = None,
    attempts: str = "",
) -> Involvement:
    """Close with the person. The door stays open: a new ask from them reopens this record."""
    if involvement.status == InvolvementStatus.CLOSED:
        raise ValidationFailed("This involvement is already closed", field=None)
    if outcome not in Outcome.values:
        raise ValidationFailed("Select how working together ended", field="outcome")
    if outcome == Outcome.CONNECTED:
        if service_id is None or service_by_id(service_id=service_id) is None:
            raise ValidationFailed(
                "Choose the community support they were connected to: search the directory "
                "by its name",
                field="service_id",
            )
    else:
        service_id = None
    if outcome == Outcome.NOT_REACHED and not attempts.strip():
        raise ValidationFailed(
            "Write down each attempt to get in touch: when and how", field="attempts"
        )
    involvement.status = InvolvementStatus.CLOSED
    involvement.closed_at = timezone.now()
    involvement.outcome = outcome
    involvement.outcome_service_id = service_id
    involvement.what_helped = what_helped.strip()
    involvement.attempts = attempts.strip()
    involvement.next_step_due_on = None
    involvement.full_clean()
    involvement.save(
        update_fields=[
            "status",
            "closed_at",
            "outcome",
            "outcome_service_id",
            "what_helped",
            "attempts",
            "next_step_due_on",
            "updated_at",
        ]
    )
    for ask in involvement.asks.filter(status__in=[AskStatus.NEW, AskStatus.IN_TOUCH]):
        ask_outcome_record(ask=ask, outcome=outcome)
    _audit_change(
        member=member,
        subject=SubjectType.INVOLVEMENT,
        subject_id=involvement.pk,
        person_id=involvement.person_id,
        purpose=Purpose.CLOSE,
    )
    return involvement


@transaction.atomic
def involvement_return(*, ask: Ask) -> Involvement | None:
    """Easy back in: a new ask from someone the team worked with goes back to the same team and
    the same worker (if they are still in the team), and reopens the record. Returns the
    involvement, or None for someone new.

    Someone is the signed-in person who asked, else the person who has proved the email
    address or mobile number on the ask (`person_by_proved_contact`: a contact only typed never
    counts). Whoever typed that contact without signing in has proved nothing, so a match by
    contact must change nothing they can see: the ask goes back to the worker and the record
    only within the team it was sent to, and only while the person shares their record with
    it; the match is in the person's audit log ("return_by_verified_email" or "_phone"); the
    ask is not made theirs. Sending it to another team would show that team's name on the
    confirmation page, telling anyone who knows an email address that its owner had support
    there. Such an ask goes back to their team when they sign in with that contact
    (`asks_claim_for_person`, then `involvements_claim`)."""
    person, matched_on = ask.person, ""
    if person is None:
        person, matched_on = person_by_proved_contact(
            email=ask.contact_email, phone=ask.contact_phone
        )
    if person is None:
        return None
    involvement = involvement_latest_for_person(person=person)
    if involvement is None:
        return None
    if matched_on and involvement.team_id != ask.team_id:
        return None
    if (matched_on or involvement.team_id != ask.team_id) and not consent_is_shared(
        person_id=person.pk, team_id=involvement.team_id
    ):
        # They stopped sharing their record with that team: the ask stays where it was sent.
        return None
    worker = involvement.worker
    if worker is not None and (not worker.is_active or worker.team_id != involvement.team_id):
        worker = None
    if involvement.status == InvolvementStatus.CLOSED:
        involvement.status = InvolvementStatus.OPEN
        involvement.reopened_count += 1
        involvement.closed_at = None
        involvement.outcome = ""
        involvement.outcome_service_id = None
        involvement.worker = worker
        involvement.save(
            update_fields=[
                "status",
                "reopened_count",
                "closed_at",
                "outcome",
                "outcome_service_id",
                "worker",
                "updated_at",
            ]
        )
    ask_assign(ask=ask, worker=worker, involvement_id=involvement.pk, team=involvement.team)
    _audit_change(
        member=None,
        subject=SubjectType.INVOLVEMENT,
        subject_id=involvement.pk,
        person_id=person.pk,
        purpose=Purpose(f"return_by_verified_{matched_on}") if matched_on else Purpose.RETURN,
    )
    return involvement


@transaction.atomic
def involvements_claim(*, person: Person, ask_ids: list[UUID]) -> None:
    """After a person claims asks made before they signed in: the involvements the team opened
    for those asks become part of their record, and an ask nobody has picked up yet goes back to
    the team and worker they already know (as a new ask from them would)."""
    asks = list(Ask.objects.filter(pk__in=ask_ids, person=person).order_by("created_at", "id"))
    involvement_ids = {ask.involvement_id for ask in asks if ask.involvement_id is not None}
    linked = Involvement.objects.filter(pk__in=involvement_ids, person__isnull=True).update(
        person=person, updated_at=timezone.now()
    )
    if linked:
        _audit_change(
            member=None,
            subject=SubjectType.PERSON,
            subject_id=person.pk,
            person_id=person.pk,
            purpose=Purpose.CLAIM,
        )
    for ask in asks:
        if ask.involvement_id is None and ask.status == AskStatus.NEW:
            involvement_return(ask=ask)


# The person-held plan, in the person's own words. Staff write it with the person, and the person
# writes it from their own account: each function takes exactly one author, `member=` or
# `person=`, records who made the change, and audits it as theirs ("staff" or "person").

WHAT_MATTERS_LIMIT = 5_000
PLAN_TEXT_LIMIT = 500


@dataclass(frozen=True)
class _Author:
    """Who changes a plan: a member of staff, or the person whose plan it is."""

    member: TeamMember | None
    person: Person | None

    def says(self, *, staff: str, person: str) -> str:
        """The same error, worded for whoever will read it."""
        return person if self.person is not None else staff

    def audit(
        self, *, subject: SubjectType, subject_id: UUID, person_id: UUID | None, purpose: Purpose
    ) -> None:
        if self.person is not None:
            audit(
                self.person,
                (subject, subject_id),
                action=Action.CHANGE,
                purpose=purpose,
                person_id=person_id,
            )
        else:
            _audit_change(
                member=self.member,
                subject=subject,
                subject_id=subject_id,
                person_id=person_id,
                purpose=purpose,
            )


def _author(
    *, member: TeamMember | None, person: Person | None, involvement: Involvement
) -> _Author:
    """Exactly one author; a person may change only their own plan."""
    if (member is None) == (person is None):
        raise TypeError("Pass exactly one author: member= or person=")
    if person is not None and involvement.person_id != person.pk:
        raise ValidationFailed("You can only change your own plan", field=None)
    return _Author(member=member, person=person)


def _plan_for(involvement: Involvement) -> Plan:
    plan, _created = Plan.objects.get_or_create(involvement=involvement)
    return plan


def _plan_text(value: str, *, field: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(missing, field=field)
    if len(value) > PLAN_TEXT_LIMIT:
        raise ValidationFailed(
            f"Keep it to {PLAN_TEXT_LIMIT} characters or fewer. You have written {len(value)}.",
            field=field,
        )
    return value


@transaction.atomic
def plan_update(
    *,
    involvement: Involvement,
    member: TeamMember | None = None,
    person: Person | None = None,
    what_matters: str,
) -> Plan:
    """What matters to the person, in their own words."""
    author = _author(member=member, person=person, involvement=involvement)
    what_matters = what_matters.strip()
    if len(what_matters) > WHAT_MATTERS_LIMIT:
        raise ValidationFailed(
            f"Keep it to {WHAT_MATTERS_LIMIT:,} characters or fewer. "
            f"You have written {len(what_matters):,}.",
            field="what_matters",
        )
    plan = _plan_for(involvement)
    plan.what_matters = what_matters
    plan.what_matters_by = author.member
    plan.is_what_matters_by_person = author.person is not None
    plan.full_clean()
    plan.save(
        update_fields=[
            "what_matters",
            "what_matters_by",
            "is_what_matters_by_person",
            "updated_at",
        ]
    )
    author.audit(
        subject=SubjectType.PLAN,
        subject_id=plan.pk,
        person_id=involvement.person_id,
        purpose=Purpose.PLAN,
    )
    return plan


@transaction.atomic
def goal_add(
    *,
    involvement: Involvement,
    member: TeamMember | None = None,
    person: Person | None = None,
    text: str,
    domain: str,
    score: int | None = None,
    recorded_on: dt.date | None = None,
) -> Goal:
    """A goal in the person's words, in one part of their life, with where they are now."""
    author = _author(member=member, person=person, involvement=involvement)
    text = _plan_text(
        text,
        field="text",
        missing=author.says(staff="Write the goal in the person's words", person="Write your goal"),
    )
    if domain not in LifeDomain.values:
        raise ValidationFailed(
            author.says(
                staff="Select the part of life this goal is about",
                person="Select the part of your life this goal is about",
            ),
            field="domain",
        )
    goal = Goal(
        plan=_plan_for(involvement),
        text=text,
        domain=domain,
        added_by=author.member,
        is_added_by_person=author.person is not None,
    )
    goal.full_clean()
    goal.save()
    author.audit(
        subject=SubjectType.GOAL,
        subject_id=goal.pk,
        person_id=involvement.person_id,
        purpose=Purpose.PLAN,
    )
    if score is not None:
        goal_progress_record(
            goal=goal,
            member=member,
            person=person,
            score=score,
            recorded_on=recorded_on or timezone.localdate(),
        )
    return goal


@transaction.atomic
def goal_progress_record(
    *,
    goal: Goal,
    member: TeamMember | None = None,
    person: Person | None = None,
    score: int,
    recorded_on: dt.date,
) -> GoalProgress:
    """Where the person feels they are with a goal today: 0 not started, 10 there."""
    involvement = goal.plan.involvement
    author = _author(member=member, person=person, involvement=involvement)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValidationFailed("Progress must be a number from 0 to 10", field="score")
    if recorded_on > timezone.localdate():
        raise ValidationFailed("The date must be today or in the past", field="recorded_on")
    progress = GoalProgress(
        goal=goal,
        recorded_by=author.member,
        is_recorded_by_person=author.person is not None,
        score=score,
        recorded_on=recorded_on,
    )
    progress.full_clean()
    progress.save()
    author.audit(
        subject=SubjectType.GOAL_PROGRESS,
        subject_id=progress.pk,
        person_id=involvement.person_id,
        purpose=Purpose.PLAN,
    )
    return progress


@transaction.atomic
def step_add(
    *,
    involvement: Involvement,
    member: TeamMember | None = None,
    person: Person | None = None,
    text: str,
    who: str,
    due_on: dt.date | None = None,
    goal: Goal | None = None,
) -> Step:
    """A step towards what matters, and who does it: the person, their worker, a volunteer or
    a community group."""
    author = _author(member=member, person=person, involvement=involvement)
    text = _plan_text(text, field="text", missing="Write the step")
    if who not in StepOwner.values:
        raise ValidationFailed("Select who does this step", field="who")
    plan = _plan_for(involvement)
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationFailed(
            author.says(staff="Choose one of this plan's goals", person="Choose one of your goals"),
            field="goal",
        )
    step = Step(
        plan=plan,
        goal=goal,
        text=text,
        who=who,
        due_on=due_on,
        added_by=author.member,
        is_added_by_person=author.person is not None,
    )
    step.full_clean()
    step.save()
    author.audit(
        subject=SubjectType.STEP,
        subject_id=step.pk,
        person_id=involvement.person_id,
        purpose=Purpose.PLAN,
    )
    return step


@transaction.atomic
def step_done(
    *, step: Step, member: TeamMember | None = None, person: Person | None = None
) -> Step:
    involvement = step.plan.involvement
    author = _author(member=member, person=person, involvement=involvement)
    if step.done_at is not None:
        raise ValidationFailed("This step is already done", field="step")
    step.done_at = timezone.now()
    step.done_by = author.member
    step.is_done_by_person = author.person is not None
    step.save(update_fields=["done_at", "done_by", "is_done_by_person", "updated_at"])
    author.audit(
        subject=SubjectType.STEP,
        subject_id=step.pk,
        person_id=involvement.person_id,
        purpose=Purpose.STEP_DONE,
    )
    return step


# The safety plan, written with the person: by a member of staff with them, or by the person from
# their own account, one section at a time, so two people writing at once never undo each other.

SAFETY_PLAN_TEXT_LIMIT = 2_000


def _safety_plan_text(value: str) -> str:
    """One thing to a line, as written: line endings made one kind, spaces trimmed from each line
    and from the ends."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.strip() for line in lines).strip()
    if len(text) > SAFETY_PLAN_TEXT_LIMIT:
        raise ValidationFailed(
            f"Keep it to {SAFETY_PLAN_TEXT_LIMIT:,} characters or fewer. "
            f"You have written {len(text):,}.",
            field="text",
        )
    return text


@transaction.atomic
def safety_plan_write(
    *,
    involvement: Involvement,
    member: TeamMember | None = None,
    person: Person | None = None,
    section: str,
    text: str,
) -> SafetyPlanEntry:
    """What the person's safety plan says under one section, in their words (empty clears it).
    Only that section changes; writing what it already says changes nothing and is not audited.
    Each change records who made it and is audited as theirs ("safety_plan")."""
    author = _author(member=member, person=person, involvement=involvement)
    if section not in SafetyPlanSection.values:
        raise ValidationFailed("Choose a section of the safety plan", field="section")
    text = _safety_plan_text(text)
    plan, _created = SafetyPlan.objects.get_or_create(involvement=involvement)
    written = {
        "text": text,
        "written_by": author.member,
        "is_written_by_person": author.person is not None,
    }
    entry, created = SafetyPlanEntry.objects.select_for_update().get_or_create(
        safety_plan=plan, section=section, defaults=written
    )
    if not created:
        if entry.text == text:
            return entry
        for name, value in written.items():
            setattr(entry, name, value)
        entry.save(update_fields=[*written, "updated_at"])
    plan.save(update_fields=["updated_at"])
    author.audit(
        subject=SubjectType.SAFETY_PLAN,
        subject_id=plan.pk,
        person_id=involvement.person_id,
        purpose=Purpose.SAFETY_PLAN,
    )
    return entry
