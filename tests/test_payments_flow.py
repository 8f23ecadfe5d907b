"""Payments as users go through them: the signed contract's advance waits for its approval (kind `payment`) →
approving and processing it — even twice at once — pays once and issues one invoice with a gapless number →
creator and manager are notified → the campaign's budget figures stay right."""

from __future__ import annotations

import asyncio
import io
import uuid
from email.utils import parseaddr

import httpx
from pypdf import PdfReader
from sqlalchemy import func, select, update

from store.db import unit_of_work
from store.models import Campaign, Invoice, LedgerEntry, OutboxEvent
from tests.agents_flow import decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import agreed_negotiation, creator_messages, outbox_for, signed_contract
from tools.integrations.delivery import DeliveryResult
from workers.payments import notify_manager


async def advance_ready(client: httpx.AsyncClient, headers: dict[str, str], **deal_fields: object) -> dict:  # type: ignore[type-arg]
    """A signed contract whose advance payment has been approved: the payment, ready to process."""
    deal = await agreed_negotiation(client, headers, **deal_fields)  # type: ignore[arg-type]
    await signed_contract(client, headers, deal)
    [approval] = await pending(client, headers, "payment")
    response = await decide(client, headers, approval["id"], "approve")
    assert response.status_code == 200, response.text
    payment_id = approval["action_request"]["args"]["payment_id"]
    payment = (await client.get(f"/payments/{payment_id}", headers=headers)).json()
    assert payment["status"] == "approved"
    return payment


async def count(model: type) -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_concurrent_processing_pays_once_and_issues_one_invoice(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    payment = await advance_ready(client, headers)

    first, second = await asyncio.gather(
        client.post(f"/payments/{payment['id']}/process", headers=headers),
        client.post(f"/payments/{payment['id']}/process", headers=headers))
    assert sorted([first.status_code, second.status_code]) == [200, 409], (first.text, second.text)
    paid, refused = (first, second) if first.status_code == 200 else (second, first)
    assert refused.json()["code"] == "payment_already_processed"
    body = paid.json()
    assert body["status"] == "paid" and body["provider"] == "ledger" and body["provider_reference"].startswith("ldg_")
    assert body["invoice"]["number"].startswith("INV-") and body["invoice"]["number"].endswith("-000001")
    assert await count(LedgerEntry) == 1 and await count(Invoice) == 1
    again = await client.post(f"/payments/{payment['id']}/process", headers=headers)
    assert again.status_code == 409 and again.json()["details"]["invoice_number"] == body["invoice"]["number"]

    invoice = await client.get(f"/payments/{payment['id']}/invoice", headers=headers)
    assert invoice.status_code == 200 and invoice.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(invoice.content)).pages[0].extract_text()
    assert body["invoice"]["number"] in text and "EUR 600.00" in text and body["provider_reference"] in text

    budget = (await client.get(f"/campaigns/{payment['campaign_id']}/budget", headers=headers)).json()
    assert (budget["total"]["amount"], budget["committed"]["amount"], budget["paid"]["amount"],
            budget["remaining"]["amount"], budget["outstanding"]["amount"]) == (
        "20000.00", "1200.00", "600.00", "18800.00", "600.00")

    notices = [m for m in await creator_messages(payment["creator_id"]) if m.subject and "Payment sent" in m.subject]
    assert len(notices) == 1 and body["invoice"]["number"] in notices[0].body_text
    assert notices[0].status == "queued" and await outbox_for(f"send:{notices[0].id}") is not None
    job = await outbox_for(f"invoice-notify:{body['invoice']['id']}")
    assert job is not None and job.actor_name == "payments.notify_manager"


