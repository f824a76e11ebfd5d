"""Relevance benchmark: does Kith find what people ask for, in their own words, on real listings?

    make bench-env     # once: BM25 and the sentence-embedding model in .venv-bench (Python 3.11)
    .venv/bin/python benchmarks/relevance.py ../shared/real-listings/bristol-oruk1-services.json

FEED is an Open Referral UK feed file (never copied into the repository: only the needs and
our grades are kept, in benchmarks/data/relevance/). Two directories are measured, each in a
fresh database of its own (SQLite files in a temporary folder unless --database-url says
otherwise): "bristol", FEED imported with `kith import-oruk`, and "demo", the demo locality
(`kith demo`). On each, every need in needs.csv is searched by three systems:

- kith: `search_services` as the /find/ page calls it with only words typed (no place, no
  filters, 20 a page), the first 10 hits; run in a child process per PYTHONHASHSEED in
  --seeds (figures from the first; the others show whether results change between processes);
  with KITH_SEARCH_DENSE=off, the lexical search alone;
- kith_hybrid: the same with KITH_SEARCH_DENSE=on (lexical and dense candidates fused, see
  kith/directory/embedding/), after `services_embed(None)` has embedded every service (what
  the background task does after an import; its time and the model's load are reported);
- bm25 and dense: benchmarks/anchors.py under --bench-python (.venv-bench), over the name and
  description (HTML removed) of the same services Kith has in its search index.

Then nDCG@5 and recall@5 against the hand grades (0 not relevant, 1 partly or could help, 2
what they need; unjudged pairs count as 0 and are counted, so holes in the pool show):

- nDCG@5: gain 2^grade - 1, discount log2(rank + 1), ideal from every graded service of the
  need; needs with no service graded 1 or more are left out of the means (and counted).
- recall@5: services graded 1 or more in the top 5 / min(5, services graded 1 or more).

--pool DIR writes, per directory, the (need, service) pairs in the top 10 of any system not
yet graded, shuffled and without system or rank, with the listing's text to grade from:
DIR must be outside the repository (the text is the feed's). Grade the `grade` column and
merge with --merge DIR/<directory>-pool.csv; --rescore RUN.json then scores a saved run
against the grades as they are now, without running anything again.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "relevance"
NEEDS = DATA / "needs.csv"
DIRECTORIES = ("bristol", "demo")
SYSTEMS = ("kith", "kith_hybrid", "bm25", "dense")  # kith: KITH_SEARCH_DENSE=off; hybrid: on
POOL_DEPTH = 10
CUTOFF = 5
PER_PAGE = 20  # as the /find/ page asks


def judgments_path(directory: str) -> Path:
    return DATA / f"{directory}-judgments.csv"


# --- needs and grades ------------------------------------------------------------------------


def read_needs() -> list[dict[str, str]]:
    with NEEDS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_judgments(directory: str) -> dict[str, dict[str, int]]:
    """need id -> service id -> grade."""
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    path = judgments_path(directory)
    if not path.exists():
        return grades
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            grades[row["need_id"]][row["service_id"]] = int(row["grade"])
    return grades


def write_judgments(directory: str, grades: dict[str, dict[str, int]]) -> None:
    path = judgments_path(directory)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["need_id", "service_id", "grade"])
        for need_id in sorted(grades):
            for service_id in sorted(grades[need_id]):
                writer.writerow([need_id, service_id, grades[need_id][service_id]])


# --- metrics ---------------------------------------------------------------------------------


def ndcg(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float | None:
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    if best <= 0:
        return None
    got = sum((2 ** grades.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    return got / best


def recall(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float | None:
    relevant = {s for s, g in grades.items() if g >= 1}
    if not relevant:
        return None
    return len(relevant & set(ranked[:k])) / min(k, len(relevant))


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def interval(values: list[float], *, rounds: int = 2000) -> tuple[float, float]:
    """95% bootstrap interval of the mean over needs (seeded, so runs agree)."""
    if not values:
        return (float("nan"), float("nan"))
    rng = random.Random(11)
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return (means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1])


def score(
    runs: dict[str, dict[str, list[str]]],
    needs: list[dict[str, str]],
    grades: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """Per system: overall and per kind means, with the pool's holes and empty answers counted."""
    kinds = sorted({n["kind"] for n in needs})
    report: dict[str, Any] = {"systems": {}, "kinds": kinds}
    for system, ranked in runs.items():
        per_need: dict[str, dict[str, float | None]] = {}
        unjudged = shown = empty = 0
        for need in needs:
            top = ranked.get(need["need_id"], [])
            need_grades = grades.get(need["need_id"], {})
            shown += len(top[:CUTOFF])
            unjudged += sum(1 for s in top[:CUTOFF] if s not in need_grades)
            empty += not top
            per_need[need["need_id"]] = {
                "ndcg": ndcg(top, need_grades),
                "recall": recall(top, need_grades),
            }
        overall = [v["ndcg"] for v in per_need.values() if v["ndcg"] is not None]
        recalls = [v["recall"] for v in per_need.values() if v["recall"] is not None]
        by_kind = {}
        for kind in kinds:
            ids = [n["need_id"] for n in needs if n["kind"] == kind]
            by_kind[kind] = {
                "ndcg": mean([x for i in ids if (x := per_need[i]["ndcg"]) is not None]),
                "recall": mean([x for i in ids if (x := per_need[i]["recall"]) is not None]),
                "needs": len(ids),
            }
        report["systems"][system] = {
            "ndcg": mean(overall),
            "ndcg_interval": interval(overall),
            "recall": mean(recalls),
            "needs_scored": len(overall),
            "needs_without_relevant": len(needs) - len(overall),
            "empty": empty,
            "top5_shown": shown,
            "top5_unjudged": unjudged,
            "by_kind": by_kind,
            "per_need": per_need,
        }
    return report


