"""Helpers for the contracts and payments tests: sample agreed terms, an organization, a Stripe stand-in served
over real HTTP on 127.0.0.1 (a free port chosen at runtime)."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import uvicorn

from api.standins.stripe import StripeStandin
from store.contracts.terms import ContractTerms
from store.db import unit_of_work
from store.users.repository import UserRepository


def sample_terms(**overrides: Any) -> ContractTerms:
    data: dict[str, Any] = {
        "brand": {"legal_name": "Acme Cosmetics Ltd", "address": "1 High Street, London",
                  "signatory_name": "Maria Lopez", "email": "maria@acme.example"},
        "creator": {"legal_name": "Zoë Ñúñez", "email": "zoe@example.com"},
        "campaign_name": "Spring glow",
        "effective_date": date(2026, 3, 1),
        "deliverables": [
            {"key": "reel-1", "description": "Instagram Reel featuring the serum", "platform": "Instagram",
             "due_date": date(2026, 3, 20)},
            {"key": "stories", "description": "Instagram Stories", "platform": "Instagram", "quantity": 3,
             "due_date": date(2026, 3, 25)},
        ],
        "fee": {"amount": "1500.00", "currency": "EUR"},
        "payment_schedule": [
            {"kind": "advance", "percent": "30"},
            {"kind": "milestone", "percent": "40", "deliverable_key": "reel-1", "net_days": 30},
            {"kind": "final", "percent": "30", "net_days": 30},
        ],
        "usage_rights": {"channels": ["brand social accounts", "paid social ads"], "duration_months": 6},
        "exclusivity": {"category": "skincare", "duration_days": 90, "competitors": ["Glowy"]},
        "revision_rounds": 1,
        "cancellation": {"notice_days": 7, "kill_fee_percent": "25"},
    }
    data.update(overrides)
    return ContractTerms.model_validate(data)


async def create_organization(name: str = "Acme") -> uuid.UUID:
    async with unit_of_work() as session:
        return (await UserRepository(session).add_organization(name)).id


@contextmanager
def serve_stripe_standin(standin: StripeStandin) -> Iterator[str]:
    """Serve the stand-in on 127.0.0.1:<free port> in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(standin.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the Stripe stand-in did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
