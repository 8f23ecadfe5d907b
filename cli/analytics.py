"""`influency analytics ...`: the sweeper (flush clicks, poll due posts, refresh rollups), the local platform-metrics
stand-in, and `seed --campaign ID` (development) to fill a campaign with realistic clicks, orders and readings."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer
from rich.console import Console

from cli.main import _bootstrap, app
from core.settings import get_settings

analytics_app = typer.Typer(help="Analytics: tracked links, conversions, post metrics, rollups.")
app.add_typer(analytics_app, name="analytics")
console = Console(stderr=True)


@analytics_app.callback()
def _group() -> None:
    """Analytics (a group, so `analytics sweep` works when this module runs directly)."""


@analytics_app.command("sweep")
def sweep() -> None:
    """Flush buffered clicks, poll posts that are due, refresh stale rollups, once (the scheduler enqueues the
    same `analytics.sweep` job every ANALYTICS_SWEEP_INTERVAL_SECONDS)."""
    _bootstrap()
    from store.db import dispose_engine
    from store.redis import close_redis
    from workers.analytics import sweep as sweep_once

    async def _once() -> dict[str, int]:
        try:
            return await sweep_once()
        finally:
            await dispose_engine()
            await close_redis()

    result = asyncio.run(_once())
    console.print(", ".join(f"{name}: {count}" for name, count in result.items()))


@analytics_app.command("metrics-standin")
def metrics_standin() -> None:
    """Run the local Instagram / YouTube / TikTok metrics stand-in on METRICS_STANDIN_PORT."""
    _bootstrap()
    import uvicorn

    from api.standins.platform_metrics import create_metrics_standin

    uvicorn.run(create_metrics_standin(), host="127.0.0.1", port=get_settings().METRICS_STANDIN_PORT,
                log_config=None, access_log=False)


@analytics_app.command("seed")
def seed(campaign: Annotated[uuid.UUID, typer.Option("--campaign", help="The campaign to fill")],
         creators: Annotated[int, typer.Option(min=1, max=50, help="Creators to use")] = 6,
         days: Annotated[int, typer.Option(min=2, max=90, help="Days of history")] = 21,
         seed_value: Annotated[int, typer.Option("--seed", help="Random seed")] = 1) -> None:
    """DEVELOPMENT ONLY: realistic clicks, orders, refunds, post readings and payments for a campaign."""
    _bootstrap()
    if get_settings().ENVIRONMENT == "production":
        raise typer.BadParameter("`analytics seed` is a development tool")
    from core.errors import DomainError
    from store.analytics.seed import seed_campaign
    from store.db import dispose_engine, unit_of_work
    from workers.analytics import refresh_rollups

    async def _seed() -> None:
        try:
            async with unit_of_work() as session:
                summary = await seed_campaign(session, campaign, creators=creators, days=days, seed=seed_value)
            await refresh_rollups()
        finally:
            await dispose_engine()
        console.print(f"seeded {summary.creators} creator(s): {summary.clicks:,} clicks, {summary.orders:,} orders, "
                      f"{summary.snapshots} post readings; see GET /campaigns/{campaign}/analytics and "
                      f"/campaigns/{campaign}/report.pdf")

    try:
        asyncio.run(_seed())
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None


if __name__ == "__main__":  # the analytics-sweeper service runs this module directly
    analytics_app()
