"""No page shows raw markup or says a heading twice: every page reachable in the demo's journeys, walked as each kind of
visitor (a member of the public, someone asking for help, a signed-in person, a team member, a
listings editor), renders its words as words, never as "<p>" or "&lt;p&gt;".

The class of bug this guards against: a translated string is already "safe" markup under
autoescape, so a string built from it with literal tags (`"<p>" ~ _("...")`) has its tags escaped
and shown; and an NHS.UK card (a warning callout) given it as a bare `heading` takes it for both
its text and its HTML and shows the heading twice. Pass components `{"text": _("...")}` or markup
built in a `{% set %}` block. Both show up here, as tags in the text or a heading said twice.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

from kith.core.models import SiteState
from kith.core.testing import html, one, restore_reference_data
from kith.core.testing.staff import sign_in_staff
from kith.demo.people import load_demo_people
from kith.demo.services import demo_load, demo_remove
from kith.demo.teams import load_demo_team
from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.outcomes.measures import measures
from kith.people.access import SESSION_KEY
from kith.people.models import Person

# A tag as people would read it: "<p>", "</p>", "<a href=...>", "<br/>".
RAW_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
# Attributes whose values people read or hear.
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
# Paths never walked: machine formats, file downloads, the admin and static files.
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/sign-out/", "/staff/sign-out/")
SKIP_SUFFIXES = (".json", ".csv", ".xml", ".txt", ".ics")
# Pages of one kind (the same view, the same query parameters) walked at most this many times:
# three service pages are enough to find a template's bug; all 420 are not needed.
PER_KIND = 3


def repeated_headings_in(page: str) -> list[str]:
    """Headings whose words are shown again as bare text straight after them (a component
    given a translated string renders it as its text and again as its HTML)."""
    soup = BeautifulSoup(page, "html.parser")
    repeated = []
    for heading in soup.select("h1, h2, h3, h4, h5, h6"):
        hidden = " ".join(
            span.get_text(" ", strip=True) for span in heading.select(".nhsuk-u-visually-hidden")
        )
        words = heading.get_text(" ", strip=True).removeprefix(hidden).strip()
        after = [
            str(node).strip()
            for node in heading.next_siblings
            if isinstance(node, NavigableString) and str(node).strip()
        ]
        if words and words in after:
            repeated.append(words)
    return repeated


def raw_markup_in(page: str) -> list[str]:
    """Tags shown as text in an HTML page: in its text, its title and the attributes people
    read. Scripts and styles are code, not text, and are left out."""
    soup = BeautifulSoup(page, "html.parser")
    for code in soup.select("script, style, template"):
        code.decompose()
    found = RAW_TAG.findall(soup.get_text(" "))
    for element in soup.find_all(True):
        for name in READ_ATTRIBUTES:
            value = element.get(name)
            if isinstance(value, str):
                found += RAW_TAG.findall(value)
    return found


@dataclass
class Walk:
    """Pages walked and what was wrong with them."""

    client: Client
    seen: set[str] = field(default_factory=set)
    kinds: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    pages: int = 0

    def check(self, path: str, body: bytes) -> None:
        self.pages += 1
        page = body.decode("utf-8")
        shown = sorted(set(raw_markup_in(page))) + [
            f"heading shown twice: {words}" for words in repeated_headings_in(page)
        ]
        if shown:
            self.problems[path] = shown

    def _kind(self, path: str) -> tuple[str, tuple[str, ...]] | None:
        parts = urlsplit(path)
        try:
            view = resolve(parts.path).view_name
        except Resolver404:
            return None
        return view, tuple(sorted({key for key, _ in parse_qsl(parts.query)}))

    def _wanted(self, path: str) -> bool:
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return False
        if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
            return False
        return path not in self.seen

    def crawl(self, starts: Iterable[str], *, limit: int = 250) -> None:
        """Walk same-site links breadth first from `starts` (each walked whatever its kind),
        following redirects."""
        queue = deque((start, True) for start in starts)
        while queue and len(self.seen) < limit:
            link, is_start = queue.popleft()
            path = urldefrag(link)[0]
            if not self._wanted(path):
                continue
            kind = self._kind(path)
            if kind is None:
                continue
            if self.kinds.get(kind, 0) >= PER_KIND and not is_start:
                continue
            self.seen.add(path)
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            response = self.client.get(path)
            if response.status_code in {301, 302, 303, 307, 308}:
                queue.appendleft((response["Location"], is_start))
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            self.check(path, response.content)
            queue.extend(
                (str(anchor["href"]), False)
                for anchor in html(response).select("a[href]")
                if not anchor.has_attr("download")
            )


@pytest.fixture(scope="module")
def demo(django_db_setup: object, django_db_blocker: object) -> Iterator[None]:
    """The demo locality, loaded once for the module (committed) and taken away afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        restore_reference_data()
        postcodes_before = set(Postcode.objects.values_list("code", flat=True))
        demo_load()
        yield
        demo_remove()
        Postcode.objects.exclude(code__in=postcodes_before).delete()
        SiteState.objects.all().delete()
        index_services()


@pytest.fixture
def team_and_people(demo: None, db: None) -> None:
    """The demo team and the people who asked it for help (rolled back after each test)."""
    load_demo_team()
    load_demo_people()


def _assert_no_raw_markup(walk: Walk, *, at_least: int) -> None:
    assert walk.problems == {}
    assert walk.pages >= at_least


