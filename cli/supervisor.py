"""`influency up`'s supervisor: every service runs as its own child process; when one exits or crashes it is
restarted after an exponential backoff while all the others keep running. Only the supervisor being told to
stop (Ctrl-C / SIGTERM to `up`) stops everything.

- Backoff: the first restart waits `initial` seconds, each further one twice as long, at most `cap`; a service
  that stayed up `reset_after` seconds starts again from `initial` (a crash a day is not a crash loop).
- A local stand-in (`Service.standin`) that keeps failing before it ever stays up (a port taken, a missing
  optional package) is given up after `STANDIN_MAX_FAILURES` attempts and reported; the rest keeps running.
  Core services (API, workers, relay, scheduler) are always restarted.
- Every exit and restart is logged, and the restart counts are written to DATA_DIR/services.json
  (`core/supervision.py`), which the API exposes as `influency_service_restarts_total{service=...}`.

The supervisor is a plain object with `poll(now)`: `up` calls it in a loop, tests drive it with their own clock.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli.services import Service
from core.supervision import write_services_state

log = logging.getLogger("influency.up")
STANDIN_MAX_FAILURES = 3

Spawn = Callable[[Service, dict[str, str]], subprocess.Popen[bytes]]


@dataclass
class Backoff:
    """Exponential restart delay for one service."""

    initial: float = 1.0
    cap: float = 30.0
    reset_after: float = 60.0
    failures: int = 0  # exits in a row without staying up `reset_after` seconds

    def after_exit(self, uptime: float) -> float:
        """Record an exit after `uptime` seconds of running; returns how long to wait before the next start."""
        if uptime >= self.reset_after:
            self.failures = 0
        delay = min(self.cap, self.initial * 2 ** self.failures)
        self.failures += 1
        return delay


@dataclass
class Child:
    service: Service
    backoff: Backoff
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # when a stopped child is due to start again
    restarts: int = 0
    last_exit: int | None = None
    gave_up: str | None = None  # why a stand-in is no longer restarted

    @property
    def state(self) -> str:
        if self.gave_up:
            return "given_up"
        if self.process is not None and self.process.poll() is None:
            return "running"
        return "restarting"


def spawn_process(service: Service, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # its own session: Ctrl-C in the terminal reaches only `up`, which then stops each child in order
    return subprocess.Popen(service.argv, env=env, start_new_session=True)


@dataclass
class Supervisor:
    services: list[Service]
    env: dict[str, str]
    state_path: Path | None = None
    initial: float = 1.0
    cap: float = 30.0
    reset_after: float = 60.0
    spawn: Spawn = spawn_process
    say: Callable[[str], None] = print
    children: list[Child] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.children = [Child(service, Backoff(self.initial, self.cap, self.reset_after))
                         for service in self.services]

    # ------------------------------------------------------------------ running
    def start(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for child in self.children:
            self._start(child, now)
        self._write_state()

    def poll(self, now: float | None = None) -> None:
        """One pass: notice exits (schedule their restart), start the children whose backoff is over."""
        now = time.monotonic() if now is None else now
        changed = False
        for child in self.children:
            if child.gave_up:
                continue
            if child.process is not None and child.restart_at is None:
                code = child.process.poll()
                if code is None:
                    continue
                self._exited(child, code, now)
                changed = True
            if child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                self._start(child, now)
                changed = True
        if changed:
            self._write_state()

    def _exited(self, child: Child, code: int, now: float) -> None:
        name = child.service.name
        child.last_exit = code
        delay = child.backoff.after_exit(now - child.started_at)
        if child.service.standin and child.backoff.failures >= STANDIN_MAX_FAILURES:
            child.gave_up = f"exited with {code} {child.backoff.failures} times in a row"
            child.restart_at = None
            self._report(f"{name} {child.gave_up}; continuing without it", logging.WARNING)
            return
        child.restart_at = now + delay
        self._report(f"{name} exited with {code}; restarting in {delay:g} s "
                     f"(restart {child.restarts + 1})", logging.ERROR)

    def _start(self, child: Child, now: float) -> None:
        child.restart_at = None
        child.started_at = now
        try:
            child.process = self.spawn(child.service, self.env)
        except OSError as exc:  # could not even exec: counts as an immediate exit
            child.process = None
            self._report(f"{child.service.name} could not start: {exc}", logging.ERROR)
            self._exited(child, -1, now)
            return
        if child.restarts:
            self._report(f"restarted {child.service.name} (pid {child.process.pid})", logging.WARNING)

    def _report(self, line: str, level: int) -> None:
        log.log(level, line)
        self.say(line)

    def _write_state(self) -> None:
        if self.state_path is None:
            return
        state: dict[str, dict[str, Any]] = {
            child.service.name: {"restarts": child.restarts, "state": child.state, "last_exit": child.last_exit,
                                 "pid": child.process.pid if child.process is not None else None}
            for child in self.children}
        try:
            write_services_state(self.state_path, state)
        except OSError:  # the metrics file is a convenience: never a reason to stop supervising
            log.warning("could not write %s", self.state_path, exc_info=True)

    # ------------------------------------------------------------------ stopping
    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to each child only (not its group): dramatiq and uvicorn forward shutdown to their own
        children; a second signal would make dramatiq kill its workers mid-message. After `timeout`, SIGKILL
        to what is left (whole group)."""
        running = [child.process for child in self.children
                   if child.process is not None and child.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        if self.state_path is not None:
            self.state_path.unlink(missing_ok=True)
