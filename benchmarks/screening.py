"""Crisis screening benchmark: accuracy on the labelled sets and time per message.

    .venv/bin/python benchmarks/screening.py

Prints recall, precision, false-positive rate and per-category recall on the tuning set and the
held-out set (kith/asks/tests/data/), then the screening time per message (p50/p95 over every
labelled statement, repeated) and for a 100,000-character message with danger at its end.

The class sets (screening-classes-*.csv, and the earlier screening-heldout-classes.csv when it is
present) are reported by class and by category: recall and false-positive rate, each with a Wilson
95% interval. Only screening-classes-heldout-2.csv is still held out; the earlier held-out sets
were tuned on from 2026-12-08 (see docs/benchmarks.md).
`--misses` lists the statements screened against their label (use it to report, never to tune
on a held-out set). `--before PATH` also runs another version of kith/asks/screening.py (with its
data beside it), for a before-and-after in the same run:

    git archive <commit> kith/asks | tar -x -C /tmp/before
    .venv/bin/python benchmarks/screening.py --before /tmp/before/kith/asks/screening.py
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kith.asks.screening import CATEGORIES, screen  # noqa: E402

DATA = ROOT / "kith" / "asks" / "tests" / "data"


Screener = Callable[[str], Any]


def load_screener(path: str) -> Screener:
    """`screen` from another copy of the screening module (its data is read from beside it)."""
    spec = importlib.util.spec_from_file_location("screening_before", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["screening_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.screen


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(name: str, rows: list[dict[str, str]]) -> None:
    true_pos = false_pos = false_neg = true_neg = 0
    per_category: dict[str, list[int]] = {category: [0, 0] for category in CATEGORIES}
    for row in rows:
        urgent = row["is_urgent"] == "1"
        result = screen(row["text"])
        if urgent:
            per_category[row["category"]][1] += 1
            if result.is_urgent:
                true_pos += 1
                per_category[row["category"]][0] += 1
            else:
                false_neg += 1
        elif result.is_urgent:
            false_pos += 1
        else:
            true_neg += 1
    recall = true_pos / (true_pos + false_neg)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    fpr = false_pos / (false_pos + true_neg)
    print(f"{name}: {len(rows)} statements ({true_pos + false_neg} urgent)")
    print(f"  recall {recall:.3f}  precision {precision:.3f}  false-positive rate {fpr:.3f}")
    for category, (found, total) in per_category.items():
        if total:
            print(f"  {category:<22} recall {found}/{total} = {found / total:.3f}")


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default)."""
    if total == 0:
        return (0.0, 1.0)
    share = successes / total
    denominator = 1 + z * z / total
    centre = (share + z * z / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate(successes: int, total: int) -> str:
    if not total:
        return "-"
    low, high = wilson(successes, total)
    return f"{successes}/{total} = {successes / total:.2f} [{low:.2f}, {high:.2f}]"


def report_classes(
    name: str, rows: list[dict[str, str]], misses: bool = False, screener: Screener = screen
) -> None:
    """Recall and false-positive rate, with Wilson 95% intervals, for each class of statement."""
    counts: dict[str, list[int]] = {}
    by_category: dict[str, list[int]] = {category: [0, 0] for category in CATEGORIES}
    wrong: list[tuple[str, str, str]] = []
    for row in rows:
        urgent = row["is_urgent"] == "1"
        fired = screener(row["text"]).is_urgent
        if urgent:
            by_category[row["category"]][0] += fired
            by_category[row["category"]][1] += 1
        found, urgent_total, alarms, calm_total = counts.setdefault(row["class"], [0, 0, 0, 0])
        counts[row["class"]] = (
            [found + fired, urgent_total + 1, alarms, calm_total]
            if urgent
            else [found, urgent_total, alarms + fired, calm_total + 1]
        )
        if fired != urgent:
            wrong.append((row["class"], "missed" if urgent else "false alarm", row["text"]))
    totals = [sum(column) for column in zip(*counts.values(), strict=True)]
    print(f"{name}: {len(rows)} statements ({totals[1]} urgent, {totals[3]} not)")
    print(f"  {'class':<22} {'recall [95% CI]':<30} false-positive rate [95% CI]")
    for label, (found, urgent_total, alarms, calm_total) in [*counts.items(), ("all", totals)]:
        print(f"  {label:<22} {rate(found, urgent_total):<30} {rate(alarms, calm_total)}")
    print(f"  {'category':<22} recall [95% CI]")
    for category, (found, urgent_total) in by_category.items():
        if urgent_total:
            print(f"  {category:<22} {rate(found, urgent_total)}")
    if misses:
        for label, kind, text in wrong:
            print(f"  {kind}: [{label}] {text}")


def timings(rows: list[dict[str, str]], screener: Screener = screen) -> None:
    screener("warm up")
    samples = []
    for _ in range(5):
        for row in rows:
            started = time.perf_counter()
            screener(row["text"])
            samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    print(f"per message ({len(samples)} timings): p50 {cuts[49]:.3f} ms  p95 {cuts[94]:.3f} ms")
    filler = "the rent went up again and my landlord will not fix the boiler, "
    danger = " and i want to end my life"
    # 5,000 characters is the longest ask; 100,000 guards against runaway patterns.
    for length in (5_000, 100_000):
        text = (filler * (length // len(filler) + 1))[: length - len(danger)] + danger
        long_samples = []
        cpu_samples = []
        for _ in range(10):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = screener(text)
            long_samples.append((time.perf_counter() - started) * 1000)
            cpu_samples.append((time.process_time() - cpu_started) * 1000)
        print(
            f"{length:,}-character message: median {statistics.median(long_samples):.1f} ms "
            f"(CPU {statistics.median(cpu_samples):.1f} ms), max {max(long_samples):.1f} ms, "
            f"found {result.matches}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list statements screened wrong")
    parser.add_argument("--before", help="another screening.py to measure beside this one")
    arguments = parser.parse_args()
    misses = arguments.misses
    before = load_screener(arguments.before) if arguments.before else None
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    tuning = load("screening-tuning.csv")
    held_out = load("screening-heldout.csv")
    report("tuning", tuning)
    report("held out", held_out)
    # 51 statements the lead wrote without reading the phrase set; two misses there led to two
    # phrase fixes, so this set is no longer unseen (see docs/benchmarks.md).
    report("lead's spot check", load("screening-lead-check.csv"))
    for name, label in [
        ("screening-classes-tuning.csv", "class tuning set"),
        ("screening-classes-heldout.csv", "class held-out set 1 (tuned on since 2026-12-08)"),
        ("screening-heldout-classes.csv", "earlier class set (tuned on since 2026-12-08)"),
        ("screening-classes-heldout-2.csv", "class held-out set 2 (never tuned on)"),
    ]:
        if not (DATA / name).exists():
            continue
        if before is not None:
            report_classes(f"BEFORE, {label}", load(name), misses=misses, screener=before)
        report_classes(label, load(name), misses=misses)
    every = tuning + held_out + load("screening-classes-tuning.csv")
    every += load("screening-classes-heldout.csv")
    if before is not None:
        print("BEFORE:")
        timings(every, screener=before)
    timings(every)


if __name__ == "__main__":
    main()
