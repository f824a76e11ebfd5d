"""A static sentence-embedding model on numpy alone.

The model (model/, built by benchmarks/distill_embeddings.py) is all-MiniLM-L6-v2 distilled
with model2vec: one float16 vector per WordPiece token. A text's embedding is the mean of its
tokens' vectors, scaled to length 1, so the dot product of two embeddings is their cosine.

The tokenizer is BERT's (uncased): clean the text, space out CJK characters, strip accents,
lower-case, split on white space and punctuation, then greedy longest-match WordPiece over
the model's vocabulary. It reproduces the `tokenizers` library's ids for this model
(the distillation script checks it); unknown words are left out, as model2vec does.

Deterministic: no randomness, no dependence on hash order; the same text gives the same
vector in every process.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"
MAX_WORD_CHARS = 100
WORD_CACHE_SIZE = 200_000


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def normalise(text: str) -> str:
    """BERT's normaliser (clean text, CJK spacing, strip accents, lower case)."""
    out: list[str] = []
    for char in text:
        if char in ("\x00", "\ufffd") or _is_control(char):
            continue
        if char.isspace():
            out.append(" ")
        elif _is_cjk(ord(char)):
            out.append(f" {char} ")
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFD", "".join(out))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.lower()


def words(text: str) -> list[str]:
    """BERT's pre-tokenizer: split on white space, each punctuation mark a word of its own."""
    found: list[str] = []
    for chunk in normalise(text).split():
        current: list[str] = []
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    found.append("".join(current))
                    current = []
                found.append(char)
            else:
                current.append(char)
        if current:
            found.append("".join(current))
    return found


class StaticModel:
    """Token vectors and the vocabulary they belong to."""

    def __init__(self, vectors: np.ndarray, vocabulary: Sequence[str], meta: dict[str, Any]):
        self.vectors = vectors
        self.meta = meta
        self.ids = {token: index for index, token in enumerate(vocabulary)}
        self.unk_id = self.ids.get(str(meta.get("unk_token", "[UNK]")))
        self.max_tokens = int(meta.get("max_tokens", 512))
        self.dims = int(vectors.shape[1])
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> StaticModel:
        vectors = np.load(folder / "embeddings.npy", allow_pickle=False)
        vocabulary = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return cls(vectors, vocabulary, meta)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        unk: tuple[int, ...] = () if self.unk_id is None else (self.unk_id,)
        ids: list[int] = []
        if len(word) > MAX_WORD_CHARS:
            result = unk
        else:
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    found = self.ids.get(piece)
                    if found is not None:
                        break
                    end -= 1
                if found is None:
                    ids = list(unk)
                    break
                ids.append(found)
                start = end
            result = tuple(ids)
        if len(self._cache) < WORD_CACHE_SIZE:
            self._cache[word] = result
        return result

    def token_ids(self, text: str) -> list[int]:
        """The WordPiece ids of `text` (at most max_tokens), unknown words left out."""
        ids: list[int] = []
        for word in words(text):
            ids.extend(self._word_ids(word))
            if len(ids) >= self.max_tokens:
                break
        return [i for i in ids[: self.max_tokens] if i != self.unk_id]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 row per text, length 1 (all zeros for a text with no known token)."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        token_lists = [self.token_ids(text) for text in texts]
        rows = [row for row, ids in enumerate(token_lists) if ids]
        if rows:
            # One gather and one segmented sum for the whole batch.
            counts = np.array([len(token_lists[row]) for row in rows])
            flat = np.fromiter(
                (i for row in rows for i in token_lists[row]), dtype=np.int64, count=counts.sum()
            )
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            sums = np.add.reduceat(self.vectors[flat].astype(np.float32), starts, axis=0)
            out[rows] = sums / counts[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


_lock = threading.Lock()
_model: StaticModel | None = None


def shipped_model() -> StaticModel:
    """The model in model/, loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = StaticModel.load()
    return _model
