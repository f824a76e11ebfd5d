"""`make run` on PostgreSQL: the development server must not keep database connections.

Django's runserver answers each HTTP connection in a new thread, and a persistent database
connection (CONN_MAX_AGE) stays with that thread while the browser keeps its connection open, and
after the thread has gone until Python's garbage collector happens by: a fuzzing run once used up
all of PostgreSQL's connections (issue 8, point 6). This serves a burst through `kith serve`, as
`make run` does, against the test database.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.db import connection

from kith.core.testing.servers import RunningServer, server_environment, start_server

ROOT = Path(__file__).resolve().parents[3]
# Pages that read the database on every request.
PATHS = ["/api/oruk/services", "/find/?type=peer-support"]

pytestmark = pytest.mark.django_db(transaction=True)


def connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[RunningServer]:
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL connections: set DATABASE_URL")
    env = server_environment(
        DJANGO_SETTINGS_MODULE="kith.config.settings.local", KITH_VAR_DIR=str(tmp_path)
    )
    server = start_server(
        # The worker `kith serve` starts holds connections of its own; this is about the server.
        [sys.executable, "-m", "kith.cli", "serve", "--port", "0", "--no-background-worker"],
        cwd=ROOT,
        env=env,
        log=tmp_path / "serve.log",
        listening=r"Starting (?:WSGI )?development server at http://127\.0\.0\.1:(\d+)/",
    )
    try:
        yield server
    finally:
        server.stop()


def test_development_server_keeps_no_connection_for_an_open_browser(
    dev_server: RunningServer,
) -> None:
    # given the development server, and the connections it holds once it is listening
    before = connections_to_this_database()
    browsers = [HTTPConnection("127.0.0.1", dev_server.port, timeout=60) for _ in range(50)]
    try:
        # when 50 browsers each send a request at once and keep their HTTP connection open (as
        # browsers and fuzzers do), so each one's server thread stays alive for its next request
        with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
            statuses = list(pool.map(_request, browsers, range(len(browsers))))
        assert statuses == [200] * len(browsers)
        # then no thread holds a database connection: each closed its own as its request ended
        # (the last may still be closing; a persistent one would stay for CONN_MAX_AGE)
        deadline = time.monotonic() + 10
        while connections_to_this_database() > before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert connections_to_this_database() == before
    finally:
        for browser in browsers:
            browser.close()


def _request(browser: HTTPConnection, n: int) -> int:
    browser.request("GET", PATHS[n % len(PATHS)], headers={"Host": "127.0.0.1"})
    response = browser.getresponse()
    response.read()
    assert response.getheader("Connection") != "close"
    return response.status