def test_the_raw_tag_finder_finds_escaped_and_bare_tags_in_text_only() -> None:
    # given a page with an escaped paragraph, a tag in an attribute, and a script
    page = (
        "<html><head><title>Ask</title><script>if (a<b) { x = '<p>'; }</script></head>"
        "<body><p>&lt;p&gt;Every question is optional.&lt;/p&gt;</p>"
        '<input value="&lt;br&gt;"><p>3 &lt; 4 and 5 &gt; 2</p></body></html>'
    )
    # when / then
    assert raw_markup_in(page) == ["<p>", "</p>", "<br>"]


def test_the_repeated_heading_finder_finds_a_heading_shown_again_as_text() -> None:
    # given a warning callout whose heading is shown again below it, and one that is not
    page = (
        '<div><h3><span class="nhsuk-u-visually-hidden">Important: </span>This cannot be undone'
        "</h3>This cannot be undone</div><div><h3>Closed</h3><p>Closed for now</p></div>"
    )
    # when / then
    assert repeated_headings_in(page) == ["This cannot be undone"]


@pytest.mark.django_db
def test_public_pages_show_no_raw_markup(team_and_people: None, client: Client) -> None:
    # given a member of the public, and services with an alert or temporarily closed
    walk = Walk(client)
    unusual = [
        *Service.objects.exclude(alert="").order_by("name")[:1],
        *Service.objects.filter(status="temporarily closed").order_by("name")[:1],
    ]
    assert len(unusual) == 2
    # when they walk every page they can reach from the home page, and those services' pages
    walk.crawl(
        [
            "/",
            "/find/?q=walking",
            "/help-now/",
            "/ask/",
            "/sign-in/",
            "/staff/sign-in/",
            *(f"/services/{service.pk}/" for service in unusual),
        ]
    )
    # then no page shows a tag as text
    _assert_no_raw_markup(walk, at_least=15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "words",
    ["I moved here in the summer and I don't know anyone.", "I want to end my life tonight"],
)
def test_every_page_of_asking_for_help_shows_no_raw_markup(
    team_and_people: None, client: Client, words: str
) -> None:
    # given someone asking for help (an ordinary ask, and one that brings crisis options)
    walk = Walk(client)
    pages = [
        ("/ask/what-is-happening/", {"text": words}),
        ("/ask/what-would-help/", {"what_would_help": "Someone to talk to", "what_matters": ""}),
        (
            "/ask/how-to-reach-you/",
            {"contact_method": "text", "contact_phone": "07700 900123", "contact_times": ""},
        ),
        ("/ask/language-and-access/", {"language": "", "needs_interpreter": "no"}),
        ("/ask/about-you/", {"postcode": "SW9 8EJ"}),
    ]
    # when they first send each page empty (its errors), then answer it and read the next
    walk.check("/ask/", client.get("/ask/").content)
    for path, answers in pages:
        walk.check(path, client.get(path).content)
        if path != "/ask/about-you/":  # every question there is optional
            walk.check(f"{path} (errors)", client.post(path, {}).content)
        assert client.post(path, answers).status_code == 302
    check = client.get("/ask/check/")
    walk.check("/ask/check/", check.content)
    key = one(check, "input[name=idempotency_key]")["value"]
    sent = client.post("/ask/check/", {"idempotency_key": key, "website": ""}, follow=True)
    walk.check("/ask/sent/", sent.content)
    # then no page shows a tag as text
    _assert_no_raw_markup(walk, at_least=12)


@pytest.mark.django_db
def test_a_signed_in_persons_pages_show_no_raw_markup(
    team_and_people: None, client: Client
) -> None:
    # given Ruby, whom the demo team is working with, signed in
    ruby = Person.objects.get(display_name="Ruby")
    session = client.session
    session[SESSION_KEY] = str(ruby.pk)
    session.save()
    walk = Walk(client)
    # when she walks every page of her record, and starts each measure
    measure_pages = [f"/my/measures/record/?measure={code}" for code in measures()]
    walk.crawl(["/my/", "/my/measures/record/", *measure_pages])
    # then no page shows a tag as text
    _assert_no_raw_markup(walk, at_least=12)


@pytest.mark.django_db
def test_the_team_workspace_shows_no_raw_markup(team_and_people: None, client: Client) -> None:
    # given Sam Okafor of the demo team, signed in
    sign_in_staff(client, get_user_model().objects.get(username="worker.sam"))
    walk = Walk(client)
    # when he walks every page from the huddle board, and records each measure with Ruby
    walk.crawl(["/team/"])
    involvements = [path for path in walk.seen if re.fullmatch(r"/team/involvements/[^/]+/", path)]
    assert involvements
    starts = [f"{involvements[0]}measures/record/?measure={code}" for code in measures()]
    walk.crawl(starts)
    # then no page shows a tag as text
    _assert_no_raw_markup(walk, at_least=15)


@pytest.mark.django_db
def test_the_listings_editors_pages_show_no_raw_markup(
    team_and_people: None, client: Client
) -> None:
    # given a demo listings editor, signed in
    from kith.demo.editors import load_demo_editors

    load_demo_editors()
    sign_in_staff(client, get_user_model().objects.get(username="editor.amara"))
    walk = Walk(client)
    # when they walk the curation pages
    walk.crawl(["/staff/directory/"])
    # then no page shows a tag as text
    _assert_no_raw_markup(walk, at_least=5)
