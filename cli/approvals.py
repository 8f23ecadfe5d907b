"""`influency approvals sweep`: expire or escalate approvals past their per-kind deadline, once (the scheduler,
`influency scheduler`, enqueues the same sweep every APPROVAL_SWEEP_INTERVAL_SECONDS)."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from cli.main import _bootstrap, app

approvals_app = typer.Typer(help="The approval inbox.")
app.add_typer(approvals_app, name="approvals")
console = Console(stderr=True)


@approvals_app.callback()
def _group() -> None:
    """The approval inbox (a group even with one command, so `approvals sweep` works when run directly)."""


@approvals_app.command("sweep")
def sweep() -> None:
    """Expire (the agent is told) or escalate (flagged, still pending) approvals whose time is up."""
    _bootstrap()
    from store.db import dispose_engine
    from workers.approvals import sweep_approvals

    async def _once() -> dict[str, int]:
        try:
            return await sweep_approvals()
        finally:
            await dispose_engine()

    counts = asyncio.run(_once())
    console.print(f"expired {counts['expired']}, escalated {counts['escalated']}")
