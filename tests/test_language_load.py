"""The language identifier loads once per process, however many worker threads classify their first reply at once
(each load decompresses the model: ~1.4 s of CPU)."""

from __future__ import annotations

import threading
import time
from typing import Any

import py3langid.langid

from agents.tasks import language


def test_concurrent_first_calls_load_the_identifier_once(monkeypatch: Any) -> None:
    loads: list[int] = []
    real = py3langid.langid._load_identifier

    def counting_load(**kwargs: Any) -> Any:
        loads.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while the first load runs
        return real(**kwargs)

    monkeypatch.setattr(py3langid.langid, "_load_identifier", counting_load)
    monkeypatch.setattr(language, "_loaded", [])
    start = threading.Barrier(8)
    seen: list[str] = []

    def classify() -> None:
        start.wait()
        seen.append(language.detect_language("hola, me interesa mucho la propuesta"))

    threads = [threading.Thread(target=classify) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert seen == ["es"] * 8
