"""Self-reported risk reaches a human the same day, whoever records it.

A measure whose definition flags "risk" (PHQ-9 item 9 above zero, or a deployment's own measure)
puts a same-day call on the board of every team that works with the person and can see their
record. Recorded by the person alone with no team working with them yet, it goes to the team an
ask from them would go to, as an urgent ask with an involvement ready for it. The person sees the
crisis options at once on the result page, and is told plainly who will and will not see it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask
from kith.asks.selectors import crisis_options
from kith.audit.models import AuditEvent
from kith.care.consent import consent_share, consent_withdraw, consent_withhold
from kith.care.measures import measure_record
from kith.care.models import Involvement, InvolvementStatus
from kith.care.services import ask_pick_up, involvement_close
from kith.care.tests.factories import ask_for, member_make, person_make, team_make
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.outcomes.measures import measure
from kith.outcomes.models import MeasureResponse
from kith.people.access import SESSION_KEY
from kith.people.models import Consent, Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
MILD = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # total 8, "Mild", no flag
RISK = [2, 2, 2, 2, 2, 2, 2, 2, 1]  # total 17, "Moderately severe", item 9 "Several days"
PHQ9_HEADINGS = [
    "Your PHQ-9 answers are saved",
    "Urgent advice: If you are in danger now or might act on thoughts of harming yourself",
    "What happens next",
    "Your score",
]
ANSWER = (
    "You answered “Several days” to question 9: “Thoughts that you would be better off dead "
    "or of hurting yourself in some way”."
)
RAISED_TEXT = (
    "My answer to question 9 of the PHQ-9 was “Several days”: “Thoughts that you would be "
    "better off dead or of hurting yourself in some way”."
)
ALONE = "Answered on their own at 10am"
BRIXTON_CALLS = (
    "Someone from Brixton community team will get in touch with you today. "
    "They can see these answers."
)


@pytest.fixture(autouse=True)
def _three_days_earlier() -> Iterator[None]:
    """Everything a test sets up happens before NOW, whatever today's date is."""
    with time_machine.travel(NOW - dt.timedelta(days=3)):
        yield


@pytest.fixture
def involvement(team: Team, member: TeamMember) -> Involvement:
    """Sam asked Brixton for help from SW9 and Alex picked it up."""
    return ask_pick_up(ask=ask_for(team, person=person_make()), member=member)


def _person_client(person: Person) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()
    return client


def _answers(code: str, values: list[int]) -> dict[str, str]:
    items = measure(code).items
    return {f"item_{item.id}": str(value) for item, value in zip(items, values, strict=True)}


def _record(person: Person, values: list[int], code: str = "phq9") -> tuple[Any, Any]:
    """The person completes the measure from /my/ at NOW: the POST and the result page."""
    with time_machine.travel(NOW, tick=False):
        client = _person_client(person)
        saved = client.post(
            f"{reverse('people:measure_record')}?measure={code}", _answers(code, values)
        )
        result = client.get(saved["Location"]) if saved.status_code == 302 else saved
    return saved, result


def _board(member: TeamMember, *, at: dt.datetime = NOW) -> Any:
    client = Client()
    with time_machine.travel(at, tick=False):
        sign_in_staff(client, member.user)
        return client.get(reverse("care:huddle_board"))


def _same_day_calls(board: Any) -> list[tuple[str, str]]:
    return [
        (str(one(li, "a")["href"]), " ".join(li.get_text().split()))
        for li in html(board).select(".app-board-same-day-calls li")
    ]


def _new_asks(board: Any) -> list[str]:
    return [str(row["data-ask-id"]) for row in html(board).select("tr.app-board-ask")]


def _texts(page: Any, selector: str) -> list[str]:
    return [" ".join(node.get_text().split()) for node in html(page).select(selector)]


def _crisis_lines(page: Any) -> list[str]:
    return _texts(page, ".app-risk .app-crisis-options li strong")


def _everyones_crisis_lines() -> list[str]:
    """The crisis options shown wherever crisis options show, Samaritans among them."""
    lines = [option.how_to_contact for option in crisis_options()]
    assert "Call Samaritans free on 116 123" in lines
    return lines


def _headings(page: Any) -> list[str]:
    return [h.get_text(" ", strip=True) for h in html(page).select("main h1, main h2")]


def _involvement_url(involvement: Involvement) -> str:
    return reverse("care:involvement_show", kwargs={"involvement_id": involvement.pk})


