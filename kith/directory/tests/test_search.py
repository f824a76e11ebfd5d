"""Search: everyday words, typos, every filter, ranking, open now, empty and nonsense queries."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kith.core.errors import ValidationFailed
from kith.directory.models import SearchEntry, SearchTerm, Service
from kith.directory.search import SearchQuery, index_services, search_services
from kith.directory.search.text import EVERYDAY_LANGUAGE_CSV
from kith.directory.taxonomy import is_support_type
from kith.directory.tests.factories import (
    ClosedDateFactory,
    LanguageFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    tag_support_types,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
BRIXTON = (51.4613, -0.1156)


def listing(name, description="", codes=(), point=BRIXTON, step_free=False, **service_fields):
    sal = ServiceAtLocationFactory.create(
        service__name=name,
        service__description=description,
        location__latitude=point[0],
        location__longitude=point[1],
        location__has_step_free_access=step_free,
        **{f"service__{k}": v for k, v in service_fields.items()},
    )
    tag_support_types(sal.service, *codes)
    return sal.service


@pytest.fixture
def directory():
    services = {
        "debt": listing(
            "Money Matters advice", "Free debt advice and help with bills.", ["debt-money"]
        ),
        "befriend": listing(
            "Friendly Voices", "Weekly check-in calls from a volunteer.", ["befriending"]
        ),
        "social": listing(
            "Tuesday Tea Club", "A social group with tea and cake.", ["social-connection"]
        ),
        "grief": listing("Willow Bereavement Circle", "For anyone grieving.", ["bereavement"]),
        "garden": listing("Brockwell Growers", "Community gardening.", ["green-spaces"]),
    }
    index_services()
    return services


def names(results):
    return [hit.service.name for hit in results.hits]


@pytest.mark.parametrize(
    ("text", "expected_first", "codes"),
    [
        ("I feel lonely", {"Friendly Voices", "Tuesday Tea Club"}, ["befriending"]),
        ("skint", {"Money Matters advice"}, ["debt-money"]),
        ("lost my mum", {"Willow Bereavement Circle"}, ["bereavement"]),
        ("Can't cope with the BAILIFFS!", {"Money Matters advice"}, ["debt-money"]),
        ("no one to talk to", {"Friendly Voices", "Tuesday Tea Club"}, ["befriending"]),
    ],
)
def test_everyday_words_find_the_right_support(directory, text, expected_first, codes):
    # when
    results = search_services(SearchQuery(text=text))
    # then
    assert set(names(results)[: len(expected_first)]) == expected_first
    assert set(codes) <= set(results.interpretation.support_types)


def test_lonely_finds_only_befriending_and_social_groups(directory):
    results = search_services(SearchQuery(text="I feel lonely"))
    assert sorted(names(results)) == ["Friendly Voices", "Tuesday Tea Club"]
    assert results.total == 2


def test_typo_is_corrected_against_the_index(directory):
    # when ("dept" would stay: it is an English word, see test_search_words.py)
    results = search_services(SearchQuery(text="debtt"))
    # then
    assert names(results) == ["Money Matters advice"]
    assert results.interpretation.corrected_text == "debt"


def test_long_typo_is_corrected(directory):
    results = search_services(SearchQuery(text="bereavemnt"))
    assert names(results) == ["Willow Bereavement Circle"]
    assert results.interpretation.corrected_text == "bereavement"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("my daughter self harms", "crisis"),
        ("feel like ending it all", "crisis"),
        ("I'm being hit at home", "domestic-abuse"),
        ("I'm new to the country", "refugees-migrants"),
    ],
)
def test_other_forms_of_everyday_words_are_not_mistaken_for_typos(directory, text, code):
    # given listings with words one letter away from the person's ("farms" for "harms",
    # "eating" for "ending", "county" for "country")
    listing("Eating well together", "Cooking and eating with others at city farms.", ["food"])
    listing("The Hut", "A youth hut in the county.", ["young-people"])
    index_services()
    # when
    results = search_services(SearchQuery(text=text))
    # then
    assert results.interpretation.corrected_text is None
    assert code in results.interpretation.support_types


def test_stemming_matches_other_forms_of_a_word(directory):
    assert names(search_services(SearchQuery(text="gardens"))) == ["Brockwell Growers"]
    assert names(search_services(SearchQuery(text="grieve"))) == ["Willow Bereavement Circle"]


def test_nonsense_returns_no_hits_and_says_so(directory):
    results = search_services(SearchQuery(text="xqzv plumbus wibblefrotz"))
    assert results.hits == []
    assert results.total == 0
    assert results.interpretation.is_understood is False
    assert results.interpretation.ignored_words == ["xqzv", "plumbus", "wibblefrotz"]


def test_empty_query_lists_everything_by_name(directory):
    results = search_services(SearchQuery(text="  "))
    assert names(results) == [
        "Brockwell Growers",
        "Friendly Voices",
        "Money Matters advice",
        "Tuesday Tea Club",
        "Willow Bereavement Circle",
    ]
    assert results.interpretation.is_understood is True


def test_huge_query_is_handled(directory):
    results = search_services(SearchQuery(text="debt " * 2000))
    assert names(results) == ["Money Matters advice"]


def test_only_active_services_are_found(directory):
    # given
    directory["debt"].status = Service.Status.DEFUNCT
    directory["debt"].save(update_fields=["status"])
    # when
    index_services([directory["debt"].id])
    # then
    assert names(search_services(SearchQuery(text="debt"))) == []
    assert SearchEntry.objects.filter(service=directory["debt"]).count() == 0


def test_indexing_is_idempotent(directory):
    entries, terms = SearchEntry.objects.count(), SearchTerm.objects.count()
    index_services([s.id for s in directory.values()])
    index_services()
    assert (SearchEntry.objects.count(), SearchTerm.objects.count()) == (entries, terms)
    assert entries == 5


def test_nearest_first_with_distance_and_radius():
    # given three places 0.5 km, 3 km and 20 km north of the point
    near = listing("Near group", point=(BRIXTON[0] + 0.0045, BRIXTON[1]))
    middle = listing("Middle group", point=(BRIXTON[0] + 0.027, BRIXTON[1]))
    listing("Far group", point=(BRIXTON[0] + 0.18, BRIXTON[1]))
    index_services()
    # when
    everywhere = search_services(SearchQuery(latitude=BRIXTON[0], longitude=BRIXTON[1]))
    within = search_services(SearchQuery(latitude=BRIXTON[0], longitude=BRIXTON[1], radius_m=5000))
    # then
    assert names(everywhere) == ["Near group", "Middle group", "Far group"]
    assert [round(h.distance_m or 0) for h in everywhere.hits] == [500, 3002, 20015]
    assert [h.service for h in within.hits] == [near, middle]


def test_hit_carries_the_nearest_location():
    # given one service at two places
    sal = ServiceAtLocationFactory.create(
        service__name="Two sites", location__latitude=51.50, location__longitude=-0.1156
    )
    close = ServiceAtLocationFactory.create(
        service=sal.service, location__latitude=51.47, location__longitude=-0.1156
    )
    index_services([sal.service_id])
    # when
    results = search_services(SearchQuery(latitude=BRIXTON[0], longitude=BRIXTON[1]))
    # then
    assert results.total == 1
    assert results.hits[0].location == close.location


def test_text_and_near_prefers_the_closer_of_equal_matches():
    listing("Debt clinic far", point=(BRIXTON[0] + 0.05, BRIXTON[1]))
    listing("Debt clinic near", point=(BRIXTON[0] + 0.01, BRIXTON[1]))
    listing("Garden club", point=BRIXTON)
    index_services()
    results = search_services(SearchQuery(text="debt", latitude=BRIXTON[0], longitude=BRIXTON[1]))
    assert names(results) == ["Debt clinic near", "Debt clinic far"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SearchQuery(is_free=True), ["Free one"]),
        (SearchQuery(is_no_referral_needed=True), ["Walk-in one"]),
        (SearchQuery(has_step_free_access=True), ["Step-free one"]),
        (SearchQuery(language="pt"), ["Portuguese one"]),
        (SearchQuery(language="Portuguese"), ["Portuguese one"]),
        (SearchQuery(support_types=("food",)), ["Food one"]),
        (SearchQuery(support_types=("food", "gp")), ["Food one", "Free one"]),
    ],
)
def test_filters(query, expected):
    # given
    listing("Free one", is_free=True, codes=["gp"])
    listing("Walk-in one", is_no_referral_needed=True)
    listing("Step-free one", step_free=True)
    LanguageFactory(service=listing("Portuguese one"), code="pt", name="Portuguese")
    listing("Food one", codes=["food"])
    index_services()
    # when / then
    assert names(search_services(query)) == expected


def test_organization_filter():
    mine = listing("Mine")
    listing("Theirs")
    index_services()
    results = search_services(SearchQuery(organization_id=mine.organization_id))
    assert names(results) == ["Mine"]


def test_open_at_across_the_spring_clock_change():
    # given a Sunday 10am to 4pm group and an evening group; clocks go forward 29 March 2026
    sunday = listing("Sunday group")
    ScheduleFactory(service=sunday, byday="SU", opens_at=dt.time(10), closes_at=dt.time(16))
    evening = listing("Evening group")
    ScheduleFactory(service=evening, byday="SU", opens_at=dt.time(18), closes_at=dt.time(20))
    index_services()
    # when 09:30 UTC is 10:30 BST on the day
    at_ten_thirty = dt.datetime(2026, 3, 29, 9, 30, tzinfo=dt.UTC)
    at_nine_thirty_gmt_week_before = dt.datetime(2026, 3, 22, 9, 30, tzinfo=dt.UTC)
    # then
    assert names(search_services(SearchQuery(open_at=at_ten_thirty))) == ["Sunday group"]
    assert names(search_services(SearchQuery(open_at=at_nine_thirty_gmt_week_before))) == []


def test_open_at_honours_closed_dates_and_monthly_rules():
    # given
    weekdays = listing("Weekday group")
    ScheduleFactory(service=weekdays)
    ClosedDateFactory(service=weekdays, date=dt.date(2026, 12, 25))
    monthly = listing("Last Friday group")
    ScheduleFactory(service=monthly, freq="MONTHLY", byday="-1FR", opens_at=dt.time(10))
    index_services()
    # when / then Christmas Day 2026 is a Friday, the last of December
    christmas = dt.datetime(2026, 12, 25, 11, tzinfo=LONDON)
    assert names(search_services(SearchQuery(open_at=christmas))) == ["Last Friday group"]
    a_week_before = dt.datetime(2026, 12, 18, 11, tzinfo=LONDON)
    assert names(search_services(SearchQuery(open_at=a_week_before))) == ["Weekday group"]


def test_hits_say_open_now_and_next_opening(time_machine):
    # given Monday 23 November 2026, 10am
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, tzinfo=LONDON), tick=False)
    service = listing("Open group")
    ScheduleFactory(service=service)
    later = listing("Later group")
    ScheduleFactory(service=later, byday="TU", opens_at=dt.time(18), closes_at=dt.time(20))
    index_services()
    # when
    hits = {h.service.name: h for h in search_services(SearchQuery()).hits}
    # then
    assert hits["Open group"].is_open_now is True
    assert hits["Open group"].next_open_at == dt.datetime(2026, 11, 23, 9, tzinfo=LONDON)
    assert hits["Later group"].is_open_now is False
    assert hits["Later group"].next_open_at == dt.datetime(2026, 11, 24, 18, tzinfo=LONDON)


def test_support_type_codes_on_hits(directory):
    results = search_services(SearchQuery(text="debt"))
    assert results.hits[0].support_types == ["debt-money"]


def test_pagination():
    for n in range(5):
        listing(f"Group {n}")
    index_services()
    results = search_services(SearchQuery(page=2, per_page=2))
    assert names(results) == ["Group 2", "Group 3"]
    assert results.total == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (SearchQuery(page=0), "page"),
        (SearchQuery(per_page=101), "per_page"),
        (SearchQuery(latitude=51.0), "latitude"),
        (SearchQuery(radius_m=1000), "radius_m"),
        (SearchQuery(open_at=dt.datetime(2026, 11, 23, 10)), "open_at"),  # noqa: DTZ001
    ],
)
def test_impossible_queries_get_a_clear_error(query, field):
    with pytest.raises(ValidationFailed) as error:
        search_services(query)
    assert error.value.field == field


def test_everyday_language_uses_only_known_support_types():
    with EVERYDAY_LANGUAGE_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    unknown = {c for row in rows for c in row["support_types"].split() if not is_support_type(c)}
    assert unknown == set()
