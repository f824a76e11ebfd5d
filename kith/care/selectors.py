"""Reads for the team workspace. They never write and never audit: `access.py` does both.

Each returns rows with what the page needs already joined, so a page's query count stays
constant however many asks, people and notes there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from kith.asks.models import Ask, AskStatus
from kith.care.areas import area_contains
from kith.care.consent import consent_visible_q
from kith.care.models import (
    Conversation,
    Goal,
    GoalProgress,
    Involvement,
    InvolvementStatus,
    Note,
    Plan,
    Step,
    Team,
    TeamMember,
)
from kith.core.pagination import Page, page_of
from kith.directory.selectors.services import service_by_id
from kith.outcomes.measures import measures
from kith.outcomes.models import CompletedBy, MeasureResponse

if TYPE_CHECKING:
    from kith.directory.models import Service
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


def team_whose_area_holds(*, latitude: float, longitude: float) -> Team | None:
    """The team whose area holds the point, the most local (smallest bounding box) when several
    do. One query: SQL keeps only the teams whose bounding box holds the point, so only their
    areas are loaded and tested, however many teams there are."""
    candidates = Team.objects.filter(
        area_min_latitude__lte=latitude,
        area_max_latitude__gte=latitude,
        area_min_longitude__lte=longitude,
        area_max_longitude__gte=longitude,
    )

    def size(team: Team) -> float:
        height = (team.area_max_latitude or 0.0) - (team.area_min_latitude or 0.0)
        width = (team.area_max_longitude or 0.0) - (team.area_min_longitude or 0.0)
        return height * width

    for team in sorted(candidates, key=lambda team: (size(team), team.name, str(team.pk))):
        if team.area and area_contains(team.area, latitude=latitude, longitude=longitude):
            return team
    return None


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
class BoardPages:
    """Which page of each section of the board to show."""

    new_asks: int = 1
    next_steps_due: int = 1
    same_day_calls: int = 1
    returning: int = 1


@dataclass(frozen=True)
class HuddleBoard:
    """The board, a page of each section (each at most `PER_PAGE` rows, with its total)."""

    team: Team
    new_asks: Page[BoardAsk]
    next_steps_due: Page[Involvement]
    # Open involvements with a risk-flagged measure today (PHQ-9 item 9 above zero): a human
    # calls the person the same day. Kith never decides anything from a score on its own.
    same_day_calls: Page[Involvement]
    # New asks from people the team worked with before.
    returning: Page[BoardAsk]

    @property
    def person_ids(self) -> list[UUID]:
        """Everyone the board shows, each once, in the order of the page."""
        ids = [item.ask.person_id for item in (*self.new_asks, *self.returning)]
        ids += [i.person_id for i in (*self.next_steps_due, *self.same_day_calls)]
        return list(dict.fromkeys(i for i in ids if i is not None))


def _asks_awaiting_first_conversation(*, team: Team, organisation_name: str) -> QuerySet[Ask]:
    return (
        Ask.objects.filter(
            team=team,
            status=AskStatus.NEW,
            first_conversation_at__isnull=True,
            restricted_at__isnull=True,
        )
        .filter(consent_visible_q(team=team, organisation_name=organisation_name))
        .select_related("worker", "involvement")
        .order_by("-is_urgent", "created_at", "id")
    )


def asks_awaiting_first_conversation(
    *, team: Team, organisation_name: str = "", page: int = 1
) -> Page[Ask]:
    """New asks for the team, a page of them: urgent first, then oldest. Only asks whose person
    shares their record with the team (and not withheld from `organisation_name`), or with no
    person yet."""
    asks = _asks_awaiting_first_conversation(team=team, organisation_name=organisation_name)
    return page_of(asks, number=page)


def asks_returning(*, team: Team, organisation_name: str = "", page: int = 1) -> Page[Ask]:
    """The new asks that came back to an earlier involvement with the team, in the same order."""
    asks = _asks_awaiting_first_conversation(team=team, organisation_name=organisation_name)
    return page_of(asks.filter(involvement__created_at__lt=F("created_at")), number=page)


def _involvements_open(*, team: Team, organisation_name: str) -> QuerySet[Involvement]:
    return (
        Involvement.objects.filter(team=team, status=InvolvementStatus.OPEN)
        .filter(consent_visible_q(team=team, organisation_name=organisation_name))
        .select_related("worker")
        .order_by("next_step_due_on", "created_at", "id")
    )


def involvements_with_next_step_due(
    *, team: Team, today: dt.date, organisation_name: str = "", page: int = 1
) -> Page[Involvement]:
    """Open involvements with a next step due by `today`, earliest first, a page of them; only
    those the person shares with the team (and has not withheld from `organisation_name`)."""
    involvements = _involvements_open(team=team, organisation_name=organisation_name)
    return page_of(involvements.filter(next_step_due_on__lte=today), number=page)


def involvements_needing_same_day_call(
    *, team: Team, today: dt.date, organisation_name: str = "", page: int = 1
) -> Page[Involvement]:
    """Open involvements with a risk-flagged measure completed `today`, a page of them; only
    those the person shares with the team (and has not withheld from `organisation_name`)."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    risk_today = MeasureResponse.objects.filter(
        involvement=models.OuterRef("pk"),
        is_risk=True,
        completed_at__gte=start,
        completed_at__lt=start + dt.timedelta(days=1),
    )
    involvements = _involvements_open(team=team, organisation_name=organisation_name)
    return page_of(involvements.filter(models.Exists(risk_today)), number=page)