# --- the person alone, with a team already working with them ------------------------------------


def test_a_person_with_an_involvement_records_a_risk_answer_alone_and_the_team_calls_today(
    involvement: Involvement, member: TeamMember
) -> None:
    # given: Sam works with Brixton (Alex is their worker) and signs in on their own
    person = involvement.person
    assert person is not None
    # when Sam answers PHQ-9 question 9 "Several days" from /my/
    saved, result = _record(person, RISK)
    # then the answers are kept as Sam's own, and Sam lands on the result page
    response = MeasureResponse.objects.get(person=person)
    assert (response.completed_by, response.involvement_id, response.is_risk) == (
        "person",
        None,
        True,
    )
    result_url = reverse("people:measure_result", kwargs={"response_id": response.pk})
    assert (saved.status_code, saved["Location"]) == (302, result_url)
    # and the crisis options come at once, straight after the heading
    assert result.status_code == 200
    assert _headings(result) == PHQ9_HEADINGS
    assert text(result, ".app-risk__answer") == ANSWER
    assert _crisis_lines(result) == _everyones_crisis_lines()
    assert _texts(result, ".app-risk__told") == [BRIXTON_CALLS]
    assert html(result).select(".app-risk__stopped") == []
    assert text(result, ".app-measure-result__score") == "Total 17: Moderately severe."
    # and the team already working with Sam sees a same-day call on its board, Alex named
    board = _board(member)
    assert _same_day_calls(board) == [
        (_involvement_url(involvement), "Open involvement, Alex Morgan. " + ALONE)
    ]
    # and no second ask: the team already works with them
    assert Ask.objects.filter(person=person).count() == 1


def test_every_team_working_with_the_person_sees_the_call_unless_kept_from_them(
    involvement: Involvement, member: TeamMember, colleague: TeamMember, other_team: Team
) -> None:
    # given: Sam also works with Vauxhall, and keeps their record from Stockwell GP practice
    person = involvement.person
    assert person is not None
    kim = member_make(team=other_team, username="kim", display_name="Kim Lee")
    vauxhall = Involvement.objects.create(team=other_team, person=person, worker=kim)
    consent_share(person=person, team=other_team)
    team = involvement.team
    consent_withhold(person=person, team=team, organisation_name="Stockwell GP practice")
    # when Sam answers question 9 above zero on their own
    _saved, result = _record(person, RISK)
    # then both teams have the same-day call; Jo at Stockwell GP practice does not
    assert _same_day_calls(_board(member)) == [
        (_involvement_url(involvement), "Open involvement, Alex Morgan. " + ALONE)
    ]
    assert _same_day_calls(_board(kim)) == [
        (_involvement_url(vauxhall), "Open involvement, Kim Lee. " + ALONE)
    ]
    assert _same_day_calls(_board(colleague)) == []
    # and Sam is told who sees it, and who does not
    assert _texts(result, ".app-risk__told") == [
        BRIXTON_CALLS + " Staff at Stockwell GP practice cannot see them, as you chose.",
        "Someone from Vauxhall community team will get in touch with you today. "
        "They can see these answers.",
    ]


# --- with a worker ----------------------------------------------------------------------------------


def test_a_worker_records_a_risk_answer_with_the_person_and_the_board_and_page_say_so(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    record_url = reverse("care:measure_record", kwargs={"involvement_id": involvement.pk})
    measures_url = reverse("care:measures", kwargs={"involvement_id": involvement.pk})
    # when Alex records Sam's PHQ-9 with them
    with time_machine.travel(NOW, tick=False):
        sign_in_staff(client, member.user)
        saved = client.post(f"{record_url}?measure=phq9", _answers("phq9", RISK))
        page = client.get(measures_url)
    # then the result page (the person's measures) marks the answer for a same-day call
    assert (saved.status_code, saved["Location"]) == (302, measures_url)
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in html(page).select(".app-trend__table tbody tr")
    ]
    assert rows == [["26 November 2026", "17", "Moderately severe Flags risk"]]
    # and the board has the same-day call; no ask is raised, the worker is with them
    assert _same_day_calls(_board(member)) == [
        (
            _involvement_url(involvement),
            "Open involvement, Alex Morgan. Answered with a worker at 10am",
        )
    ]
    assert Ask.objects.count() == 1


# --- no involvement yet: routed as an ask would be -----------------------------------------------


