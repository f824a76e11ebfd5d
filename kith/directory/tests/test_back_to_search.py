"""Back from a service's page to the same search (issue 9, "Finding the way in and back").

Each result links to the service's page with the search in its query string (the words, the
postcode, the filters and the page of results), and the service's Back link takes that search
back to /find/: it works without JavaScript, and with htmx, whose search keeps no history
snapshot (hx-history="false"), as a plain link.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from kith.core.testing import html, one
from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types

pytestmark = pytest.mark.django_db

SEARCH = "q=money+worries&postcode=SW9+8EJ&radius=5&type=debt-money&when=any&free=on&page=1"


@pytest.fixture
def debt_advice() -> Service:
    Postcode.objects.create(code="SW98EJ", latitude=51.4655, longitude=-0.1150)
    sal: Any = ServiceAtLocationFactory(
        service__name="Money worries drop-in",
        service__description="Help with debt and money worries.",
        service__is_free=True,
        location__latitude=51.4660,
        location__longitude=-0.1150,
    )
    tag_support_types(sal.service, "debt-money")
    index_services()
    return sal.service


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_given_a_search_when_results_show_then_each_link_carries_the_search(
    client: Client, debt_advice: Service, headers: dict[str, str]
) -> None:
    # when
    response = client.get(f"/find/?{SEARCH}", headers=headers)
    # then
    link = one(response, ".app-result__name a")["href"]
    assert urlsplit(str(link)).path == f"/services/{debt_advice.pk}/"
    assert _query(str(link)) == _query(f"/find/?{SEARCH}")


def test_given_a_search_when_the_map_shows_then_its_markers_carry_the_search(
    client: Client, debt_advice: Service
) -> None:
    # when
    response = client.get(f"/find/?{SEARCH}")
    # then
    [marker] = json.loads(one(response, "#results-map-data").get_text())
    assert _query(marker["url"]) == _query(f"/find/?{SEARCH}")


def test_given_a_service_reached_from_a_search_when_back_is_followed_then_the_same_search(
    client: Client, debt_advice: Service
) -> None:
    # given
    link = str(one(client.get(f"/find/?{SEARCH}"), ".app-result__name a")["href"])
    # when
    back = str(one(client.get(link), "a.nhsuk-back-link")["href"])
    searched_again = client.get(back)
    # then: the same words, postcode and filters, and the same result
    assert urlsplit(back).path == "/find/"
    assert _query(back) == _query(f"/find/?{SEARCH}")
    page = html(searched_again)
    assert page.select_one("#q")["value"] == "money worries"  # type: ignore[index]
    assert page.select_one("#postcode")["value"] == "SW9 8EJ"  # type: ignore[index]
    assert page.select_one("#free").has_attr("checked")  # type: ignore[union-attr]
    assert [a.get_text(strip=True) for a in page.select(".app-result__name a")] == [
        "Money worries drop-in"
    ]


def test_given_a_service_opened_directly_when_back_is_shown_then_it_is_a_new_search(
    client: Client, debt_advice: Service
) -> None:
    # when
    response = client.get(f"/services/{debt_advice.pk}/")
    # then
    assert one(response, "a.nhsuk-back-link")["href"] == "/find/"


def test_given_other_things_in_the_query_when_back_is_shown_then_only_the_search_is_carried(
    client: Client, debt_advice: Service
) -> None:
    # given: a link someone else made, with things that are not part of a search
    extra = "next=https%3A%2F%2Fevil.example.com%2F&q=debt&csrfmiddlewaretoken=x&" + (
        "postcode=" + "A" * 500
    )
    # when
    response = client.get(f"/services/{debt_advice.pk}/?{extra}")
    # then
    back = str(one(response, "a.nhsuk-back-link")["href"])
    assert back == "/find/?q=debt"
