"""The text-embedding seam: a `TextEmbedder` turns texts into L2-normalised float32 rows of `dimensions` values.

Two implementations, chosen by `EMBEDDING_PROVIDER`: all-MiniLM-L6-v2 (`minilm`, the real one) and a
deterministic feature-hashing embedder (`hash`, for fast tests). Both produce 384 dimensions so the database
column and its HNSW index never change; switching providers needs `influency creators reindex`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384

Matrix = npt.NDArray[np.float32]


class TextEmbedder(Protocol):
    name: str  # stored beside each embedding, so a provider switch is detectable
    dimensions: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One normalised row per text (blocking: call it off the event loop)."""
        ...


def normalise(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)
