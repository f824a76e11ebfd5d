"""Writes to the audit log.

The contract, binding on every app:

- Every read or change of a person's data by anyone other than that person (staff, volunteers,
  Kith itself acting on someone's behalf) calls `audit` in the same request, before the data is
  shown or returned. The person's own actions that change their record (contact details,
  export, closing the account, signing in) are recorded too, so the log is complete.
- Call it from `access_*` functions and services, never from templates. Interfaces (views, api)
  never query personal-data models directly (`kith/core/lint.py` enforces this).
- `audit(actor, subject, action=..., purpose=...)`: the actor is a Person, a member of staff (a
  TeamMember or their Django user) or `SYSTEM` (Kith itself); the subject is a model instance
  (its type and id are taken from it) or `(SubjectType.X, id)` for a view of many people. Every
  code is a member of an enum in `kith.audit.events` (Action, SubjectType, Purpose, Outcome);
  nothing else is stored. NEVER free text of the record: no names, contact details, words a
  person wrote. `audit_record` underneath writes the row; nothing outside kith.audit calls it.
- An event about many people at once (a view of the huddle board) is one event with
  `person_ids`, never a row per person: each of them still finds it in their log.
- Events are append-only: code cannot change or delete them and the database refuses UPDATE and
  DELETE. Erasing a person leaves their events, which hold nothing but ids and codes.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeGuard

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from kith.audit.events import Action, ActorType, Outcome, Purpose, SubjectType
from kith.audit.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acted, as the log keeps it: a type and an id (a person's id, a staff user's id)."""

    type: ActorType
    id: str = ""

    @classmethod
    def person(cls, person_id: uuid.UUID) -> Actor:
        """The person with this id, when the code has their id and not the Person."""
        return cls(ActorType.PERSON, str(person_id))

    @classmethod
    def staff(cls, user_id: object) -> Actor:
        """A member of staff by their user id, when the code has no user or membership."""
        return cls(ActorType.STAFF, str(user_id))


SYSTEM = Actor(ActorType.SYSTEM)


class StaffMember(Protocol):
    """A member of staff as the teams app has them (`TeamMember`): they act as their user."""

    @property
    def user_id(self) -> Any: ...


# A Person is recognised by the model `KITH_AUDIT_PERSON_MODEL` names ("people.Person"), the way
# Django's auth names its user model: kith.audit imports nothing of the apps above it.
type ActorLike = Actor | AbstractBaseUser | StaffMember | models.Model
type SubjectLike = models.Model | tuple[SubjectType, object]


class _FromSubject(enum.Enum):
    FROM_SUBJECT = enum.auto()


FROM_SUBJECT: Literal[_FromSubject.FROM_SUBJECT] = _FromSubject.FROM_SUBJECT


def _is_person(value: object) -> TypeGuard[models.Model]:
    return isinstance(value, apps.get_model(settings.KITH_AUDIT_PERSON_MODEL))


def actor_of(actor: ActorLike) -> Actor:
    """The log's actor for a Person, a member of staff (TeamMember or user), or an `Actor`."""
    if isinstance(actor, Actor):
        return Actor(ActorType(actor.type), actor.id)
    if isinstance(actor, AbstractBaseUser):
        return Actor(ActorType.STAFF, str(actor.pk))
    if _is_person(actor):
        return Actor(ActorType.PERSON, str(actor.pk))
    user_id = getattr(actor, "user_id", None)
    if user_id is not None:
        return Actor(ActorType.STAFF, str(user_id))
    raise TypeError(f"Not an audit actor: {type(actor).__name__}")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def subject_of(subject: SubjectLike) -> tuple[SubjectType, str]:
    """The subject type and id: a model's own (`SafetyPlan` is "safety_plan"), or as given."""
    if isinstance(subject, tuple):
        kind, subject_id = subject
        return SubjectType(kind), str(subject_id)
    try:
        kind = SubjectType(_snake(type(subject).__name__))
    except ValueError:
        raise ValueError(
            f"{type(subject).__name__} is not an audit subject: add it to SubjectType"
        ) from None
    return kind, str(subject.pk)


def _person_id_of(subject: SubjectLike) -> uuid.UUID | None:
    """Whose record a subject is part of: the person themself, or its `person_id`."""
    if isinstance(subject, tuple):
        return None
    if _is_person(subject):
        person_id: uuid.UUID = subject.pk
        return person_id
    return getattr(subject, "person_id", None)


def audit(
    actor: ActorLike,
    subject: SubjectLike,
    *,
    action: Action,
    purpose: Purpose,
    outcome: Outcome = Outcome.OK,
    person_id: uuid.UUID | None | Literal[_FromSubject.FROM_SUBJECT] = FROM_SUBJECT,
    person_ids: Sequence[uuid.UUID] | None = None,
) -> None:
    """Append one event: `actor` did `action` to `subject` for `purpose`.

    Whose record it is (`person_id`) comes from the subject (a Person, or anything with a
    `person_id`) unless given; pass it for a subject that belongs to a person only through
    another row (a note, a plan), or None. `person_ids` lists everyone a view of many people
    showed. A code that is not a member of its enum is refused with ValueError."""
    who = actor_of(actor)
    kind, subject_id = subject_of(subject)
    audit_record(
        actor_type=who.type,
        actor_id=who.id,
        action=Action(action),
        subject_type=kind,
        subject_id=subject_id,
        person_id=_person_id_of(subject) if person_id is FROM_SUBJECT else person_id,
        purpose=Purpose(purpose),
        outcome=Outcome(outcome),
        person_ids=person_ids,
    )


_MAX = {"actor_type": 16, "actor_id": 64, "action": 40, "subject_type": 40, "subject_id": 64}


def audit_record(
    *,
    actor_type: str,
    actor_id: str,
    action: str,
    subject_type: str,
    subject_id: str,
    person_id: uuid.UUID | None,
    purpose: str = "",
    outcome: str = "ok",
    person_ids: Sequence[uuid.UUID] | None = None,
) -> None:
    """Append one event (use `audit`, which checks every code against `kith.audit.events`).
    Values are codes and ids; over-long values are refused, not truncated.
    `person_ids` lists everyone an event about many people showed (each once, in order)."""
    values = {
        "actor_type": actor_type,
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
    }
    for name, value in values.items():
        if len(value) > _MAX[name]:
            raise ValueError(f"audit {name} is longer than {_MAX[name]} characters")
    if len(purpose) > 60:
        raise ValueError("audit purpose is longer than 60 characters")
    if outcome not in Outcome.values:
        raise ValueError(f"audit outcome must be one of {', '.join(Outcome.values)}")
    AuditEvent.objects.create(
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        person_id=person_id,
        purpose=purpose,
        outcome=outcome,
        person_ids=None if person_ids is None else [str(i) for i in dict.fromkeys(person_ids)],
    )
