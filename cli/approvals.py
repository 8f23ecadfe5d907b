"""`influency approvals sweep [--loop]`: expire or escalate approvals past their per-kind deadline."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer
from rich.console import Console

from cli.main import _bootstrap, app
from core.settings import get_settings

approvals_app = typer.Typer(help="The approval inbox.")
app.add_typer(approvals_app, name="approvals")
console = Console(stderr=True)


@approvals_app.callback()
def _group() -> None:
    """The approval inbox (a group even with one command, so `approvals sweep` works when run directly)."""


@approvals_app.command("sweep")
def sweep(loop: Annotated[bool, typer.Option(help="Keep sweeping every APPROVAL_SWEEP_INTERVAL_SECONDS")] = False,
          ) -> None:
    """Expire (the agent is told) or escalate (flagged, still pending) approvals whose time is up."""
    _bootstrap()
    from store.db import dispose_engine
    from workers.approvals import sweep_approvals

    async def _once() -> dict[str, int]:
        try:
            return await sweep_approvals()
        finally:
            await dispose_engine()

    while True:
        counts = asyncio.run(_once())
        if not loop:
            console.print(f"expired {counts['expired']}, escalated {counts['escalated']}")
            return
        time.sleep(get_settings().APPROVAL_SWEEP_INTERVAL_SECONDS)


if __name__ == "__main__":  # the approval-sweeper service runs this module directly
    approvals_app()
