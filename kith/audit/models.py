"""The append-only audit log of access to personal data.

No field holds free text of a person's record: only who, what kind of thing, which id, when, why
(a short purpose code) and the outcome. The database refuses UPDATE and DELETE (see migration 0002).

One event may be about many people at once (a view of the huddle board): `person_ids` lists them,
and `about_person_q` finds a person's events either way.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler

from kith.audit.events import ActorType, Outcome


class AuditEvent(models.Model):
    # The codes live in `kith.audit.events`; these names are kept for readers of the model.
    ActorType = ActorType
    Outcome = Outcome

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64, blank=True)
    # Not a foreign key: events outlive the person's record, and carry no personal data.
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    # For an event about many people at once, their ids as a JSON list of strings (else null).
    # PostgreSQL indexes it with GIN (migration 0003), so `about_person_q` stays an index scan.
    person_ids = models.JSONField(null=True, blank=True)
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


class ListsId(models.Lookup):
    """`person_ids` lists this id: a GIN-indexed `@>` on PostgreSQL, `json_each` elsewhere
    (SQLite, where Django's JSONField `contains` is not supported)."""

    lookup_name = "lists_id"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return ("%s", [str(value)])

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        # `lhs` is the column as Django compiles it; the id is a parameter.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608
        return sql, (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", (*lhs_params, json.dumps(list(rhs_params)))


AuditEvent._meta.get_field("person_ids").register_lookup(ListsId)


def about_person_q(person_id: uuid.UUID) -> Q:
    """Events about the person: theirs alone (`person_id`) or listing them among others."""
    return Q(person_id=person_id) | Q(person_ids__lists_id=person_id)


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""
