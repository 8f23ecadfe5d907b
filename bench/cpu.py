"""CPU seconds spent by each part of a pipeline between two points of a benchmark.

On 2 shared cores, throughput is bounded by CPU: knowing which process spent it (workers, relay, Postgres, this
process) per unit of work says where the next gain is, and unlike wall time it barely moves with the load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import psutil

Group = Callable[[], Iterable[psutil.Process]]


def tree(pid: int) -> list[psutil.Process]:
    """A process and all its descendants (Dramatiq's worker processes, Postgres backends)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def postgres(data_dir: Path) -> list[psutil.Process]:
    """The embedded server under `data_dir/postgres` (its postmaster.pid names the postmaster) and its backends."""
    pid_file = data_dir / "postgres" / "postmaster.pid"
    return tree(int(pid_file.read_text().splitlines()[0])) if pid_file.exists() else []


def named(name: str) -> list[psutil.Process]:
    return [process for process in psutil.process_iter(["name"]) if process.info["name"] == name]


def _seconds(processes: Iterable[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


class CpuMeter:
    """`start()`, then `per_unit(n)`: CPU ms per unit of work for each named group of processes."""

    def __init__(self, groups: dict[str, Group]) -> None:
        self.groups = groups
        self.started: dict[str, float] = {}

    def start(self) -> None:
        self.started = {name: _seconds(group()) for name, group in self.groups.items()}

    def per_unit(self, units: int) -> dict[str, float]:
        return {name: (_seconds(group()) - self.started.get(name, 0.0)) * 1000 / max(1, units)
                for name, group in self.groups.items()}

    @staticmethod
    def describe(figures: dict[str, float], unit: str) -> str:
        parts = ", ".join(f"{name} {ms:.1f}" for name, ms in figures.items())
        return f"CPU ms per {unit}: {parts} (total {sum(figures.values()):.1f})"
