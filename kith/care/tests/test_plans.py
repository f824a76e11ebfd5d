"""The person-held plan: written by staff with the person, read by the person on /my/."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.care.models import Goal, GoalProgress, Involvement, Plan, Step
from kith.care.selectors import involvement_timeline, plans_for_person
from kith.care.services import (
    ask_pick_up,
    goal_add,
    goal_progress_record,
    plan_update,
    step_add,
    step_done,
)
from kith.care.tests.factories import ask_for, person_make
from kith.core.errors import ValidationFailed
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.people.access import SESSION_KEY
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
PLAN_ROUTES = [
    "plan_show",
    "plan_edit",
    "goal_add",
    "goal_progress_record",
    "step_add",
    "step_done",
]


@pytest.fixture
def involvement(team: Team, member: TeamMember) -> Involvement:
    ask = ask_for(team, person=person_make())
    return ask_pick_up(ask=ask, member=member)


@pytest.fixture
def goal(involvement: Involvement, member: TeamMember) -> Goal:
    return goal_add(
        involvement=involvement,
        member=member,
        text="Get back to playing football",
        domain="leisure",
    )


def _changes() -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(action="change").order_by("at", "id")
    return [(event.subject_type, event.purpose) for event in events]


# Services


def test_given_an_involvement_when_what_matters_is_written_then_the_plan_keeps_it_and_audits(
    involvement: Involvement, member: TeamMember
) -> None:
    # when
    plan_update(involvement=involvement, member=member, what_matters="  Seeing my kids  ")
    plan = plan_update(involvement=involvement, member=member, what_matters="Seeing my kids often")
    # then
    assert Plan.objects.get(involvement=involvement).what_matters == "Seeing my kids often"
    assert plan.involvement_id == involvement.pk
    event = AuditEvent.objects.filter(subject_type="plan").latest("at")
    assert (event.actor_id, event.person_id, event.subject_id) == (
        str(member.user_id),
        involvement.person_id,
        str(plan.pk),
    )
    assert AuditEvent.objects.filter(subject_type="plan", action="change").count() == 2


def test_given_a_goal_with_a_starting_score_when_added_then_it_has_its_first_progress(
    involvement: Involvement, member: TeamMember
) -> None:
    # when
    goal = goal_add(
        involvement=involvement,
        member=member,
        text="Sort out the rent arrears",
        domain="money",
        score=2,
        recorded_on=DAY,
    )
    # then
    assert (goal.text, goal.domain, goal.plan.involvement_id) == (
        "Sort out the rent arrears",
        "money",
        involvement.pk,
    )
    assert list(goal.progress.values_list("recorded_on", "score")) == [(DAY, 2)]
    assert _changes()[-2:] == [("goal", "plan"), ("goal_progress", "plan")]


@pytest.mark.parametrize(
    ("text_", "domain", "field", "message"),
    [
        ("   ", "money", "text", "Write the goal in the person's words"),
        ("x" * 501, "money", "text", "Keep it to 500 characters or fewer. You have written 501."),
        ("Sleep better", "astrology", "domain", "Select the part of life this goal is about"),
    ],
)
def test_given_a_bad_goal_when_added_then_a_clear_error_and_nothing_saved(
    involvement: Involvement, member: TeamMember, text_: str, domain: str, field: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        goal_add(involvement=involvement, member=member, text=text_, domain=domain)
    # then
    assert (error.value.field, error.value.message) == (field, message)
    assert Goal.objects.count() == 0


@pytest.mark.parametrize(
    ("score", "days_ahead", "field", "message"),
    [
        (11, 0, "score", "Progress must be a number from 0 to 10"),
        (-1, 0, "score", "Progress must be a number from 0 to 10"),
        (5, 1, "recorded_on", "The date must be today or in the past"),
    ],
)
def test_given_bad_progress_when_recorded_then_a_clear_error_and_nothing_saved(
    goal: Goal, member: TeamMember, score: int, days_ahead: int, field: str, message: str
) -> None:
    # given
    when = timezone.localdate() + dt.timedelta(days=days_ahead)
    # when
    with pytest.raises(ValidationFailed) as error:
        goal_progress_record(goal=goal, member=member, score=score, recorded_on=when)
    # then
    assert (error.value.field, error.value.message) == (field, message)
    assert GoalProgress.objects.count() == 0


def test_given_progress_recorded_out_of_order_when_read_then_it_is_oldest_date_first(
    involvement: Involvement, goal: Goal, member: TeamMember
) -> None:
    # given
    goal_progress_record(goal=goal, member=member, score=6, recorded_on=DAY)
    goal_progress_record(goal=goal, member=member, score=1, recorded_on=DAY - dt.timedelta(28))
    goal_progress_record(goal=goal, member=member, score=3, recorded_on=DAY - dt.timedelta(14))
    # when
    (plan,) = plans_for_person(involvement.person)  # type: ignore[arg-type]
    # then
    (read_goal,) = plan.goals.all()
    assert [(p.recorded_on.isoformat(), p.score) for p in read_goal.progress.all()] == [
        ("2026-10-05", 1),
        ("2026-10-19", 3),
        ("2026-11-02", 6),
    ]


def test_given_a_step_when_added_and_done_then_it_records_who_and_when_and_audits(
    involvement: Involvement, goal: Goal, member: TeamMember
) -> None:
    # given
    step = step_add(
        involvement=involvement,
        member=member,
        text="Go to the Tuesday kickabout",
        who="community-group",
        due_on=DAY,
        goal=goal,
    )
    # when
    step_done(step=step, member=member)
    # then
    step.refresh_from_db()
    assert (step.who, step.due_on, step.goal_id, step.done_at is not None) == (
        "community-group",
        DAY,
        goal.pk,
        True,
    )
    assert _changes()[-2:] == [("step", "plan"), ("step", "step_done")]
    with pytest.raises(ValidationFailed, match="already done"):
        step_done(step=step, member=member)


def test_given_another_plans_goal_when_a_step_points_at_it_then_it_is_refused(
    team: Team, involvement: Involvement, member: TeamMember
) -> None:
    # given
    other = ask_pick_up(
        ask=ask_for(team, person=person_make(email="pat@example.com")), member=member
    )
    elsewhere = goal_add(
        involvement=other, member=member, text="Sleep better", domain="mental-health"
    )
    # when
    with pytest.raises(ValidationFailed) as error:
        step_add(involvement=involvement, member=member, text="Walk", who="me", goal=elsewhere)
    # then
    assert (error.value.field, error.value.message) == ("goal", "Choose one of this plan's goals")
    assert Step.objects.count() == 0


def test_given_plan_changes_when_the_timeline_is_read_then_they_appear_in_order(
    involvement: Involvement, member: TeamMember
) -> None:
    # given
    plan_update(involvement=involvement, member=member, what_matters="My kids")
    goal = goal_add(
        involvement=involvement, member=member, text="Sleep better", domain="mental-health"
    )
    goal_progress_record(goal=goal, member=member, score=4, recorded_on=DAY)
    step = step_add(involvement=involvement, member=member, text="Try the sleep group", who="me")
    step_done(step=step, member=member)
    # when
    timeline = involvement_timeline(involvement=involvement)
    # then
    assert [entry.kind for entry in timeline] == [
        "ask",
        "plan",
        "goal",
        "progress",
        "step",
        "step_done",
    ]


# Views


@pytest.mark.parametrize("route", PLAN_ROUTES)
@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("this team", 200), ("another team", 404)]
)
def test_given_a_role_when_it_opens_a_plan_page_then_only_the_team_gets_in(
    client: Client,
    involvement: Involvement,
    member: TeamMember,
    outsider: TeamMember,
    route: str,
    role: str,
    expected: int,
) -> None:
    # given
    if role == "this team":
        sign_in_staff(client, member.user)
    elif role == "another team":
        sign_in_staff(client, outsider.user)
    path = reverse(f"care:{route}", args=[involvement.pk])
    # when
    response = client.get(path)
    # then
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"] == f"/staff/sign-in/?next={path}"


@time_machine.travel(NOW, tick=False)
def test_given_the_team_when_it_writes_a_plan_through_the_pages_then_the_plan_shows_it(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    args = [involvement.pk]
    # when
    client.post(reverse("care:plan_edit", args=args), {"what_matters": "Seeing my kids"})
    client.post(
        reverse("care:goal_add", args=args),
        {"text": "Get back to football", "domain": "leisure", "score": "3"},
    )
    goal = Goal.objects.get()
    client.post(
        reverse("care:goal_progress_record", args=args),
        {"goal": str(goal.pk), "score": "7", "recorded_on": "2/11/2026"},
    )
    client.post(
        reverse("care:step_add", args=args),
        {"text": "Ring the club", "who": "worker", "due_on": "", "goal": str(goal.pk)},
    )
    response = client.post(
        reverse("care:step_done", args=args), {"step": str(Step.objects.get().pk)}
    )
    page = client.get(reverse("care:plan_show", args=args))
    # then
    assert response["Location"] == reverse("care:plan_show", args=args)
    assert text(page, ".app-plan__what-matters") == "Seeing my kids"
    assert text(page, ".app-plan__goal-text") == "Get back to football"
    rows = [r.get_text(" ", strip=True) for r in html(page).select(".app-plan__progress tbody tr")]
    assert rows == ["2 November 2026 7 out of 10", "26 November 2026 3 out of 10"]
    assert "Done" in text(page, ".app-plan__step")


def test_given_bad_progress_when_posted_then_the_page_shows_the_error_and_saves_nothing(
    client: Client, involvement: Involvement, goal: Goal, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        reverse("care:goal_progress_record", args=[involvement.pk]),
        {"goal": str(goal.pk), "score": "12", "recorded_on": "31/02/2026"},
    )
    # then
    assert response.status_code == 400
    assert one(response, ".nhsuk-error-summary") is not None
    assert "Enter a real date, like 26/11/2026" in text(response, ".nhsuk-error-summary")
    assert GoalProgress.objects.count() == 0


def test_given_another_teams_goal_when_posted_as_progress_then_it_is_refused(
    client: Client,
    team: Team,
    involvement: Involvement,
    member: TeamMember,
) -> None:
    # given
    other = ask_pick_up(
        ask=ask_for(team, person=person_make(email="pat@example.com")), member=member
    )
    elsewhere = goal_add(involvement=other, member=member, text="Sleep better", domain="money")
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        reverse("care:goal_progress_record", args=[involvement.pk]),
        {"goal": str(elsewhere.pk), "score": "5", "recorded_on": "2/11/2026"},
    )
    # then
    assert response.status_code == 400
    assert "Select one of this plan's goals" in text(response, ".nhsuk-error-summary")
    assert GoalProgress.objects.count() == 0


def test_given_a_plan_when_the_person_opens_their_record_then_they_read_it_without_links(
    client: Client, involvement: Involvement, goal: Goal, member: TeamMember
) -> None:
    # given
    plan_update(involvement=involvement, member=member, what_matters="Seeing my kids")
    goal_progress_record(goal=goal, member=member, score=5, recorded_on=DAY)
    goal_progress_record(goal=goal, member=member, score=2, recorded_on=DAY - dt.timedelta(7))
    step_add(involvement=involvement, member=member, text="Ring the club", who="me")
    session = client.session
    session[SESSION_KEY] = str(involvement.person_id)
    session.save()
    # when
    response = client.get(reverse("people:record"))
    # then
    assert response.status_code == 200
    plan = one(response, ".app-person-plan")
    assert text(plan, ".app-plan__what-matters") == "Seeing my kids"
    rows = [r.get_text(" ", strip=True) for r in plan.select(".app-plan__progress tbody tr")]
    assert rows == ["26 October 2026 2 out of 10", "2 November 2026 5 out of 10"]
    assert text(plan, ".app-plan__step-text") == "Ring the club"
    assert plan.select("a") == []


def test_given_someone_elses_plan_when_a_person_opens_their_record_then_it_is_not_there(
    client: Client, involvement: Involvement, member: TeamMember, team: Team
) -> None:
    # given
    plan_update(involvement=involvement, member=member, what_matters="Seeing my kids")
    stranger = person_make(email="pat@example.com")
    session = client.session
    session[SESSION_KEY] = str(stranger.pk)
    session.save()
    # when
    response = client.get(reverse("people:record"))
    # then
    assert html(response).select(".app-person-plan") == []
    assert "Seeing my kids" not in response.text
    assert "You do not have a plan yet." in text(response, "#plan + p")


def test_given_an_ask_record_when_staff_open_it_then_it_links_to_the_plan(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    # then
    link = one(response, f"a[href='{reverse('care:plan_show', args=[involvement.pk])}']")
    assert link.get_text(strip=True) == "Plan"
