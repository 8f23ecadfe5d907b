"""`influency contracts sweep`: start the contract agent for agreed negotiations that have no contract run yet,
once (the scheduler enqueues the same sweep every CONTRACT_SWEEP_INTERVAL_SECONDS).

`influency contracts agree CAMPAIGN CREATOR --fee 1200` (development only): record an agreed negotiation the way the
negotiation agent does when a creator accepts, and queue its contract — to try the contract flow by hand.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console

from cli.main import _bootstrap, app
from core.settings import get_settings

contracts_app = typer.Typer(help="Contracts generated from agreed negotiations.")
app.add_typer(contracts_app, name="contracts")
console = Console(stderr=True)


@contracts_app.callback()
def _group() -> None:
    """Contracts (a group even with one command, so `contracts sweep` works when run directly)."""


@contracts_app.command("sweep")
def sweep() -> None:
    """Start a contract run (→ a contract approval) for every agreed negotiation without one."""
    _bootstrap()
    from store.db import dispose_engine
    from workers.contracts import sweep_agreed_negotiations

    async def _once() -> int:
        try:
            return await sweep_agreed_negotiations()
        finally:
            await dispose_engine()

    started = asyncio.run(_once())
    console.print(f"started {started} contract run(s)")


def _deliverable(spec: str) -> dict[str, Any]:
    platform, kind, quantity, *due = spec.split(":") + ([] if spec.count(":") >= 2 else ["1"])
    return {"platform": platform, "kind": kind, "quantity": int(quantity),
            "due_date": date.fromisoformat(due[0]).isoformat() if due else None}


async def record_agreement(campaign_id: uuid.UUID, creator_id: uuid.UUID, fee: Decimal, currency: str,
                           deliverables: list[dict[str, Any]], **terms: Any) -> uuid.UUID:
    from store.campaigns.repository import CampaignRepository
    from store.contracts.service import ContractService
    from store.conversations.service import ConversationService
    from store.db import dispose_engine, unit_of_work
    from store.models import Negotiation, NegotiationStatus

    try:
        async with unit_of_work() as session:
            campaign = await CampaignRepository(session).get_any_tenant(campaign_id)
            if campaign is None or await CampaignRepository(session).creator(creator_id) is None:
                raise typer.BadParameter("unknown campaign or creator")
            conversation = await ConversationService(session).open(campaign.organization_id, campaign.id, creator_id)
            negotiation = Negotiation(
                organization_id=campaign.organization_id, campaign_id=campaign.id, creator_id=creator_id,
                conversation_id=conversation.id, status=NegotiationStatus.agreed, rounds=1, fee=fee,
                currency=currency.upper(), deliverables=deliverables, agreed_at=datetime.now(UTC), **terms)
            session.add(negotiation)
            await session.flush()
            await ContractService(session).start_for_negotiation(negotiation.id)
            return negotiation.id
    finally:
        await dispose_engine()


@contracts_app.command("agree")
def agree(campaign_id: Annotated[uuid.UUID, typer.Argument()], creator_id: Annotated[uuid.UUID, typer.Argument()],
          fee: Annotated[Decimal, typer.Option(help="the agreed fee")],
          currency: Annotated[str, typer.Option(help="ISO 4217")] = "EUR",
          deliverable: Annotated[list[str] | None, typer.Option(
              help="platform:kind[:quantity[:YYYY-MM-DD]], repeatable")] = None,
          usage_rights: Annotated[str | None, typer.Option(help="e.g. 'organic and paid social'")] = None,
          usage_months: Annotated[int | None, typer.Option()] = None,
          exclusivity: Annotated[str | None, typer.Option(help="a product category, e.g. 'skincare'")] = None,
          exclusivity_months: Annotated[int | None, typer.Option()] = None) -> None:
    """DEVELOPMENT ONLY: record an agreed negotiation (as the negotiation agent does) and queue its contract."""
    _bootstrap()
    if get_settings().ENVIRONMENT == "production":
        raise typer.BadParameter("`contracts agree` is a development tool; negotiations are agreed by the agent")
    specs = deliverable or ["instagram:reel:1"]
    negotiation_id = asyncio.run(record_agreement(
        campaign_id, creator_id, fee, currency, [_deliverable(spec) for spec in specs], usage_rights=usage_rights,
        usage_rights_months=usage_months, exclusivity=exclusivity, exclusivity_months=exclusivity_months))
    console.print(f"negotiation {negotiation_id} agreed; contract generation queued")

