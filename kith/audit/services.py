"""Writes to the audit log.

The contract, binding on every app:

- Every read or change of a person's data by anyone other than that person (staff, volunteers,
  Kith itself acting on someone's behalf) calls `audit_record` in the same request, before the
  data is shown or returned. The person's own actions that change their record (contact details,
  export, closing the account, signing in) are recorded too, so the log is complete.
- Call it from `access_*` functions and services, never from templates. Interfaces (views, api)
  never query personal-data models directly (`kith/core/lint.py` enforces this).
- Pass only identifiers and short codes: `action` ("read", "change", "export", "erase",
  "sign_in"...), `subject_type` (a model name such as "ask" or "person"), `subject_id`, `purpose`
  (a short reason code such as "huddle" or "first_conversation"), `outcome` ("ok", "denied",
  "failed"). NEVER free text of the record: no names, contact details, words a person wrote.
- Events are append-only: code cannot change or delete them and the database refuses UPDATE and
  DELETE. Erasing a person leaves their events, which hold nothing but ids and codes.
"""

from __future__ import annotations

import uuid

from kith.audit.models import AuditEvent

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
) -> None:
    """Append one event. Values are codes and ids; over-long values are refused, not truncated."""
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
    if outcome not in AuditEvent.Outcome.values:
        raise ValueError(f"audit outcome must be one of {', '.join(AuditEvent.Outcome.values)}")
    AuditEvent.objects.create(
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        person_id=person_id,
        purpose=purpose,
        outcome=outcome,
    )


def audit_record_many(
    *,
    actor_type: str,
    actor_id: str,
    action: str,
    subjects: list[tuple[str, str, uuid.UUID | None]],
    purpose: str = "",
) -> None:
    """Append one event per (subject_type, subject_id, person_id), in one query: for lists such
    as the huddle board, so the number of queries does not grow with the rows shown."""
    if not subjects:
        return
    for subject_type, subject_id, _person_id in subjects:
        if len(subject_type) > _MAX["subject_type"] or len(subject_id) > _MAX["subject_id"]:
            raise ValueError("audit subject is too long")
    if len(actor_type) > _MAX["actor_type"] or len(actor_id) > _MAX["actor_id"]:
        raise ValueError("audit actor is too long")
    if len(action) > _MAX["action"] or len(purpose) > 60:
        raise ValueError("audit action or purpose is too long")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            person_id=person_id,
            purpose=purpose,
        )
        for subject_type, subject_id, person_id in subjects
    )
