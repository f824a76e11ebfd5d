"""Recall of the dense search's HNSW graph (usearch) against exact search, on random vectors.

    .venv/bin/python benchmarks/dense_ann.py                 # 100,000 vectors of 256 dimensions
    .venv/bin/python benchmarks/dense_ann.py --vectors 20000 --queries 200

Two kinds of data: `--data random`, random unit vectors (seeded), the worst case for a graph
index (no structure to follow); `--data model` (default), the shipped static model's vectors
of pseudo-listings, each 8 to 40 words drawn from the model's whole-word vocabulary with a
Zipf-like weighting, so the vectors have the shape real embeddings have. Queries are drawn the
same way as the data (3 to 12 words for `model`). Exact search is one numpy matrix-vector product over the
float32 matrix (what kith/directory/embedding/index.py does up to EXACT_UP_TO vectors); the
graph is usearch's HNSW with cosine distance over float16 vectors, as the index builds it,
searched at several expansion factors. Recall@k: the share of the exact top k the graph finds.
Reports build time, memory and per-query latency (p50 and p95) for each.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np
from usearch.index import Index


def unit(rng: np.random.Generator, rows: int, dims: int) -> np.ndarray:
    vectors = rng.standard_normal((rows, dims), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def pseudo_listings(rng: np.random.Generator, rows: int, length: tuple[int, int]) -> np.ndarray:
    from kith.directory.embedding.model import shipped_model

    model = shipped_model()
    words = [t for t, i in sorted(model.ids.items(), key=lambda kv: kv[1]) if t.isalpha()]
    weights = 1.0 / np.arange(1, len(words) + 1) ** 0.8
    weights /= weights.sum()
    texts = [
        " ".join(rng.choice(words, size=int(rng.integers(*length)), p=weights)) for _ in range(rows)
    ]
    return model.encode(texts)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--k", type=int, default=50, help="as many as the search asks for")
    parser.add_argument("--connectivity", type=int, default=16, help="HNSW edges per node")
    parser.add_argument("--data", choices=("model", "random"), default="model")
    args = parser.parse_args()

    rng = np.random.default_rng(11)
    if args.data == "random":
        data = unit(rng, args.vectors, args.dims)
        queries = unit(rng, args.queries, args.dims)
    else:
        data = pseudo_listings(rng, args.vectors, (8, 40))
        queries = pseudo_listings(rng, args.queries, (3, 12))
    args.dims = data.shape[1]
    print(
        f"{args.vectors:,} {args.data} unit vectors of {args.dims} dimensions, "
        f"{args.queries} queries, k={args.k}"
    )

    exact_seconds: list[float] = []
    truth: list[set[int]] = []
    for query in queries:
        started = time.perf_counter()
        similarities = data @ query
        top = np.argpartition(-similarities, args.k - 1)[: args.k]
        exact_seconds.append(time.perf_counter() - started)
        truth.append({int(i) for i in top})
    print(
        f"exact (numpy, float32): p50 {percentile(exact_seconds, 0.5) * 1000:.2f} ms, "
        f"p95 {percentile(exact_seconds, 0.95) * 1000:.2f} ms; matrix {data.nbytes / 2**20:.0f} MiB"
    )

    before = rss_mib()
    started = time.perf_counter()
    index = Index(ndim=args.dims, metric="cos", dtype="f16", connectivity=args.connectivity)
    index.add(np.arange(args.vectors, dtype=np.uint64), data)
    build = time.perf_counter() - started
    print(
        f"usearch HNSW (cos, f16, connectivity {index.connectivity}): built in {build:.1f} s, "
        f"{index.memory_usage / 2**20:.0f} MiB by its count (peak RSS +{rss_mib() - before:.0f} MiB)"
    )
    print("| expansion_search | recall@k | p50 ms | p95 ms |")
    print("| ---: | ---: | ---: | ---: |")
    for expansion in (64, 128, 256, 512):
        index.expansion_search = expansion  # type: ignore[misc]  # settable at run time
        seconds: list[float] = []
        recalls: list[float] = []
        for query, expected in zip(queries, truth, strict=True):
            started = time.perf_counter()
            matches = index.search(query, args.k)
            seconds.append(time.perf_counter() - started)
            recalls.append(len(expected & {int(key) for key in matches.keys}) / args.k)
        print(
            f"| {expansion} | {statistics.fmean(recalls):.3f} | "
            f"{percentile(seconds, 0.5) * 1000:.2f} | {percentile(seconds, 0.95) * 1000:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
