"""Helpers for tests that run Kith the way people do: a real server process on a free port, against
the test database (the development server, gunicorn under the production settings)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

# Variables the test process sets for itself that a server started by a person never has.
TEST_ONLY_VARIABLES = frozenset(
    {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
)


def shared_database_url() -> str:
    """A DATABASE_URL for the database this test runs against, so another process shares it."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def server_environment(**variables: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    # Unbuffered, so the line saying which port it chose reaches the log at once.
    return {
        **inherited,
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": shared_database_url(),
        **variables,
    }


@dataclass
class Answer:
    status: int
    content_type: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    port: int
    # Sent with every request unless a call gives its own (e.g. the proxy's X-Forwarded-Proto).
    default_headers: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = self.default_headers if headers is None else headers
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1", **sent})
            response = conn.getresponse()
            body = response.read()
            return Answer(
                status=response.status,
                content_type=response.getheader("Content-Type", ""),
                headers={k.lower(): v for k, v in response.getheaders()},
                body=body,
            )
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop the server and anything it started (the development server's reloader child)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_server(
    args: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    log: Path,
    listening: str,
    default_headers: dict[str, str] | None = None,
) -> RunningServer:
    """Start `args` (binding port 0) and wait for the log line `listening`, whose one group is the
    port the system chose; the process gets its own session so `stop()` ends all of it."""
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - the caller's own fixed program and arguments
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = RunningServer(process=process, port=0, default_headers=default_headers or {})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        written = log.read_text(encoding="utf-8", errors="replace")
        if match := re.search(listening, written):
            server.port = int(match.group(1))
            return server
        if process.poll() is not None:
            raise AssertionError(f"{args[:3]} stopped with {process.returncode}:\n{written}")
        time.sleep(0.1)
    server.stop()
    raise AssertionError(f"{args[:3]} did not start listening:\n{log.read_text(errors='replace')}")
