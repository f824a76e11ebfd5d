"""Who can see your record (/my/sharing/): the person shares, stops sharing, keeps their record
from one organisation in a team and lets it see again; every change is theirs and audited."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.audit.models import AuditEvent
from kith.care.consent import consent_share, consent_withhold
from kith.care.tests.factories import ask_for, member_make, person_make, team_make
from kith.core.testing import html, one, text
from kith.people.models import Consent, Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _signed_in(client: Client, person: Person) -> Client:
    session = client.session
    session["person_id"] = str(person.id)
    session.save()
    return client


@pytest.fixture
def team() -> Team:
    return team_make(name="Brixton community team", districts="SW9, SW2")


@pytest.fixture
def other_team() -> Team:
    return team_make(name="Vauxhall community team", districts="SE11")


@pytest.fixture
def members(team: Team) -> list[TeamMember]:
    return [
        member_make(team=team, username="alex", organisation_name="Brixton Mind"),
        member_make(team=team, username="jo", organisation_name="Stockwell GP practice"),
    ]


@pytest.fixture
def sam(team: Team, members: list[TeamMember]) -> Person:
    """Sam asked the Brixton team for help on 26 November 2026."""
    person = person_make(email="sam@example.com")
    with time_machine.travel(START, tick=False):
        ask_for(team, person=person)
    return person


def _consents() -> list[tuple[str, str, str, bool]]:
    return sorted(
        (c.team.name, c.withheld_organisation_name, c.how_given, c.withdrawn_at is None)
        for c in Consent.objects.select_related("team")
    )


def _person_events(person: Person) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(person_id=person.pk, subject_type="consent")
        .order_by("at", "id")
        .values_list("actor_type", "action", "purpose")
    )


@pytest.mark.parametrize(
    "name", ["sharing", "sharing_share", "sharing_withdraw", "sharing_withhold", "sharing_allow"]
)
def test_given_nobody_signed_in_when_a_sharing_page_is_used_then_sign_in_comes_first(
    client: Client, name: str
) -> None:
    # when
    response = client.post(reverse(f"people:{name}"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("people:sign_in")


def test_given_a_person_who_asked_when_they_open_the_page_then_they_see_who_can_see_and_how(
    client: Client, sam: Person, other_team: Team
) -> None:
    # when
    response = _signed_in(client, sam).get(reverse("people:sharing"))
    # then
    assert response.status_code == 200
    assert text(response, "h1") == "Who can see your record"
    section = one(response, ".app-sharing-team")
    assert text(section, "h2") == "Brixton community team"
    assert text(section, ".app-sharing-team__status") == "Can see your record"
    assert text(section, ".app-sharing-team__how").startswith(
        "You shared your record when you asked for help on 26 November 2026 (ask KTH-"
    )
    assert text(section, ".app-sharing-team__asks") == "You have 1 open ask with this team."
    assert [text(li, ".app-sharing-organisation__name") for li in section.select("li")] == [
        "Brixton Mind",
        "Stockwell GP practice",
    ]
    page = text(response, "main")
    assert "including urgent ones, until you share it again" in page
    assert one(response, ".app-crisis-options")
    assert [o.get_text(strip=True) for o in html(response).select("#id_team option")] == [
        "Choose a team",
        "Vauxhall community team",
    ]
    assert response["Cache-Control"] == "no-store"


def test_given_the_record_page_when_opened_then_it_says_who_can_see_and_links_to_sharing(
    client: Client, sam: Person
) -> None:
    # when
    response = _signed_in(client, sam).get(reverse("people:record"))
    # then
    assert text(response, ".app-record-sharing") == (
        "You share your record with: Brixton community team."
    )
    assert html(response).select(f'a[href="{reverse("people:sharing")}"]')


def test_given_a_person_when_they_stop_sharing_then_the_team_is_told_apart_and_it_is_audited(
    client: Client, sam: Person, team: Team
) -> None:
    # given
    consent = Consent.objects.get(person=sam)
    _signed_in(client, sam)
    # when
    response = client.post(reverse("people:sharing_withdraw"), {"consent": str(consent.pk)})
    page = client.get(response["Location"])
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("people:sharing")
    assert _consents() == [("Brixton community team", "", "asked", False)]
    assert text(page, ".nhsuk-notification-banner") == (
        "Success You stopped sharing your record with Brixton community team. They cannot see "
        "it or act on your asks until you share it again."
    )
    assert text(page, ".app-sharing-team__status") == "Cannot see your record"
    assert _person_events(sam) == [("person", "share", "asked"), ("person", "withdraw", "chose")]


def test_given_a_person_who_stopped_when_they_share_again_then_a_new_decision_is_recorded(
    client: Client, sam: Person, team: Team
) -> None:
    # given
    _signed_in(client, sam)
    client.post(
        reverse("people:sharing_withdraw"),
        {"consent": str(Consent.objects.get(person=sam).pk)},
    )
    # when
    response = client.post(reverse("people:sharing_share"), {"team": str(team.pk)})
    page = client.get(response["Location"])
    # then
    assert response["Location"] == reverse("people:sharing")
    assert _consents() == [
        ("Brixton community team", "", "asked", False),
        ("Brixton community team", "", "chose", True),
    ]
    assert text(page, ".app-sharing-team__how").startswith("You chose to share your record on")
    rows = html(page).select(".app-sharing-history tbody tr")
    assert [text(row, "td:nth-of-type(3)") for row in rows] == [
        "You chose to share",
        "Stopped sharing",
        "Shared when you asked for help",
    ]


def test_given_a_person_when_they_share_with_another_team_then_it_is_listed(
    client: Client, sam: Person, other_team: Team
) -> None:
    # when
    response = _signed_in(client, sam).post(
        reverse("people:sharing_share"), {"team": str(other_team.pk)}
    )
    # then
    assert response.status_code == 302
    assert ("Vauxhall community team", "", "chose", True) in _consents()
    assert _person_events(sam)[-1] == ("person", "share", "chose")


def test_given_a_person_when_they_keep_their_record_from_an_organisation_and_allow_it_again(
    client: Client, sam: Person, team: Team
) -> None:
    # given
    _signed_in(client, sam)
    # when
    withheld = client.post(
        reverse("people:sharing_withhold"),
        {"team": str(team.pk), "organisation_name": "Stockwell GP practice"},
    )
    page = client.get(reverse("people:sharing"))
    consent = Consent.objects.exclude(withheld_organisation_name="").get()
    allowed = client.post(reverse("people:sharing_allow"), {"consent": str(consent.pk)})
    # then
    assert (withheld.status_code, allowed.status_code) == (302, 302)
    gp = html(page).select(".app-sharing-organisation")[1]
    assert text(gp, ".app-sharing-organisation__status").startswith(
        "cannot see your record. You kept it from them on"
    )
    assert _consents() == [
        ("Brixton community team", "", "asked", True),
        ("Brixton community team", "Stockwell GP practice", "chose", False),
    ]
    assert [action for _, action, _ in _person_events(sam)] == ["share", "withhold", "allow"]


def test_given_another_persons_consent_id_when_posted_then_404_and_nothing_changes(
    client: Client, sam: Person, team: Team
) -> None:
    # given: Ash shares with the team and keeps their record from Brixton Mind
    ash = person_make(email="ash@example.com")
    theirs = consent_share(person=ash, team=team)
    withheld = consent_withhold(person=ash, team=team, organisation_name="Brixton Mind")
    before = _consents()
    _signed_in(client, sam)
    # when
    stop = client.post(reverse("people:sharing_withdraw"), {"consent": str(theirs.pk)})
    allow = client.post(reverse("people:sharing_allow"), {"consent": str(withheld.pk)})
    unknown = client.post(reverse("people:sharing_withdraw"), {"consent": str(uuid.uuid4())})
    # then
    assert (stop.status_code, allow.status_code, unknown.status_code) == (404, 404, 404)
    assert _consents() == before
    assert not AuditEvent.objects.filter(action__in=["withdraw", "allow"]).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sharing_share", {"team": str(uuid.UUID(int=7))}, "Select a team from the list"),
        ("sharing_share", {"team": "not-a-team"}, "Select a team from the list"),
        ("sharing_share", {}, "Select a team to share your record with"),
        (
            "sharing_withhold",
            {"team": str(uuid.UUID(int=7)), "organisation_name": "Brixton Mind"},
            "Something went wrong with that choice. Choose again from this page.",
        ),
        ("sharing_withdraw", {"consent": "x" * 5000}, "Something went wrong with that choice."),
        ("sharing_allow", {}, "Something went wrong with that choice."),
    ],
)
def test_given_bad_input_when_posted_then_a_clear_error_and_nothing_changes(
    client: Client, sam: Person, name: str, data: dict[str, str], message: str
) -> None:
    # given
    before = _consents()
    # when
    response = _signed_in(client, sam).post(reverse(f"people:{name}"), data)
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary").startswith(f"There is a problem {message}")
    assert text(response, "title").startswith("Error: Who can see your record")
    assert _consents() == before
    assert len(_person_events(sam)) == 1


def test_given_an_unknown_team_when_shared_then_the_error_points_at_the_team_list(
    client: Client, sam: Person, other_team: Team
) -> None:
    # when
    response = _signed_in(client, sam).post(
        reverse("people:sharing_share"), {"team": str(uuid.UUID(int=7))}
    )
    # then
    assert one(response, ".nhsuk-error-summary a")["href"] == "#id_team"
    assert text(response, "#id_team-error") == "Error: Select a team from the list"


def test_given_an_organisation_not_in_the_team_when_withheld_then_refused(
    client: Client, sam: Person, team: Team
) -> None:
    # when
    response = _signed_in(client, sam).post(
        reverse("people:sharing_withhold"),
        {"team": str(team.pk), "organisation_name": "Somewhere else entirely"},
    )
    # then
    assert response.status_code == 400
    assert "Choose an organisation in the team" in text(response, ".nhsuk-error-summary")
    assert len(_consents()) == 1


def test_given_a_double_click_when_stopping_then_the_second_says_so_and_nothing_more_changes(
    client: Client, sam: Person
) -> None:
    # given
    consent = Consent.objects.get(person=sam)
    _signed_in(client, sam)
    client.post(reverse("people:sharing_withdraw"), {"consent": str(consent.pk)})
    # when
    again = client.post(reverse("people:sharing_withdraw"), {"consent": str(consent.pk)})
    # then
    assert again.status_code == 400
    assert "You already stopped sharing your record with Brixton community team" in text(
        again, ".nhsuk-error-summary"
    )
    assert [action for _, action, _ in _person_events(sam)] == ["share", "withdraw"]


def test_given_a_person_when_they_download_their_record_then_their_sharing_is_in_it(
    client: Client, sam: Person, team: Team
) -> None:
    # given
    consent_withhold(person=sam, team=team, organisation_name="Brixton Mind")
    # when
    response = _signed_in(client, sam).get(reverse("people:download_json"))
    # then
    sharing = json.loads(response.content)["sharing"]
    assert [
        (row["team"], row["withheld_from_organisation"], row["how"], row["withdrawn_at"])
        for row in sharing
    ] == [
        ("Brixton community team", "", "asked", None),
        ("Brixton community team", "Brixton Mind", "chose", None),
    ]
    assert sharing[0]["ask_reference"].startswith("KTH-")


def test_given_a_person_when_they_close_their_account_then_no_team_can_see_and_decisions_stay(
    client: Client, sam: Person
) -> None:
    # when
    _signed_in(client, sam).post(reverse("people:close"))
    # then
    assert _consents() == [("Brixton community team", "", "asked", False)]
    assert _person_events(sam)[-1] == ("person", "withdraw", "close_account")
