"""Reads for the team workspace. They never write and never audit: `access.py` does both.

Each returns rows with what the page needs already joined, so a page's query count stays
constant however many asks, people and notes there are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kith.asks.models import Ask, AskStatus
from kith.care.consent import consent_visible_q
from kith.care.models import (
    Conversation,
    Goal,
    GoalProgress,
    Involvement,
    InvolvementStatus,
    Note,
    Plan,
    SafetyPlan,
    SafetyPlanEntry,
    Step,
)
from kith.core.errors import ValidationFailed
from kith.core.pagination import PER_PAGE, Page, page_of
from kith.directory.search import SearchQuery, search_services
from kith.directory.selectors.services import service_by_id
from kith.outcomes.measures import measures
from kith.outcomes.models import CompletedBy, MeasureResponse
from kith.people.models import Person
from kith.teams.models import Team, TeamMember

if TYPE_CHECKING:
    from kith.directory.models import Location, Service


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
    # Open involvements with a risk-flagged measure today (any measure whose definition flags
    # "risk", like PHQ-9 item 9 above zero), recorded with a worker or by the person on their
    # own: a human calls the person the same day. Kith never decides anything from a score alone.
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
    """Open involvements with a risk-flagged measure completed `today`, a page of them: one
    recorded on the involvement with a worker, or one the person recorded on their own (linked
    to no involvement, so every team working with them sees it). Only those the person shares
    with the team (and has not withheld from `organisation_name`). Each carries when the latest
    of those answers was given (`risk_at`) and whether the person gave it on their own
    (`risk_by_person`): subqueries, so the page is still one query."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    risk_today = MeasureResponse.objects.filter(
        Q(involvement=models.OuterRef("pk"))
        | Q(involvement__isnull=True, person=models.OuterRef("person")),
        is_risk=True,
        completed_at__gte=start,
        completed_at__lt=start + dt.timedelta(days=1),
    ).order_by("-completed_at", "-id")
    involvements = (
        _involvements_open(team=team, organisation_name=organisation_name)
        .filter(models.Exists(risk_today))
        .annotate(
            risk_at=models.Subquery(risk_today.values("completed_at")[:1]),
            risk_by_person=models.Subquery(
                risk_today.annotate(
                    by_person=models.ExpressionWrapper(
                        Q(completed_by=CompletedBy.PERSON), output_field=models.BooleanField()
                    )
                ).values("by_person")[:1]
            ),
        )
    )
    return page_of(involvements, number=page)


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


# The safety plan. Staff reach it through `kith.care.access`, the person through
# `kith.care.person_access`.


def _safety_plans() -> models.QuerySet[SafetyPlan]:
    return SafetyPlan.objects.prefetch_related(
        Prefetch("entries", queryset=SafetyPlanEntry.objects.select_related("written_by"))
    )


def safety_plan_for_involvement(*, involvement: Involvement) -> SafetyPlan | None:
    """The involvement's safety plan with what it says under each section and who wrote it, or
    None before anyone has written one. Two queries."""
    return _safety_plans().filter(involvement=involvement).first()


@dataclass(frozen=True)
class PersonSafetyPlan:
    """One of the person's involvements, open or closed, and its safety plan (None until
    written)."""

    involvement: Involvement
    safety_plan: SafetyPlan | None


def safety_plans_for_person(*, person: Person) -> list[PersonSafetyPlan]:
    """Each of the person's involvements with its safety plan, newest first: three queries."""
    involvements = list(
        Involvement.objects.select_related("team")
        .filter(person=person)
        .order_by("-created_at", "-id")
    )
    plans = {
        plan.involvement_id: plan for plan in _safety_plans().filter(involvement__person=person)
    }
    return [PersonSafetyPlan(involvement=i, safety_plan=plans.get(i.pk)) for i in involvements]


# A worker's caseload and finding a person the team works with. `kith.care.access` calls these
# and audits what they show.


