"""The ORUK API's "near a point" without a radius: the index's near against loading every row.

Builds a fresh PostgreSQL database (default kith_t_bench; dropped and made again), generates
`--size` listings spread over England, indexes them, then times a page of 20 nearest a point
(pages 1 and 10) both ways: the old way (every service at location's point read into Python,
measured and sorted there) and `search.near.service_at_locations_near` (the search index's
banded box, ordered in SQL, read only up to the page's end). Prints JSON; see docs/benchmarks.md.

    .venv/bin/python benchmarks/oruk_near.py --size 3000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

PG = "postgres://postgres@127.0.0.1:5432/"


def old_way(latitude: float, longitude: float, offset: int, limit: int) -> list[UUID]:
    """The ORUK API's code before: every row into Python, measured and sorted there."""
    from kith.directory.geo import distance_m
    from kith.directory.models import ServiceAtLocation

    distances: dict[UUID, float] = {}
    unplaced: list[UUID] = []
    for sal_id, lat, lon in ServiceAtLocation.objects.values_list(
        "id", "location__latitude", "location__longitude"
    ):
        if lat is None or lon is None:
            unplaced.append(sal_id)
            continue
        distances[sal_id] = distance_m(latitude, longitude, lat, lon)
    nearest = sorted(distances, key=lambda i: (distances[i], str(i)))
    return (nearest + sorted(unplaced, key=str))[offset : offset + limit]


def new_way(latitude: float, longitude: float, offset: int, limit: int) -> list[UUID]:
    from kith.directory.search.near import service_at_locations_near

    return service_at_locations_near(latitude, longitude, offset=offset, limit=limit).ids


def generate(size: int) -> None:
    from kith.directory.models import Location, Organization, Service, ServiceAtLocation

    rng = random.Random(10)  # noqa: S311 - test data
    organization = Organization.objects.create(name="Benchmark group (fictional)")
    services = Service.objects.bulk_create(
        [Service(organization=organization, name=f"Listing {n}") for n in range(size)]
    )
    locations = Location.objects.bulk_create(
        [
            Location(
                name=f"Place {n}",
                latitude=rng.uniform(50.5, 54.5),
                longitude=rng.uniform(-3.0, 0.5),
            )
            for n in range(size)
        ]
    )
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=s, location=p) for s, p in zip(services, locations, strict=True)]
    )


def timed(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--database", default="kith_t_bench")
    args = parser.parse_args()
    for statement in (
        f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)",
        f"CREATE DATABASE {args.database}",
    ):
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", statement]
        subprocess.run(psql, check=True)  # noqa: S603, S607 - psql from PATH, fixed arguments
    os.environ["DATABASE_URL"] = PG + args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kith.config.settings.local"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kith.directory.services.indexing import services_reindex

    call_command("migrate", verbosity=0)
    generate(args.size)
    services_reindex(None)
    point = (51.4613, -0.1156)  # Brixton
    result: dict[str, Any] = {"size": args.size, "database": "postgresql", "per_page": 20}
    for page in (1, 10):
        offset = (page - 1) * 20
        assert old_way(*point, offset, 20) == new_way(*point, offset, 20)  # noqa: S101
        with CaptureQueriesContext(connection) as queries:
            new_way(*point, offset, 20)
        result[f"page_{page}"] = {
            "old_ms": timed(lambda: old_way(*point, offset, 20), args.repeats),  # noqa: B023
            "new_ms": timed(lambda: new_way(*point, offset, 20), args.repeats),  # noqa: B023
            "new_queries": len(queries),
        }
    print(json.dumps(result, indent=2))  # noqa: T201 - the benchmark's output


if __name__ == "__main__":
    main()
