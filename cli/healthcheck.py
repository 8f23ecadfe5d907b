"""`influency healthcheck NAME`: is this host's NAME (a service of `influency up`) healthy? Exit 0 and one line
when it is, exit 1 and the reason when not. docker-compose runs it as each container's healthcheck.

How each is checked: the HTTP services answer `/health` on their port; the worker, the outbox relay and the
scheduler have no port, so their loops beat into Redis (`workers/liveness.py`) and the beat must be recent; a
stand-in must accept a connection on its port.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Annotated

import typer

from cli.main import app
from core.settings import Settings, get_settings

HEARTBEAT_SERVICES = ("worker", "outbox-relay", "scheduler")


def _http(port: Callable[[Settings], int]) -> Callable[[str, Settings], str]:
    def check(_: str, settings: Settings) -> str:
        import httpx

        url = f"http://127.0.0.1:{port(settings)}/health"
        response = httpx.get(url, timeout=3)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return f"{url} answered 200"
    return check


def _heartbeat(service: str, settings: Settings) -> str:
    from workers.liveness import STALE_AFTER, last_beat

    age = last_beat(service)
    if age is None or age > STALE_AFTER:
        raise RuntimeError(f"no liveness beat from {service} on {socket.gethostname()} in the last {STALE_AFTER:g}s")
    return f"{service} beat {age:.1f}s ago"


def _tcp(address: Callable[[Settings], tuple[str, int]]) -> Callable[[str, Settings], str]:
    def check(_: str, settings: Settings) -> str:
        host, port = address(settings)
        with socket.create_connection((host, port), timeout=3):
            return f"{host}:{port} accepts connections"
    return check


CHECKS: dict[str, Callable[[str, Settings], str]] = {
    "api": _http(lambda s: s.PORT),
    "whatsapp-business": _http(lambda s: s.WHATSAPP_BUSINESS_PORT),
    **dict.fromkeys(HEARTBEAT_SERVICES, _heartbeat),
    "smtp-sink": _tcp(lambda s: (s.SMTP_HOST, s.SMTP_PORT)),
    "whatsapp-standin": _tcp(lambda s: ("127.0.0.1", s.WHATSAPP_STANDIN_PORT)),
    "metrics-standin": _tcp(lambda s: ("127.0.0.1", s.METRICS_STANDIN_PORT)),
}


@app.command()
def healthcheck(service: Annotated[str, typer.Argument(help="A service of `influency services list`")]) -> None:
    """Check one service on this host (exit 0 healthy, 1 not): HTTP /health, a recent liveness beat, or an open
    port. Used by docker-compose's healthchecks."""
    check = CHECKS.get(service)
    if check is None:
        typer.echo(f"error: unknown service {service!r}; known: {', '.join(CHECKS)}", err=True)
        raise typer.Exit(2)
    try:
        typer.echo(f"ok: {check(service, get_settings())}")
    except Exception as exc:  # noqa: BLE001  (any failure is "unhealthy", said in one line)
        typer.echo(f"unhealthy: {service}: {exc}", err=True)
        raise typer.Exit(1) from None
