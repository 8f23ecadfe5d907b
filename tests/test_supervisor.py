"""`influency up`'s supervisor, driven with its own clock and fake processes: backoff doubles up to the cap and
starts over after a long run, a crashed service is restarted while the others keep running, a stand-in that
keeps failing is given up, restart counts reach DATA_DIR/services.json and /metrics."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx

from cli.services import Service
from cli.supervisor import STANDIN_MAX_FAILURES, Backoff, Supervisor
from core.settings import get_settings
from core.supervision import read_restart_counts, read_services_state, services_state_path


class FakeProcess:
    """What the supervisor needs of a Popen: pid, poll(), terminate(), wait()."""

    counter = 1000

    def __init__(self) -> None:
        FakeProcess.counter += 1
        self.pid = FakeProcess.counter
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode


class Spawner:
    def __init__(self) -> None:
        self.started: dict[str, list[FakeProcess]] = {}
        self.failing: set[str] = set()

    def __call__(self, service: Service, env: dict[str, str]) -> subprocess.Popen[bytes]:
        if service.name in self.failing:
            raise OSError("no such file")
        process = FakeProcess()
        self.started.setdefault(service.name, []).append(process)
        return process  # type: ignore[return-value]

    def current(self, name: str) -> FakeProcess:
        return self.started[name][-1]


def _services() -> list[Service]:
    return [Service("api", "API", ["api"]), Service("worker", "workers", ["worker"]),
            Service("smtp-sink", "sink", ["sink"], standin=True)]


def _supervisor(tmp_path: Path, spawner: Spawner, **options: Any) -> Supervisor:
    lines: list[str] = []
    supervisor = Supervisor(_services(), {}, state_path=tmp_path / "services.json", spawn=spawner,
                            say=lines.append, **options)
    supervisor.lines = lines  # type: ignore[attr-defined]
    return supervisor


def test_backoff_doubles_up_to_the_cap_and_resets_after_a_long_run() -> None:
    backoff = Backoff(initial=1, cap=30, reset_after=60)
    assert [backoff.after_exit(uptime=0.5) for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.after_exit(uptime=61) == 1  # it stayed up: a new problem, not the same crash loop
    assert backoff.after_exit(uptime=2) == 2


def test_a_crashed_service_is_restarted_with_backoff_and_the_others_keep_running(tmp_path: Path) -> None:
    spawner = Spawner()
    supervisor = _supervisor(tmp_path, spawner, initial=1, cap=4, reset_after=60)
    supervisor.start(now=0)
    api = spawner.current("api")

    for crash in range(4):  # the worker crashes right after each start: 1, 2, 4, 4 s of backoff
        now = 100 + crash * 10
        spawner.current("worker").returncode = -9
        supervisor.poll(now)
        assert len(spawner.started["worker"]) == crash + 1  # not restarted before the delay
        delay = [1, 2, 4, 4][crash]
        supervisor.poll(now + delay - 0.01)
        assert len(spawner.started["worker"]) == crash + 1
        supervisor.poll(now + delay)
        assert len(spawner.started["worker"]) == crash + 2
    assert spawner.current("api") is api and not api.terminated  # the API was never touched
    assert read_restart_counts(tmp_path / "services.json") == {"api": 0, "worker": 4, "smtp-sink": 0}
    state = read_services_state(tmp_path / "services.json")["worker"]
    assert state["state"] == "running" and state["last_exit"] == -9 and state["pid"] == spawner.current("worker").pid
    assert any("worker exited with -9; restarting in 4 s" in line for line in supervisor.lines)  # type: ignore[attr-defined]

    # after it stayed up a while, the next crash waits the initial delay again
    spawner.current("worker").returncode = 1
    supervisor.poll(1000)
    supervisor.poll(1001)
    assert len(spawner.started["worker"]) == 6

    supervisor.stop(timeout=1)
    assert all(process.terminated for process in (api, spawner.current("worker"), spawner.current("smtp-sink")))
    assert not (tmp_path / "services.json").exists()


def test_a_standin_that_keeps_failing_is_given_up_and_nothing_else_stops(tmp_path: Path) -> None:
    spawner = Spawner()
    supervisor = _supervisor(tmp_path, spawner, initial=1, cap=30, reset_after=60)
    supervisor.start(now=0)
    now = 0.0
    for _ in range(STANDIN_MAX_FAILURES + 2):
        spawner.current("smtp-sink").returncode = 1
        now += 40
        supervisor.poll(now)
    assert len(spawner.started["smtp-sink"]) == STANDIN_MAX_FAILURES  # started, then given up
    assert read_services_state(tmp_path / "services.json")["smtp-sink"]["state"] == "given_up"
    assert spawner.current("api").returncode is None and spawner.current("worker").returncode is None
    assert any("continuing without it" in line for line in supervisor.lines)  # type: ignore[attr-defined]


def test_a_service_that_cannot_even_be_executed_is_retried_with_backoff(tmp_path: Path) -> None:
    spawner = Spawner()
    spawner.failing.add("worker")
    supervisor = _supervisor(tmp_path, spawner, initial=1, cap=30, reset_after=60)
    supervisor.start(now=0)
    assert "worker" not in spawner.started and spawner.current("api").returncode is None
    spawner.failing.clear()
    supervisor.poll(1)
    assert len(spawner.started["worker"]) == 1
    assert read_restart_counts(tmp_path / "services.json")["worker"] == 1


async def test_metrics_expose_the_restart_counts(client: httpx.AsyncClient) -> None:
    from core.supervision import write_services_state

    path = services_state_path(get_settings().data_dir)
    write_services_state(path, {"worker": {"restarts": 3}, "api": {"restarts": 0}})
    try:
        body = (await client.get("/metrics")).text
    finally:
        path.unlink()
    assert 'influency_service_restarts_total{service="worker"} 3.0' in body
    assert 'influency_service_restarts_total{service="api"} 0.0' in body
