"""The contract flow as users go through it: an agreed negotiation → a contract approval showing the terms and the
clause-by-clause difference from the standard template → on approval the PDF is rendered, hashed, stored and a
personal signing link queued for the creator → signing through the link records the audit trail and opens the
advance payment's approval → the manager countersigns."""

from __future__ import annotations

import hashlib
import io
import uuid

import httpx
from pypdf import PdfReader
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models import AgentRun, Contract, Creator, Negotiation, NegotiationStatus, Payment, RunKind
from tests.agents_flow import create_campaign, decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import (
    TOKEN,
    agreed_negotiation,
    contract_approval,
    creator_messages,
    outbox_for,
    payment_approvals,
    run_jobs,
    sent_contract,
    sign,
    signing_token,
)


async def test_agreed_negotiation_produces_a_contract_approval(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    approval = await contract_approval(client, headers, deal)

    assert approval["config"]["allow_accept"] and approval["config"]["allow_edit"]
    assert not approval["config"]["allow_respond"]
    args = approval["action_request"]["args"]
    terms = args["terms"]
    assert terms["fee"] == {"amount": "1200.00", "currency": "EUR"}
    assert [d["key"] for d in terms["deliverables"]] == ["reel-1", "story-2"]
    assert terms["deliverables"][1]["due_date"] == "2026-04-30"  # none agreed: the negotiation's end date
    assert terms["usage_rights"]["channels"] == ["organic and paid social"]
    assert terms["exclusivity"] == {"category": "sports nutrition", "duration_days": 60, "competitors": []}
    assert terms["creator"]["legal_name"] == "Cleo Park" and terms["brand"]["legal_name"] == "Acme"
    changed = {diff["clause_id"]: diff for diff in args["clause_diff"]}
    assert set(changed) == {"usage_rights", "exclusivity"}  # everything else is the standard position
    assert "[-" in changed["usage_rights"]["inline"] and "{+" in changed["usage_rights"]["inline"]
    assert args["budget"]["remaining"] == "20000.00"
    assert "2 clause(s) differ" in approval["description"]
    hidden = await client.get(f"/contracts/{args['contract_id']}", headers=deal.creator_headers)
    assert hidden.status_code == 404  # the creator sees a contract only once it is sent

    async with unit_of_work() as session:
        negotiation = await session.get(Negotiation, deal.negotiation_id)
        assert negotiation is not None and negotiation.status == NegotiationStatus.contracted
        runs = (await session.execute(select(AgentRun).where(AgentRun.kind == RunKind.contract))).scalars().all()
        assert len(runs) == 1 and runs[0].idempotency_key == f"contract:{deal.negotiation_id}"


async def test_approving_stores_the_pdf_and_queues_the_signing_link(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)

    pdf = await client.get(f"/contracts/{contract['id']}/document", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == contract["document_sha256"]
    assert [clause["id"] for clause in contract["clauses"]][:2] == ["parties", "deliverables"]

    [message] = await creator_messages(deal.creator_id)
    assert message.channel == "email" and message.status == "queued" and message.to_address == "cleo@example.com"
    assert f"/contracts/{contract['id']}/sign?token=" in message.body_text
    assert contract["document_sha256"] in message.body_text
    job = await outbox_for(f"send:{message.id}")
    assert job is not None and job.actor_name == "messages.send_email" and job.payload == {
        "message_id": str(message.id)}

    budget = (await client.get(f"/campaigns/{deal.campaign_id}/budget", headers=headers)).json()
    assert budget["committed"]["amount"] == "1200.00" and budget["paid"]["amount"] == "0.00"
    assert budget["remaining"]["amount"] == "18800.00"
    payments = (await client.get("/payments/", headers=headers, params={"campaign_id": deal.campaign_id})).json()
    assert [(p["milestone_key"], p["status"], p["amount"]["amount"]) for p in payments["items"]] == [
        ("advance", "scheduled", "600.00"), ("final", "scheduled", "600.00")]
    runs = (await client.get(f"/campaigns/{deal.campaign_id}/runs", headers=headers)).json()
    assert [(run["kind"], run["status"], run["outcome"]) for run in runs] == [
        ("contract", "completed", "sent_for_signature")]


async def test_signing_through_the_link_records_the_audit_trail(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)
    token = await signing_token(deal.creator_id)

    assert (await client.get(f"/contracts/{contract['id']}")).status_code == 401  # no login, no link
    viewed = await client.get(f"/contracts/{contract['id']}", params={"token": token})
    assert viewed.status_code == 200 and viewed.json()["document_sha256"] == contract["document_sha256"]
    page = await client.get(f"/contracts/{contract['id']}/sign", params={"token": token})
    assert page.status_code == 200 and 'id="sign"' in page.text and contract["reference"] in page.text
    unsigned = await client.get(f"/contracts/{contract['id']}/document", params={"token": token})
    assert hashlib.sha256(unsigned.content).hexdigest() == contract["document_sha256"]

    signed = await sign(client, contract, token, {"User-Agent": "Mozilla/5.0 (test)"})
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["status"] == "awaiting_countersignature" and body["signed_at"]
    [signature] = body["signatures"]
    assert signature["role"] == "creator" and signature["signer_name"] == "Cleo Park"
    assert signature["document_sha256"] == contract["document_sha256"]
    assert signature["ip_address"] and signature["user_agent"] == "Mozilla/5.0 (test)"
    assert signature["method"] == "click-to-sign via personal link"

    signed_pdf = (await client.get(f"/contracts/{contract['id']}/document", params={"token": token})).content
    assert hashlib.sha256(signed_pdf).hexdigest() == body["signed_document_sha256"]
    reader = PdfReader(io.BytesIO(signed_pdf))
    original = PdfReader(io.BytesIO(unsigned.content))
    assert len(reader.pages) == len(original.pages) + 1
    audit = reader.pages[-1].extract_text()
    assert "Signature audit trail" in audit and contract["document_sha256"] in "".join(audit.split())
    assert hashlib.sha256(reader.attachments["signed-document.pdf"][0]).hexdigest() == contract["document_sha256"]

    mine = await client.get(f"/creators/me/campaigns/{deal.campaign_id}/contract", headers=deal.creator_headers)
    assert mine.status_code == 200 and mine.content == signed_pdf

    [advance] = await payment_approvals(client, headers)
    args = advance["action_request"]["args"]
    assert args["milestone_key"] == "advance" and args["amount"] == {"amount": "600.00", "currency": "EUR"}
    assert args["contract_reference"] == contract["reference"]
    assert args["budget"]["committed"] == "1200.00" and args["budget"]["paid"] == "0.00"
    assert args["budget"]["remaining"] == "18800.00"


async def test_signing_link_rules(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)
    token = await signing_token(deal.creator_id)

    old_hash = await sign(client, contract, token, document_sha256="0" * 64)
    assert old_hash.status_code == 409 and old_hash.json()["code"] == "document_changed"
    no_consent = await sign(client, contract, token, consent=False)
    assert no_consent.status_code == 422 and no_consent.json()["code"] == "consent_required"
    bogus = await sign(client, contract, "not-a-real-token")
    assert bogus.status_code == 404 and bogus.json()["code"] == "signing_link_invalid"
    manager = await sign(client, contract, None, headers)
    assert manager.status_code == 403
    rival = await manager_headers(client, "rival", "Globex")
    assert (await client.get(f"/contracts/{contract['id']}", headers=rival)).status_code == 404

    assert (await sign(client, contract, token)).status_code == 200  # the link survived the failed attempts
    again = await sign(client, contract, token)
    assert again.status_code == 409 and again.json()["code"] == "already_signed"
    by_login = await sign(client, contract, None, deal.creator_headers)
    assert by_login.status_code == 409 and by_login.json()["code"] == "already_signed"
    assert len(await payment_approvals(client, headers)) == 1  # one advance, however often it is signed


async def test_expired_link_and_a_new_one(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)
    token = await signing_token(deal.creator_id)
    async with unit_of_work() as session:
        from sqlalchemy import text

        await session.execute(text("UPDATE signing_tokens SET expires_at = now() - interval '1 minute'"))
    expired = await sign(client, contract, token)
    assert expired.status_code == 410 and expired.json()["code"] == "signing_link_expired"
    assert (await client.get(f"/contracts/{contract['id']}", params={"token": token})).status_code == 410

    resent = await client.post(f"/contracts/{contract['id']}/resend", headers=headers)
    assert resent.status_code == 200 and resent.json() == {"channels": ["email"]}
    fresh = await signing_token(deal.creator_id)
    assert fresh != token and len(await creator_messages(deal.creator_id)) == 2
    assert (await sign(client, contract, fresh)).status_code == 200


async def test_a_changed_document_cannot_be_signed_with_the_old_link(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)
    token = await signing_token(deal.creator_id)
    new_hash = "f" * 64
    async with unit_of_work() as session:  # the document on record changed after the link was issued
        row = await session.get(Contract, uuid.UUID(contract["id"]))
        assert row is not None
        row.document_sha256 = new_hash
    response = await sign(client, contract, token, document_sha256=new_hash)
    assert response.status_code == 409 and response.json()["code"] == "document_changed"


async def test_creator_signs_with_login_and_manager_countersigns(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)
    token = await signing_token(deal.creator_id)
    early = await client.post(f"/contracts/{contract['id']}/countersign", headers=headers, json={
        "full_name": "Maria Lopez", "consent": True, "document_sha256": contract["document_sha256"]})
    assert early.status_code == 409 and early.json()["code"] == "creator_signature_missing"

    signed = await sign(client, contract, None, deal.creator_headers)
    assert signed.status_code == 200 and signed.json()["signatures"][0]["method"] == "click-to-sign, logged in"
    revoked = await sign(client, contract, token)  # the emailed link was withdrawn when she signed
    assert revoked.status_code in (409, 410)

    body = {"full_name": "Maria Lopez", "consent": True, "document_sha256": contract["document_sha256"]}
    countersigned = await client.post(f"/contracts/{contract['id']}/countersign", headers=headers, json=body)
    assert countersigned.status_code == 200, countersigned.text
    assert countersigned.json()["status"] == "active"
    assert [s["role"] for s in countersigned.json()["signatures"]] == ["creator", "brand"]
    twice = await client.post(f"/contracts/{contract['id']}/countersign", headers=headers, json=body)
    assert twice.status_code == 409 and twice.json()["code"] == "already_signed"
    pdf = (await client.get(f"/contracts/{contract['id']}/document", headers=headers)).content
    audit = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()
    assert "Brand (countersignature)" in audit and "Maria Lopez" in audit


async def test_rejected_contract_is_not_sent_and_commits_nothing(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    approval = await contract_approval(client, headers, deal)
    assert (await decide(client, headers, approval["id"], "reject", feedback="wrong fee")).status_code == 200
    await run_jobs()
    contract_id = approval["action_request"]["args"]["contract_id"]
    contract = (await client.get(f"/contracts/{contract_id}", headers=headers)).json()
    assert contract["status"] == "rejected" and contract["document_sha256"] is None
    assert await creator_messages(deal.creator_id) == []
    budget = (await client.get(f"/campaigns/{deal.campaign_id}/budget", headers=headers)).json()
    assert budget["committed"]["amount"] == "0.00"


async def test_edits_change_negotiable_positions_only(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    approval = await contract_approval(client, headers, deal)
    for payload, code in (({"fee": {"amount": "1.00", "currency": "EUR"}}, "invalid_edit"),
                          ({"colour": "red"}, "invalid_edit"),
                          ({"revision_rounds": 99}, "invalid_edit"),
                          ({"omitted_clauses": ["fee"]}, "required_clause")):
        response = await decide(client, headers, approval["id"], "edit", payload=payload)
        assert response.status_code == 422 and response.json()["code"] == code, (payload, response.text)
    schedule = [{"kind": "advance", "percent": "25"},
                {"kind": "milestone", "percent": "50", "deliverable_key": "reel-1", "net_days": 15},
                {"kind": "final", "percent": "25"}]
    response = await decide(client, headers, approval["id"], "edit", payload={"terms": {"payment_schedule": schedule}})
    assert response.status_code == 200, response.text
    await run_jobs()
    async with unit_of_work() as session:
        keys = (await session.execute(select(Payment.milestone_key, Payment.amount).order_by(Payment.amount))).all()
    assert [(key, str(amount)) for key, amount in keys] == [
        ("advance", "300.000"), ("final", "300.000"), ("milestone:reel-1", "600.000")]
    events = (await client.get(f"/approvals/{approval['id']}", headers=headers)).json()["events"]
    assert events[-1]["event"] == "edited" and events[-1]["after"]["payment_schedule"][1]["kind"] == "milestone"


async def test_budget_exhaustion_blocks_the_contract_approval(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    first = await agreed_negotiation(client, headers, budget=2000, fee="1500.00")
    await sent_contract(client, headers, first)
    second = await agreed_negotiation(client, headers, creator="dora", fee="800.00", campaign_id=first.campaign_id)
    approval = await contract_approval(client, headers, second)
    response = await decide(client, headers, approval["id"], "approve")
    assert response.status_code == 409 and response.json()["code"] == "budget_exceeded"
    assert response.json()["details"]["remaining"] == "500.00"
    assert [item["id"] for item in await pending(client, headers, "contract")] == [approval["id"]]
    budget = (await client.get(f"/campaigns/{first.campaign_id}/budget", headers=headers)).json()
    assert budget["committed"]["amount"] == "1500.00" and budget["remaining"]["amount"] == "500.00"


async def test_the_sweep_starts_contracts_for_agreed_negotiations_once(client: httpx.AsyncClient) -> None:
    from workers.contracts import sweep_agreed_negotiations

    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    await agreed_negotiation(client, headers, creator="dora", status=NegotiationStatus.open,
                             campaign_id=deal.campaign_id)
    assert await sweep_agreed_negotiations() == 1
    assert await sweep_agreed_negotiations() == 0
    await run_jobs()
    assert len(await pending(client, headers, "contract")) == 1


async def test_incomplete_terms_ask_the_manager_instead_of_ending(client: httpx.AsyncClient) -> None:
    from workers.contracts import sweep_agreed_negotiations

    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers, fee="", deliverables=[])
    assert await sweep_agreed_negotiations() == 1
    await run_jobs()
    runs = (await client.get(f"/campaigns/{deal.campaign_id}/runs", headers=headers)).json()
    assert [(run["status"], run["outcome"]) for run in runs] == [("waiting_approval", None)]
    [terms] = await pending(client, headers, "terms")
    assert terms["action_request"]["args"]["missing"] == ["fee", "deliverables"]
    assert terms["config"]["allow_accept"] is False  # no standard position for a fee or deliverables
    async with unit_of_work() as session:
        assert (await session.execute(select(func.count()).select_from(Contract))).scalar_one() == 0


async def test_a_campaign_without_a_budget_cannot_commit(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, {"currency": "EUR"})
    deal = await agreed_negotiation(client, headers, campaign_id=campaign["id"])
    approval = await contract_approval(client, headers, deal)
    assert approval["action_request"]["args"]["budget"] is None
    response = await decide(client, headers, approval["id"], "approve")
    assert response.status_code == 409 and response.json()["code"] == "budget_not_set"


async def test_the_link_also_goes_by_whatsapp_with_opt_in(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    async with unit_of_work() as session:
        creator = await session.get(Creator, deal.creator_id)
        assert creator is not None
        creator.whatsapp_phone, creator.whatsapp_opt_in = "+447700900123", True
    contract = await sent_contract(client, headers, deal)
    messages = {str(message.channel): message for message in await creator_messages(deal.creator_id)}
    assert set(messages) == {"email", "whatsapp"} and messages["whatsapp"].to_address == "+447700900123"
    links = {TOKEN.search(message.body_text).group(2) for message in messages.values()}  # type: ignore[union-attr]
    assert len(links) == 1  # one single-use link, whichever channel it is opened from
    job = await outbox_for(f"send:{messages['whatsapp'].id}")
    assert job is not None and job.actor_name == "messages.send_whatsapp"
    assert contract["status"] == "awaiting_signature"
