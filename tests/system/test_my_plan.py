"""Journey: a person signs in with an email link, writes their own plan from /my/: what matters to
them, a goal in their own words, where they are with it, a step towards it (who does it, by
when), and marks the step done; then saves progress without a number and is told what to do. JavaScript on
and off; axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kith.care.models import Goal, GoalProgress, Step
from kith.care.services import ask_pick_up
from kith.care.tests.factories import ask_for, member_make, person_make, team_make
from tests.system.conftest import assert_accessible, link_from_outbox

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_PAGES = ["page", "page_without_js"]


def _submit(page: Any, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_person_writes_their_own_plan_from_their_account(
    request: pytest.FixtureRequest, live_server: Any, outbox: Path, browser_page: str
) -> None:
    # given Sam, whom the Brixton team is working with
    team = team_make(name="Brixton community team", districts="SW9, SW2")
    member = member_make(team=team)
    person = person_make(email="sam@example.com")
    involvement = ask_pick_up(ask=ask_for(team, person=person), member=member)
    base = live_server.url
    page = request.getfixturevalue(browser_page)

    # when Sam signs in with a link from their email
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill("sam@example.com")
    _submit(page, "Send me a sign-in link")
    page.goto(link_from_outbox(outbox))
    _submit(page, "Sign in")
    assert page.url == f"{base}/my/"

    # and opens their plan from their record
    page.get_by_role(
        "link", name="Write your plan: what matters to you, your goals and your steps"
    ).click()
    page.wait_for_load_state()
    assert page.url == f"{base}/my/plan/"
    assert page.locator("h2").first.inner_text() == "Your plan with Brixton community team"
    assert_accessible(page)

    # and writes what matters to them
    page.get_by_role("link", name="Write what matters to you").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("What matters to you?").fill("Seeing my kids at the weekend")
    _submit(page, "Save")

    # and adds a goal in their own words
    page.get_by_role("link", name="Add a goal", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("What is your goal?").fill("Get back to playing football")
    page.get_by_label("Leisure activities").check()
    _submit(page, "Save goal")
    assert page.url == f"{base}/my/plan/#plan-{involvement.pk}"

    # and records where they are with it
    page.get_by_role("link", name="Record your progress for Get back to playing football").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("6", exact=True).check()
    _submit(page, "Save progress")

    # and adds a step towards it that a volunteer does, by a date
    page.get_by_role(
        "link", name="Add a step towards this goal (Get back to playing football)"
    ).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("What is the step?").fill("Go to the Tuesday kickabout")
    page.get_by_label("A volunteer").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2099")
    _submit(page, "Save step")

    # then their plan shows all of it
    plan = page.locator(f"#plan-{involvement.pk}")
    assert plan.locator(".app-plan__what-matters").inner_text() == "Seeing my kids at the weekend"
    assert plan.locator(".app-plan__goal-text").inner_text() == "Get back to playing football"
    assert plan.locator(".app-plan__progress tbody td").nth(1).inner_text() == "6 out of 10"
    step_text = " ".join(plan.locator(".app-plan__step").inner_text().split())
    assert (
        "Who: A volunteer · By 3 December 2099 · Towards: Get back to playing football" in step_text
    )
    assert_accessible(page)

    # and they mark the step done
    page.get_by_role("link", name="Mark as done (Go to the Tuesday kickabout)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Have you done this step?"
    assert_accessible(page)
    _submit(page, "Yes, mark it as done")
    assert "Done" in plan.locator(".app-plan__step").inner_text()

    # and saving progress without choosing a number says what to do, saving nothing
    goal = Goal.objects.get()
    page.goto(f"{base}/my/plan/{involvement.pk}/goals/{goal.pk}/progress/")
    _submit(page, "Save progress")
    assert page.title().startswith("Error: ")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.inner_text().endswith("Select a number from 0 to 10")
    assert summary.get_by_role("link").get_attribute("href") == "#id_score"
    assert_accessible(page)

    # and everything they did is theirs in the record
    step = Step.objects.get()
    assert (goal.is_added_by_person, step.is_added_by_person, step.is_done_by_person) == (
        True,
        True,
        True,
    )
    assert list(GoalProgress.objects.values_list("score", "is_recorded_by_person")) == [(6, True)]