# --- the listings' text for the anchors and for grading --------------------------------------


class _Text(HTMLParser):
    BREAKS = {"p", "br", "li", "div", "h1", "h2", "h3", "h4", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(text: str) -> str:
    """Listing text without HTML, entities decoded, spaces collapsed."""
    if "<" in text:
        parser = _Text()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


# --- the child: one directory, one database, Kith's answers ----------------------------------


def feed_records(feed: Path) -> list[dict[str, Any]]:
    data = json.loads(feed.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for key in ("content", "items", "services"):
            if isinstance(data.get(key), list):
                return list(data[key])
        return [data]
    return list(data)


def child(args: argparse.Namespace) -> int:
    """Load the directory (if --load), then answer every need with Kith; JSON on stdout."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kith.config.settings.local"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from kith.directory.models import SearchEntry, Service
    from kith.directory.search import SearchQuery, search_services

    out: dict[str, Any] = {"seed": os.environ.get("PYTHONHASHSEED", "")}
    if args.load:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        out["migrate_seconds"] = time.perf_counter() - started
        stdout, stderr = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        if args.child == "demo":
            call_command("demo", stdout=stdout, stderr=stderr)
        else:
            try:
                call_command("import_oruk", str(args.feed), stdout=stdout, stderr=stderr)
            except CommandError as error:  # nothing imported: measured as an empty directory
                out["load_error"] = str(error)
        out["load_seconds"] = time.perf_counter() - started
        out["load_output"] = stdout.getvalue().strip().splitlines()[-3:]
        out["load_problems"] = [
            line.removeprefix("Skipped ").strip()
            for line in stderr.getvalue().splitlines()
            if line.startswith("Skipped ")
        ]

    # The feed's own ids for imported services (Kith keeps a 1.0 id that is a UUID, and derives
    # one from any other); the demo's are its UUIDs.
    keys: dict[str, str] = {}
    if args.child == "bristol":
        from kith.directory.oruk.oruk1 import is_oruk1, oruk1_id

        for record in feed_records(Path(args.feed)):
            raw = record.get("id")
            kith_id = oruk1_id(raw, "service") if is_oruk1(record) else str(raw)
            keys[kith_id] = str(raw)

    def key(service_id: object) -> str:
        return keys.get(str(service_id), str(service_id))

    indexed = set(SearchEntry.objects.values_list("service_id", flat=True))
    services = Service.objects.filter(id__in=indexed).select_related("organization")
    out["documents"] = [
        {
            "id": key(s.id),
            "name": plain(s.name),
            "organization": plain(s.organization.name) if s.organization else "",
            "description": plain(s.description),
        }
        for s in services.order_by("id")
    ]
    out["services_in_database"] = Service.objects.count()

    from django.conf import settings

    if settings.KITH_SEARCH_DENSE:
        # What `services_embed_task` does in the worker after an import (no worker runs here).
        import resource

        from kith.directory.embedding.model import shipped_model
        from kith.directory.services.embedding import services_embed

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        shipped_model()
        out["dense_model_load_seconds"] = time.perf_counter() - started
        out["dense_model_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
        started = time.perf_counter()
        out["dense_embedded"] = services_embed(None)
        out["dense_embed_seconds"] = time.perf_counter() - started

    needs = read_needs()
    results: dict[str, list[str]] = {}
    interpretations: dict[str, dict[str, Any]] = {}
    timings: list[float] = []
    for need in needs:
        started = time.perf_counter()
        found = search_services(SearchQuery(text=need["text"], per_page=PER_PAGE))
        timings.append(time.perf_counter() - started)
        results[need["need_id"]] = [key(hit.service.id) for hit in found.hits[:POOL_DEPTH]]
        understood = found.interpretation
        interpretations[need["need_id"]] = {
            "total": found.total,
            "support_types": understood.support_types,
            "corrected_text": understood.corrected_text,
            "understood_words": understood.understood_words,
            "ignored_words": understood.ignored_words,
            "is_understood": understood.is_understood,
        }
    out["kith"] = {"results": results, "interpretations": interpretations}
    out["kith_query_seconds"] = timings
    json.dump(out, sys.stdout)
    return 0


# --- the parent ------------------------------------------------------------------------------


def database_url(template: str | None, directory: str, folder: Path) -> str:
    if not template:
        return f"sqlite:///{folder / f'{directory}.sqlite3'}"
    return template.replace("{directory}", directory)


def fresh_database(url: str) -> None:
    """An empty database: SQLite files are removed, PostgreSQL databases dropped and created."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def run_child(
    directory: str,
    feed: Path | None,
    url: str,
    var: Path,
    seed: str,
    load: bool,
    dense: bool = False,
) -> Any:
    env = os.environ | {
        "DATABASE_URL": url,
        "KITH_VAR_DIR": str(var),
        "PYTHONHASHSEED": seed,
        "KITH_SEARCH_DENSE": "on" if dense else "off",
    }
    command = [sys.executable, __file__, *([str(feed)] if feed else []), "--child", directory]
    if load:
        command.append("--load")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{directory}: the Kith child process failed ({done.returncode})")
    return json.loads(done.stdout)


def run_anchors(
    bench_python: str, documents: list[dict[str, str]], needs: list[dict[str, str]]
) -> Any:
    request = {
        "documents": [
            {"id": d["id"], "text": f"{d['name']}. {d['description']}".strip()} for d in documents
        ],
        "queries": [{"id": n["need_id"], "text": n["text"]} for n in needs],
        "k": POOL_DEPTH,
    }
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(  # noqa: S603 (our own script, under the interpreter given)
        [bench_python, str(ROOT / "benchmarks" / "anchors.py")],
        input=json.dumps(request),
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit("the anchors failed: is the bench environment built (`make bench-env`)?")
    return json.loads(done.stdout)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def write_pool(
    folder: Path,
    directory: str,
    needs: list[dict[str, str]],
    runs: list[dict[str, list[str]]],
    documents: list[dict[str, str]],
    grades: dict[str, dict[str, int]],
) -> int:
    """The pairs not yet graded, shuffled within each need, with no trace of system or rank."""
    if folder.resolve().is_relative_to(ROOT):
        raise SystemExit("--pool must be outside the repository: it holds the listings' text")
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {d["id"]: d for d in documents}
    rows = 0
    with (folder / f"{directory}-pool.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["need_id", "service_id", "grade", "need", "name", "organization", "description"]
        )
        for need in needs:
            pooled = sorted({s for run in runs for s in run.get(need["need_id"], [])[:POOL_DEPTH]})
            pooled = [s for s in pooled if s not in grades.get(need["need_id"], {})]
            random.Random(f"{directory}:{need['need_id']}").shuffle(pooled)
            for service_id in pooled:
                doc = by_id[service_id]
                writer.writerow(
                    [
                        need["need_id"],
                        service_id,
                        "",
                        need["text"],
                        doc["name"],
                        doc["organization"],
                        doc["description"][:700],
                    ]
                )
                rows += 1
    return rows


def merge(path: Path) -> int:
    directory = path.name.removesuffix("-pool.csv")
    if directory not in DIRECTORIES:
        raise SystemExit(f"{path.name}: expected <directory>-pool.csv, one of {DIRECTORIES}")
    grades = read_judgments(directory)
    added = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            grade = row["grade"].strip()
            if grade == "":
                continue
            if grade not in {"0", "1", "2"}:
                raise SystemExit(
                    f"{row['need_id']} {row['service_id']}: grade {grade!r} is not 0, 1 or 2"
                )
            grades[row["need_id"]][row["service_id"]] = int(grade)
            added += 1
    write_judgments(directory, grades)
    print(f"{added} grades merged into {judgments_path(directory).relative_to(ROOT)}")
    return 0


def rescore(path: Path) -> dict[str, Any]:
    """Score a saved run (--json) again against the grades as they are now: no system is run."""
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    needs = read_needs()
    for directory, result in report["directories"].items():
        grades = read_judgments(directory)
        result.update(score(result["runs"], needs, grades))
        for seed, run in result.get("kith_runs_by_seed", {}).items():
            result["per_seed"][seed] = score({"kith": run}, needs, grades)["systems"]["kith"][
                "ndcg"
            ]
    report["command"] += f" (scored again on {dt.datetime.now(dt.UTC):%Y-%m-%d} with --rescore)"
    return report


def measure(args: argparse.Namespace) -> dict[str, Any]:
    needs = read_needs()
    seeds = [s.strip() for s in args.seeds.split(",") if s.strip()]
    folder = Path(tempfile.mkdtemp(prefix="kith-relevance-"))
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "needs": len(needs),
        "directories": {},
    }
    for directory in args.only or DIRECTORIES:
        url = database_url(args.database_url, directory, folder)
        fresh_database(url)
        var = folder / f"{directory}-var"
        var.mkdir(exist_ok=True)
        print(f"{directory}: loading and searching with Kith (seed {seeds[0]})...", file=sys.stderr)
        first = run_child(directory, args.feed, url, var, seeds[0], load=True)
        kith_runs = {seeds[0]: first["kith"]["results"]}
        for seed in seeds[1:]:
            print(f"{directory}: Kith again under PYTHONHASHSEED={seed}...", file=sys.stderr)
            kith_runs[seed] = run_child(directory, args.feed, url, var, seed, load=False)["kith"][
                "results"
            ]
        print(f"{directory}: Kith hybrid (KITH_SEARCH_DENSE=on)...", file=sys.stderr)
        hybrid = run_child(directory, args.feed, url, var, seeds[0], load=False, dense=True)
        hybrid_runs = {seeds[0]: hybrid["kith"]["results"]}
        for seed in seeds[1:]:
            hybrid_runs[seed] = run_child(
                directory, args.feed, url, var, seed, load=False, dense=True
            )["kith"]["results"]
        print(
            f"{directory}: BM25 and dense over {len(first['documents'])} services...",
            file=sys.stderr,
        )
        anchors = run_anchors(args.bench_python, first["documents"], needs)
        runs = {
            "kith": first["kith"]["results"],
            "kith_hybrid": hybrid["kith"]["results"],
            "bm25": anchors["bm25"]["results"],
            "dense": anchors["dense"]["results"],
        }
        grades = read_judgments(directory)
        result = score(runs, needs, grades)
        result["per_seed"] = {
            seed: score({"kith": run}, needs, grades)["systems"]["kith"]["ndcg"]
            for seed, run in kith_runs.items()
        }
        result["needs_changing_with_seed"] = sorted(
            n["need_id"]
            for n in needs
            if len({tuple(r.get(n["need_id"], [])[:CUTOFF]) for r in kith_runs.values()}) > 1
        )
        result["hybrid_needs_changing_with_seed"] = sorted(
            n["need_id"]
            for n in needs
            if len({tuple(r.get(n["need_id"], [])[:CUTOFF]) for r in hybrid_runs.values()}) > 1
        )
        hybrid_seconds = hybrid["kith_query_seconds"]
        result["hybrid"] = {
            "model_load_ms": hybrid["dense_model_load_seconds"] * 1000,
            "model_rss_mib": hybrid["dense_model_rss_kib"] / 1024,
            "embedded": hybrid["dense_embedded"],
            "embed_seconds": hybrid["dense_embed_seconds"],
            "first_query_ms": hybrid_seconds[0] * 1000,
            "p50_ms": percentile(hybrid_seconds[1:], 0.5) * 1000,
            "p95_ms": percentile(hybrid_seconds[1:], 0.95) * 1000,
        }
        kith_seconds = first["kith_query_seconds"]
        result["load"] = {
            key: first.get(key)
            for key in (
                "migrate_seconds",
                "load_seconds",
                "load_output",
                "load_problems",
                "services_in_database",
            )
        }
        result["services_indexed"] = len(first["documents"])
        result["timings_ms"] = {
            "kith_first_query": kith_seconds[0] * 1000,
            "kith_p50": percentile(kith_seconds[1:], 0.5) * 1000,
            "kith_p95": percentile(kith_seconds[1:], 0.95) * 1000,
            "bm25_index": anchors["bm25"]["index_seconds"] * 1000,
            "bm25_p50": percentile(anchors["bm25"]["query_seconds"], 0.5) * 1000,
            "bm25_p95": percentile(anchors["bm25"]["query_seconds"], 0.95) * 1000,
            "dense_model_load": anchors["dense"]["model_load_seconds"] * 1000,
            "dense_index": anchors["dense"]["index_seconds"] * 1000,
            "dense_p50": percentile(anchors["dense"]["query_seconds"][1:], 0.5) * 1000,
            "dense_p95": percentile(anchors["dense"]["query_seconds"][1:], 0.95) * 1000,
        }
        result["versions"] = anchors["versions"]
        result["runs"] = runs
        result["kith_runs_by_seed"] = kith_runs
        result["hybrid_runs_by_seed"] = hybrid_runs
        result["kith_interpretations"] = first["kith"]["interpretations"]
        report["directories"][directory] = result
        if args.pool:
            rows = write_pool(
                args.pool,
                directory,
                needs,
                [*kith_runs.values(), *hybrid_runs.values(), runs["bm25"], runs["dense"]],
                first["documents"],
                grades,
            )
            print(
                f"{directory}: {rows} pairs to grade in {args.pool / f'{directory}-pool.csv'}",
                file=sys.stderr,
            )
    return report


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs {cpu} ({platform.machine()}), Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"


def print_report(report: dict[str, Any]) -> None:
    print(f"Date: {report['date']}\nMachine: {report['machine']}\nCommand: {report['command']}\n")
    for directory, result in report["directories"].items():
        systems = result["systems"]
        print(
            f"### {directory}: {result['services_indexed']} services searched, {report['needs']} needs\n"
        )
        print(
            "| system | nDCG@5 (95% interval) | recall@5 | needs with nothing found | top-5 results unjudged |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for system in SYSTEMS:
            s = systems[system]
            low, high = s["ndcg_interval"]
            print(
                f"| {system} | {s['ndcg']:.3f} ({low:.3f}–{high:.3f}) | {s['recall']:.3f} | {s['empty']} | "
                f"{s['top5_unjudged']} of {s['top5_shown']} |"
            )
        scored = systems["kith"]["needs_scored"]
        print(
            f"\nScored over {scored} needs ({systems['kith']['needs_without_relevant']} with no service graded 1 or 2 are left out).\n"
        )
        print(
            "| kind of need | needs | Kith nDCG@5 | Kith hybrid nDCG@5 | BM25 nDCG@5 | dense nDCG@5 | Kith recall@5 | Kith hybrid recall@5 | BM25 recall@5 | dense recall@5 |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for kind in result["kinds"]:
            cells = [systems[s]["by_kind"][kind] for s in SYSTEMS]
            print(
                f"| {kind} | {cells[0]['needs']} | "
                + " | ".join(f"{c['ndcg']:.3f}" for c in cells)
                + " | "
                + " | ".join(f"{c['recall']:.3f}" for c in cells)
                + " |"
            )
        t = result["timings_ms"]
        load = result["load"]
        print(
            f"\nLoad: migrate {load['migrate_seconds']:.1f} s, load {load['load_seconds']:.1f} s, "
            f"{len(load['load_problems'] or [])} records refused, {load['services_in_database']} services in the database."
        )
        print(
            f"Kith per query: first {t['kith_first_query']:.0f} ms, then p50 {t['kith_p50']:.1f} / p95 {t['kith_p95']:.1f} ms. "
            f"BM25: index {t['bm25_index']:.0f} ms, p50 {t['bm25_p50']:.2f} / p95 {t['bm25_p95']:.2f} ms. "
            f"Dense: model load {t['dense_model_load'] / 1000:.1f} s, embedding the services {t['dense_index'] / 1000:.1f} s, "
            f"p50 {t['dense_p50']:.1f} / p95 {t['dense_p95']:.1f} ms."
        )
        h = result["hybrid"]
        print(
            f"Kith hybrid: static model load {h['model_load_ms']:.0f} ms (+{h['model_rss_mib']:.0f} MiB peak RSS), "
            f"{h['embedded']} services embedded in {h['embed_seconds']:.1f} s; per query first {h['first_query_ms']:.0f} ms, "
            f"then p50 {h['p50_ms']:.1f} / p95 {h['p95_ms']:.1f} ms; needs whose top 5 changes with the seed: "
            f"{len(result['hybrid_needs_changing_with_seed'])}."
        )
        seeds = ", ".join(f"{seed}: {value:.3f}" for seed, value in result["per_seed"].items())
        changing = result["needs_changing_with_seed"]
        print(
            f"Kith nDCG@5 by PYTHONHASHSEED: {seeds}; needs whose top 5 changes with the seed: {len(changing)} {changing}\n"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("feed", type=Path, nargs="?", help="ORUK feed file (e.g. Bristol's)")
    parser.add_argument(
        "--only", choices=DIRECTORIES, action="append", help="measure only this directory"
    )
    parser.add_argument("--bench-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    parser.add_argument(
        "--database-url",
        help="database per directory, '{directory}' replaced by its name (e.g. "
        "postgres://postgres@127.0.0.1:5432/kith_m_{directory}); it is dropped and created. "
        "Default: SQLite files in a temporary folder",
    )
    parser.add_argument("--seeds", default="0,1,2", help="PYTHONHASHSEED values for Kith's runs")
    parser.add_argument("--pool", type=Path, help="write the pairs still to grade to this folder")
    parser.add_argument("--merge", type=Path, help="merge a graded <directory>-pool.csv, then stop")
    parser.add_argument(
        "--rescore",
        type=Path,
        help="score a saved --json run against the current grades, then stop",
    )
    parser.add_argument("--json", type=Path, help="write every figure, ranking and timing here")
    parser.add_argument("--child", choices=DIRECTORIES, help=argparse.SUPPRESS)
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.merge:
        return merge(args.merge)
    if args.child:
        return child(args)
    if args.rescore:
        report = rescore(args.rescore)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
        print_report(report)
        return 0
    if args.feed is None and (args.only is None or "bristol" in args.only):
        parser.error("give the feed file (or --only demo)")
    report = measure(args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
