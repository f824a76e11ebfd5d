"""Team workspace benchmark: the huddle board and a person's record with 100k people and 1M
timeline entries.

    .venv/bin/python benchmarks/huddle.py --people 100000 --entries 1000000

Runs against PostgreSQL database `kith_bench_huddle` (dropped and made afresh; --database-url
to change). Loads fictional data with bulk inserts: --teams teams of six members, --people
people with one ask and one involvement each (most closed, as a year of work would leave them),
and --entries timeline entries spread over the involvements (conversations, notes, plan
progress, steps and outcome measures in the proportions a record has). One team, the one
measured, also has a day's board: --new-asks new asks (a fifth urgent) and ten from returning
people, next steps due and a same-day call.

Then, signed in as a member of that team through the Django test client (the whole request:
middleware, access checks, audit writes, templates), it requests each page --repeat times and
reports p50/p95 in milliseconds, the number of database queries, the HTML's size and the audit
rows written per request, for: the board,
a typical person's record (about entries/people timeline entries), a long record (--long
entries) and that person's plan. The number of queries must not grow with the data: compare
the figures at two sizes (the script prints both if you pass --people/--entries twice as a
comma list). Prints one JSON line per size; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/kith_bench_huddle"
BATCH = 5_000
# Of every ten timeline entries: conversations, notes, goal progress, steps, measures.
MIX = ["conversation"] * 3 + ["note"] * 3 + ["progress"] * 2 + ["step"] + ["measure"]
SWEMWBS_ANSWERS = [3, 3, 4, 3, 2, 3, 4]


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.local")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def _recreate_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)  # noqa: S603, S607 - psql, ours


def _bulk(model: Any, rows: list[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])


def load(
    *, people: int, entries: int, teams: int, long_entries: int, seed: int, new_asks: int
) -> dict[str, Any]:
    """Fictional data at the given size. Returns ids of what is measured."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kith.asks.models import Ask, AskStatus, Outcome
    from kith.care.models import (
        Conversation,
        Goal,
        GoalProgress,
        Involvement,
        InvolvementStatus,
        Note,
        Plan,
        Step,
    )
    from kith.outcomes.measures import score
    from kith.outcomes.models import MeasureResponse
    from kith.people.models import Consent, Person
    from kith.teams.models import Team, TeamMember

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    # A year of work: these rows carry their own creation times (set on every row below).
    for model in (Ask, Involvement, Note):
        model._meta.get_field("created_at").auto_now_add = False
    user_model = get_user_model()

    team_rows = [
        Team(name=f"Bench team {n}", postcode_districts=f"BT{n}", response_time_hours=24)
        for n in range(teams)
    ]
    _bulk(Team, team_rows)
    users = [user_model(username=f"bench-{t}-{m}") for t in range(teams) for m in range(6)]
    for user in users:
        user.set_unusable_password()
    _bulk(user_model, users)
    members = [
        TeamMember(
            user=users[t * 6 + m],
            team=team_rows[t],
            display_name=f"Worker {t}-{m}",
            organisation_name=["GP practice", "NHS trust", "Charity"][m % 3],
            role="peer-worker",
        )
        for t in range(teams)
        for m in range(6)
    ]
    _bulk(TeamMember, members)
    team_members = {team.pk: members[t * 6 : t * 6 + 6] for t, team in enumerate(team_rows)}

    person_rows = [
        Person(display_name="", email=f"person{n}@example.invalid") for n in range(people)
    ]
    _bulk(Person, person_rows)

    involvements: list[Involvement] = []
    asks: list[Ask] = []
    for n, person in enumerate(person_rows):
        team = team_rows[n % teams]
        worker = team_members[team.pk][n % 6]
        created = now - dt.timedelta(days=rng.randint(20, 365), minutes=rng.randint(0, 1440))
        closed = n % 10 != 0  # one in ten still open
        involvement = Involvement(
            team=team,
            person=person,
            worker=worker,
            status=InvolvementStatus.CLOSED if closed else InvolvementStatus.OPEN,
            closed_at=created + dt.timedelta(days=14) if closed else None,
            outcome=Outcome.SUPPORTED if closed else "",
        )
        involvement.created_at = created
        involvements.append(involvement)
        ask = Ask(
            reference=f"B{n:09d}",
            text="Fictional benchmark ask about feeling low and money worries.",
            contact_method="email",
            contact_email=person.email,
            team=team,
            respond_by_at=created + dt.timedelta(hours=24),
            status=AskStatus.CLOSED if closed else AskStatus.IN_TOUCH,
            person=person,
            worker=worker,
            picked_up_at=created + dt.timedelta(hours=2),
            first_conversation_at=created + dt.timedelta(hours=5),
            involvement=involvement,
            outcome=Outcome.SUPPORTED if closed else "",
        )
        ask.created_at = created
        asks.append(ask)
    _bulk(Involvement, involvements)
    _bulk(Ask, asks)

    plans = [
        Plan(involvement=involvement, what_matters="Getting out more.")
        for involvement in involvements
    ]
    _bulk(Plan, plans)
    goals = [Goal(plan=plan, text="Walk every day", domain="physical-health") for plan in plans]
    _bulk(Goal, goals)

    # The long record: one person of the measured team with `long_entries` entries.
    measured = team_rows[0]
    long_index = teams  # second person of team 0
    typical_index = 2 * teams  # third person of team 0
    counts = [0] * people
    remaining = entries - long_entries
    for _ in range(max(remaining, 0)):
        counts[rng.randrange(people)] += 1
    counts[long_index] = long_entries

    entry_rows: dict[str, list[Any]] = {kind: [] for kind in set(MIX)}
    for n, count in enumerate(counts):
        involvement, ask, goal = involvements[n], asks[n], goals[n]
        author = involvement.worker
        for k in range(count):
            kind = MIX[k % len(MIX)]
            at = involvement.created_at + dt.timedelta(hours=6 + k)
            if kind == "conversation":
                entry_rows[kind].append(
                    Conversation(
                        involvement=involvement,
                        ask=ask,
                        author=author,
                        happened_at=at,
                        method="phone",
                        with_whom="the person",
                        summary="Talked about the week and what helped.",
                    )
                )
            elif kind == "note":
                row = Note(involvement=involvement, author=author, text="Fictional note text.")
                row.created_at = at
                entry_rows[kind].append(row)
            elif kind == "progress":
                entry_rows[kind].append(
                    GoalProgress(goal=goal, recorded_by=author, recorded_on=at.date(), score=k % 11)
                )
            elif kind == "step":
                entry_rows[kind].append(
                    Step(plan=plans[n], goal=goal, text="Call the walking group", who="me")
                )
            else:
                entry_rows[kind].append(
                    MeasureResponse(
                        person=person_rows[n],
                        involvement=involvement,
                        code="swemwbs",
                        answers=SWEMWBS_ANSWERS,
                        score=score("swemwbs", SWEMWBS_ANSWERS),
                        completed_by="person",
                        completed_at=at,
                    )
                )
        if sum(len(rows) for rows in entry_rows.values()) >= 50_000:
            _flush(entry_rows)
    _flush(entry_rows)

    # Today's board for the measured team.
    board_people = [Person(email=f"board{n}@example.invalid") for n in range(new_asks)]
    _bulk(Person, board_people)
    board_asks = []
    for n, person in enumerate(board_people):
        created = now - dt.timedelta(hours=rng.randint(0, 47), minutes=rng.randint(0, 59))
        ask = Ask(
            reference=f"N{n:09d}",
            text="Fictional new ask.",
            contact_method="email",
            contact_email=person.email,
            team=measured,
            respond_by_at=created + dt.timedelta(hours=24),
            is_urgent=n % 5 == 0,
            person=person,
        )
        ask.created_at = created
        board_asks.append(ask)
    # Returning people: new asks from people the team worked with, back on their involvement.
    for n in range(teams * 3, teams * 3 + teams * 10, teams):
        board_asks.append(
            Ask(
                created_at=now - dt.timedelta(hours=3),
                reference=f"R{n:09d}",
                text="Fictional returning ask.",
                contact_method="email",
                team=measured,
                respond_by_at=now + dt.timedelta(hours=20),
                person=person_rows[n],
                involvement=involvements[n],
                worker=involvements[n].worker,
            )
        )
    _bulk(Ask, board_asks)
    # Each person shared their record with the team by asking (returning people already have).
    _bulk(
        Consent,
        [
            Consent(person=ask.person, team=ask.team, how_given="asked", ask=ask, given_at=now)
            for ask in asks + board_asks
            if not ask.reference.startswith("R")
        ],
    )
    open_ids = [inv.pk for inv in involvements[: teams * 400 : teams] if inv.status == "open"]
    Involvement.objects.filter(pk__in=open_ids[:40]).update(
        next_step="Call back", next_step_due_on=now.date()
    )
    MeasureResponse.objects.create(
        person=person_rows[0],
        involvement=involvements[0],
        code="phq9",
        answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
        score=score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1]),
        is_risk=True,
        completed_by="person",
        completed_at=now - dt.timedelta(hours=1),
    )
    return {
        "member_user_id": users[0].pk,
        "typical": str(involvements[typical_index].pk),
        "typical_entries": counts[typical_index],
        "long": str(involvements[long_index].pk),
        "long_entries": counts[long_index],
    }


