"""Reads for the team workspace. They never write and never audit: `access.py` does both.

Each returns rows with what the page needs already joined, so a page's query count stays
constant however many asks, people and notes there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from kith.asks.models import Ask, AskStatus
from kith.care.models import (
    Conversation,
    Involvement,
    InvolvementStatus,
    Note,
    Team,
    TeamMember,
)

if TYPE_CHECKING:
    from kith.people.models import Person


def member_active_for_user(user: AbstractBaseUser | AnonymousUser) -> TeamMember | None:
    """The user's active team membership, with its team, or None."""
    if not user.is_authenticated:
        return None
    return (
        TeamMember.objects.select_related("team", "user")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )


def team_members_active(*, team: Team) -> list[TeamMember]:
    return list(team.members.filter(is_active=True).order_by("display_name", "id"))


@dataclass(frozen=True)
class BoardAsk:
    ask: Ask
    waited: dt.timedelta
    response_time: dt.timedelta

    @property
    def is_overdue(self) -> bool:
        return self.waited > self.response_time

    @property
    def is_returning(self) -> bool:
        """They worked with the team before: the ask came back to an earlier involvement."""
        involvement = self.ask.involvement
        return involvement is not None and involvement.created_at < self.ask.created_at


@dataclass(frozen=True)
class HuddleBoard:
    team: Team
    new_asks: list[BoardAsk] = field(default_factory=list)
    next_steps_due: list[Involvement] = field(default_factory=list)

    @property
    def returning(self) -> list[BoardAsk]:
        return [item for item in self.new_asks if item.is_returning]


def asks_awaiting_first_conversation(*, team: Team) -> list[Ask]:
    """New asks for the team: urgent first, then oldest."""
    return list(
        Ask.objects.filter(
            team=team,
            status=AskStatus.NEW,
            first_conversation_at__isnull=True,
            restricted_at__isnull=True,
        )
        .select_related("worker", "involvement")
        .order_by("-is_urgent", "created_at", "id")
    )


def involvements_with_next_step_due(*, team: Team, today: dt.date) -> list[Involvement]:
    return list(
        Involvement.objects.filter(
            team=team, status=InvolvementStatus.OPEN, next_step_due_on__lte=today
        )
        .select_related("worker")
        .order_by("next_step_due_on", "created_at", "id")
    )


def huddle_board_for_team(*, team: Team, now: dt.datetime) -> HuddleBoard:
    response_time = dt.timedelta(hours=team.response_time_hours)
    new_asks = [
        BoardAsk(ask=ask, waited=now - ask.created_at, response_time=response_time)
        for ask in asks_awaiting_first_conversation(team=team)
    ]
    today = timezone.localtime(now).date()
    return HuddleBoard(
        team=team,
        new_asks=new_asks,
        next_steps_due=involvements_with_next_step_due(team=team, today=today),
    )


def ask_for_team(*, ask_id: UUID, team: Team) -> Ask | None:
    return (
        Ask.objects.select_related("team", "worker", "involvement")
        .prefetch_related("notes")
        .filter(pk=ask_id, team=team, restricted_at__isnull=True)
        .first()
    )


def involvement_for_team(*, involvement_id: UUID, team: Team) -> Involvement | None:
    return (
        Involvement.objects.select_related("team", "worker", "person")
        .filter(pk=involvement_id, team=team)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "ask", "conversation", "note"
    item: Ask | Conversation | Note


def involvement_timeline(*, involvement: Involvement) -> list[TimelineEntry]:
    """Asks, conversations and notes, oldest first: three queries whatever the length."""
    entries = [
        TimelineEntry(at=ask.created_at, kind="ask", item=ask)
        for ask in involvement.asks.filter(restricted_at__isnull=True)
    ]
    entries += [
        TimelineEntry(at=conversation.happened_at, kind="conversation", item=conversation)
        for conversation in involvement.conversations.select_related("author")
    ]
    entries += [
        TimelineEntry(at=note.created_at, kind="note", item=note)
        for note in involvement.notes.select_related("author")
    ]
    return sorted(entries, key=lambda entry: (entry.at, entry.kind))


def involvement_latest_for_person(*, person: Person) -> Involvement | None:
    return (
        Involvement.objects.select_related("team", "worker")
        .filter(person=person)
        .order_by("-created_at", "-id")
        .first()
    )


def notes_for_person(person: Person) -> list[Note]:
    """The notes a person sees on /my/: every note about them except those held back, newest
    first, with the team and the author's role."""
    return list(
        Note.objects.filter(involvement__person=person)
        .filter(Q(held_back_reason=""))
        .select_related("author", "involvement__team")
        .order_by("-created_at", "-id")
    )
