"""Writes about members of staff."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from kith.audit.events import Action, Purpose
from kith.audit.services import audit
from kith.core.staff_sessions import staff_sessions_end
from kith.teams.models import TeamMember


@transaction.atomic
def member_deactivate(*, member: TeamMember, by: AbstractBaseUser) -> TeamMember:
    """`by` ends `member`'s membership of the team: it is no longer active, and every session the
    member is signed in with ends now, whatever page it is on. Audited. Deactivating someone
    already inactive still ends any session they have left."""
    if member.is_active:
        member.is_active = False
        member.save(update_fields=["is_active", "updated_at"])
    staff_sessions_end(user=member.user)
    audit(by, member, action=Action.CHANGE, purpose=Purpose.DEACTIVATE, person_id=None)
    return member