def test_a_person_nobody_works_with_yet_goes_to_the_team_an_ask_would_go_to(
    team: Team, member: TeamMember, other_team: Team
) -> None:
    # given: Sam asked Brixton from SW9; nobody has picked it up yet. Vauxhall is the default.
    Team.objects.filter(pk=other_team.pk).update(is_default=True)
    outsider = member_make(team=other_team, username="kim", display_name="Kim Lee")
    person = person_make()
    first = ask_for(team, person=person, language="Polish", access_needs="Step-free access")
    # when Sam answers question 9 above zero on their own
    _saved, result = _record(person, RISK)
    # then an urgent ask is raised for Sam with Brixton, as their ask from SW9 was
    raised = Ask.objects.exclude(pk=first.pk).get(person=person)
    assert (raised.team_id, raised.source, raised.is_urgent, raised.status) == (
        team.pk,
        "measure",
        True,
        "new",
    )
    assert raised.text == RAISED_TEXT
    assert (raised.postcode, raised.language, raised.access_needs) == (
        "SW9 8EJ",
        "Polish",
        "Step-free access",
    )
    assert (raised.contact_method, raised.contact_email) == ("email", "sam@example.com")
    # with an involvement ready for it, nobody named yet
    opened = Involvement.objects.get(person=person)
    assert (opened.team_id, opened.worker_id, opened.status) == (team.pk, None, "open")
    assert raised.involvement_id == opened.pk
    assert first.involvement_id is None
    event = AuditEvent.objects.get(subject_type="involvement", subject_id=str(opened.pk))
    assert (event.actor_type, event.action, event.purpose, event.person_id) == (
        "system",
        "change",
        "self_reported_risk",
        person.pk,
    )
    # and Brixton's board has it as a same-day call and as the first new ask, flagged urgent
    board = _board(member)
    assert _same_day_calls(board) == [
        (_involvement_url(opened), "Open involvement, nobody named yet. " + ALONE)
    ]
    assert _new_asks(board) == [str(raised.pk), str(first.pk)]
    assert "Urgent" in text(board, f'tr[data-ask-id="{raised.pk}"]')
    # and not Vauxhall's
    other = _board(outsider)
    assert (_same_day_calls(other), _new_asks(other)) == ([], [])
    # and Sam is told
    assert _headings(result) == PHQ9_HEADINGS
    assert _texts(result, ".app-risk__told") == [BRIXTON_CALLS]


def test_a_person_who_never_asked_goes_to_the_default_team(member: TeamMember) -> None:
    # given: the default team covers everywhere no other team does; Pat only has an account
    default = team_make(name="Lambeth community team", districts="", is_default=True)
    lee = member_make(team=default, username="lee", display_name="Lee Okafor")
    pat = person_make(email="pat@example.com")
    # when
    _saved, result = _record(pat, RISK)
    # then
    raised = Ask.objects.get(person=pat)
    assert (raised.team_id, raised.postcode, raised.is_urgent) == (default.pk, "", True)
    assert Consent.objects.filter(person=pat, team=default, withdrawn_at=None).count() == 1
    opened = Involvement.objects.get(person=pat)
    assert _same_day_calls(_board(lee)) == [
        (_involvement_url(opened), "Open involvement, nobody named yet. " + ALONE)
    ]
    assert _same_day_calls(_board(member)) == []
    assert _texts(result, ".app-risk__told") == [
        "Someone from Lambeth community team will get in touch with you today. "
        "They can see these answers."
    ]


def test_a_person_who_finished_with_a_team_goes_back_to_them_and_their_worker(
    involvement: Involvement, member: TeamMember
) -> None:
    # given: Sam and Alex closed with an open door
    person = involvement.person
    assert person is not None
    involvement_close(involvement=involvement, member=member, outcome="supported")
    # when Sam answers question 9 above zero on their own
    _record(person, RISK)
    # then the record reopens with Alex, as a new ask from Sam would
    involvement.refresh_from_db()
    assert (involvement.status, involvement.worker_id) == (InvolvementStatus.OPEN, member.pk)
    raised = Ask.objects.get(person=person, source="measure")
    assert (raised.involvement_id, raised.worker_id) == (involvement.pk, member.pk)
    assert Involvement.objects.filter(person=person).count() == 1
    assert _same_day_calls(_board(member)) == [
        (_involvement_url(involvement), "Open involvement, Alex Morgan. " + ALONE)
    ]


