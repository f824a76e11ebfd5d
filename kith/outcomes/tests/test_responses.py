"""Completed measures: saved with their score, by staff with the person or by the person, shown
as a trend (chart and table), and a PHQ-9 risk answer puts a same-day call on the board."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.audit.models import AuditEvent
from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.services import ask_pick_up
from kith.care.tests.factories import ask_for, person_make
from kith.core.errors import ValidationFailed
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.outcomes.charts import trend_chart
from kith.outcomes.measures import measure
from kith.outcomes.models import MeasureResponse
from kith.outcomes.selectors import TrendRow
from kith.people.access import SESSION_KEY
from kith.people.models import Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
MILD = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # total 8, "Mild", no flag
RISK = [2, 2, 2, 2, 2, 2, 2, 2, 1]  # total 17, "Moderately severe", item 9 above zero


@pytest.fixture
def involvement(team: Team, member: TeamMember) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person_make()), member=member)


def _sign_in(client: Client, person: Person) -> None:
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session.save()


def _answers(values: list[int]) -> dict[str, str]:
    items = measure("phq9").items
    return {f"item_{item.id}": str(value) for item, value in zip(items, values, strict=True)}


# --- the service ---------------------------------------------------------------------------


def test_a_worker_records_a_measure_with_the_person_and_the_score_is_kept_and_audited(
    involvement: Involvement, member: TeamMember
) -> None:
    # given
    assert involvement.person is not None
    # when
    with time_machine.travel(NOW, tick=False):
        response = measure_record(
            person=involvement.person,
            code="phq9",
            answers=RISK,
            involvement=involvement,
            member=member,
        )
    # then
    saved = MeasureResponse.objects.get()
    assert saved.pk == response.pk
    assert saved.answers == RISK
    assert saved.score == {
        "code": "phq9",
        "total": 17,
        "band": "Moderately severe",
        "band_code": "moderately-severe",
        "flags": ["risk"],
    }
    assert saved.is_risk is True
    assert (saved.completed_by, saved.member_id, saved.completed_at) == ("worker", member.pk, NOW)
    event = AuditEvent.objects.get(subject_type="measure_response")
    assert (event.actor_type, event.actor_id, event.action, event.purpose) == (
        "staff",
        str(member.user_id),
        "change",
        "measures",
    )
    assert (event.subject_id, event.person_id) == (str(saved.pk), involvement.person_id)


def test_bad_answers_are_refused_and_nothing_is_kept(
    involvement: Involvement, member: TeamMember
) -> None:
    # given
    assert involvement.person is not None
    # when
    with pytest.raises(ValidationFailed) as error:
        measure_record(
            person=involvement.person,
            code="phq9",
            answers=[1, 1, 1],
            involvement=involvement,
            member=member,
        )
    # then
    assert error.value.message == (
        "PHQ-9 has 9 items but 3 answers were given. Answer every item, in order."
    )
    assert MeasureResponse.objects.count() == 0
    assert AuditEvent.objects.filter(subject_type="measure_response").count() == 0


def test_a_worker_cannot_record_for_someone_outside_the_involvement(
    involvement: Involvement, member: TeamMember
) -> None:
    # given
    stranger = person_make(email="pat@example.com")
    # when
    with pytest.raises(ValidationFailed) as error:
        measure_record(
            person=stranger, code="gad7", answers=[0] * 7, involvement=involvement, member=member
        )
    # then
    assert error.value.message == "This involvement is with someone else"
    assert MeasureResponse.objects.count() == 0


def test_a_person_completes_a_measure_themselves() -> None:
    # given
    person = person_make()
    # when
    response = measure_record(person=person, code="gad7", answers=[0] * 7)
    # then
    assert (response.completed_by, response.member_id, response.involvement_id) == (
        "person",
        None,
        None,
    )
    assert response.score["total"] == 0
    assert response.score["band"] == "Minimal"
    event = AuditEvent.objects.get(subject_type="measure_response")
    assert (event.actor_type, event.actor_id) == ("person", str(person.pk))


# --- the chart ------------------------------------------------------------------------------


def test_the_chart_places_each_total_on_the_measures_scale_and_describes_it() -> None:
    # given: PHQ-9 totals run 0 to 27; the plot is 536 wide (48 to 584) and 184 high (16 to 200)
    rows = [
        TrendRow(dt.date(2026, 11, 2), 27, "Severe", True, "The person"),
        TrendRow(dt.date(2026, 11, 9), 0, "Minimal", False, "The person"),
    ]
    # when
    chart = trend_chart(measure("phq9"), rows)
    # then
    assert chart is not None
    assert [(p.x, p.y, p.total) for p in chart.points] == [(48.0, 16.0, 27), (584.0, 200.0, 0)]
    assert chart.polyline == "48,16 584,200"
    assert [(t.value, t.y) for t in chart.ticks] == [(0, 200.0), (13.5, 108.0), (27, 16.0)]
    assert chart.description == (
        "PHQ-9 total over 2 scores, on a scale from 0 to 27: "
        "27 on 2 November 2026, 0 on 9 November 2026."
    )


# --- staff pages ----------------------------------------------------------------------------


def test_staff_choose_a_measure_answer_it_and_see_the_trend_with_its_table(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    record_url = reverse("care:measure_record", kwargs={"involvement_id": involvement.pk})
    choose = client.get(record_url)
    assert choose.status_code == 200
    assert "phq9" in [i["value"] for i in html(choose).select('input[name="measure"]')]
    form = client.get(record_url, {"measure": "phq9"})
    assert len(html(form).select(".app-measure-form fieldset")) == 9
    # when
    with time_machine.travel(NOW - dt.timedelta(days=7), tick=False):
        first = client.post(f"{record_url}?measure=phq9", _answers(RISK))
    with time_machine.travel(NOW, tick=False):
        second = client.post(f"{record_url}?measure=phq9", _answers(MILD))
        page = client.get(reverse("care:measures", kwargs={"involvement_id": involvement.pk}))
    # then
    measures_url = reverse("care:measures", kwargs={"involvement_id": involvement.pk})
    assert (first.status_code, first["Location"]) == (302, measures_url)
    assert second.status_code == 302
    assert page.status_code == 200
    trend = one(page, '.app-trend[data-measure="phq9"]')
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in trend.select(".app-trend__table tbody tr")
    ]
    assert rows == [
        ["19 November 2026", "17", "Moderately severe Flags risk"],
        ["26 November 2026", "8", "Mild"],
    ]
    totals = [c["data-total"] for c in trend.select("svg circle.app-trend__point")]
    assert totals == ["17", "8"]
    assert one(page, ".app-trend svg")["role"] == "img"
    assert text(trend, "svg title") == (
        "PHQ-9 total over 2 scores, on a scale from 0 to 27: "
        "17 on 19 November 2026, 8 on 26 November 2026."
    )
    assert MeasureResponse.objects.filter(completed_by="worker", member=member).count() == 2


def test_an_unanswered_question_shows_an_error_and_keeps_nothing(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    answers = _answers(MILD)
    del answers[f"item_{measure('phq9').items[8].id}"]
    record_url = reverse("care:measure_record", kwargs={"involvement_id": involvement.pk})
    # when
    response = client.post(f"{record_url}?measure=phq9", answers)
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary__list") == "Select an answer for question 9"
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize("route", ["measures", "measure_record"])
def test_another_team_gets_page_not_found(
    client: Client, involvement: Involvement, outsider: TeamMember, route: str
) -> None:
    # given
    sign_in_staff(client, outsider.user)
    # when
    response = client.get(reverse(f"care:{route}", kwargs={"involvement_id": involvement.pk}))
    # then
    assert response.status_code == 404
    assert AuditEvent.objects.filter(purpose="measures", outcome="denied").count() == 1


# --- the person's pages ---------------------------------------------------------------------


def test_a_person_completes_a_measure_on_my_and_sees_only_their_own(client: Client) -> None:
    # given
    person = person_make()
    other = person_make(email="pat@example.com")
    measure_record(person=other, code="gad7", answers=[3] * 7)
    _sign_in(client, person)
    # when
    with time_machine.travel(NOW, tick=False):
        saved = client.post(f"{reverse('people:measure_record')}?measure=phq9", _answers(MILD))
        page = client.get(reverse("people:measures"))
    # then: the result page, then their measures
    response = MeasureResponse.objects.get(person=person)
    result_url = reverse("people:measure_result", kwargs={"response_id": response.pk})
    assert (saved.status_code, saved["Location"]) == (302, result_url)
    assert [t["data-measure"] for t in html(page).select(".app-trend")] == ["phq9"]
    rows = [r.get_text(" ", strip=True) for r in html(page).select(".app-trend__table tbody tr")]
    assert rows == ["26 November 2026 8 Mild"]
    assert response.completed_by == "person"


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client) -> None:
    # when
    response = client.get(reverse("people:measures"))
    # then
    assert (response.status_code, response["Location"]) == (302, reverse("people:sign_in"))


# --- the huddle board -----------------------------------------------------------------------


def test_a_phq9_risk_answer_today_puts_a_same_day_call_on_the_board(
    client: Client,
    team: Team,
    member: TeamMember,
    involvement: Involvement,
    django_assert_max_num_queries: Any,
) -> None:
    # given: one person answered item 9 above zero today, another yesterday, a third not at all
    assert involvement.person is not None
    yesterday = ask_pick_up(
        ask=ask_for(team, person=person_make(email="pat@example.com")), member=member
    )
    calm = ask_pick_up(ask=ask_for(team, person=person_make(email="jo@example.com")), member=member)
    assert yesterday.person is not None
    assert calm.person is not None
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        measure_record(
            person=yesterday.person,
            code="phq9",
            answers=RISK,
            involvement=yesterday,
            member=member,
        )
    with time_machine.travel(NOW, tick=False):
        measure_record(
            person=involvement.person,
            code="phq9",
            answers=RISK,
            involvement=involvement,
            member=member,
        )
        measure_record(
            person=calm.person, code="phq9", answers=MILD, involvement=calm, member=member
        )
        sign_in_staff(client, member.user)
        # when: the same queries as a board without measures (with the second factor's
        # device and the staff session's check)
        with django_assert_max_num_queries(11):
            response = client.get(reverse("care:huddle_board"))
    # then
    flag = one(response, ".app-board-same-day")
    assert text(flag, "h2") == "Important: Needs a same-day call"
    links = [a["href"] for a in flag.select("li a")]
    assert links == [reverse("care:involvement_show", kwargs={"involvement_id": involvement.pk})]
    seen = AuditEvent.objects.get(purpose="huddle")  # one event: everyone the board showed
    assert sorted(seen.person_ids or []) == sorted(
        str(shown.person_id) for shown in (involvement, yesterday, calm)
    )


def test_the_board_has_no_same_day_section_without_a_risk_answer(
    client: Client, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:huddle_board"))
    # then
    assert html(response).select(".app-board-same-day") == []
