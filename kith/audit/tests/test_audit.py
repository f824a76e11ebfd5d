"""The audit log is append-only in code and in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from kith.audit.models import AuditEvent, AuditImmutable, about_person_q
from kith.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_guard(settings: Any) -> None:
    """The test settings turn the SQLite guard off so flushes work; these tests need it on."""
    settings.KITH_AUDIT_DATABASE_GUARD = True


PERSON_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _record() -> AuditEvent:
    audit_record(
        actor_type="staff",
        actor_id="42",
        action="read",
        subject_type="ask",
        subject_id="ask-1",
        person_id=PERSON_ID,
        purpose="huddle",
    )
    return AuditEvent.objects.get()


def test_given_a_read_when_recorded_then_one_event_holds_codes_and_ids() -> None:
    event = _record()

    assert (event.actor_type, event.actor_id, event.action) == ("staff", "42", "read")
    assert (event.subject_type, event.subject_id, event.person_id) == ("ask", "ask-1", PERSON_ID)
    assert (event.purpose, event.outcome) == ("huddle", "ok")


def test_given_an_event_when_saved_again_then_code_refuses() -> None:
    event = _record()
    event.outcome = "denied"

    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    assert AuditEvent.objects.get().outcome == "ok"


def test_given_an_event_when_a_queryset_updates_it_then_the_database_refuses() -> None:
    _record()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(outcome="denied")

    assert AuditEvent.objects.get().outcome == "ok"


def test_given_an_event_when_a_queryset_deletes_it_then_the_database_refuses() -> None:
    _record()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_given_an_event_when_raw_sql_deletes_it_then_the_database_refuses() -> None:
    _record()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.count() == 1


def test_given_free_text_too_long_for_a_code_when_recorded_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="audit subject_type is longer than 40 characters"):
        audit_record(
            actor_type="staff",
            actor_id="42",
            action="read",
            subject_type="I have been feeling very low since my mum died",
            subject_id="1",
            person_id=None,
        )

    assert AuditEvent.objects.count() == 0


def test_given_an_unknown_outcome_when_recorded_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="audit outcome must be one of ok, denied, failed"):
        audit_record(
            actor_type="staff",
            actor_id="42",
            action="read",
            subject_type="ask",
            subject_id="1",
            person_id=None,
            outcome="maybe",
        )


ANOTHER_ID = uuid.UUID("00000000-0000-4000-8000-000000000002")
NOBODY_ID = uuid.UUID("00000000-0000-4000-8000-000000000003")


def test_given_an_event_about_many_people_then_each_of_them_finds_it_and_nobody_else() -> None:
    # given: an event about one person alone, and a view of the board that showed two people
    # (one of them twice)
    _record()
    audit_record(
        actor_type="staff",
        actor_id="42",
        action="read",
        subject_type="huddle_board",
        subject_id="team-1",
        person_id=None,
        person_ids=[PERSON_ID, ANOTHER_ID, PERSON_ID],
        purpose="huddle",
    )
    # when
    found = {
        person_id: sorted(
            AuditEvent.objects.filter(about_person_q(person_id)).values_list(
                "subject_type", flat=True
            )
        )
        for person_id in (PERSON_ID, ANOTHER_ID, NOBODY_ID)
    }
    # then
    board = AuditEvent.objects.get(subject_type="huddle_board")
    assert board.person_ids == [str(PERSON_ID), str(ANOTHER_ID)]
    assert found == {
        PERSON_ID: ["ask", "huddle_board"],
        ANOTHER_ID: ["huddle_board"],
        NOBODY_ID: [],
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_given_postgresql_a_persons_events_are_found_through_the_gin_index() -> None:
    # given
    _record()
    query = AuditEvent.objects.filter(about_person_q(PERSON_ID))
    # when: the planner may not pick a sequential scan (the table is tiny)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    # then
    assert "audit_auditevent_person_ids_gin" in plan
