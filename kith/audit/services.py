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
- An event about many people at once (a view of the huddle board) is one event with
  `person_ids`, never a row per person: each of them still finds it in their log.
- Events are append-only: code cannot change or delete them and the database refuses UPDATE and
  DELETE. Erasing a person leaves their events, which hold nothing but ids and codes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

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
    person_ids: Sequence[uuid.UUID] | None = None,
) -> None:
    """Append one event. Values are codes and ids; over-long values are refused, not truncated.
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
        person_ids=None if person_ids is None else [str(i) for i in dict.fromkeys(person_ids)],
    )
