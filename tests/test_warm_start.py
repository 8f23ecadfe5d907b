"""Warm start: the embedding model loads once per process, in the background, and /ready says when it is loaded."""

from __future__ import annotations

import httpx

from tools.embeddings import warmup


async def test_ready_reports_the_embedding_model(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.json()["checks"]["embeddings"] == "ok", response.text
    assert warmup.warmup_status() == "ready"
    assert warmup.start_warmup() is None  # once per process