def huddle_board_for_team(
    *,
    team: Team,
    now: dt.datetime,
    organisation_name: str = "",
    pages: BoardPages = BoardPages(),  # noqa: B008 - frozen, so one shared default is safe
) -> HuddleBoard:
    """The team's board as a member of `organisation_name` may see it, one query per section
    however long each is: people who stopped sharing with the team, or withheld their record
    from that organisation, are not on it."""
    response_time = dt.timedelta(hours=team.response_time_hours)

    def waiting(ask: Ask) -> BoardAsk:
        return BoardAsk(ask=ask, waited=now - ask.created_at, response_time=response_time)

    today = timezone.localtime(now).date()
    organisation = organisation_name  # the member's, as each section filters by it
    return HuddleBoard(
        team=team,
        new_asks=asks_awaiting_first_conversation(
            team=team, organisation_name=organisation, page=pages.new_asks
        ).map(waiting),
        next_steps_due=involvements_with_next_step_due(
            team=team, today=today, organisation_name=organisation, page=pages.next_steps_due
        ),
        same_day_calls=involvements_needing_same_day_call(
            team=team, today=today, organisation_name=organisation, page=pages.same_day_calls
        ),
        returning=asks_returning(
            team=team, organisation_name=organisation, page=pages.returning
        ).map(waiting),
    )


def ask_for_team(*, ask_id: UUID, team: Team) -> Ask | None:
    return (
        Ask.objects.select_related("team", "worker", "involvement")
        .prefetch_related("notes")
        .filter(pk=ask_id, team=team, restricted_at__isnull=True)
        .first()
    )


def ask_latest_for_involvement(*, involvement: Involvement) -> Ask | None:
    """The newest ask that came to the involvement: what the person last told the team (their
    language and access needs, say). Restricted asks are left out, as everywhere for staff."""
    return (
        involvement.asks.filter(restricted_at__isnull=True).order_by("-created_at", "-id").first()
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
    # "ask", "conversation", "note", "plan", "goal", "progress", "step", "step_done", "measure",
    # "closed"
    kind: str
    item: (
        Ask
        | Conversation
        | Note
        | Plan
        | Goal
        | GoalProgress
        | Step
        | MeasureResponse
        | Involvement
    )
    # Who made a plan change: a member of staff, or the person from their own account.
    by_member: TeamMember | None = None
    by_person: bool = False
    # "measure": the measure's name. "closed": the community support they were connected to.
    label: str = ""
    service: Service | None = None


# The record page shows the newest entries and pages back through the rest, so a record of
# years costs the same to draw as a new one.
TIMELINE_PAGE = 100


@dataclass(frozen=True)
class Window:
    """Which entries to read: those before `before` (all when None), newest first, at most
    `limit` of each kind (all when None)."""

    before: dt.datetime | None = None
    limit: int | None = None

    def apply[M: models.Model](
        self, queryset: models.QuerySet[M], field: str
    ) -> models.QuerySet[M] | list[M]:
        if self.before is not None:
            queryset = queryset.filter(**{f"{field}__lt": self.before})
        if self.limit is None:
            return queryset
        return list(queryset.order_by(f"-{field}", "-id")[: self.limit])


ALL = Window()


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]  # oldest first
    earlier: dt.datetime | None  # pass as `before` for the entries before these; None: no more


