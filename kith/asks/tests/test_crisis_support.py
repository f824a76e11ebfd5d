"""Crisis support after an urgent ask: what can be reached now comes first, with its hours, then
the national lines; lines matched to what the person needs; a promise about today.

It is a Wednesday, 8pm in Brixton (time_machine), unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client

from kith.asks.models import Ask, CrisisOption
from kith.asks.selectors import crisis_options
from kith.asks.tests.factories import team_make
from kith.core.testing import html, one, text
from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_8PM = dt.datetime(2026, 3, 4, 20, 0, tzinfo=LONDON)
SW9_8EJ = (51.4655, -0.1150)
SUICIDAL = "I have the tablets ready and I want to end my life tonight"
PARTNER = "My partner hits me and I am scared he will kill me"
BABY = "I am scared my husband will hurt our baby"
GENERAL_HREFS = ["tel:999", "tel:111", "tel:116123", "sms:85258&body=SHOUT"]
ALWAYS_OPEN_LINES = [
    "999 Call 999 any time, day or night",
    "NHS 111 Call 111 any time, day or night",
    "Samaritans Call 116 123 any time, day or night",
    "Shout Text SHOUT any time, day or night",
]


@pytest.fixture(autouse=True)
def wednesday_8pm() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY_8PM, tick=False):
        yield


@pytest.fixture
def brixton() -> None:
    team_make(name="Brixton community team", districts="SW9", hours=72)
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])


def listing(name: str, metres_north: int, *codes: str, **schedule: object) -> Service:
    """A service `metres_north` of SW9 8EJ, open as `schedule` says (no schedule: no hours)."""
    service: Service = ServiceFactory.create(name=name, description=f"{name}, in Brixton.")
    location = LocationFactory.create(
        organization=service.organization,
        latitude=SW9_8EJ[0] + metres_north / 111_000,
        longitude=SW9_8EJ[1],
    )
    ServiceAtLocationFactory.create(service=service, location=location)
    tag_support_types(service, *codes)
    if schedule:
        ScheduleFactory.create(service=service, **schedule)
    return service


EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def all_day(name: str, metres_north: int, *codes: str) -> Service:
    # How the demo and many real feeds write "24 hours": midnight to 11:59pm every day.
    return listing(
        name, metres_north, *codes, byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(23, 59)
    )


def evenings(name: str, metres_north: int, *codes: str) -> Service:
    return listing(
        name, metres_north, *codes, byday=EVERY_DAY, opens_at=dt.time(18), closes_at=dt.time(23)
    )


def tuesday_mornings(name: str, metres_north: int, *codes: str) -> Service:
    return listing(
        name, metres_north, *codes, byday="TU", opens_at=dt.time(10), closes_at=dt.time(12)
    )


def walk(client: Client, *, words: str, method: str = "text", age_band: str = "") -> None:
    """Every page of the ask, without JavaScript, from SW9 8EJ."""
    contact = {"contact_method": method, "contact_phone": "", "contact_times": ""}
    if method in ("text", "phone"):
        contact["contact_phone"] = "07700 900123"
    pages = [
        ("/ask/what-is-happening/", {"text": words}),
        ("/ask/what-would-help/", {"what_would_help": "", "what_matters": ""}),
        ("/ask/how-to-reach-you/", contact),
        ("/ask/language-and-access/", {"language": "", "needs_interpreter": "no"}),
        ("/ask/about-you/", {"postcode": "SW9 8EJ", "age_band": age_band}),
    ]
    for path, data in pages:
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content[:2000])


def send(client: Client) -> tuple[Ask, BeautifulSoup]:
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    response = client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    assert response.status_code == 302
    return Ask.objects.get(), html(client.get(response["Location"]))


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [node.get_text(" ", strip=True) for node in page.select(selector)]


def hrefs(page: BeautifulSoup, selector: str) -> list[str]:
    return [str(a["href"]) for a in page.select(f"{selector} a")]


# --- What can be reached now, first ---------------------------------------------------------


def test_crisis_support_near_you_lists_what_is_open_now_first_with_hours_then_national_lines(
    client: Client, brixton: None
) -> None:
    # given crisis support near SW9 8EJ: the nearest opens next Tuesday, one is open all day,
    # one is open this evening, one has no hours at all
    tuesday_mornings("Stockwell Tuesday clinic", 100, "crisis")
    all_day("Coldharbour night hub", 300, "crisis")
    evenings("Brixton evening sanctuary", 500, "crisis")
    listing("Acre Lane crisis team", 200, "crisis")
    index_services()
    # when a person in danger asks for help at 8pm on a Wednesday
    walk(client, words=SUICIDAL)
    ask, page = send(client)
    # then what is open now comes first, with its hours, then the lines open any time
    assert ask.is_urgent is True
    assert text(page, ".app-crisis-near h2") == "Crisis support near you"
    assert texts(page, ".app-local-crisis li .app-local-crisis__name") == [
        "Coldharbour night hub",
        "Brixton evening sanctuary",
    ]
    assert texts(page, ".app-local-crisis li .app-local-crisis__hours") == [
        "Open 24 hours",
        "Open now until 11pm",
    ]
    assert texts(page, ".app-local-crisis li .app-local-crisis__distance") == [
        "0.2 miles",
        "0.3 miles",
    ]
    assert texts(page, ".app-crisis-lines li") == ALWAYS_OPEN_LINES
    section = text(page, ".app-crisis-near")
    assert section.index("Coldharbour night hub") < section.index("Samaritans")
    # and nothing that is closed now is offered as crisis support near them
    assert "Stockwell Tuesday clinic" not in section
    assert "Acre Lane crisis team" not in section


def test_when_nothing_near_is_open_the_national_lines_are_listed_never_only_next_week(
    client: Client, brixton: None
) -> None:
    # given the only crisis support near SW9 8EJ opens next Tuesday
    tuesday_mornings("Stockwell Tuesday clinic", 100, "crisis")
    index_services()
    # when a person in danger asks for help
    walk(client, words=SUICIDAL)
    _ask, page = send(client)
    # then they are told plainly, and shown the lines they can reach now
    assert not page.select(".app-local-crisis")
    assert text(page, ".app-local-crisis-none") == (
        "We do not know of crisis support near you that is open now. These are:"
    )
    assert texts(page, ".app-crisis-lines li") == ALWAYS_OPEN_LINES
    assert "Stockwell Tuesday clinic" not in text(page, ".app-crisis-near")


def test_crisis_support_opening_later_today_comes_after_the_national_lines(
    client: Client, brixton: None
) -> None:
    # given crisis support near SW9 8EJ that opens at 9am tomorrow, and one next Tuesday
    listing(
        "Loughborough crisis cafe",
        200,
        "crisis",
        byday="TH",
        opens_at=dt.time(9),
        closes_at=dt.time(17),
    )
    tuesday_mornings("Stockwell Tuesday clinic", 100, "crisis")
    index_services()
    # when a person in danger asks for help at 8pm
    walk(client, words=SUICIDAL)
    _ask, page = send(client)
    # then it is listed after the lines open now, saying when it opens
    assert texts(page, ".app-local-crisis-later li .app-local-crisis__name") == [
        "Loughborough crisis cafe"
    ]
    assert texts(page, ".app-local-crisis-later li .app-local-crisis__hours") == [
        "Opens tomorrow at 9am"
    ]
    section = text(page, ".app-crisis-near")
    assert section.index("Shout") < section.index("Loughborough crisis cafe")
    assert "Stockwell Tuesday clinic" not in section


# --- The promise ----------------------------------------------------------------------------


def test_an_urgent_ask_promises_what_happens_today_not_by_a_later_day(
    client: Client, brixton: None
) -> None:
    # when a person in danger asks a team that answers ordinary asks within 72 hours
    walk(client, words=SUICIDAL)
    _ask, page = send(client)
    # then the confirmation says what happens today, and what to do if it does not
    assert texts(page, ".app-next") == [
        "Because of what you wrote, your ask is marked urgent. A person from Brixton community "
        "team will try to reach you today, the way you asked.",
        "If you have not heard from us by the end of today, or you cannot keep yourself safe, "
        "do not wait: use the support on this page, which is open now, or call 999.",
    ]
    assert "Saturday" not in text(page, "main")


def test_an_urgent_ask_from_someone_who_will_get_back_in_touch_asks_them_to_today(
    client: Client, brixton: None
) -> None:
    # when a person in danger asks, and will get back in touch themselves
    walk(client, words=SUICIDAL, method="none")
    ask, page = send(client)
    # then they are asked to get in touch today, with their reference
    assert texts(page, ".app-next")[0] == (
        "Because of what you wrote, your ask is marked urgent. A person from Brixton community "
        f"team will read it today. You said you would get back in touch: please do, today, and "
        f"quote your reference {ask.reference}."
    )


def test_an_ordinary_ask_still_promises_the_teams_response_time(
    client: Client, brixton: None
) -> None:
    # when a person asks for help with no words of danger
    walk(client, words="I feel lonely since I moved here")
    _ask, page = send(client)
    # then the promise is the team's response time, with no crisis section
    assert texts(page, ".app-next") == [
        "A person from Brixton community team will get in touch by 8pm on Saturday 7 March "
        "2026, the way you asked."
    ]
    assert not page.select(".app-crisis-near")


# --- Matched to the need --------------------------------------------------------------------


def test_someone_hurt_by_a_partner_is_offered_the_domestic_abuse_lines_and_local_support(
    client: Client, brixton: None
) -> None:
    # given crisis support and a domestic abuse service near SW9 8EJ, both open now
    all_day("Coldharbour night hub", 300, "crisis")
    evenings("Brixton women's safety line", 600, "domestic-abuse")
    index_services()
    # when a person hurt by their partner asks for help
    walk(client, words=PARTNER)
    _ask, page = send(client)
    # then the domestic abuse lines come straight after 999
    assert hrefs(page, ".app-ask-crisis .app-crisis-options") == [
        "tel:999",
        "tel:08082000247",
        "tel:08088010327",
        "tel:111",
        "tel:116123",
        "sms:85258&body=SHOUT",
    ]
    # and the local service for their need comes first among what is open now
    assert texts(page, ".app-local-crisis li .app-local-crisis__name") == [
        "Brixton women's safety line",
        "Coldharbour night hub",
    ]
    # and the helpline open any time is among the lines they can reach now
    assert texts(page, ".app-crisis-lines li")[1] == (
        "National Domestic Abuse Helpline Call 0808 2000 247 any time, day or night"
    )


def test_a_young_person_is_offered_childline_and_papyrus(client: Client, brixton: None) -> None:
    # when someone under 18 writes that they want to die
    walk(client, words="I want to kill myself", age_band="under-18")
    _ask, page = send(client)
    # then
    assert hrefs(page, ".app-ask-crisis .app-crisis-options") == [
        "tel:999",
        "tel:08001111",
        "tel:08000684141",
        *GENERAL_HREFS[1:],
    ]


def test_a_parent_worried_about_a_child_is_offered_the_nspcc_helpline(
    client: Client, brixton: None
) -> None:
    # when a parent writes that their child is in danger
    walk(client, words=BABY)
    _ask, page = send(client)
    # then
    assert hrefs(page, ".app-ask-crisis .app-crisis-options") == [
        "tel:999",
        "tel:08088005000",
        *GENERAL_HREFS[1:],
    ]


def test_lines_for_a_need_show_on_the_next_page_of_the_ask_at_once(client: Client) -> None:
    # when a person writes that their partner hurts them, on the first page
    client.post("/ask/what-is-happening/", {"text": PARTNER})
    page = html(client.get("/ask/what-would-help/"))
    # then the domestic abuse helpline is among the crisis options on the next page
    assert "tel:08082000247" in hrefs(page, ".app-crisis-options")
    # and, as the Men's Advice Line is not open day and night, nothing says they all are
    assert text(page, ".app-ask-crisis > p") == (
        "You do not have to wait for us. If you need to talk to someone now, these are free, "
        "and most are open all the time."
    )
    one(page, "form textarea#what_would_help")  # the journey goes on


def test_someone_in_danger_for_another_reason_is_not_shown_lines_for_other_needs(
    client: Client, brixton: None
) -> None:
    # when an adult writes only that they want to end their life
    walk(client, words=SUICIDAL, age_band="45-54")
    _ask, page = send(client)
    # then only the lines for everyone show
    assert hrefs(page, ".app-ask-crisis .app-crisis-options") == GENERAL_HREFS


@pytest.mark.parametrize(
    ("categories", "words", "age_band", "expected"),
    [
        ((), "", "", set()),
        (("suicidal-intent",), "", "", set()),
        (("threat-from-someone",), "", "", {"domestic-abuse"}),
        (("child-at-risk",), "", "", {"worried-about-child"}),
        (("suicidal-intent",), "", "under-18", {"under-19", "under-35"}),
        (("suicidal-intent",), "", "25-34", {"under-35"}),
        (("self-harm",), "I'm 15 and I cut myself", "", {"under-19", "under-35"}),
        (("suicidal-intent",), "im 22 and i want to die", "", {"under-35"}),
        (("suicidal-intent",), "I am 40 and want to die", "", set()),
        (("suicidal-intent",), "my son is 15 and he wants to die", "", set()),
    ],
)
def test_crisis_needs_come_from_screening_age_and_a_stated_age(
    categories: tuple[str, ...], words: str, age_band: str, expected: set[str]
) -> None:
    from kith.asks.crisis import crisis_needs  # here, so the other tests run without it

    # when / then
    assert crisis_needs(categories=categories, words=words, age_band=age_band) == expected


# --- The national lines are data ------------------------------------------------------------


def test_national_lines_are_data_with_who_they_are_for_and_a_last_checked_date() -> None:
    # when
    lines = list(CrisisOption.objects.order_by("order", "name"))
    # then
    assert [
        (line.name, line.contact, line.need, line.is_always_open, line.last_checked)
        for line in lines
    ] == [
        ("999", "tel:999", "", True, dt.date(2026, 1, 5)),
        ("National Domestic Abuse Helpline", "tel:08082000247", "domestic-abuse", True, CHECKED),
        ("Men's Advice Line", "tel:08088010327", "domestic-abuse", False, CHECKED),
        ("Childline", "tel:08001111", "under-19", True, CHECKED),
        ("Papyrus HOPELINE247", "tel:08000684141", "under-35", True, CHECKED),
        ("NSPCC Helpline", "tel:08088005000", "worried-about-child", False, CHECKED),
        ("NHS 111", "tel:111", "", True, dt.date(2026, 1, 5)),
        ("Samaritans", "tel:116123", "", True, dt.date(2026, 1, 5)),
        ("Shout", "sms:85258&body=SHOUT", "", True, dt.date(2026, 1, 5)),
    ]
    # and wherever crisis options show without a need, they are the lines for everyone
    assert [o.name for o in crisis_options()] == ["999", "NHS 111", "Samaritans", "Shout"]


CHECKED = dt.date(2026, 12, 7)


def test_need_us_now_lists_the_lines_for_each_need_under_its_own_heading(client: Client) -> None:
    # when
    page = html(client.get("/help-now/"))
    # then the lines for everyone are first, then each need's lines under its heading
    assert hrefs(page, ".app-crisis-options") == GENERAL_HREFS
    assert texts(page, ".app-crisis-needs h3") == [
        "If someone is hurting, threatening or controlling you",
        "If you are under 19",
        "If you are under 35 and thinking about suicide",
        "If you are worried about a child",
    ]
    assert hrefs(page, ".app-crisis-needs") == [
        "tel:08082000247",
        "tel:08088010327",
        "tel:08001111",
        "tel:08000684141",
        "tel:08088005000",
    ]


def test_words_about_a_violent_partner_added_to_an_ask_bring_the_domestic_abuse_lines(
    client: Client,
) -> None:
    from kith.asks.tests.factories import ask_make
    from kith.asks.tests.test_own_asks import signed_in
    from kith.people.models import Person

    # given a person's ask with no words of danger
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person, text="I have been feeling low since I lost my job.")
    # when they add that their partner hurts them
    signed_in(client, person).post(f"/my/asks/{ask.pk}/", {"text": PARTNER})
    page = html(client.get(f"/my/asks/{ask.pk}/"))
    # then the domestic abuse lines are among the crisis options
    assert hrefs(page, ".app-crisis-options") == [
        "tel:999",
        "tel:08082000247",
        "tel:08088010327",
        *GENERAL_HREFS[1:],
    ]
