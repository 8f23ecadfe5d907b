"""What `influency up`'s supervisor tells other processes: per service, how often it was restarted, its pid and
state, kept in one small JSON file under DATA_DIR (`services.json`). The supervisor rewrites it atomically after
every change; the API reads it at scrape time for `influency_service_restarts_total{service=...}`.

A file, not Redis: the supervisor and the API of one `up` always share DATA_DIR, the file needs nothing else
running, and a deployment without `up` (docker-compose, one process per container) simply has no file and
reports no restarts (its orchestrator counts them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STATE_FILENAME = "services.json"


def services_state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILENAME


def write_services_state(path: Path, services: dict[str, dict[str, Any]]) -> None:
    """Replace the file in one rename: a reader never sees half of it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps({"supervisor_pid": os.getpid(), "services": services}, sort_keys=True))
    os.replace(temporary, path)


def read_services_state(path: Path) -> dict[str, dict[str, Any]]:
    """Per service name its recorded state; empty when no supervisor runs (or the file is unreadable)."""
    try:
        return dict(json.loads(path.read_text()).get("services", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def read_restart_counts(path: Path) -> dict[str, int]:
    return {name: int(state.get("restarts", 0)) for name, state in read_services_state(path).items()}
