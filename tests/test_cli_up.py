"""`influency up` as a user runs it: embedded defaults, users survive a restart, SIGTERM stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY", "BROKER"}}
    env.update({"DATA_DIR": str(data_dir), "PORT": str(port), "ENVIRONMENT": "development"})
    # Stand-ins listen on ports from settings: move every *_PORT off its default so a running `make run` is safe.
    env.update({"WHATSAPP_BUSINESS_PORT": str(_free_port()), "SMTP_PORT": str(_free_port()),
                "WHATSAPP_STANDIN_PORT": str(_free_port())})
    return subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-3000:] if process.stderr else ""
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail("influency up did not become healthy")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("influency up did not stop on SIGTERM")


def test_up_serves_keeps_users_across_restart_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = _start(tmp_path / "data", port)
    try:
        _wait_healthy(base, process)
        assert httpx.get(f"{base}/ready", timeout=5).status_code == 200
        registered = httpx.post(f"{base}/auth/register/user", json={
            "email": "maria@acme.com", "username": "maria", "password": "correct-horse-1",
            "full_name": "Maria", "company_name": "Acme"}, timeout=10)
        assert registered.status_code == 201, registered.text
    finally:
        _stop(process)
    assert process.returncode == 0

    process = _start(tmp_path / "data", port)
    try:
        _wait_healthy(base, process)
        login = httpx.post(f"{base}/auth/login", data={"username": "maria", "password": "correct-horse-1"},
                           timeout=10)
        assert login.status_code == 200, login.text
    finally:
        _stop(process)