def _flush(entry_rows: dict[str, list[Any]]) -> None:
    from kith.care.models import Conversation, GoalProgress, Note, Step
    from kith.outcomes.models import MeasureResponse

    models = {
        "conversation": Conversation,
        "note": Note,
        "progress": GoalProgress,
        "step": Step,
        "measure": MeasureResponse,
    }
    for kind, rows in entry_rows.items():
        _bulk(models[kind], rows)
        rows.clear()


def measure(ids: dict[str, Any], *, repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kith.audit.models import AuditEvent
    from kith.core.testing.staff import sign_in_staff

    client = Client()
    sign_in_staff(client, get_user_model().objects.get(pk=ids["member_user_id"]))
    pages = {
        "board": reverse("care:huddle_board"),
        "record (typical)": reverse("care:involvement_show", args=[ids["typical"]]),
        "record (long)": reverse("care:involvement_show", args=[ids["long"]]),
        "plan (long)": reverse("care:plan_show", args=[ids["long"]]),
    }
    results: dict[str, Any] = {}
    for label, url in pages.items():
        client.get(url)  # warm
        timings = []
        queries = set()
        audit_rows = set()
        for _ in range(repeat):
            events = AuditEvent.objects.count()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            queries.add(len(captured.captured_queries))
            audit_rows.add(AuditEvent.objects.count() - events)
        timings.sort()
        results[label] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
            "queries": sorted(queries),
            "html_kb": round(len(response.content) / 1024, 1),
            "html_bytes": len(response.content),
            "audit_rows": sorted(audit_rows),
        }
    return results