async def test_idempotency_key_replays_the_first_response(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    payment = await advance_ready(client, headers)
    keyed = {**headers, "Idempotency-Key": "pay-advance-1"}
    first, second = await asyncio.gather(client.post(f"/payments/{payment['id']}/process", headers=keyed),
                                         client.post(f"/payments/{payment['id']}/process", headers=keyed))
    assert 200 in (first.status_code, second.status_code) and {first.status_code, second.status_code} <= {200, 409}
    replay = await client.post(f"/payments/{payment['id']}/process", headers=keyed)
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == (first if first.status_code == 200 else second).json()
    other_key = await client.post(f"/payments/{payment['id']}/process",
                                  headers={**headers, "Idempotency-Key": "pay-advance-2"})
    assert other_key.status_code == 409
    assert await count(LedgerEntry) == 1 and await count(Invoice) == 1


async def test_only_an_approved_payment_is_processed(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    await signed_contract(client, headers, deal)
    payments = (await client.get("/payments/", headers=headers, params={"campaign_id": deal.campaign_id})).json()
    by_key = {item["milestone_key"]: item for item in payments["items"]}
    assert by_key["advance"]["status"] == "pending_approval" and by_key["final"]["status"] == "scheduled"
    for item in by_key.values():
        response = await client.post(f"/payments/{item['id']}/process", headers=headers)
        assert response.status_code == 409 and response.json()["code"] == "payment_not_approved"

    [approval] = await pending(client, headers, "payment")
    assert (await decide(client, headers, approval["id"], "reject")).status_code == 200
    advance = (await client.get(f"/payments/{by_key['advance']['id']}", headers=headers)).json()
    assert advance["status"] == "rejected"
    assert (await client.post(f"/payments/{advance['id']}/process", headers=headers)).status_code == 409
    asked = await client.post(f"/payments/{advance['id']}/request-approval", headers=headers)
    assert asked.status_code == 200 and asked.json()["status"] == "pending_approval"
    [again] = await pending(client, headers, "payment")
    assert again["id"] != approval["id"] and again["action_id"].endswith(":2")
    twice = await client.post(f"/payments/{advance['id']}/request-approval", headers=headers)
    assert twice.status_code == 409 and twice.json()["code"] == "payment_not_requestable"
    assert await count(LedgerEntry) == 0


async def test_a_payment_approval_cannot_exceed_the_budget(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    await signed_contract(client, headers, deal)
    async with unit_of_work() as session:  # the budget was cut after the contract was committed
        campaign = await session.get(Campaign, uuid.UUID(deal.campaign_id))
        assert campaign is not None
        await session.execute(update(Campaign).where(Campaign.id == campaign.id)
                              .values(brief={**campaign.brief, "budget": 500}))
    [approval] = await pending(client, headers, "payment")
    response = await decide(client, headers, approval["id"], "approve")
    assert response.status_code == 409 and response.json()["code"] == "budget_exceeded"
    assert [item["id"] for item in await pending(client, headers, "payment")] == [approval["id"]]


async def test_listing_filters_and_tenancy(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    payment = await advance_ready(client, headers)
    assert (await client.post(f"/payments/{payment['id']}/process", headers=headers)).status_code == 200
    listed = await client.get("/payments/", headers=headers, params={"status": "paid"})
    assert [item["id"] for item in listed.json()["items"]] == [payment["id"]]
    assert listed.json()["items"][0]["invoice"]["download_url"] == f"/payments/{payment['id']}/invoice"
    by_creator = await client.get("/payments", headers=headers, params={"creator_id": payment["creator_id"]})
    assert by_creator.json()["total"] == 2
    assert (await client.get("/payments/", headers=headers,
                             params={"creator_id": str(uuid.uuid4())})).json()["total"] == 0
    assert (await client.get("/payments/", headers=headers, params={"status": "sent"})).status_code == 422

    rival = await manager_headers(client, "rival", "Globex")
    assert (await client.get("/payments/", headers=rival)).json()["total"] == 0
    for path in (f"/payments/{payment['id']}", f"/payments/{payment['id']}/invoice"):
        assert (await client.get(path, headers=rival)).status_code == 404
    assert (await client.post(f"/payments/{payment['id']}/process", headers=rival)).status_code == 404


async def test_invoice_numbers_are_gapless_and_the_manager_is_told(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    first = await advance_ready(client, headers)
    second = await advance_ready(client, headers, creator="dora", campaign_id=first["campaign_id"])
    numbers = []
    for payment in (first, second):
        response = await client.post(f"/payments/{payment['id']}/process", headers=headers)
        numbers.append(response.json()["invoice"]["number"][-6:])
    assert numbers == ["000001", "000002"]

    class Sink:
        def __init__(self) -> None:
            self.sent: list[object] = []

        async def send(self, message: object) -> DeliveryResult:
            self.sent.append(message)
            return DeliveryResult.sent("<id@test>")

    async with unit_of_work() as session:
        invoice_id = (await session.execute(select(Invoice.id).order_by(Invoice.sequence))).scalars().first()
    sink = Sink()
    assert await notify_manager(str(invoice_id), sender=sink) == "sent"
    assert await notify_manager(str(invoice_id), sender=sink) == "nothing to do"
    [mail] = sink.sent
    assert parseaddr(str(mail["To"]))[1] == "maria@example.com"  # type: ignore[index]
    assert "invoice INV-" in str(mail["Subject"])  # type: ignore[index]
    async with unit_of_work() as session:
        jobs = (await session.execute(select(OutboxEvent).where(
            OutboxEvent.actor_name == "payments.notify_manager"))).scalars().all()
    assert len(jobs) == 2
