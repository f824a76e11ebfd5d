"""The append-only audit log of access to personal data.

No field holds free text of a person's record: only who, what kind of thing, which id, when, why
(a short purpose code) and the outcome. The database refuses UPDATE and DELETE (see migration 0002).
"""

from __future__ import annotations

import uuid

from django.db import models


class AuditEvent(models.Model):
    class ActorType(models.TextChoices):
        PERSON = "person", "The person"
        STAFF = "staff", "Staff member"
        SYSTEM = "system", "Kith"

    class Outcome(models.TextChoices):
        OK = "ok", "Allowed"
        DENIED = "denied", "Refused"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64, blank=True)
    # Not a foreign key: events outlive the person's record, and carry no personal data.
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OK)

    class Meta:
        ordering = ["-at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_type} {self.action} {self.subject_type} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditImmutable("Audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("Audit events are append-only")


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""
