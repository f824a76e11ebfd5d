"""Journey: a signed-in person stops sharing their record with the team that helped them, is told
plainly what that means, and shares it again, with JavaScript on and off. Every page is checked
with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kith.care.tests.factories import ask_for, member_make, person_make, team_make
from kith.core.testing import restore_reference_data
from kith.people.models import Consent
from tests.system.conftest import assert_accessible, person_signs_in

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_PAGES = ["page", "page_without_js"]
TEAM = "Brixton community team"


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_person_stops_sharing_their_record_with_a_team_and_shares_it_again(
    request: pytest.FixtureRequest, live_server: Any, outbox: Path, browser_page: str
) -> None:
    # given Sam, who asked the Brixton team for help, where staff come from two organisations
    restore_reference_data()
    team = team_make(name=TEAM, districts="SW9, SW2")
    member_make(team=team, username="alex", organisation_name="Brixton Mind")
    member_make(team=team, username="jo", organisation_name="Stockwell GP practice")
    sam = person_make(email="sam@example.com")
    ask_for(team, person=sam)
    page = request.getfixturevalue(browser_page)
    base = live_server.url
    person_signs_in(page, base, outbox)

    # when they open "who can see your record" from their record
    page.get_by_role("link", name="Choose who can see your record").click()
    page.wait_for_load_state()

    # then they see the team, how it got their record, its organisations, what stopping means
    assert page.url == f"{base}/my/sharing/"
    assert page.locator("h1").inner_text() == "Who can see your record"
    team_section = page.locator(".app-sharing-team")
    assert team_section.locator("h2").inner_text() == TEAM
    assert team_section.locator(".app-sharing-team__status").inner_text() == ("Can see your record")
    assert (
        "when you asked for help on" in team_section.locator(".app-sharing-team__how").inner_text()
    )
    assert page.locator(".app-sharing-organisation__name").all_inner_texts() == [
        "Brixton Mind",
        "Stockwell GP practice",
    ]
    assert page.locator(".app-crisis-options").count() == 1
    assert_accessible(page)

    # when they stop sharing with the team
    page.get_by_role("button", name=f"Stop sharing my record with {TEAM}").click()
    page.wait_for_load_state()

    # then they are told what it means, the team cannot see it, and the choice is kept
    assert page.url == f"{base}/my/sharing/"
    assert "They cannot see it or act on your asks until you share it again." in (
        page.locator(".nhsuk-notification-banner").inner_text()
    )
    assert team_section.locator(".app-sharing-team__status").inner_text() == (
        "Cannot see your record"
    )
    assert Consent.objects.get().withdrawn_at is not None
    assert_accessible(page)

    # when they share it again
    page.get_by_role("button", name=f"Share my record with {TEAM} again").click()
    page.wait_for_load_state()

    # then the team can see it again, and the history shows both choices
    assert team_section.locator(".app-sharing-team__status").inner_text() == ("Can see your record")
    assert "You chose to share your record on" in (
        team_section.locator(".app-sharing-team__how").inner_text()
    )
    assert page.locator(".app-sharing-history tbody tr").count() == 3
    assert list(Consent.objects.order_by("given_at").values_list("how_given", flat=True)) == [
        "asked",
        "chose",
    ]
    assert Consent.objects.filter(withdrawn_at=None).count() == 1
    assert_accessible(page)
