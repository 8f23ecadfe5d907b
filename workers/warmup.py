"""Dramatiq middleware: a worker process loads the embedding model when it boots, not on its first embed job."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.middleware import Middleware

from tools.embeddings.warmup import start_warmup


class EmbedderWarmup(Middleware):  # type: ignore[misc]
    def after_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        start_warmup()
