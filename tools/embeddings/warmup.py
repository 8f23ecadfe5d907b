"""Warm start: load the process's embedder once, in the background, when the process starts.

Importing sentence-transformers and loading MiniLM takes seconds; a process that waited for its first search or
embed job to do it made that request pay for it (14–44 s after `influency up`). The API and the workers call
`start_warmup()` at start: `/health` answers at once, `/ready` reports `loading` until the model has embedded one
text, and the first real query finds it loaded.
"""

from __future__ import annotations

import logging
import threading
import time

from tools.embeddings import get_embedder

log = logging.getLogger(__name__)
_state = {"status": "not_started", "seconds": 0.0}
_lock = threading.Lock()


def _load() -> None:
    started = time.perf_counter()
    try:
        get_embedder().embed(["warm-up"])
        _state.update(status="ready", seconds=round(time.perf_counter() - started, 2))
        log.info("embedding model ready in %.1f s", _state["seconds"])
    except Exception as exc:  # reported by /ready; a search still raises its own error
        _state["status"] = f"error: {type(exc).__name__}: {exc}"[:200]
        log.exception("embedding model failed to load")


def start_warmup() -> threading.Thread | None:
    """Start loading once per process (a daemon thread); later calls return None."""
    with _lock:
        if _state["status"] != "not_started":
            return None
        _state["status"] = "loading"
    thread = threading.Thread(target=_load, name="embedder-warmup", daemon=True)
    thread.start()
    return thread


def warmup_status() -> str:
    """`not_started`, `loading`, `ready` or `error: ...`."""
    return str(_state["status"])
