"""Dramatiq middleware: a worker process loads the embedding model and the language identifier when it boots, not on
its first embed job or reply, then freezes its boot-time heap (`core/heap.py`)."""

from __future__ import annotations

import threading
from typing import Any

import dramatiq
from dramatiq.middleware import Middleware

from core.heap import freeze_after
from tools.embeddings.warmup import start_warmup


class EmbedderWarmup(Middleware):  # type: ignore[misc]
    def after_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        embedder = start_warmup()
        # imported here: the broker (and so this module) is loaded by processes that need no agent code (the sweeper)
        from agents.tasks.language import warm_up as warm_up_language

        language = threading.Thread(target=warm_up_language, name="language-warmup", daemon=True)
        language.start()
        freeze_after([embedder, language])
