"""The processes the system is made of, declared once: `influency up` starts them all, `influency services
start NAME` starts one. Later modules add their local stand-ins here."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from core.settings import Settings


@dataclass(frozen=True)
class Service:
    name: str
    description: str
    argv: list[str]
    embedded_only: bool = False  # local stand-ins that replace an external provider


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
                [python, "-m", "cli.channels", "smtp-sink"], embedded_only=True),
        Service("whatsapp-standin", f"Local WhatsApp Cloud API stand-in on 127.0.0.1:{settings.WHATSAPP_STANDIN_PORT}",
                [python, "-m", "cli.channels", "whatsapp-standin"], embedded_only=True),
        Service("approval-sweeper", "Expires or escalates approvals past their deadline",
                [python, "-m", "cli.approvals", "sweep", "--loop"]),
        Service("message-sweeper", "Re-drives sends stuck in flight, drafts due follow-ups",
                [python, "-m", "cli.messages", "sweep", "--loop"]),
        Service("analytics-sweeper", "Flushes clicks, polls post metrics, refreshes analytics rollups",
                [python, "-m", "cli.analytics", "sweep", "--loop"]),
        Service("metrics-standin", f"Local Instagram/YouTube/TikTok metrics stand-in on 127.0.0.1:"
                f"{settings.METRICS_STANDIN_PORT}", [python, "-m", "cli.analytics", "metrics-standin"],
                embedded_only=True),
        Service("contract-sweeper", "Starts the contract agent for agreed negotiations without a contract",
                [python, "-m", "cli.contracts", "sweep", "--loop"]),
    ]


def find_service(settings: Settings, name: str) -> Service | None:
    return next((service for service in declared_services(settings) if service.name == name), None)
