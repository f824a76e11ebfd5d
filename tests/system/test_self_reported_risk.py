"""Journey: a person nobody at the team has talked to yet completes a PHQ-9 from their own
account and answers question 9 above zero. The result page shows the crisis options at once and
says someone from the team will get in touch today; then a team member signs in and finds the
same-day call at the top of the huddle board, and the urgent ask first among the new asks. With
JavaScript on and off and at phone size, every page checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kith.asks.models import Ask
from kith.care.models import Involvement
from kith.care.tests.factories import ask_make, member_make, person_make, team_make
from kith.core.testing.staff import TEST_TOTP_KEY, totp_device_for
from tests.system.conftest import _new_page, assert_accessible, person_signs_in, staff_signs_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 - a fictional test account
# PHQ-9: "More than half the days" to the first eight, "Several days" to question 9.
ANSWERS = ["More than half the days"] * 8 + ["Several days"]
BROWSER_PAGES = ["page", "page_without_js", "phone_page"]


def _complete_phq9(page: Any, base: str) -> None:
    page.get_by_role("link", name=re.compile("^Your outcome measures")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Complete a measure").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Patient Health Questionnaire (PHQ-9)").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/my/measures/record/?measure=phq9")
    # told beforehand what an answer to question 9 does
    expect(page.locator(".app-risk-notice p")).to_have_text(
        "If you answer question 9 with anything other than “Not at all”, we let your local team "
        "know, so that someone from the team can get in touch with you today."
    )
    assert_accessible(page)
    questions = page.locator(".app-measure-form fieldset")
    expect(questions).to_have_count(9)
    for number, answer in enumerate(ANSWERS):
        questions.nth(number).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_load_state()


def _staff_sign_in(page: Any, base: str) -> None:
    staff_signs_in(page, base, username="alex", password=PASSWORD)


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_risk_answer_from_the_persons_own_account_reaches_the_team_the_same_day(
    request: pytest.FixtureRequest,
    browser: Any,
    live_server: Any,
    outbox: Path,
    browser_page: str,
) -> None:
    # given: Sam asked Brixton for help from SW9; nobody has picked it up yet
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    alex = member_make(team=team, username="alex", display_name="Alex Morgan")
    alex.user.set_password(PASSWORD)
    alex.user.save(update_fields=["password"])
    totp_device_for(alex.user, key=TEST_TOTP_KEY)
    sam = person_make(email="sam@example.com")
    first = ask_make(
        postcode="SW9 8EJ", person=sam, contact_method="email", contact_email="sam@example.com"
    )
    base = live_server.url
    page = request.getfixturevalue(browser_page)
    person_signs_in(page, base, outbox)

    # when Sam completes a PHQ-9 on their own, answering question 9 "Several days"
    _complete_phq9(page, base)

    # then the result page puts the crisis options first, straight after the heading
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/my/measures/[0-9a-f-]{{36}}/$"))
    expect(page.locator("h1")).to_have_text("Your PHQ-9 answers are saved")
    crisis = page.locator(".app-risk .app-crisis-options")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("Call Samaritans free on 116 123")
    headings = [" ".join(h.inner_text().split()) for h in page.locator("main h1, main h2").all()]
    assert headings == [
        "Your PHQ-9 answers are saved",
        "Urgent advice: If you are in danger now or might act on thoughts of harming yourself",
        "What happens next",
        "Your score",
    ]
    # its heading in the first screenful, even on a phone
    box = crisis.locator("h2").bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    assert box["y"] + box["height"] <= viewport["height"]
    expect(page.locator(".app-risk__told")).to_have_text(
        "Someone from Brixton community team will get in touch with you today. "
        "They can see these answers."
    )
    assert_accessible(page)

    # and the team has it today: Alex signs in and sees the same-day call and the urgent ask
    raised = Ask.objects.get(person=sam, source="measure")
    opened = Involvement.objects.get(person=sam)
    staff = _new_page(
        browser, javascript=browser_page != "page_without_js", phone=browser_page == "phone_page"
    )
    try:
        _staff_sign_in(staff, base)
        same_day = staff.locator(".app-board-same-day")
        expect(same_day.locator("h2")).to_have_text("Important: Needs a same-day call")
        expect(same_day.locator("li")).to_have_text(
            [re.compile(r"^Open involvement, nobody named yet\.\s+Answered on their own at \d")]
        )
        rows = staff.locator("tr.app-board-ask")
        expect(rows).to_have_count(2)
        assert rows.nth(0).get_attribute("data-ask-id") == str(raised.pk)
        assert rows.nth(1).get_attribute("data-ask-id") == str(first.pk)
        expect(rows.nth(0)).to_contain_text("Urgent")
        assert_accessible(staff)

        # when Alex opens the same-day call
        same_day.get_by_role("link", name="Open involvement").click()
        expect(staff).to_have_url(f"{base}/team/involvements/{opened.pk}/")
        staff.wait_for_load_state()
        # then the record shows the raised ask with Sam's answer, and the measure they completed
        expect(staff.locator(".app-timeline__ask")).to_contain_text(
            "My answer to question 9 of the PHQ-9 was “Several days”"
        )
        expect(staff.locator(".app-timeline__measure")).to_contain_text(
            "Measure completed: PHQ-9 by the person. Score 17 (Moderately severe)."
        )
        assert_accessible(staff)
    finally:
        staff.context.close()
