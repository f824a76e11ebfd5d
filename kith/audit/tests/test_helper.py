"""`audit`: one helper for every event. The actor is a person, a member of staff or Kith; the
subject a model instance or a (type, id); every code comes from kith.audit.events and is stored
as it always was."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model

from kith.asks.models import Ask
from kith.audit.events import Action, ActorType, Outcome, Purpose, SubjectType
from kith.audit.models import AuditEvent
from kith.audit.services import SYSTEM, Actor, actor_of, audit, subject_of
from kith.care.models import SafetyPlan
from kith.care.tests.factories import member_make, person_make, team_make
from kith.outcomes.models import MeasureResponse
from kith.people.models import Consent

pytestmark = pytest.mark.django_db

TEAM_ID = uuid.UUID("00000000-0000-4000-8000-00000000000a")


def _stored() -> tuple[str, ...]:
    event = AuditEvent.objects.get()
    return (
        event.actor_type,
        event.actor_id,
        event.action,
        event.subject_type,
        event.subject_id,
        str(event.person_id),
        event.purpose,
        event.outcome,
    )


def test_given_a_person_changing_their_own_details_then_the_row_is_as_it_always_was() -> None:
    # given
    sam = person_make()
    # when
    audit(sam, sam, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
    # then: the strings `audit_record(actor_type="person", ...)` stored before
    assert _stored() == (
        "person",
        str(sam.pk),
        "change",
        "person",
        str(sam.pk),
        str(sam.pk),
        "contact_details",
        "ok",
    )


def test_given_a_team_member_reading_an_ask_then_they_act_as_their_user() -> None:
    # given
    member = member_make(team=team_make())
    sam = person_make()
    ask = Ask(id=uuid.uuid4(), person=sam)
    # when
    audit(member, ask, action=Action.READ, purpose=Purpose.HUDDLE, outcome=Outcome.DENIED)
    # then: the ask's person is whose record it is
    assert _stored() == (
        "staff",
        str(member.user_id),
        "read",
        "ask",
        str(ask.pk),
        str(sam.pk),
        "huddle",
        "denied",
    )


def test_given_a_django_user_then_they_are_staff_by_their_own_id() -> None:
    user = get_user_model().objects.create_user(username="robin", password="a-long-pass-99")

    assert actor_of(user) == Actor(ActorType.STAFF, str(user.pk))
    assert actor_of(user) == Actor.staff(user.pk)


def test_given_kith_itself_and_a_view_of_many_then_the_subject_is_as_given() -> None:
    # given
    first, second = uuid.uuid4(), uuid.uuid4()
    # when
    audit(
        SYSTEM,
        (SubjectType.HUDDLE_BOARD, TEAM_ID),
        action=Action.READ,
        purpose=Purpose.HUDDLE,
        person_ids=[first, second, first],
    )
    # then
    event = AuditEvent.objects.get()
    assert (event.actor_type, event.actor_id) == ("system", "")
    assert (event.subject_type, event.subject_id, event.person_id) == (
        "huddle_board",
        str(TEAM_ID),
        None,
    )
    assert event.person_ids == [str(first), str(second)]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (SafetyPlan, "safety_plan"),
        (MeasureResponse, "measure_response"),
        (Consent, "consent"),
    ],
)
def test_given_a_model_then_its_subject_type_is_its_name_in_snake_case(
    model: type[SafetyPlan | MeasureResponse | Consent], expected: str
) -> None:
    subject = model(id=TEAM_ID)

    assert subject_of(subject) == (expected, str(TEAM_ID))


def test_given_an_explicit_person_id_then_it_wins_over_the_subjects() -> None:
    # given
    sam, alex = person_make(), person_make(email="alex@example.com")
    # when
    audit(Actor.person(sam.pk), alex, action=Action.READ, purpose=Purpose.SEARCH, person_id=None)
    # then
    event = AuditEvent.objects.get()
    assert (event.actor_type, event.actor_id, event.person_id) == ("person", str(sam.pk), None)


def test_given_a_code_that_is_not_in_its_enum_then_nothing_is_recorded() -> None:
    sam = person_make()

    with pytest.raises(ValueError, match="'looked' is not a valid Action"):
        audit(sam, sam, action="looked", purpose=Purpose.DOWNLOAD)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'curious' is not a valid Purpose"):
        audit(sam, sam, action=Action.READ, purpose="curious")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Team is not an audit subject: add it to SubjectType"):
        audit(sam, team_make(), action=Action.READ, purpose=Purpose.HUDDLE)
    with pytest.raises(TypeError, match="Not an audit actor: str"):
        audit("staff", sam, action=Action.READ, purpose=Purpose.HUDDLE)  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == 0


def test_given_the_access_log_wording_then_every_key_is_a_code_of_the_enums() -> None:
    from kith.record.presenters import CHANGED, HELD_BACK_WHY, PERSON_DID, READ_WHY, SYSTEM_DID

    purposes = {*READ_WHY, *CHANGED, *HELD_BACK_WHY}
    pairs = {*PERSON_DID, *SYSTEM_DID}

    assert purposes <= set(Purpose.values)
    assert {action for action, _ in pairs} <= set(Action.values)
    assert {purpose for _, purpose in pairs} - {""} <= set(Purpose.values)


def test_given_the_codes_other_apps_turn_into_purposes_then_each_is_a_purpose() -> None:
    # Purposes made from another enum's value at run time: a new member there must be added here.
    from kith.care.models import HoldBackReason
    from kith.core.staff_sessions import EndReason
    from kith.people.models import ConsentHow, SignInToken

    made = {
        *HoldBackReason.values,
        *ConsentHow.values,
        *(f"sign_in_{kind}" for kind in SignInToken.Kind.values),
        *(f"staff-session-{reason}" for reason in EndReason),
        *(f"return_by_verified_{contact}" for contact in ("email", "phone")),
    }

    assert made - set(Purpose.values) == set()
