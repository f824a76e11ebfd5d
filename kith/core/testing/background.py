"""Background work in tests: the real database queue, and on_commit as production runs it.

The test settings run tasks inline (Django's ImmediateBackend). `database_tasks()` swaps in the
database queue for a block, and `run_worker()` runs the worker loop of `kith worker` until the
queue is empty, so a test exercises the same rows and code a real worker does.

`on_commit_as_in_production()` is for tests that read what a request sent. A test runs inside a
transaction that never commits, so an `on_commit` callback would never run; inside the block,
a callback runs when the outermost transaction that is not the test's own commits (at once,
outside one), and a rolled-back one's callbacks are dropped, as Django does in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from asgiref.local import Local
from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import task_backends
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger(__name__)


def _forget_task_backends() -> None:
    # The handler caches TASKS and each backend, and Django resets neither when settings change.
    state = vars(task_backends)
    state.pop("settings", None)
    state.update(_settings=None, _connections=Local(False))


@contextmanager
def database_tasks() -> Iterator[None]:
    """Tasks go to the database queue (settings.KITH_DATABASE_TASKS) inside the block."""
    with override_settings(TASKS=settings.KITH_DATABASE_TASKS):
        _forget_task_backends()
        try:
            yield
        finally:
            _forget_task_backends()
    _forget_task_backends()


def make_worker(worker_id: str = "test-worker") -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_worker(worker_id: str = "test-worker") -> None:
    """Run every task that is ready now, as a `kith worker` would, then return. The worker's
    recycling of database connections is left out: it would close the test's transaction."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", return_value=None
    ):
        make_worker(worker_id).run()


def _run(func: Callable[[], Any], robust: bool) -> None:
    if not robust:
        func()
        return
    try:
        func()
    except Exception:
        logger.exception("Error calling %s in on_commit()", func)


def _only_test_blocks(blocks: list[Any]) -> bool:
    return all(block._from_testcase for block in blocks)


@contextmanager
def on_commit_as_in_production() -> Iterator[None]:
    original_on_commit = BaseDatabaseWrapper.on_commit
    original_exit = transaction.Atomic.__exit__

    def on_commit(self: BaseDatabaseWrapper, func: Callable[[], Any], robust: bool = False) -> None:
        if self.in_atomic_block and _only_test_blocks(self.atomic_blocks):
            _run(func, robust)  # without the test's transaction, this is autocommit
            return
        original_on_commit(self, func, robust)

    def atomic_exit(self: transaction.Atomic, exc_type: Any, exc: Any, tb: Any) -> Any:
        connection = transaction.get_connection(self.using)
        blocks = connection.atomic_blocks
        outermost = (
            not getattr(self, "_from_testcase", False)
            and bool(blocks)
            and blocks[-1] is self
            and _only_test_blocks(blocks[:-1])
        )
        sid = connection.savepoint_ids[-1] if outermost and connection.savepoint_ids else None
        result = original_exit(self, exc_type, exc, tb)
        if sid is not None and exc_type is None and not connection.needs_rollback:
            due = [entry for entry in connection.run_on_commit if sid in entry[0]]
            connection.run_on_commit = [e for e in connection.run_on_commit if sid not in e[0]]
            for _sids, func, robust in due:
                _run(func, robust)
        return result

    with (
        mock.patch.object(BaseDatabaseWrapper, "on_commit", on_commit),
        mock.patch.object(transaction.Atomic, "__exit__", atomic_exit),
    ):
        yield