def test_with_no_team_anywhere_the_person_is_told_plainly_and_still_sees_crisis_options() -> None:
    # given: no team covers anywhere (a deployment not set up yet)
    person = person_make()
    # when
    _saved, result = _record(person, RISK)
    # then
    assert _crisis_lines(result) == _everyones_crisis_lines()
    assert html(result).select(".app-risk__told") == []
    assert text(result, ".app-risk__nobody") == (
        "There is no team set up to see these answers yet, so nobody will get in touch about "
        "them. Please use one of the numbers above to talk to someone now."
    )


# --- consent withdrawn -------------------------------------------------------------------------------


def test_a_person_who_stopped_sharing_is_told_plainly_who_can_and_cannot_see_it(
    involvement: Involvement, member: TeamMember
) -> None:
    # given: Sam stopped sharing their record with Brixton yesterday
    person = involvement.person
    assert person is not None
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        consent_withdraw(person=person, consent=Consent.objects.get(person=person))
    # when Sam answers question 9 above zero on their own
    _saved, result = _record(person, RISK)
    # then the crisis options come first, and Sam reads who cannot see it and what to do
    assert _headings(result) == [*PHQ9_HEADINGS[:3], "What you can do", "Your score"]
    assert _crisis_lines(result) == _everyones_crisis_lines()
    assert html(result).select(".app-risk__told") == []
    assert _texts(result, ".app-risk__stopped") == [
        (
            "You stopped sharing your record with Brixton community team, so nobody there can see "
            "these answers, and nobody from the team will get in touch about them. "
            "Only you can see them."
        )
    ]
    assert _texts(result, ".app-risk__options li") == [
        "Talk to someone now: use one of the numbers above.",
        "Share your record with Brixton community team again. They will then see these answers "
        "and get in touch with you.",
        "Ask for help in your own words.",
    ]
    links = [a["href"] for a in html(result).select(".app-risk__options a")]
    assert links == [reverse("people:sharing"), reverse("asks:ask_start")]
    # and the team sees nothing of it: no same-day call, no ask
    board = _board(member)
    assert (_same_day_calls(board), _new_asks(board)) == ([], [])
    # and their choice stands: nothing shared again on their behalf
    assert Consent.objects.filter(person=person, withdrawn_at=None).count() == 0


def test_sharing_again_the_same_day_puts_the_call_on_the_board(
    involvement: Involvement, member: TeamMember
) -> None:
    # given: Sam stopped sharing, then answered question 9 above zero on their own
    person = involvement.person
    assert person is not None
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        consent_withdraw(person=person, consent=Consent.objects.get(person=person))
    _record(person, RISK)
    # when Sam shares with Brixton again that afternoon
    with time_machine.travel(NOW + dt.timedelta(hours=4), tick=False):
        consent_share(person=person, team=involvement.team)
    # then the board shows the call the same day
    assert _same_day_calls(_board(member, at=NOW + dt.timedelta(hours=5))) == [
        (_involvement_url(involvement), "Open involvement, Alex Morgan. " + ALONE)
    ]


def test_stopping_sharing_with_one_team_still_reaches_the_team_an_ask_would_go_to(
    team: Team, member: TeamMember, other_team: Team
) -> None:
    # given: Sam worked with Vauxhall and stopped sharing with them; their ask was from SW9
    person = person_make()
    kim = member_make(team=other_team, username="kim", display_name="Kim Lee")
    vauxhall = ask_pick_up(ask=ask_for(other_team, person=person), member=kim)
    consent_withdraw(person=person, consent=Consent.objects.get(person=person, team=other_team))
    ask_for(team, person=person)
    # when
    _saved, result = _record(person, RISK)
    # then Brixton has the call; Vauxhall does not, and Sam is told both
    opened = Involvement.objects.get(person=person, team=team)
    assert _same_day_calls(_board(member)) == [
        (_involvement_url(opened), "Open involvement, nobody named yet. " + ALONE)
    ]
    assert _same_day_calls(_board(kim)) == []
    assert vauxhall.status == "open"
    assert _texts(result, ".app-risk__told") == [BRIXTON_CALLS]
    assert _texts(result, ".app-risk__stopped") == [
        (
            "You stopped sharing your record with Vauxhall community team, so nobody there can see "
            "these answers, and nobody from the team will get in touch about them."
        )
    ]


# --- any measure that flags risk ------------------------------------------------------------------