def _with_contact_and_reference(
    involvements: QuerySet[Involvement],
) -> QuerySet[Involvement]:
    """Each involvement with the time of its last conversation (`last_contact_at`), the reference
    of its newest ask the team can see (`latest_reference`), how many plan steps are not done
    (`steps_open`) and whether it has a safety plan (`has_safety_plan`): subqueries, so a page
    of them is one query."""
    last_contact = (
        Conversation.objects.filter(involvement=OuterRef("pk"))
        .order_by("-happened_at", "-id")
        .values("happened_at")[:1]
    )
    latest_reference = (
        Ask.objects.filter(involvement=OuterRef("pk"), restricted_at__isnull=True)
        .order_by("-created_at", "-id")
        .values("reference")[:1]
    )
    steps_open = (
        Step.objects.filter(plan__involvement=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("plan__involvement")
        .annotate(count=Count("*"))
        .values("count")[:1]
    )
    safety_plan = SafetyPlanEntry.objects.filter(safety_plan__involvement=OuterRef("pk")).exclude(
        text=""
    )
    return involvements.select_related("person", "worker").annotate(
        last_contact_at=Subquery(last_contact),
        latest_reference=Subquery(latest_reference),
        steps_open=Coalesce(Subquery(steps_open), 0),
        has_safety_plan=Exists(safety_plan),
    )


def caseload_for_member(
    *, worker: TeamMember, organisation_name: str = "", page: int = 1
) -> Page[Involvement]:
    """The worker's open involvements, a page of them, as a member of `organisation_name` may
    see them (the person shares with the team and has not withheld their record from that
    organisation): the next step due soonest first, then whoever was contacted longest ago (never
    first). One query a page, whatever the caseload."""
    involvements = Involvement.objects.filter(
        team_id=worker.team_id, worker=worker, status=InvolvementStatus.OPEN
    ).filter(consent_visible_q(team=worker.team, organisation_name=organisation_name))
    ordered = _with_contact_and_reference(involvements).order_by(
        F("next_step_due_on").asc(nulls_last=True),
        F("last_contact_at").asc(nulls_first=True),
        "created_at",
        "id",
    )
    return page_of(ordered, number=page)


# Finding a person: by name, by an ask's reference, or by an email address or phone number.

PEOPLE_QUERY_LIMIT = 100
# A search that matches more than this many people shows the first of them; narrow it to see more.
PEOPLE_FOUND_LIMIT = 1_000
_REFERENCE_LETTERS = set("23456789ABCDEFGHJKMNPQRSTVWXYZ")
_NOT_DIGITS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class PeopleQuery:
    """What a search for a person could mean: every reading that fits is tried at once."""

    words: tuple[str, ...] = ()  # each must be in their name
    reference: str = ""  # as Kith writes it, "KTH-7Q4M-2X"
    email: str = ""
    phone: str = ""  # "+44" and the number without its leading 0

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.reference or self.email or self.phone)


def people_query_parse(raw: str) -> PeopleQuery:
    """Read a search as typed: a reference however it is typed ("kth 7q4m 2x", "7Q4M2X"), an
    email address (any case) or a UK phone number (spaces, brackets, +44 or 0); anything else is
    a name, every word of which must match."""
    text = " ".join(raw.split())[:PEOPLE_QUERY_LIMIT]
    if not text:
        return PeopleQuery()
    email = ""
    if "@" in text and " " not in text:
        local, _, domain = text.rpartition("@")
        email = f"{local}@{domain.lower()}"  # as Kith keeps them: the domain in lower case
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    has_prefix = compact.startswith("KTH")
    if has_prefix:
        compact = compact[3:]
    reference = ""
    if len(compact) == 6 and set(compact) <= _REFERENCE_LETTERS and not compact.isdigit():
        reference = f"KTH-{compact[:4]}-{compact[4:]}"
    # Six letters could be a name too ("Harvey"); with a digit or "KTH" it is surely a reference.
    is_surely_reference = bool(reference) and (has_prefix or any(c.isdigit() for c in compact))
    phone = ""
    digits = _NOT_DIGITS.sub("", text)
    for prefix in ("+44", "0044", "0"):
        if digits.startswith(prefix) and digits[len(prefix) :].isdigit():
            number = digits[len(prefix) :].removeprefix("0")
            if 9 <= len(number) <= 10:
                phone = f"+44{number}"
            break
    # A reference, an email address or a phone number is nobody's name.
    words = () if email or is_surely_reference or phone else tuple(text.split())
    return PeopleQuery(words=words, reference=reference, email=email, phone=phone)


def _asks_matching(query: PeopleQuery) -> Q:
    """Asks whose reference or contact details match: a condition on `Ask`."""
    condition = Q(pk__in=[])
    if query.reference:
        condition |= Q(reference=query.reference)
    if query.email:
        condition |= Q(contact_email__iexact=query.email)
    if query.phone:
        condition |= Q(contact_phone=query.phone)
    return condition


def _name_matching(query: PeopleQuery, *, prefix: str) -> Q:
    """People whose name holds every word (any case)."""
    if not query.words:
        return Q(pk__in=[])
    name = Q()
    for word in query.words:
        name &= Q(**{f"{prefix}display_name__icontains": word})
    return name


def _people_by_contact(query: PeopleQuery) -> QuerySet[Person]:
    """People with this email address or phone number: exact matches on indexed columns (an
    address as typed, or all in lower case), so it costs the same for a country."""
    condition = Q(pk__in=[])
    if query.email:
        condition |= Q(email__in=sorted({query.email, query.email.lower()}))
    if query.phone:
        condition |= Q(phone=query.phone)
    return Person.objects.filter(condition).order_by("pk")


@dataclass(frozen=True)
class PeopleFound:
    """A page of the people the team works with who match, and a page of asks that match and
    nobody has picked up yet (no involvement to open)."""

    involvements: Page[Involvement]
    asks: Page[Ask]
    is_capped: bool = False  # more people matched than PEOPLE_FOUND_LIMIT: these are the first

    @property
    def person_ids(self) -> list[UUID]:
        """Everyone the page shows, each once, in the order of the page."""
        ids = [involvement.person_id for involvement in self.involvements]
        ids += [ask.person_id for ask in self.asks]
        return list(dict.fromkeys(i for i in ids if i is not None))


