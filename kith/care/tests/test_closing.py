"""Closing with the person: "connected to community support" finds the service by its name in the
directory (the public search engine), with and without JavaScript, never by pasting an id; steps
of the plan not yet done are a warning to proceed past, never a block."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kith.asks.models import Outcome
from kith.audit.models import AuditEvent
from kith.care.models import Involvement, InvolvementStatus
from kith.care.selectors import services_by_name
from kith.care.services import ask_pick_up, step_add, step_done
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.directory.models import Address, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import OrganizationFactory, ServiceAtLocationFactory
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement(team: Team, member: TeamMember) -> Involvement:
    return ask_pick_up(ask=ask_for(team, person=person_make()), member=member)


@pytest.fixture
def men_s_shed() -> Service:
    """'Brixton Men's Shed', at a hall in SW9, and two other services, all in the search index."""
    organisation = OrganizationFactory.create(name="Brixton Community Trust")
    shed = ServiceAtLocationFactory.create(
        service__organization=organisation, service__name="Brixton Men's Shed"
    )
    Address.objects.create(
        location=shed.location,
        address_1="12 Coldharbour Lane",
        city="London",
        postal_code="SW9 8EJ",
        country="GB",
    )
    ServiceAtLocationFactory.create(service__name="Stockwell walking group")
    ServiceAtLocationFactory.create(service__name="Oval debt advice")
    index_services()
    return shed.service


def _close_url(involvement: Involvement) -> str:
    return reverse("care:involvement_close", args=[involvement.pk])


def _choices(response: object) -> list[str]:
    return [
        " ".join(item.get_text(" ", strip=True).split())
        for item in html(response).select("#service-choices .nhsuk-radios__item")
    ]


def test_the_service_is_found_by_its_name_with_the_directorys_own_search(
    men_s_shed: Service,
) -> None:
    # when
    choices = services_by_name(text="mens shed")
    # then
    assert [(c.name, c.organisation, c.where) for c in choices] == [
        ("Brixton Men's Shed", "Brixton Community Trust", "12 Coldharbour Lane, SW9 8EJ")
    ]
    assert choices[0].id == men_s_shed.pk
    assert services_by_name(text="   ") == []


