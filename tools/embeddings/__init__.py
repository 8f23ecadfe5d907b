"""Text embeddings for creator search: the process-wide embedder chosen by `EMBEDDING_PROVIDER`.

`get_embedder()` returns one instance per process (the MiniLM model loads once, lazily); `embed_texts` /
`embed_query` run it on a worker thread so the event loop keeps serving. This package imports nothing from
`store`, which is why `store.creators.search` may use it to embed a query.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import lru_cache

from core.settings import get_settings
from tools.embeddings.base import DIMENSIONS, Matrix, TextEmbedder, normalise


@lru_cache(maxsize=4)
def build_embedder(provider: str) -> TextEmbedder:
    if provider == "hash":
        from tools.embeddings.hashing import HashingEmbedder

        return HashingEmbedder()
    if provider == "minilm":
        from tools.embeddings.minilm import MiniLMEmbedder

        return MiniLMEmbedder()
    raise ValueError(f"unknown EMBEDDING_PROVIDER {provider!r}: use 'minilm' or 'hash'")


def get_embedder() -> TextEmbedder:
    return build_embedder(get_settings().EMBEDDING_PROVIDER)


async def embed_texts(texts: Sequence[str], embedder: TextEmbedder | None = None) -> Matrix:
    chosen = embedder or get_embedder()
    return await asyncio.to_thread(chosen.embed, list(texts))


async def embed_query(text: str, embedder: TextEmbedder | None = None) -> list[float]:
    return [float(value) for value in (await embed_texts([text], embedder))[0]]


__all__ = ["DIMENSIONS", "Matrix", "TextEmbedder", "build_embedder", "embed_query", "embed_texts", "get_embedder",
           "normalise"]