def people_for_team(
    *,
    team: Team,
    query: PeopleQuery,
    organisation_name: str = "",
    page: int = 1,
    asks_page: int = 1,
) -> PeopleFound:
    """The team's involvements (open first, then the most recently changed) whose person or asks
    match `query`, and its new asks with no involvement yet that match: only what a member of
    `organisation_name` may see, never another team's. A query that could mean nothing finds
    nothing. At most five queries a page, however many people the team works with."""
    if query.is_empty:
        return PeopleFound(
            involvements=Page(items=[], number=1, size=PER_PAGE, total=0),
            asks=Page(items=[], number=1, size=PER_PAGE, total=0),
        )
    # Names are looked for among the team's own people. Contact details and references are
    # exact matches, found first on their own (indexed, and a handful of rows), so the database
    # knows how few they are when it looks for the involvements that hold them.
    by_contact: list[UUID] = []
    if query.email or query.phone:
        by_contact = list(_people_by_contact(query).values_list("pk", flat=True)[:PER_PAGE])
    by_ask: list[UUID] = []
    if query.reference or query.email or query.phone:
        by_ask = [
            involvement_id
            for involvement_id in Ask.objects.filter(
                _asks_matching(query),
                team=team,
                involvement__isnull=False,
                restricted_at__isnull=True,
            ).values_list("involvement_id", flat=True)[:PEOPLE_FOUND_LIMIT]
            if involvement_id is not None
        ]
    involvements = (
        Involvement.objects.filter(team=team)
        .filter(
            _name_matching(query, prefix="person__")
            | Q(person_id__in=by_contact)
            | Q(pk__in=by_ask)
        )
        .filter(consent_visible_q(team=team, organisation_name=organisation_name))
    )
    # The matching ids alone first ("open" sorts after "closed": open involvements first), then
    # the page's rows with what the page shows: the planner cannot tell how few rows the
    # conditions above keep, and would otherwise join and count for the whole team.
    ids = list(
        involvements.order_by("-status", "-updated_at", "-id").values_list("pk", flat=True)[
            :PEOPLE_FOUND_LIMIT
        ]
    )
    last = max(1, -(-len(ids) // PER_PAGE))
    page = min(page, last)
    shown = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    rows = {
        row.pk: row for row in _with_contact_and_reference(Involvement.objects.filter(pk__in=shown))
    }
    found = Page(
        items=[rows[pk] for pk in shown if pk in rows], number=page, size=PER_PAGE, total=len(ids)
    )
    asks = (
        Ask.objects.filter(team=team, involvement__isnull=True, restricted_at__isnull=True)
        .filter(
            _asks_matching(query)
            | _name_matching(query, prefix="person__")
            | Q(person_id__in=by_contact)
        )
        .filter(consent_visible_q(team=team, organisation_name=organisation_name))
        .select_related("person")
        .order_by("-created_at", "-id")
    )
    return PeopleFound(
        involvements=found,
        asks=page_of(asks, number=asks_page),
        is_capped=len(ids) >= PEOPLE_FOUND_LIMIT,
    )


# Closing with "connected to community support": finding the service by name in the directory,
# with the same search engine as the public "Find support" page.

SERVICE_CHOICES = 10


@dataclass(frozen=True)
class ServiceChoice:
    """A directory service to choose, as the closing page lists it."""

    id: UUID
    name: str
    organisation: str
    where: str  # the first line of its nearest address and postcode, or ""


def services_by_name(*, text: str, chosen_id: UUID | None = None) -> list[ServiceChoice]:
    """The best `SERVICE_CHOICES` directory services for `text` (their name, in the main), from
    `kith.directory.search.search_services`; the service already chosen stays first even when the
    words have changed since. No words, no search."""
    choices: list[ServiceChoice] = []
    if chosen_id is not None:
        chosen = service_by_id(service_id=chosen_id)
        if chosen is not None:
            choices.append(ServiceChoice(id=chosen.pk, name=chosen.name, organisation="", where=""))
    if text.strip():
        try:
            results = search_services(SearchQuery(text=text, per_page=SERVICE_CHOICES))
        except ValidationFailed:
            results = None
        for hit in results.hits if results is not None else []:
            if hit.service.pk == chosen_id:
                choices[0] = _service_choice(hit.service, hit.location)
            else:
                choices.append(_service_choice(hit.service, hit.location))
    return choices


def _service_choice(service: Service, location: Location | None) -> ServiceChoice:
    where = ""
    if location is not None:
        address = next(iter(location.addresses.all()), None)
        if address is not None:
            where = ", ".join(part for part in (address.address_1, address.postal_code) if part)
    return ServiceChoice(
        id=service.pk,
        name=service.name,
        organisation=service.organization.name if service.organization is not None else "",
        where=where,
    )