def test_without_javascript_searching_posts_back_and_keeps_what_was_typed(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when the worker types the name and presses "Search the directory"
    response = client.post(
        _close_url(involvement),
        {
            "outcome": "connected",
            "what_helped": "Having somewhere to go on Tuesdays.",
            "service_q": "Men's Shed",
            "action": "search",
        },
    )
    # then the page comes back with the services to choose from, nothing closed, no errors
    assert response.status_code == 200
    assert _choices(response) == [
        "Brixton Men's Shed Brixton Community Trust · 12 Coldharbour Lane, SW9 8EJ"
    ]
    assert one(response, "#service_id")["value"] == str(men_s_shed.pk)
    assert one(response, "#id_service_q")["value"] == "Men's Shed"
    assert one(response, "#id_what_helped").get_text() == "Having somewhere to go on Tuesdays."
    assert one(response, 'input[name="outcome"][value="connected"]').has_attr("checked")
    assert html(response).select(".nhsuk-error-summary") == []
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.OPEN


def test_with_javascript_results_come_as_they_type_as_just_the_choices(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when htmx asks the page for the results of what has been typed so far
    response = client.get(
        _close_url(involvement), {"service_q": "shed"}, headers={"HX-Request": "true"}
    )
    # then it answers with just the choices, and what screen readers hear
    assert response.status_code == 200
    assert "<html" not in response.text
    assert _choices(f'<div id="service-choices">{response.text}</div>') == [
        "Brixton Men's Shed Brixton Community Trust · 12 Coldharbour Lane, SW9 8EJ"
    ]
    status = one(response, "#service-choices-status")
    assert (status["hx-swap-oob"], status.get_text(strip=True)) == ("innerHTML", "1 service found")


def test_the_search_field_asks_the_page_for_results_as_they_type(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.get(_close_url(involvement))
    # then: a plain form that works on its own, enhanced with htmx
    field = one(response, "#id_service_q")
    assert (field["hx-get"], field["hx-target"], field["hx-params"]) == (
        _close_url(involvement),
        "#service-choices",
        "service_q,service_id",
    )
    button = one(response, 'button[name="action"][value="search"]')
    assert button.get_text(strip=True) == "Search the directory"
    assert one(response, "form")["method"] == "post"
    assert html(response).select('input[name="service_id"][type="text"]') == []


def test_a_search_that_finds_nothing_says_what_to_try(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        _close_url(involvement), {"outcome": "connected", "service_q": "zzqx", "action": "search"}
    )
    # then
    assert _choices(response) == []
    assert text(response, ".app-service-finder__none") == (
        "Nothing in the directory matches “zzqx”. Check the spelling, or try part of its name."
    )


def test_choosing_a_found_service_closes_connected_to_it(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when the worker chooses it and closes
    response = client.post(
        _close_url(involvement),
        {
            "outcome": "connected",
            "what_helped": "Somewhere to go.",
            "service_q": "shed",
            "service_id": str(men_s_shed.pk),
        },
    )
    # then
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert (involvement.status, involvement.outcome, involvement.outcome_service_id) == (
        InvolvementStatus.CLOSED,
        Outcome.CONNECTED,
        men_s_shed.pk,
    )
    page = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    assert text(page, ".app-timeline__connected") == "Connected to Brixton Men's Shed"


def test_a_chosen_service_stays_chosen_when_the_words_change(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when the worker chose the shed, then searched for something else
    response = client.post(
        _close_url(involvement),
        {
            "outcome": "connected",
            "service_q": "walking",
            "service_id": str(men_s_shed.pk),
            "action": "search",
        },
    )
    # then the shed is still there, first and chosen, with what the new words found
    assert [choice.split(" ")[0:3] for choice in _choices(response)] == [
        ["Brixton", "Men's", "Shed"],
        ["Stockwell", "walking", "group"],
    ]
    assert one(response, "#service_id").has_attr("checked")


def test_closing_connected_without_choosing_a_service_says_to_find_it_by_name(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(_close_url(involvement), {"outcome": "connected"})
    # then
    assert response.status_code == 400
    assert text(response, "#id_service_q-error") == (
        "Error: Choose the community support they were connected to: search the directory by "
        "its name"
    )
    assert one(response, ".nhsuk-error-summary a")["href"] == "#id_service_q"
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.OPEN


def test_the_search_words_are_never_sent_to_the_close_service_or_the_log(
    client: Client, involvement: Involvement, member: TeamMember, men_s_shed: Service
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    client.post(
        _close_url(involvement),
        {"outcome": "supported", "service_q": "shed", "service_id": str(men_s_shed.pk)},
    )
    # then: not "connected", so no service is kept
    involvement.refresh_from_db()
    assert (involvement.outcome, involvement.outcome_service_id) == (Outcome.SUPPORTED, None)
    assert not AuditEvent.objects.filter(purpose__icontains="shed").exists()


# Steps not done yet


def test_closing_warns_of_steps_not_done_yet_and_still_closes(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given two steps not done and one done
    step_add(involvement=involvement, member=member, text="Ring the council", who="worker")
    step_add(involvement=involvement, member=member, text="Try the walking group", who="me")
    done = step_add(involvement=involvement, member=member, text="Book a GP visit", who="me")
    step_done(step=done, member=member)
    sign_in_staff(client, member.user)
    # when the worker opens the closing page
    page = client.get(_close_url(involvement))
    # then a warning lists what is not done, and links to marking steps done
    warning = one(page, ".app-close-steps-to-do")
    assert text(warning, "h2") == "Important: Steps in their plan are not done yet"
    assert [li.get_text(" ", strip=True) for li in warning.select("li")] == [
        "Ring the council (who does it: their worker)",
        "Try the walking group (who does it: the person)",
    ]
    assert one(warning, "a")["href"] == reverse("care:step_done", args=[involvement.pk])
    # and when they close anyway, it closes
    closed = client.post(_close_url(involvement), {"outcome": "supported"})
    assert closed.status_code == 302
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.CLOSED


def test_closing_with_every_step_done_shows_no_warning(
    client: Client, involvement: Involvement, member: TeamMember
) -> None:
    # given
    done = step_add(involvement=involvement, member=member, text="Book a GP visit", who="me")
    step_done(step=done, member=member)
    sign_in_staff(client, member.user)
    # when
    page = client.get(_close_url(involvement))
    # then
    assert html(page).select(".app-close-steps-to-do") == []
