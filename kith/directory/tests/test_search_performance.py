"""Search stays cheap: a page of hits costs a fixed number of queries whatever the directory's
size, and a full rebuild (secondary indexes dropped and built again) gives the same index."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kith.directory.models import SearchEntry, SearchOpeningSlot, SearchTerm, SearchVocabulary
from kith.directory.search import SearchQuery, index_services, indexing, search_services, vocabulary
from kith.directory.tests.factories import (
    ClosedDateFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    tag_support_types,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Monday 23 November 2026, 10am: the weekday groups are open.
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, tzinfo=LONDON)
# Everything one search may send, whatever the size of the page: vocabulary (2), candidates
# (1), text scores (1), exact opening checks (at most 5), services (1), locations and their
# addresses (2), schedules and closed dates of the page (at most 5).
MAX_QUERIES = 18


def make_directory(count: int) -> list[str]:
    """`count` debt services near Brixton, their schedules owned in turn by the service, the
    service at location and the location, every third with a closed date."""
    names = []
    for n in range(count):
        sal = ServiceAtLocationFactory.create(
            service__name=f"Debt advice {n:02d}",
            service__description="Free debt advice and help with bills.",
            location__latitude=51.4613 + n * 0.0001,
            location__longitude=-0.1156,
        )
        tag_support_types(sal.service, "debt-money")
        owners: list[dict[str, Any]] = [
            {"service": sal.service},
            {"service_at_location": sal},
            {"location": sal.location},
        ]
        owner = owners[n % 3]
        ScheduleFactory(**owner)
        if n % 3 == 0:
            ClosedDateFactory(service=sal.service, date=dt.date(2026, 12, 25))
        names.append(sal.service.name)
    index_services()
    return names


def text_near_open_now(per_page: int = 20) -> SearchQuery:
    return SearchQuery(
        text="debt advice",
        latitude=51.4613,
        longitude=-0.1156,
        radius_m=5000,
        open_at=MONDAY_10AM,
        per_page=per_page,
    )


def test_a_page_of_twenty_hits_costs_a_fixed_number_of_queries(
    django_assert_max_num_queries, time_machine
):
    # given 25 services with schedules of every owner, and a warm vocabulary
    time_machine.move_to(MONDAY_10AM, tick=False)
    names = make_directory(25)
    search_services(SearchQuery(text="debt"))
    # when
    with django_assert_max_num_queries(MAX_QUERIES):
        results = search_services(text_near_open_now())
    # then every hit is hydrated: service, organisation, location and opening
    assert results.total == 25
    assert [hit.service.name for hit in results.hits] == names[:20]
    with django_assert_max_num_queries(0):
        assert {hit.service.organization.name != "" for hit in results.hits} == {True}  # type: ignore[union-attr]
        assert {hit.location.name != "" for hit in results.hits if hit.location} == {True}
    assert [hit.is_open_now for hit in results.hits] == [True] * 20
    assert {hit.next_open_at for hit in results.hits} == {
        dt.datetime(2026, 11, 23, 9, tzinfo=LONDON)
    }


def test_query_count_does_not_grow_with_the_page_or_the_directory(time_machine):
    # given
    time_machine.move_to(MONDAY_10AM, tick=False)
    make_directory(6)
    search_services(SearchQuery(text="debt"))
    with CaptureQueriesContext(connection) as small:
        search_services(text_near_open_now(per_page=3))
    make_directory(30)
    search_services(SearchQuery(text="debt"))
    # when
    with CaptureQueriesContext(connection) as large:
        results = search_services(text_near_open_now(per_page=30))
    # then
    assert len(results.hits) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_closed_dates_are_honoured_on_a_hydrated_page(time_machine):
    # given Christmas Day 2026 is a Friday: the service's own closed date shuts it
    christmas = dt.datetime(2026, 12, 25, 10, tzinfo=LONDON)
    time_machine.move_to(christmas, tick=False)
    make_directory(3)
    # when
    results = search_services(SearchQuery(text="debt advice"))
    # then "Debt advice 00" owns the closed date; 01 and 02 are open
    opens = {hit.service.name: hit.is_open_now for hit in results.hits}
    assert opens == {"Debt advice 00": False, "Debt advice 01": True, "Debt advice 02": True}
    open_now = search_services(SearchQuery(text="debt advice", open_at=christmas))
    assert sorted(hit.service.name for hit in open_now.hits) == ["Debt advice 01", "Debt advice 02"]


def index_snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    entries = sorted(
        SearchEntry.objects.values_list(
            "service_id", "location_id", "opening_slots", "schedule_owner", "has_closed_dates"
        ),
        key=str,
    )
    terms = sorted(SearchTerm.objects.values_list("term", "service_id", "weight"), key=str)
    vocabulary = sorted(SearchVocabulary.objects.values_list("term", "document_count"))
    return entries, terms, vocabulary


def test_full_rebuild_without_indexes_matches_indexing_by_id(monkeypatch):
    # given an index built service by service
    make_directory(7)
    ids = list(SearchEntry.objects.values_list("service_id", flat=True))
    index_services(ids)
    by_id = index_snapshot()
    slots = SearchOpeningSlot.objects.count()
    # when everything is rebuilt with its secondary indexes dropped and built again
    monkeypatch.setattr(indexing, "REBUILD_INDEXES_FROM", 0)
    index_services()
    # then the same rows, the indexes are back, and new rows get fresh ids
    assert index_snapshot() == by_id
    assert SearchOpeningSlot.objects.count() == slots == 35  # Monday to Friday each
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, SearchEntry._meta.db_table)
    assert {"search_entry_near", "search_entry_name"} <= set(indexes)
    top = max(SearchEntry.objects.values_list("id", flat=True))
    index_services([ids[0]])
    assert max(SearchEntry.objects.values_list("id", flat=True)) > top
    assert index_snapshot() == by_id


def test_a_stale_vocabulary_is_reloaded_only_when_the_index_changed(
    django_assert_num_queries,
):
    # given a warm vocabulary past its time to live
    make_directory(2)
    warm = vocabulary.current_vocabulary()
    assert warm.service_count == 2
    warm.loaded_at -= vocabulary.VOCABULARY_TTL_SECONDS + 1
    # when nothing was indexed since: one query, the same vocabulary
    with django_assert_num_queries(1):
        assert vocabulary.current_vocabulary() is warm
    # when another process indexed meanwhile (a new generation mark)
    warm.loaded_at -= vocabulary.VOCABULARY_TTL_SECONDS + 1
    SearchVocabulary.objects.filter(term=vocabulary.SERVICE_COUNT_TERM).update(words="elsewhere")
    reloaded = vocabulary.current_vocabulary()
    # then it is read again
    assert reloaded is not warm
    assert reloaded.generation == "elsewhere"
    assert reloaded.service_count == 2
