"""Re-indexing in the background: queued with the write, on the real database queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from kith.core.testing.background import database_tasks, run_worker
from kith.directory.search import SearchQuery, search_services
from kith.directory.tasks import services_reindex_later
from kith.directory.tests.factories import LocationFactory, ServiceAtLocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_queue() -> Iterator[None]:
    with database_tasks():
        yield


def _found(words: str) -> list[str]:
    return [hit.service.name for hit in search_services(SearchQuery(text=words)).hits]


def test_given_services_written_when_reindexed_later_then_search_finds_them_after_the_worker(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given two new listings, not yet in the index
    services = [ServiceFactory.create(name=f"Fictional allotment club {n}") for n in ("one", "two")]
    for service in services:
        ServiceAtLocationFactory.create(service=service, location=LocationFactory.create())
    # when the write that made them queues the re-index, twice over for one of them
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services_reindex_later([services[0].id, services[1].id, services[0].id])
    # then one task carries their ids only, and search finds them once the worker has run it
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs == {
        "args": [[str(services[0].id), str(services[1].id)]],
        "kwargs": {},
    }
    assert _found("allotment club") == []
    run_worker()
    assert sorted(_found("allotment club")) == [
        "Fictional allotment club one",
        "Fictional allotment club two",
    ]


def test_given_a_write_that_rolls_back_when_it_asked_for_a_reindex_then_nothing_is_queued(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    service = ServiceFactory.create(name="Fictional allotment club")

    @transaction.atomic
    def write_that_fails() -> None:
        services_reindex_later([service.id])
        raise RuntimeError("the import failed")

    # when
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_that_fails()
    # then
    assert DBTaskResult.objects.count() == 0
