"""The person writes their own plan from their account on /my/plan/: what matters, goals in their
own words, their progress, and steps with who does each. Each change records and audits that the
person made it; another person's plan, goal or step is "page not found"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.audit.models import AuditEvent
from kith.care.models import Goal, GoalProgress, Involvement, Plan, Step
from kith.care.selectors import involvement_timeline
from kith.care.services import (
    ask_pick_up,
    goal_add,
    goal_progress_record,
    involvement_close,
    plan_update,
    step_add,
    step_done,
)
from kith.care.tests.factories import ask_for, person_make
from kith.core.errors import ValidationFailed
from kith.core.testing import html, one, text
from kith.people.access import SESSION_KEY
from kith.people.models import Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def person() -> Person:
    return person_make(email="sam@example.com")


@pytest.fixture
def stranger() -> Person:
    return person_make(email="pat@example.com")


@pytest.fixture
def involvement(team: Team, member: TeamMember, person: Person) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person), member=member)


@pytest.fixture
def strangers_involvement(team: Team, member: TeamMember, stranger: Person) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=stranger), member=member)


@pytest.fixture
def goal(involvement: Involvement, person: Person) -> Goal:
    return goal_add(
        involvement=involvement, person=person, text="Sleep better", domain="mental-health"
    )


@pytest.fixture
def step(involvement: Involvement, member: TeamMember) -> Step:
    return step_add(
        involvement=involvement, member=member, text="Ring the sleep clinic", who="worker"
    )


def _sign_in(client: Client, person: Person) -> None:
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()


def _person_changes(person: Person) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(
        action="change", actor_type="person", actor_id=str(person.pk), person_id=person.pk
    ).order_by("at", "id")
    return [(event.subject_type, event.purpose) for event in events]


def _saved() -> tuple[int, int, int, int]:
    return (
        Plan.objects.exclude(what_matters="").count(),
        Goal.objects.count(),
        GoalProgress.objects.count(),
        Step.objects.count(),
    )


# Services: one author, the member or the person


def test_given_the_person_when_they_write_their_plan_then_each_change_is_theirs_and_audited(
    involvement: Involvement, person: Person
) -> None:
    # when
    with time_machine.travel(NOW, tick=False):
        plan = plan_update(involvement=involvement, person=person, what_matters=" My kids ")
        goal = goal_add(
            involvement=involvement,
            person=person,
            text="Sleep better",
            domain="mental-health",
            score=2,
            recorded_on=dt.date(2026, 11, 20),
        )
        progress = goal_progress_record(
            goal=goal, person=person, score=5, recorded_on=dt.date(2026, 11, 26)
        )
        step = step_add(involvement=involvement, person=person, text="Walk at lunch", who="me")
        step_done(step=step, person=person)
    # then
    plan.refresh_from_db()
    step.refresh_from_db()
    assert (plan.what_matters, plan.is_what_matters_by_person, plan.what_matters_by) == (
        "My kids",
        True,
        None,
    )
    assert (goal.is_added_by_person, goal.added_by) == (True, None)
    assert [(p.score, p.is_recorded_by_person, p.recorded_by) for p in goal.progress.all()] == [
        (2, True, None),
        (5, True, None),
    ]
    assert progress.recorded_on == dt.date(2026, 11, 26)
    assert (step.is_added_by_person, step.is_done_by_person, step.done_by) == (True, True, None)
    assert step.done_at == NOW
    assert sorted(_person_changes(person)) == [  # the clock is frozen: compare as a set
        ("goal", "plan"),
        ("goal_progress", "plan"),
        ("goal_progress", "plan"),
        ("plan", "plan"),
        ("step", "plan"),
        ("step", "step_done"),
    ]


def test_given_a_member_when_they_write_the_plan_then_it_records_them_not_the_person(
    involvement: Involvement, member: TeamMember
) -> None:
    # when
    plan = plan_update(involvement=involvement, member=member, what_matters="My kids")
    goal = goal_add(involvement=involvement, member=member, text="Sleep", domain="mental-health")
    step = step_add(involvement=involvement, member=member, text="Walk", who="me")
    step_done(step=step, member=member)
    # then
    step.refresh_from_db()
    assert (plan.what_matters_by, plan.is_what_matters_by_person) == (member, False)
    assert (goal.added_by, goal.is_added_by_person) == (member, False)
    assert (step.added_by, step.done_by, step.is_done_by_person) == (member, member, False)
    assert set(
        AuditEvent.objects.filter(action="change", subject_type__in=["plan", "goal", "step"])
        .values_list("actor_type", "actor_id")
        .distinct()
    ) == {("staff", str(member.user_id))}


@pytest.mark.parametrize("authors", ["both", "neither"])
def test_given_not_exactly_one_author_when_a_plan_is_changed_then_it_is_a_programming_error(
    involvement: Involvement, member: TeamMember, person: Person, authors: str
) -> None:
    # given
    given: dict[str, Any] = {"member": member, "person": person} if authors == "both" else {}
    # when
    with pytest.raises(TypeError, match="exactly one author"):
        plan_update(involvement=involvement, what_matters="My kids", **given)
    # then
    assert _saved() == (0, 0, 0, 0)


def test_given_someone_elses_involvement_when_a_person_writes_to_it_then_nothing_is_saved(
    strangers_involvement: Involvement, person: Person
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        goal_add(involvement=strangers_involvement, person=person, text="Sleep", domain="money")
    with pytest.raises(ValidationFailed):
        plan_update(involvement=strangers_involvement, person=person, what_matters="Mine now")
    # then
    assert error.value.message == "You can only change your own plan"
    assert _saved() == (0, 0, 0, 0)
    assert _person_changes(person) == []


@pytest.mark.parametrize(
    ("text_", "domain", "message"),
    [
        ("  ", "money", "Write your goal"),
        ("Sleep", "astrology", "Select the part of your life this goal is about"),
    ],
)
def test_given_a_bad_goal_from_the_person_then_the_error_speaks_to_them(
    involvement: Involvement, person: Person, text_: str, domain: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        goal_add(involvement=involvement, person=person, text=text_, domain=domain)
    # then
    assert error.value.message == message
    assert Goal.objects.count() == 0


# Pages

ROUTES = ["plan_edit", "goal_add", "goal_progress_record", "step_add", "step_done"]


def _url(route: str, involvement: Involvement, goal: Goal, step: Step) -> str:
    kwargs: dict[str, Any] = {"involvement_id": involvement.pk}
    if route == "goal_progress_record":
        kwargs["goal_id"] = goal.pk
    if route == "step_done":
        kwargs["step_id"] = step.pk
    return reverse(f"people:{route}", kwargs=kwargs)


@pytest.mark.parametrize("route", ["plan", *ROUTES])
@pytest.mark.parametrize(
    ("who", "expected"), [("nobody", 302), ("the person", 200), ("someone else", 404)]
)
def test_given_a_visitor_when_they_open_a_plan_page_then_only_the_person_gets_in(
    client: Client,
    involvement: Involvement,
    goal: Goal,
    step: Step,
    stranger: Person,
    route: str,
    who: str,
    expected: int,
) -> None:
    # given
    if who == "the person":
        assert involvement.person is not None
        _sign_in(client, involvement.person)
    elif who == "someone else":
        _sign_in(client, stranger)
    url = reverse("people:plan") if route == "plan" else _url(route, involvement, goal, step)
    # when
    response = client.get(url)
    # then
    if route == "plan" and who == "someone else":
        assert response.status_code == 200  # their own (empty) plans
        assert "Sleep better" not in response.text
        assert text(response, ".app-my-plan__none").startswith("You do not have a plan yet.")
        return
    assert response.status_code == expected
    if who == "nobody":
        assert response["Location"] == reverse("people:sign_in")
    if expected == 200:
        assert response["Cache-Control"] == "no-store"


def test_given_another_persons_goal_or_step_in_my_plans_address_then_it_is_not_found(
    client: Client,
    involvement: Involvement,
    strangers_involvement: Involvement,
    member: TeamMember,
    person: Person,
) -> None:
    # given: the stranger's goal and step, put into the person's own plan's addresses
    their_goal = goal_add(
        involvement=strangers_involvement, member=member, text="Theirs", domain="money"
    )
    their_step = step_add(involvement=strangers_involvement, member=member, text="Theirs", who="me")
    _sign_in(client, person)
    progress_url = reverse(
        "people:goal_progress_record",
        kwargs={"involvement_id": involvement.pk, "goal_id": their_goal.pk},
    )
    done_url = reverse(
        "people:step_done", kwargs={"involvement_id": involvement.pk, "step_id": their_step.pk}
    )
    step_url = reverse("people:step_add", args=[involvement.pk])
    # when
    answers = [
        client.get(progress_url).status_code,
        client.post(progress_url, {"score": "9"}).status_code,
        client.post(done_url).status_code,
        client.get(f"{step_url}?goal={their_goal.pk}").status_code,
        client.post(f"{step_url}?goal={their_goal.pk}", {"text": "Mine", "who": "me"}).status_code,
        client.get(f"{step_url}?goal=not-a-uuid").status_code,
    ]
    # then
    assert answers == [404, 404, 404, 404, 404, 404]
    their_step.refresh_from_db()
    assert their_step.done_at is None
    assert GoalProgress.objects.count() == 0
    assert Step.objects.count() == 1
    assert "Theirs" not in client.get(reverse("people:plan")).text


@time_machine.travel(NOW, tick=False)
def test_given_the_person_when_they_write_their_plan_through_the_pages_then_it_shows_and_staff_see_who(
    client: Client, involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given
    _sign_in(client, person)
    args = [involvement.pk]
    # when: what matters, a goal, where they are with it, a step towards it, and it done
    responses = [
        client.post(reverse("people:plan_edit", args=args), {"what_matters": "Seeing my kids"}),
        client.post(
            reverse("people:goal_add", args=args),
            {"text": "Get back to football", "domain": "leisure"},
        ),
    ]
    goal = Goal.objects.get()
    responses.append(
        client.post(
            reverse("people:goal_progress_record", args=[involvement.pk, goal.pk]), {"score": "3"}
        )
    )
    responses.append(
        client.post(
            reverse("people:step_add", args=args) + f"?goal={goal.pk}",
            {
                "text": "Ring the club",
                "who": "volunteer",
                "due_on_day": "3",
                "due_on_month": "12",
                "due_on_year": "2026",
            },
        )
    )
    step = Step.objects.get()
    responses.append(client.post(reverse("people:step_done", args=[involvement.pk, step.pk])))
    page = client.get(reverse("people:plan"))
    # then
    plan_url = f"{reverse('people:plan')}#plan-{involvement.pk}"
    assert [r.status_code for r in responses] == [302] * 5
    assert {r["Location"] for r in responses} == {plan_url}
    section = one(page, f"#plan-{involvement.pk}")
    assert text(section, "h2") == "Your plan with Brixton community team"
    assert text(section, ".app-plan__what-matters") == "Seeing my kids"
    assert text(section, ".app-plan__goal-text") == "Get back to football"
    rows = [r.get_text(" ", strip=True) for r in section.select(".app-plan__progress tbody tr")]
    assert rows == ["26 November 2026 3 out of 10"]
    step_text = " ".join(text(section, ".app-plan__step").split())
    assert "Who: A volunteer · By 3 December 2026 · Towards: Get back to football" in step_text
    assert "Done" in text(section, ".app-plan__step")
    step.refresh_from_db()
    assert (step.goal, step.due_on, step.who) == (goal, dt.date(2026, 12, 3), "volunteer")
    timeline = involvement_timeline(involvement=involvement)
    by = {(entry.kind, entry.by_person, entry.by_member) for entry in timeline}
    assert by == {
        ("ask", False, None),
        ("plan", True, None),
        ("goal", True, None),
        ("progress", True, None),
        ("step", True, None),
        ("step_done", True, None),
    }


def test_given_a_closed_involvement_when_the_person_adds_a_goal_then_it_is_still_their_plan(
    client: Client, involvement: Involvement, member: TeamMember, person: Person
) -> None:
    # given
    involvement_close(involvement=involvement, member=member, outcome="supported")
    _sign_in(client, person)
    # when
    response = client.post(
        reverse("people:goal_add", args=[involvement.pk]),
        {"text": "Keep walking", "domain": "physical-health"},
    )
    # then
    assert response.status_code == 302
    assert Goal.objects.get().text == "Keep walking"


HOSTILE: list[tuple[str, dict[str, str], str]] = [
    (
        "plan_edit",
        {"what_matters": "x" * 5001},
        "Keep it to 5,000 characters or fewer. You have written 5001.",
    ),
    (
        "goal_add",
        {"text": "x" * 501, "domain": "money"},
        "Keep your goal to 500 characters or fewer. You have written 501.",
    ),
    ("goal_add", {"text": "", "domain": "money"}, "Write your goal"),
    (
        "goal_add",
        {"text": "Sleep better", "domain": "astrology"},
        "Select the part of your life this goal is about",
    ),
    ("goal_progress_record", {"score": "11"}, "Select a number from 0 to 10"),
    ("goal_progress_record", {"score": "-1"}, "Select a number from 0 to 10"),
    ("goal_progress_record", {"score": "seven"}, "Select a number from 0 to 10"),
    ("goal_progress_record", {}, "Select a number from 0 to 10"),
    ("step_add", {"text": "", "who": "me"}, "Write the step"),
    (
        "step_add",
        {"text": "x" * 501, "who": "me"},
        "Keep the step to 500 characters or fewer. You have written 501.",
    ),
    ("step_add", {"text": "Walk", "who": "the-boss"}, "Select who will do this step"),
    (
        "step_add",
        {
            "text": "Walk",
            "who": "me",
            "due_on_day": "31",
            "due_on_month": "2",
            "due_on_year": "2027",
        },
        "Enter a real date, like 3 12 2026",
    ),
    (
        "step_add",
        {"text": "Walk", "who": "me", "due_on_day": "3", "due_on_month": "", "due_on_year": "2027"},
        "The date must include a month",
    ),
    (
        "step_add",
        {"text": "Walk", "who": "me", "due_on_day": "3", "due_on_month": "12", "due_on_year": "27"},
        "The year must be 4 numbers, like 2026",
    ),
    (
        "step_add",
        {
            "text": "Walk",
            "who": "me",
            "due_on_day": "1",
            "due_on_month": "1",
            "due_on_year": "2020",
        },
        "The date must be today or in the future",
    ),
    (
        "step_add",
        {
            "text": "Walk",
            "who": "me",
            "due_on_day": "1",
            "due_on_month": "+1",
            "due_on_year": "2027",
        },
        "Enter a real date, like 3 12 2026",
    ),
    (
        "step_add",
        {
            "text": "Walk",
            "who": "me",
            "due_on_day": "1",
            "due_on_month": "1",
            "due_on_year": "99999",
        },
        "Enter a real date, like 3 12 2026",
    ),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("route", "data", "message"), HOSTILE)
def test_given_bad_input_when_the_person_posts_it_then_a_clear_error_and_nothing_is_saved(
    client: Client,
    involvement: Involvement,
    goal: Goal,
    step: Step,
    person: Person,
    route: str,
    data: dict[str, str],
    message: str,
) -> None:
    # given
    _sign_in(client, person)
    before = _saved()
    # when
    response = client.post(_url(route, involvement, goal, step), data)
    # then
    assert response.status_code == 400
    assert text(response, "title").startswith("Error: ")
    assert text(response, ".nhsuk-error-summary").endswith(message)
    assert message in text(response, ".nhsuk-error-message")
    assert _saved() == before


def test_given_bad_input_when_the_page_comes_back_then_what_they_typed_is_still_there(
    client: Client, involvement: Involvement, person: Person
) -> None:
    # given
    _sign_in(client, person)
    # when
    response = client.post(
        reverse("people:step_add", args=[involvement.pk]),
        {
            "text": "Walk at lunch",
            "who": "",
            "due_on_day": "3",
            "due_on_month": "12",
            "due_on_year": "2026",
        },
    )
    # then
    assert response.status_code == 400
    assert one(response, "#id_text")["value"] == "Walk at lunch"
    assert one(response, "#id_due_on_month")["value"] == "12"
    assert one(response, ".nhsuk-error-summary a")["href"] == "#id_who"


def test_given_a_step_already_done_when_the_person_marks_it_done_again_then_they_are_told(
    client: Client, involvement: Involvement, step: Step, member: TeamMember, person: Person
) -> None:
    # given
    step_done(step=step, member=member)
    _sign_in(client, person)
    url = reverse("people:step_done", args=[involvement.pk, step.pk])
    # when
    page = client.get(url)
    response = client.post(url)
    # then
    assert text(page, "h1") == "This step is done"
    assert html(page).select("form[action='" + url + "']") == []
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary").endswith("This step is already done")
    step.refresh_from_db()
    assert step.done_by == member


def test_given_the_record_when_the_person_opens_it_then_it_links_to_writing_their_plan(
    client: Client, involvement: Involvement, person: Person
) -> None:
    # given
    _sign_in(client, person)
    # when
    response = client.get(reverse("people:record"))
    # then
    link = one(response, f"a[href='{reverse('people:plan')}']")
    assert (
        link.get_text(strip=True)
        == "Write your plan: what matters to you, your goals and your steps"
    )


def test_given_the_plan_page_when_the_person_opens_it_then_each_goal_and_step_has_its_links(
    client: Client, involvement: Involvement, goal: Goal, step: Step, person: Person
) -> None:
    # given
    _sign_in(client, person)
    # when
    response = client.get(reverse("people:plan"))
    # then
    hrefs = [a["href"] for a in html(response).select(f"#plan-{involvement.pk} a")]
    assert hrefs == [
        reverse("people:plan_edit", args=[involvement.pk]),
        reverse("people:goal_add", args=[involvement.pk]),
        reverse("people:step_add", args=[involvement.pk]),
        reverse("people:goal_progress_record", args=[involvement.pk, goal.pk]),
        reverse("people:step_add", args=[involvement.pk]) + f"?goal={goal.pk}",
        reverse("people:step_done", args=[involvement.pk, step.pk]),
    ]
