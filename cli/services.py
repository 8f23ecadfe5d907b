"""The processes the system is made of, declared once: `influency up` starts them all, `influency services
start NAME` starts one. Later modules add their local stand-ins here."""

from __future__ import annotations

import ipaddress
import socket
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.settings import Settings


@dataclass(frozen=True)
class Service:
    name: str
    description: str
    argv: list[str]
    # A local stand-in for an external provider: started only where nothing real is configured, and when it
    # cannot run, `up` reports it and keeps everything else running.
    standin: bool = False


def declared_services(settings: Settings) -> list[Service]:
    python = sys.executable
    return [
        Service("api", f"HTTP API on {settings.HOST}:{settings.PORT}", [python, "-m", "cli.main", "serve"]),
        Service("worker", f"Dramatiq workers ({settings.WORKER_PROCESSES} process(es), "
                f"{settings.WORKER_THREADS} threads each)", [python, "-m", "cli.main", "worker"]),
        Service("outbox-relay", "Moves committed outbox rows onto the broker", [python, "-m", "cli.main", "relay"]),
        Service("whatsapp-business", f"WhatsApp Business service on {settings.HOST}:{settings.WHATSAPP_BUSINESS_PORT}",
                [python, "-m", "cli.channels", "whatsapp-business"]),
        Service("smtp-sink", f"Local SMTP sink on {settings.SMTP_HOST}:{settings.SMTP_PORT} (mail in DATA_DIR/mailbox)",
                [python, "-m", "cli.channels", "smtp-sink"], standin=True),
        Service("whatsapp-standin", f"Local WhatsApp Cloud API stand-in on 127.0.0.1:{settings.WHATSAPP_STANDIN_PORT}",
                [python, "-m", "cli.channels", "whatsapp-standin"], standin=True),
        Service("scheduler", "Enqueues the periodic sweeps: approval expiry, stuck sends and follow-ups, "
                "contracts for agreed negotiations, stranded agent runs", [python, "-m", "cli.main", "scheduler"]),
        Service("metrics-standin", f"Local Instagram/YouTube/TikTok metrics stand-in on 127.0.0.1:"
                f"{settings.METRICS_STANDIN_PORT}", [python, "-m", "cli.analytics", "metrics-standin"],
                standin=True),
    ]


def find_service(settings: Settings, name: str) -> Service | None:
    return next((service for service in declared_services(settings) if service.name == name), None)


def _loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def skip_reason(service: Service, settings: Settings) -> str | None:
    """Why `up` leaves this service out (None: start it). Stand-ins run only where nothing real is configured:
    their settings point at loopback, no server already answers there, and they are not turned off."""
    if service.standin and settings.ENVIRONMENT == "production":
        return "stand-ins never run in production"
    if service.name == "smtp-sink":
        if settings.SMTP_SINK == "off":
            return "SMTP_SINK=off"
        if not _loopback(settings.SMTP_HOST):
            return f"mail goes to {settings.SMTP_HOST}:{settings.SMTP_PORT}"
        if _answers(settings.SMTP_HOST, settings.SMTP_PORT):
            return f"an SMTP server already answers on {settings.SMTP_HOST}:{settings.SMTP_PORT}; using it"
    if service.name == "whatsapp-standin":
        target = urlsplit(settings.whatsapp_api_base_url)
        if settings.WHATSAPP_STANDIN == "off":
            return "WHATSAPP_STANDIN=off"
        if not _loopback(target.hostname or "") or target.port != settings.WHATSAPP_STANDIN_PORT:
            return f"WhatsApp goes to {settings.whatsapp_api_base_url}"
        if _answers("127.0.0.1", settings.WHATSAPP_STANDIN_PORT):
            return f"something already answers on 127.0.0.1:{settings.WHATSAPP_STANDIN_PORT}; using it"
    if service.name == "metrics-standin" and _answers("127.0.0.1", settings.METRICS_STANDIN_PORT):
        return f"something already answers on 127.0.0.1:{settings.METRICS_STANDIN_PORT}; using it"
    return None
