"""Team workspace benchmark: a worker's caseload and finding a person, for a team that works with
many people.

    .venv/bin/python benchmarks/caseload.py --people 20000

Runs against PostgreSQL database `kith_bench_caseload` (dropped and made afresh; --database-url
to change). Loads, with bulk inserts, two teams of --people people each (one ask, one open
involvement and a sharing decision per person; every tenth person is the measured worker's),
so a search has another team's people to leave out. Then it calls the access functions the
pages call (`access_caseload`, `access_people_search`: the selectors, the consent filter and the
audit insert, without the request and the template) --repeat times for each case, and prints
one JSON line: p50/p95 in milliseconds, the number of queries and how many were found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from huddle import _bulk, _recreate_database, _setup  # noqa: E402 - beside this script

PG_URL = "postgres://postgres@127.0.0.1:5432/kith_bench_caseload"


def load(people: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kith.asks.models import Ask
    from kith.care.models import Involvement
    from kith.people.models import Consent, Person
    from kith.teams.models import Team, TeamMember

    now = timezone.now()
    measured: dict[str, Any] = {}
    for number, name in enumerate(["Brixton community team", "Vauxhall community team"]):
        team = Team.objects.create(name=name, postcode_districts=f"SW{9 - number}")
        members = [
            TeamMember.objects.create(
                user=get_user_model().objects.create_user(username=f"worker{number}{index}"),
                team=team,
                display_name=f"Worker {number}{index}",
                organisation_name="Brixton Mind",
                role="peer-worker",
            )
            for index in range(2)
        ]
        rows = [
            Person(
                display_name=f"Person {index} Surname{index % 997}",
                email=f"p{number}-{index}@example.com",
                phone=f"+4477009{number}{index:04d}"[:13],
            )
            for index in range(people)
        ]
        _bulk(Person, rows)
        involvements = [
            Involvement(team=team, person=person, worker=members[index % 10 != 0])
            for index, person in enumerate(rows)
        ]
        _bulk(Involvement, involvements)
        consents = [Consent(person=p, team=team, how_given="chose", given_at=now) for p in rows]
        _bulk(Consent, consents)
        asks = [
            Ask(
                reference=f"KTH-{number}{index:05d}",
                text="Fictional.",
                contact_method="email",
                contact_email=f"w{number}-{index}@example.com",
                team=team,
                person=person,
                involvement=involvement,
            )
            for index, (person, involvement) in enumerate(zip(rows, involvements, strict=True))
        ]
        _bulk(Ask, asks)
        if number == 0:
            measured = {"member": members[0], "reference": asks[people // 2].reference}
    Ask.objects.filter(reference=measured["reference"]).update(reference="KTH-7Q4M-2X")
    return measured


def measure(measured: dict[str, Any], *, people: int, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kith.care.access import access_caseload, access_people_search
    from kith.care.selectors import people_query_parse

    member = measured["member"]
    middle = people // 2
    cases = {
        "caseload, page 1": lambda: access_caseload(member=member, page=1),
        "caseload, last page": lambda: access_caseload(member=member, page=10_000),
        "search: a name (one match)": f"person {middle} ",
        "search: part of a name (1,000 or more)": "person 1",
        "search: their email address": f"P0-{middle}@example.com",
        "search: the email on their ask": f"w0-{middle}@example.com",
        "search: a reference, typed loosely": "kth 7q4m 2x",
        "search: another team's email": f"p1-{middle}@example.com",
    }
    results = {}
    for label, case in cases.items():
        call = (
            case
            if callable(case)
            else (
                lambda words=case: access_people_search(
                    member=member, query=people_query_parse(words)
                )
            )
        )
        call()  # warm
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                found = call()
                times.append((time.perf_counter() - started) * 1000)
        page = getattr(found, "involvements", None)
        results[label] = {
            "p50_ms": round(statistics.median(times)),
            "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1]),
            "queries": len(queries.captured_queries),
            "found": page.total if page is not None else None,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="people in each team")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=PG_URL)
    args = parser.parse_args()
    _recreate_database(args.database_url)
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    measured = load(args.people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).date().isoformat(),
                "machine": f"{platform.machine()} {os.cpu_count()} cpu",
                "load_average": os.getloadavg()[0],
                "people_per_team": args.people,
                "load_s": round(load_s, 1),
                "cases": measure(measured, people=args.people, repeat=args.repeat),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