def involvement_timeline(*, involvement: Involvement, window: Window = ALL) -> list[TimelineEntry]:
    """Asks, conversations, notes, plan changes (steps are the tasks), measures and how it ended
    (with the community support they were connected to), oldest first. A fixed number of
    queries whatever the length: one per kind, and one for the service."""
    entries = [
        TimelineEntry(at=ask.created_at, kind="ask", item=ask)
        for ask in window.apply(involvement.asks.filter(restricted_at__isnull=True), "created_at")
    ]
    entries += [
        TimelineEntry(at=conversation.happened_at, kind="conversation", item=conversation)
        for conversation in window.apply(
            involvement.conversations.select_related("author"), "happened_at"
        )
    ]
    entries += [
        TimelineEntry(at=note.created_at, kind="note", item=note)
        for note in window.apply(involvement.notes.select_related("author"), "created_at")
    ]
    entries += plan_timeline(involvement=involvement, window=window)
    entries += measures_timeline(involvement=involvement, window=window)
    closed_at = involvement.closed_at
    if (
        involvement.status == InvolvementStatus.CLOSED
        and closed_at is not None
        and (window.before is None or closed_at < window.before)
    ):
        service = None
        if involvement.outcome_service_id is not None:
            service = service_by_id(service_id=involvement.outcome_service_id)
        entries.append(
            TimelineEntry(at=closed_at, kind="closed", item=involvement, service=service)
        )
    return sorted(entries, key=lambda entry: (entry.at, entry.kind))


def involvement_timeline_page(
    *, involvement: Involvement, before: dt.datetime | None = None, size: int = TIMELINE_PAGE
) -> TimelinePage:
    """The newest `size` entries before `before` (oldest first), and where the earlier ones
    start. Reads at most size + 1 rows of each kind, so the page costs the same however long
    the record is. Entries sharing the boundary's exact time stay together on this page."""
    newest_first = involvement_timeline(
        involvement=involvement, window=Window(before=before, limit=size + 1)
    )[::-1]
    if len(newest_first) <= size:
        return TimelinePage(entries=newest_first[::-1], earlier=None)
    boundary = newest_first[size - 1].at
    shown = [entry for entry in newest_first if entry.at >= boundary]
    more = len(shown) < len(newest_first)
    return TimelinePage(entries=shown[::-1], earlier=boundary if more else None)


def measures_timeline(*, involvement: Involvement, window: Window = ALL) -> list[TimelineEntry]:
    """Measures completed with a worker on this involvement, and by the person on their own
    (the staff measures page shows those too): one query."""
    mine = Q(involvement=involvement)
    if involvement.person_id is not None:
        mine |= Q(involvement__isnull=True, person_id=involvement.person_id)
    names = {code: definition.short_name for code, definition in measures().items()}
    responses = MeasureResponse.objects.filter(mine).select_related("member")
    return [
        TimelineEntry(
            at=response.completed_at,
            kind="measure",
            item=response,
            by_member=response.member,
            by_person=response.completed_by == CompletedBy.PERSON,
            label=names.get(response.code, response.code),
        )
        for response in window.apply(responses, "completed_at")
    ]


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


# The person-held plan.


