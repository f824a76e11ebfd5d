"""Every public page links to "Ask for help" and "Your record" (issue 9: "Finding the way in").

The public pages are not listed by hand: they are every GET route of the access inventory
(kith/core/data/access-inventory.csv) that answers 200 to someone signed out, with an HTML
page. A new public page is walked as soon as it is in the inventory.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kith.core.access_inventory import Entry, Outcome, inventory_load
from kith.core.testing import html
from kith.directory.models import Service
from kith.directory.tests.factories import nested_service
from kith.people.models import Person

PUBLIC_PAGES = [
    entry
    for entry in inventory_load()
    if entry.method == "GET"
    and not entry.is_wildcard
    and entry.outcomes["anonymous"] == Outcome(status=200)
    and not entry.route.startswith("api/")
    and entry.name != "core:health"  # for load balancers: plain text, no page
]
# Signed in, the same pages where a person gets the page too (some send them on to /my/).
PUBLIC_PAGES_SIGNED_IN = [
    entry for entry in PUBLIC_PAGES if entry.outcomes["person"] == Outcome(status=200)
]


def _url(entry: Entry, service: Service) -> str:
    """The page's URL, with a real service for a service's pages."""
    objects: dict[str, object] = {"service_id": service.pk, "secret": "not-a-real-secret"}
    names = re.findall(r"<(?:\w+:)?(\w+)>", entry.route)
    return reverse(entry.name, kwargs={name: objects[name] for name in names})


def _header_links(response: Any) -> dict[str, str]:
    """The header's links by their text: {text: href}."""
    header = html(response).select_one("header.nhsuk-header")
    assert header is not None, "no NHS.UK header"
    return {link.get_text(" ", strip=True): str(link["href"]) for link in header.select("a")}


def test_given_the_inventory_when_public_pages_are_chosen_then_they_include_the_named_ones() -> (
    None
):
    # given / when
    names = {entry.name for entry in PUBLIC_PAGES}
    # then: the pages the issue names are among those walked, and no API
    assert {"asks:help_now", "directory:search", "directory:service_show", "asks:ask_start"} <= (
        names
    )
    assert len(PUBLIC_PAGES) >= 15
    assert not [name for name in names if name.startswith(("admin:", "oruk:"))]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", PUBLIC_PAGES, ids=[entry.name for entry in PUBLIC_PAGES])
def test_given_someone_signed_out_when_they_open_a_public_page_then_the_header_links_both_ways_in(
    client: Client, entry: Entry
) -> None:
    # given
    service = nested_service(1)
    # when
    response = client.get(_url(entry, service))
    # then
    assert response.status_code == 200
    links = _header_links(response)
    assert links["Ask for help"] == "/ask/"
    assert links["Your record"] == "/sign-in/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "entry", PUBLIC_PAGES_SIGNED_IN, ids=[entry.name for entry in PUBLIC_PAGES_SIGNED_IN]
)
def test_given_a_signed_in_person_when_they_open_a_public_page_then_your_record_goes_to_my(
    client: Client, entry: Entry
) -> None:
    # given
    service = nested_service(1)
    person = Person.objects.create(email="sam@example.com")
    session = client.session
    session["person_id"] = str(person.pk)
    session.save()
    # when
    response = client.get(_url(entry, service))
    # then
    assert response.status_code == 200
    links = _header_links(response)
    assert links["Ask for help"] == "/ask/"
    assert links["Your record"] == "/my/"


def _main_links(response: Any) -> dict[str, str]:
    """The links in the page's content (or in an htmx partial, which is all content)."""
    soup = html(response)
    content = soup.select_one("main") or soup
    return {link.get_text(" ", strip=True): str(link["href"]) for link in content.select("a")}


NAMED_PAGES = [
    ("no results", lambda service: "/find/?q=xylophone+quartz", {}),
    ("no results, by htmx", lambda service: "/find/?q=xylophone+quartz", {"HX-Request": "true"}),
    ("a service's page", lambda service: f"/services/{service.pk}/", {}),
    ("Need help now?", lambda service: "/help-now/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed out", "signed in"])
@pytest.mark.parametrize(
    ("page", "address", "headers"), NAMED_PAGES, ids=[page for page, *_ in NAMED_PAGES]
)
def test_given_a_page_where_people_look_for_help_when_opened_then_its_content_links_both_ways_in(
    client: Client, page: str, address: Any, headers: dict[str, str], signed_in: bool
) -> None:
    # given
    service = nested_service(1)
    if signed_in:
        session = client.session
        session["person_id"] = str(Person.objects.create(email="sam@example.com").pk)
        session.save()
    # when
    response = client.get(address(service), headers=headers)
    # then
    assert response.status_code == 200
    links = _main_links(response)
    assert links["Ask for help"] == "/ask/"
    assert links["Your record"] == ("/my/" if signed_in else "/sign-in/")
