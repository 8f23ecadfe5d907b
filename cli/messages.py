"""`influency messages sweep`: re-drive sends stuck in flight (a worker died after claiming them) and start the
follow-ups that are due, once (the scheduler enqueues the same sweep every MESSAGE_SWEEP_INTERVAL_SECONDS)."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from cli.main import _bootstrap, app

messages_app = typer.Typer(help="Outbound messages.")
app.add_typer(messages_app, name="messages")
console = Console(stderr=True)


@messages_app.callback()
def _group() -> None:
    """Outbound messages (a group even with one command, so `messages sweep` works when run directly)."""


@messages_app.command("sweep")
def sweep() -> None:
    """Re-drive stuck sends (expired claims, long-queued messages) and start due follow-ups."""
    _bootstrap()
    from store.db import dispose_engine
    from workers.messages import sweep_messages

    async def _once() -> dict[str, int]:
        try:
            return await sweep_messages()
        finally:
            await dispose_engine()

    counts = asyncio.run(_once())
    console.print(", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()))
