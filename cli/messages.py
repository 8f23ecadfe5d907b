"""`influency messages sweep [--loop]`: re-drive sends stuck in flight (a worker died after claiming them) and
start the follow-ups that are due. The `message-sweeper` service runs it with `--loop`."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer
from rich.console import Console

from cli.main import _bootstrap, app
from core.settings import get_settings

messages_app = typer.Typer(help="Outbound messages.")
app.add_typer(messages_app, name="messages")
console = Console(stderr=True)


@messages_app.callback()
def _group() -> None:
    """Outbound messages (a group even with one command, so `messages sweep` works when run directly)."""


@messages_app.command("sweep")
def sweep(loop: Annotated[bool, typer.Option(help="Keep sweeping every MESSAGE_SWEEP_INTERVAL_SECONDS")] = False,
          ) -> None:
    """Re-drive stuck sends (expired claims, long-queued messages) and start due follow-ups."""
    _bootstrap()
    from store.db import dispose_engine
    from workers.messages import sweep_messages

    async def _once() -> dict[str, int]:
        try:
            return await sweep_messages()
        finally:
            await dispose_engine()

    while True:
        counts = asyncio.run(_once())
        if not loop:
            console.print(", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()))
            return
        time.sleep(get_settings().MESSAGE_SWEEP_INTERVAL_SECONDS)


if __name__ == "__main__":  # the message-sweeper service runs this module directly
    messages_app()