def run_one(args: argparse.Namespace, people: int, entries: int) -> dict[str, Any]:
    _recreate_database(args.database_url)
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ids = load(
        people=people,
        entries=entries,
        teams=args.teams,
        long_entries=min(args.long, entries),
        seed=args.seed,
        new_asks=args.new_asks,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    pages = measure(ids, repeat=args.repeat)
    return {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu",
        "database": connection.vendor,
        "people": people,
        "entries": entries,
        "typical_entries": ids["typical_entries"],
        "long_entries": ids["long_entries"],
        "new_asks": args.new_asks,
        "load_s": round(load_s, 1),
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", default="100000", help="comma list, one run per size")
    parser.add_argument("--entries", default="1000000", help="comma list, paired with --people")
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--long", type=int, default=1000, help="entries in the long record")
    parser.add_argument("--new-asks", type=int, default=60, help="new asks on the board")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", default=PG_URL)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = list(
        zip(
            [int(v) for v in args.people.split(",")],
            [int(v) for v in args.entries.split(",")],
            strict=True,
        )
    )
    if args.one:
        people, entries = sizes[0]
        print(json.dumps(run_one(args, people, entries)), flush=True)
        return
    # Each size in its own process: a fresh Django and database every time.
    for people, entries in sizes:
        command = [sys.executable, __file__, "--one", f"--people={people}", f"--entries={entries}"]
        command += [f"--teams={args.teams}", f"--long={args.long}", f"--repeat={args.repeat}"]
        command += [f"--seed={args.seed}", f"--database-url={args.database_url}"]
        command += [f"--new-asks={args.new_asks}"]
        subprocess.run(command, check=True)  # noqa: S603 - ourselves


if __name__ == "__main__":
    main()
