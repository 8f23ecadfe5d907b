"""`influency contracts sweep`: start the contract agent for agreed negotiations that have no contract run yet,
once (the scheduler enqueues the same sweep every CONTRACT_SWEEP_INTERVAL_SECONDS).

`influency contracts agree CAMPAIGN CREATOR --fee 1200` (development only): record an agreed negotiation the way the
negotiation agent does when a creator accepts, and queue its contract — to try the contract flow by hand. Run again
for the same creator and campaign, it updates that negotiation's terms (one negotiation per conversation) until a
contract was drafted from it. Terms left out (usage rights, exclusivity, payment schedule) are asked of the manager
by the contract agent (a `terms` approval).
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


def _installment(spec: str) -> dict[str, Any]:
    kind, percent, *key = spec.split(":")
    return {"kind": kind, "percent": percent, **({"deliverable_key": key[0]} if key else {})}


async def record_agreement(campaign_id: uuid.UUID, creator_id: uuid.UUID, fee: Decimal, currency: str,
                           deliverables: list[dict[str, Any]], **terms: Any) -> tuple[uuid.UUID, bool]:
    """The negotiation of this creator and campaign, agreed with these terms (created, or updated while no
    contract was drafted from it), and its contract queued. Returns its id and whether it existed."""
    from core.errors import Conflict, NotFound
    from store.campaigns.repository import CampaignRepository
    from store.contracts.service import ContractService
    from store.conversations.service import ConversationService
    from store.db import unit_of_work
    from store.models import NegotiationStatus
    from store.negotiations.repository import NegotiationRepository

    async with unit_of_work() as session:
        campaign = await CampaignRepository(session).get_any_tenant(campaign_id)
        if campaign is None or campaign.deleted_at is not None:
            raise NotFound(f"No campaign {campaign_id}", code="campaign_not_found")
        if await CampaignRepository(session).creator(creator_id) is None:
            raise NotFound(f"No creator {creator_id}", code="creator_not_found")
        conversation = await ConversationService(session).open(campaign.organization_id, campaign.id, creator_id)
        repository = NegotiationRepository(session)
        existed = await repository.for_conversation(conversation.id) is not None
        await repository.get_or_create(conversation)  # one negotiation per conversation
        negotiation = await repository.for_conversation(conversation.id, for_update=True)
        assert negotiation is not None
        if negotiation.status in (NegotiationStatus.contracted, NegotiationStatus.cancelled):
            raise Conflict(f"The negotiation {negotiation.id} is already {negotiation.status}: its terms can no "
                           "longer change here", code="negotiation_closed")
        values = {"status": NegotiationStatus.agreed, "rounds": max(negotiation.rounds, 1), "fee": fee,
                  "our_offer": fee, "currency": currency.upper(), "deliverables": deliverables,
                  "agreed_at": datetime.now(UTC), **terms}
        for name, value in values.items():
            setattr(negotiation, name, value)
        await session.flush()
        await ContractService(session).start_for_negotiation(negotiation.id)
        return negotiation.id, existed


@contracts_app.command("agree")
def agree(campaign_id: Annotated[uuid.UUID, typer.Argument()], creator_id: Annotated[uuid.UUID, typer.Argument()],
          fee: Annotated[Decimal, typer.Option(help="the agreed fee")],
          currency: Annotated[str, typer.Option(help="ISO 4217")] = "EUR",
          deliverable: Annotated[list[str] | None, typer.Option(
              help="platform:kind[:quantity[:YYYY-MM-DD]], repeatable")] = None,
          usage_rights: Annotated[str | None, typer.Option(help="e.g. 'organic and paid social'")] = None,
          usage_months: Annotated[int | None, typer.Option()] = None,
          exclusivity: Annotated[str | None, typer.Option(help="a product category, e.g. 'skincare'")] = None,
          exclusivity_months: Annotated[int | None, typer.Option()] = None,
          no_exclusivity: Annotated[bool, typer.Option("--no-exclusivity", help="agreed without exclusivity")] = False,
          payment: Annotated[list[str] | None, typer.Option(
              help="kind:percent[:deliverable_key], repeatable, adding up to 100, e.g. advance:50 final:50 "
                   "(deliverable keys: reel-1 for the first deliverable if it is a reel)")] = None) -> None:
    """DEVELOPMENT ONLY: record an agreed negotiation (as the negotiation agent does) and queue its contract; run
    again to update its terms. Terms left out are asked of the manager (a `terms` approval)."""
    _bootstrap()
    if get_settings().ENVIRONMENT == "production":
        raise typer.BadParameter("`contracts agree` is a development tool; negotiations are agreed by the agent")
    if no_exclusivity and exclusivity:
        raise typer.BadParameter("give --exclusivity or --no-exclusivity, not both")
    from store.contracts.terms_approval import parse_answer
    from store.db import dispose_engine

    try:
        specs = [_deliverable(spec) for spec in deliverable or ["instagram:reel:1"]]
        schedule = [_installment(spec) for spec in payment or []]
    except ValueError as exc:
        raise typer.BadParameter(f"--deliverable is platform:kind[:quantity[:YYYY-MM-DD]] and --payment "
                                 f"kind:percent[:deliverable_key] ({exc})") from None
    answer = parse_answer({"deliverables": specs, "payment_schedule": schedule or None})  # 422-style: one line
    terms: dict[str, Any] = {
        "usage_rights": usage_rights, "usage_rights_months": usage_months, "exclusivity": exclusivity,
        "exclusivity_months": exclusivity_months, "exclusive": False if no_exclusivity else (True if exclusivity
                                                                                          else None),
        "payment_schedule": ([item.model_dump(mode="json", exclude_none=True) for item in answer.payment_schedule]
                             if answer.payment_schedule else None)}

    async def _record() -> tuple[uuid.UUID, bool]:
        try:
            return await record_agreement(campaign_id, creator_id, fee, currency, specs, **terms)
        finally:
            await dispose_engine()

    negotiation_id, existed = asyncio.run(_record())
    console.print(f"negotiation {negotiation_id} {'updated' if existed else 'agreed'}; contract generation queued")

