"""A deterministic feature-hashing embedder: tokens and token bigrams hashed (blake2b, signed) into 384 buckets.

No model, no state, identical output in every process: for tests and quick local runs. Texts that share words
land close together, which is enough to exercise ranking and filters; it has no notion of synonyms.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from tools.embeddings.base import DIMENSIONS, Matrix, normalise

_TOKEN = re.compile(r"[a-z0-9]+")


def _features(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    # Crude stemming keeps "cooking"/"cook" and "recipes"/"recipe" together.
    stems = [token[:-1] if token.endswith("s") and len(token) > 3 else token for token in tokens]
    stems = [stem[:-3] if stem.endswith("ing") and len(stem) > 5 else stem for stem in stems]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


class HashingEmbedder:
    name = "hash-v1"
    dimensions = DIMENSIONS

    def embed(self, texts: Sequence[str]) -> Matrix:
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in _features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                weight = 0.5 if " " in feature else 1.0
                matrix[row, value % self.dimensions] += weight if (value >> 63) & 1 else -weight
        return normalise(matrix)
