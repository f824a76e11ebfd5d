"""Search benchmark: synthetic directories of 10k, 100k and 1M locations on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search.py --sizes 10000,100000,1000000 --db both

Each (database, size) runs in its own process against its own database (PostgreSQL
`kith_bench`, SQLite `var/bench/search-<size>.sqlite3`): create the schema, bulk-load fictional
organisations, services (one per two locations), locations spread over an England-sized box,
schedules and support types, and about 3,000 fictional postcode districts (the Postcode table),
build the index with `index_services()`, then time the query types through `search_services`;
"near a postcode" looks the district up with `geo.postcode_location` inside the timing. With
--rps, also serve the database with gunicorn (`kith serve --workers 2 --port 8765`) and count
requests per second for /find/?q=...&postcode=... next to the bare /health/ view, in the same
run, with a bounded load generator (--concurrency keep-alive threads for --seconds).
Prints one JSON line per run; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/kith_bench"
ENGLAND = (50.3, 54.9, -4.5, 1.5)
MILE_M = 1609.344  # min lat, max lat, min long, max long
TEXT_QUERIES = [
    "debt advice",
    "I feel lonely",
    "lost my mum",
    "skint",
    "gardening group",
    "can't cope",
    "kicked out",
    "drinking too much",
    "new baby",
    "dept",
]
WORDS = [
    "friendly",
    "welcoming",
    "weekly",
    "group",
    "drop",
    "in",
    "volunteers",
    "local",
    "people",
    "community",
    "space",
    "tea",
    "chat",
    "walk",
    "garden",
    "art",
    "music",
    "food",
    "advice",
    "support",
    "listening",
    "peer",
    "share",
    "stories",
    "calm",
    "safe",
    "quiet",
    "evening",
    "morning",
    "weekend",
    "family",
    "young",
    "older",
    "carers",
    "women",
    "men",
    "parents",
    "talk",
    "help",
    "together",
]


def db_url(db: str, size: int) -> str:
    if db == "postgresql":
        return PG_URL
    return f"sqlite:///{ROOT / 'var' / 'bench' / f'search-{size}.sqlite3'}"


def child(
    db: str, size: int, queries: int, rps: bool, seconds: int, concurrency: int, reuse: str = ""
) -> None:
    url = reuse or db_url(db, size)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kith.config.settings.local"
    if reuse:
        pass  # time the queries again on a database an earlier run built
    elif db == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        for statement in (
            "DROP DATABASE IF EXISTS kith_bench WITH (FORCE)",
            "CREATE DATABASE kith_bench",
        ):
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", statement]
            subprocess.run(psql, check=True)  # noqa: S603, S607 - psql from PATH, fixed arguments
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from kith.directory.search import SearchQuery, index_services, search_services

    result: dict[str, object] = {"db": db, "size": size, "reused": bool(reuse)}
    if not reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with transaction.atomic():
            generate(size)
        result["generate_s"] = round(time.perf_counter() - started, 1)
        if db == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        index_services()
        result["index_s"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from kith.directory.geo import postcode_location

    rng = random.Random(7)  # noqa: S311 - benchmark data, not security
    midlands = [code for code, lat, lon in districts() if 52.0 <= lat <= 53.5 and lon <= 0.0]

    def near(postcode: str, **kwargs: object) -> SearchQuery:
        point = postcode_location(postcode)
        assert point is not None  # noqa: S101 - every generated district is in the table
        return SearchQuery(latitude=point[0], longitude=point[1], **kwargs)  # type: ignore[arg-type]

    # Each query is a function of its inputs, timed whole: the postcode lookup is part of it.
    # Each kind makes (query function, its arguments) afresh, so every timed query differs.
    kinds: dict[str, Callable[[], tuple[Callable[..., object], list[str]]]] = {
        "text": lambda: (
            lambda text: search_services(SearchQuery(text=text)),
            [rng.choice(TEXT_QUERIES)],
        ),
        "near_postcode": lambda: (
            lambda code: search_services(near(code, radius_m=5000)),
            [rng.choice(midlands)],
        ),
        # As the /find/ page sends it: the form's default radius, 3 miles.
        "text_near_open_now": lambda: (
            lambda text, code: search_services(
                near(code, text=text, open_at=timezone.now(), radius_m=3 * MILE_M)
            ),
            [rng.choice(TEXT_QUERIES), rng.choice(midlands)],
        ),
        # No radius (the engine widens its circle up to 80 km until 60 rows are found).
        "text_near_open_now_widening": lambda: (
            lambda text, code: search_services(near(code, text=text, open_at=timezone.now())),
            [rng.choice(TEXT_QUERIES), rng.choice(midlands)],
        ),
    }
    for name, make in kinds.items():
        for _ in range(3):
            run, args = make()
            run(*args)
        timings = []
        for _ in range(queries):
            run, args = make()
            started = time.perf_counter()
            run(*args)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        result[name] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        }
    if rps:
        connection.close()
        result["rps"] = measure_rps(url, seconds, concurrency)
    print(json.dumps(result), flush=True)


def districts() -> list[tuple[str, float, float]]:
    """Fictional postcode districts (areas starting Q, V, X or Z, which the UK does not use) on
    a 60 × 50 grid of centroids over the box: about 3,000, like the real country."""
    found = []
    for row in range(50):
        for column in range(60):
            n = row * 60 + column
            area = "QVXZ"[n // (26 * 29)] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n // 29) % 26]
            code = f"{area}{n % 29 + 1}"
            lat = ENGLAND[0] + (row + 0.5) * (ENGLAND[1] - ENGLAND[0]) / 50
            lon = ENGLAND[2] + (column + 0.5) * (ENGLAND[3] - ENGLAND[2]) / 60
            found.append((code, lat, lon))
    return found


def generate(size: int) -> None:
    """Fictional rows, bulk-inserted: `size` locations, size/2 services, size/10 organisations."""
    from django.utils import timezone

    from kith.directory.models import (
        Attribute,
        Location,
        Organization,
        Postcode,
        Schedule,
        Service,
        ServiceAtLocation,
    )
    from kith.directory.search.indexing import bulk_insert
    from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_types

    Postcode.objects.bulk_create(
        [
            Postcode(code=c, latitude=lat, longitude=lon, is_district=True)
            for c, lat, lon in districts()
        ],
        ignore_conflicts=True,
    )
    rng = random.Random(42)  # noqa: S311 - benchmark data, not security
    now = timezone.now()
    codes = support_types()
    min_lat, max_lat, min_lon, max_lon = ENGLAND

    def insert(model, objects) -> None:
        from django.db import connection

        fields = list(model._meta.concrete_fields)
        columns = [f.column for f in fields]
        rows = []
        for obj in objects:
            row = []
            for f in fields:
                value = getattr(obj, f.attname)
                if f.attname in ("created_at", "updated_at"):
                    value = now
                row.append(f.get_db_prep_save(value, connection))
            rows.append(tuple(row))
        bulk_insert(model._meta.db_table, columns, rows)

    orgs = [Organization(name=f"Fictional group {i}") for i in range(max(size // 10, 1))]
    insert(Organization, orgs)
    services = []
    attributes = []
    schedules = []
    for i in range(size // 2):
        chosen = rng.sample(codes, rng.choice((1, 1, 2)))
        label = chosen[0].label.split("(")[0].strip().lower()
        service = Service(
            organization_id=orgs[i % len(orgs)].id,
            name=f"{rng.choice(WORDS).title()} {label} {i}",
            description=" ".join(rng.choices(WORDS, k=14)) + f" {label}.",
            is_free=rng.random() < 0.7,
            is_no_referral_needed=rng.random() < 0.6,
        )
        services.append(service)
        for code in chosen:
            attributes.append(
                Attribute(
                    taxonomy_term_id=code.term_id,
                    link_id=service.id,
                    link_entity="service",
                    link_type=SUPPORT_TYPE_LINK_TYPE,
                )
            )
        opens = rng.choice((8, 9, 10, 13, 17, 18))
        schedules.append(
            Schedule(
                service_id=service.id,
                freq="WEEKLY",
                byday=",".join(rng.sample(["MO", "TU", "WE", "TH", "FR", "SA", "SU"], 3)),
                opens_at=dt.time(opens),
                closes_at=dt.time(min(opens + rng.choice((2, 3, 8)), 23)),
            )
        )
    insert(Service, services)
    insert(Attribute, attributes)
    insert(Schedule, schedules)
    locations = [
        Location(
            name=f"Fictional hall {i}",
            latitude=rng.uniform(min_lat, max_lat),
            longitude=rng.uniform(min_lon, max_lon),
            has_step_free_access=rng.random() < 0.5,
        )
        for i in range(size)
    ]
    insert(Location, locations)
    insert(
        ServiceAtLocation,
        [
            ServiceAtLocation(service_id=services[i // 2].id, location_id=loc.id)
            for i, loc in enumerate(locations)
            if i // 2 < len(services)
        ],
    )


def measure_rps(url: str, seconds: int, concurrency: int) -> dict[str, float]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "kith.config.settings.local",
    }
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "kith"), "serve", "--workers", "2", "--port", "8765"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", 8765, timeout=2)
                conn.request("GET", "/health/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        code = next(c for c, lat, lon in districts() if lat > 52.5 and lon > -1.5)
        paths = {
            "find": f"/find/?q=debt+advice&postcode={code}",
            "health": "/health/",
        }
        return {name: load(path, seconds, concurrency) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


def load(path: str, seconds: int, concurrency: int) -> float:
    """Requests per second with `concurrency` keep-alive clients for `seconds`."""
    done = [0] * concurrency
    errors = [0] * concurrency
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", 8765, timeout=30)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[n] += 1
                else:
                    errors[n] += 1
            except OSError:
                errors[n] += 1
                conn = http.client.HTTPConnection("127.0.0.1", 8765, timeout=30)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(errors):
        print(f"{path}: {sum(errors)} errors", file=sys.stderr)
    return round(sum(done) / (time.perf_counter() - started), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--rps", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--reuse", default="", metavar="DATABASE_URL", help="time queries on a built database"
    )
    parser.add_argument("--child", nargs=2, metavar=("DB", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(
            args.child[0],
            int(args.child[1]),
            args.queries,
            args.rps,
            args.seconds,
            args.concurrency,
            args.reuse,
        )
        return
    dbs = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for size in (int(s) for s in args.sizes.split(",")):
        for db in dbs:
            command = [sys.executable, __file__, "--child", db, str(size)]
            command += ["--queries", str(args.queries), "--seconds", str(args.seconds)]
            command += ["--concurrency", str(args.concurrency)]
            command += ["--rps" if args.rps else "--no-rps", "--reuse", args.reuse]
            subprocess.run(command, check=True)  # noqa: S603 - ourselves


if __name__ == "__main__":
    main()