def test_a_deployment_measure_that_flags_risk_reaches_the_team_the_same_way(
    settings: Any, tmp_path: Path, involvement: Involvement, member: TeamMember
) -> None:
    # given: a deployment's own measure, whose second item flags risk above "No"
    definition = {
        "code": "saferhome2",
        "name": "Feeling safe at home (2 questions)",
        "short_name": "Safer home",
        "prompt": "In the last week:",
        "source": "A fictional measure for this test.",
        "licence": "Written for this test.",
        "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
        "items": [
            {"id": "sh-1", "key": "slept", "text": "Have you slept at home?"},
            {"id": "sh-2", "key": "afraid", "text": "Have you been afraid of someone at home?"},
        ],
        "scoring": {"total": "sum", "flags": [{"flag": "risk", "item": "sh-2", "above": 0}]},
    }
    (tmp_path / "saferhome2.json").write_text(json.dumps(definition), encoding="utf-8")
    settings.KITH_OUTCOMES_MEASURE_DIRS = [str(tmp_path)]
    person = involvement.person
    assert person is not None
    # when Sam answers "Yes" to the second question on their own
    client = _person_client(person)
    form = client.get(reverse("people:measure_record"), {"measure": "saferhome2"})
    _saved, result = _record(person, [0, 1], code="saferhome2")
    # then they were told beforehand, and now see the crisis options and who will call
    assert text(form, ".app-risk-notice p") == (
        "If you answer question 2 with anything other than “No”, we let your local team know, "
        "so that someone from the team can get in touch with you today."
    )
    assert _headings(result)[:3] == [
        "Your Safer home answers are saved",
        "Urgent advice: If you are in danger now or might act on thoughts of harming yourself",
        "What happens next",
    ]
    assert text(result, ".app-risk__answer") == (
        "You answered “Yes” to question 2: “Have you been afraid of someone at home?”."
    )
    assert _texts(result, ".app-risk__told") == [BRIXTON_CALLS]
    assert _same_day_calls(_board(member)) == [
        (_involvement_url(involvement), "Open involvement, Alex Morgan. " + ALONE)
    ]


def test_the_form_says_beforehand_what_a_risk_answer_does_and_only_where_one_can() -> None:
    # given
    client = _person_client(person_make())
    # when
    phq9 = client.get(reverse("people:measure_record"), {"measure": "phq9"})
    gad7 = client.get(reverse("people:measure_record"), {"measure": "gad7"})
    # then
    assert text(phq9, ".app-risk-notice p") == (
        "If you answer question 9 with anything other than “Not at all”, we let your local team "
        "know, so that someone from the team can get in touch with you today."
    )
    assert html(gad7).select(".app-risk-notice p") == []


# --- without a risk answer, and other people's results ----------------------------------------


def test_an_answer_without_risk_raises_nothing_and_shows_the_score(
    team: Team, member: TeamMember
) -> None:
    # given
    person = person_make()
    ask_for(team, person=person)
    # when
    _saved, result = _record(person, MILD)
    # then
    assert _headings(result) == ["Your PHQ-9 answers are saved", "Your score"]
    assert html(result).select(".app-risk") == []
    assert text(result, ".app-measure-result__score") == "Total 8: Mild."
    assert Ask.objects.filter(person=person).count() == 1
    assert Involvement.objects.count() == 0
    assert _same_day_calls(_board(member)) == []


def test_another_persons_result_is_not_found(involvement: Involvement) -> None:
    # given
    assert involvement.person is not None
    response = measure_record(person=involvement.person, code="phq9", answers=RISK)
    other = _person_client(person_make(email="pat@example.com"))
    # when
    page = other.get(reverse("people:measure_result", kwargs={"response_id": response.pk}))
    # then
    assert page.status_code == 404
    assert "Moderately severe" not in page.text


def test_the_service_raises_the_call_whoever_calls_it(team: Team, member: TeamMember) -> None:
    # given: a person with an ask nobody has picked up
    person = person_make()
    ask_for(team, person=person)
    # when the service is called directly (no page)
    with time_machine.travel(NOW, tick=False):
        measure_record(person=person, code="phq9", answers=RISK)
    # then
    opened = Involvement.objects.get(person=person)
    assert _same_day_calls(_board(member)) == [
        (_involvement_url(opened), "Open involvement, nobody named yet. " + ALONE)
    ]
    assert one(_board(member), ".app-board-same-day p").get_text(" ", strip=True) == (
        "Someone's answers to a measure today say they may be at risk (like PHQ-9 question 9 "
        "above zero). A member of the team calls them today."
    )
