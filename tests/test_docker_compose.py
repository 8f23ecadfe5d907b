"""docker-compose.yml runs every process `influency up` runs (stand-ins aside: compose has Mailpit and real
providers), each the way `up` starts it, with a healthcheck the CLI knows and `restart: unless-stopped`; and the
liveness beats behind `influency healthcheck` for processes without a port. No Docker engine needed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml
from typer.testing import CliRunner, Result

from cli.healthcheck import CHECKS
from cli.main import app
from cli.services import declared_services
from core.settings import Settings
from workers.liveness import Heartbeat, beat_key, last_beat

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _run(*args: str) -> Result:
    """The CLI in this process (fast); `_cli` runs the real entry point in a subprocess."""
    import cli.commands  # noqa: F401  (registers every command, as `influency` does)

    return CliRunner().invoke(app, list(args))


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=os.environ | env)


def test_every_process_of_up_is_a_compose_service_with_a_healthcheck() -> None:
    services = _compose()["services"]
    processes = [s for s in declared_services(Settings()) if not s.standin]
    assert {s.name for s in processes} >= {"api", "worker", "outbox-relay", "scheduler", "whatsapp-business"}
    for process in processes:
        service = services.get(process.name)
        assert service is not None, f"{process.name} is missing from docker-compose.yml"
        assert service["command"] == ["influency", "services", "start", process.name]
        assert service["healthcheck"]["test"] == ["CMD", "influency", "healthcheck", process.name]
        assert process.name in CHECKS
        assert service["restart"] == "unless-stopped"
        assert "container_name" not in service  # `--scale worker=N` needs unnamed containers
    for name, service in services.items():
        assert "healthcheck" in service or name == "migrate", f"{name} has no healthcheck"
    assert services["scheduler"]["deploy"]["replicas"] == 1


def test_the_compose_commands_exist_in_the_cli() -> None:
    listed = _run("services", "list")
    assert listed.exit_code == 0
    for process in declared_services(Settings()):
        assert process.name in listed.stdout
    assert _run("healthcheck", "--help").exit_code == 0
    assert _run("services", "start", "--help").exit_code == 0
    unknown = _run("healthcheck", "no-such-service")
    assert unknown.exit_code == 2 and "known: api" in unknown.stderr


def test_healthcheck_follows_the_liveness_beat() -> None:
    beat_key_name = beat_key("outbox-relay")
    import redis

    from core.settings import get_settings

    client = redis.Redis.from_url(get_settings().REDIS_URL)
    client.delete(beat_key_name)
    assert last_beat("outbox-relay") is None
    failed = _run("healthcheck", "outbox-relay")
    assert failed.exit_code == 1 and "no liveness beat" in failed.stderr
    heartbeat = Heartbeat("outbox-relay")
    heartbeat.beat()
    heartbeat.beat()  # throttled: one write
    age = last_beat("outbox-relay")
    assert age is not None and age < 5
    ok = _cli("healthcheck", "outbox-relay")  # the real entry point, as docker runs it
    assert ok.returncode == 0 and ok.stdout.startswith("ok: outbox-relay beat")
    client.set(beat_key_name, f"{time.time() - 120:.3f}")  # a wedged loop: the last beat is old
    assert _run("healthcheck", "outbox-relay").exit_code == 1
    client.delete(beat_key_name)


def test_healthcheck_of_an_http_service_that_is_down_fails_in_one_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _cli("healthcheck", "whatsapp-business", WHATSAPP_BUSINESS_PORT=str(port))
    assert result.returncode == 1
    assert result.stderr.startswith("unhealthy: whatsapp-business:") and result.stderr.count("\n") == 1


def test_a_running_worker_beats_while_its_threads_live() -> None:
    """The middleware's watch thread, on a stand-in for Dramatiq's Worker (a real one would consume the shared
    stub broker's queues): it beats while every consumer and worker thread is alive, and stops with the worker."""
    import threading
    from types import SimpleNamespace

    import redis

    from core.settings import get_settings
    from workers.liveness import WorkerLiveness

    client = redis.Redis.from_url(get_settings().REDIS_URL)
    client.delete(beat_key("worker"))
    done = threading.Event()
    thread = threading.Thread(target=done.wait, daemon=True)
    thread.start()
    worker = SimpleNamespace(consumers={"interactive": thread}, workers=[thread])
    middleware = WorkerLiveness()
    middleware.after_worker_boot(None, worker)  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + 10
        while last_beat("worker") is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert last_beat("worker") is not None
    finally:
        middleware.before_worker_shutdown(None, worker)  # type: ignore[arg-type]
        done.set()
    client.delete(beat_key("worker"))