def plan_timeline(*, involvement: Involvement, window: Window = ALL) -> list[TimelineEntry]:
    """Plan changes for the timeline, each with who made it: what matters, goals, progress, and
    steps added and done (five queries)."""
    entries: list[TimelineEntry] = [
        TimelineEntry(
            at=plan.updated_at,
            kind="plan",
            item=plan,
            by_member=plan.what_matters_by,
            by_person=plan.is_what_matters_by_person,
        )
        for plan in window.apply(
            Plan.objects.filter(involvement=involvement)
            .exclude(what_matters="")
            .select_related("what_matters_by"),
            "updated_at",
        )
    ]
    entries += [
        TimelineEntry(
            at=goal.created_at,
            kind="goal",
            item=goal,
            by_member=goal.added_by,
            by_person=goal.is_added_by_person,
        )
        for goal in window.apply(
            Goal.objects.filter(plan__involvement=involvement).select_related("added_by"),
            "created_at",
        )
    ]
    entries += [
        TimelineEntry(
            at=progress.created_at,
            kind="progress",
            item=progress,
            by_member=progress.recorded_by,
            by_person=progress.is_recorded_by_person,
        )
        for progress in window.apply(
            GoalProgress.objects.filter(goal__plan__involvement=involvement).select_related(
                "goal", "recorded_by"
            ),
            "created_at",
        )
    ]
    steps = Step.objects.filter(plan__involvement=involvement).select_related(
        "goal", "added_by", "done_by"
    )
    entries += [
        TimelineEntry(
            at=step.created_at,
            kind="step",
            item=step,
            by_member=step.added_by,
            by_person=step.is_added_by_person,
        )
        for step in window.apply(steps, "created_at")
    ]
    entries += [
        TimelineEntry(
            at=step.done_at,
            kind="step_done",
            item=step,
            by_member=step.done_by,
            by_person=step.is_done_by_person,
        )
        for step in window.apply(steps.filter(done_at__isnull=False), "done_at")
        if step.done_at is not None
    ]
    return entries


def _plans() -> models.QuerySet[Plan]:
    return Plan.objects.select_related("involvement__team").prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.prefetch_related(
                Prefetch(
                    "progress",
                    queryset=GoalProgress.objects.order_by("recorded_on", "created_at", "id"),
                )
            ),
        ),
        Prefetch("steps", queryset=Step.objects.select_related("goal")),
    )


def plan_for_involvement(*, involvement: Involvement) -> Plan | None:
    """The involvement's plan with its goals (each with its progress, oldest first) and steps,
    or None before anyone has written one."""
    return _plans().filter(involvement=involvement).first()


def plan_goals(*, involvement: Involvement) -> models.QuerySet[Goal]:
    return Goal.objects.filter(plan__involvement=involvement)


def plan_steps_to_do(*, involvement: Involvement) -> models.QuerySet[Step]:
    return Step.objects.filter(plan__involvement=involvement, done_at__isnull=True)


def plans_for_person(person: Person) -> list[Plan]:
    """The plans a person holds, newest involvement first, read-only on /my/."""
    return list(
        _plans()
        .filter(involvement__person=person)
        .order_by("-involvement__created_at", "-involvement__id")
    )


# The person writing their own plan from /my/plan/. Only `kith.care.person_access` calls these.


@dataclass(frozen=True)
class PersonPlan:
    """One of the person's involvements, open or closed, and its plan (None until written)."""

    involvement: Involvement
    plan: Plan | None


def plans_to_write_for_person(*, person: Person) -> list[PersonPlan]:
    """Each of the person's involvements with its plan, newest first: a fixed number of
    queries (the involvements, the plans, their goals, progress and steps)."""
    involvements = list(
        Involvement.objects.select_related("team")
        .filter(person=person)
        .order_by("-created_at", "-id")
    )
    plans = {plan.involvement_id: plan for plan in _plans().filter(involvement__person=person)}
    return [PersonPlan(involvement=i, plan=plans.get(i.pk)) for i in involvements]


def involvement_of_person(*, involvement_id: UUID, person: Person) -> Involvement | None:
    return (
        Involvement.objects.select_related("team").filter(pk=involvement_id, person=person).first()
    )


def goal_of_involvement(*, goal_id: UUID, involvement: Involvement) -> Goal | None:
    return (
        Goal.objects.select_related("plan__involvement")
        .filter(pk=goal_id, plan__involvement=involvement)
        .first()
    )


def step_of_involvement(*, step_id: UUID, involvement: Involvement) -> Step | None:
    return (
        Step.objects.select_related("plan__involvement", "goal")
        .filter(pk=step_id, plan__involvement=involvement)
        .first()
    )
