"""Offers a manager can steer: edit the amount (checked against the ceiling and the budget under the campaign lock,
then a new draft written for it), edit the wording (never stating another amount), respond with an instruction
or reject with feedback (a new offer draft), reject without feedback or ignore (the turn ends). After every test,
`tests/conftest.py` checks that no offer's text states another amount than it records."""

from __future__ import annotations

from decimal import Decimal

import httpx

from store.models import Approval, Message
from tests.agents_flow import decide
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, all_rows, email_reply, negotiation, pending_approvals, sent_outreach
from tests.support.jobs import run_jobs


async def _offer(client: httpx.AsyncClient, headers: dict[str, str], sink: Sink) -> Approval:
    """Ana asks 1400 EUR; the policy counters with 900 (brief: ceiling 1500, target 900)."""
    thread = await sent_outreach(client, headers, sink)
    await email_reply(client, thread, "Thanks! My rate is 1400 EUR.", "<r1@mail.test>")
    await run_jobs()
    [offer] = await pending_approvals("offer")
    assert offer.request["action_request"]["args"]["amount"] == 900.0
    assert offer.request["config"]["allow_respond"] is True
    return offer


async def _draft(approval: Approval) -> Message:
    [draft] = [message for message in await all_rows(Message) if message.approval_id == approval.id]
    return draft


async def test_editing_the_amount_redrafts_for_it(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    offer = await _offer(client, headers, mail_sink)
    for payload, status, code in (({"amount": 1600}, 409, "offer_exceeds_limits"),
                                  ({"amount": "12.345"}, 422, "invalid_edit"),
                                  ({"amount": 1100, "body_text": "Hi Ana, EUR 1,100?"}, 422, "invalid_edit")):
        refused = await decide(client, headers, str(offer.id), "edit", payload=payload)
        assert (refused.status_code, refused.json()["code"]) == (status, code), refused.text
    assert "ceiling" in (await decide(client, headers, str(offer.id), "edit", payload={"amount": 1600})).text

    edited = await decide(client, headers, str(offer.id), "edit", payload={"amount": 1100})
    assert edited.status_code == 200 and edited.json()["status"] == "edited", edited.text
    assert (await _draft(offer)).status == "discarded"  # never sent: its text named 900
    await run_jobs()
    [redraft] = await pending_approvals("offer")
    args = redraft.request["action_request"]["args"]
    assert redraft.id != offer.id and (args["decision"], args["amount"]) == ("counter", 1100.0)
    assert "EUR 1,100" in args["body_text"] and "900" not in args["body_text"]
    assert "the manager set the amount to EUR 1,100" in redraft.reasoning
    assert (await negotiation()).our_offer is None  # recorded only once this draft is approved
    assert (await decide(client, headers, str(redraft.id), "approve")).status_code == 200
    await run_jobs()
    assert (await negotiation()).our_offer == Decimal("1100")
    assert (await _draft(redraft)).status == "sent"


async def test_the_wording_may_not_state_another_amount(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    offer = await _offer(client, headers, mail_sink)
    mismatch = await decide(client, headers, str(offer.id), "edit",
                            payload={"body_text": "Hi Ana, we can offer EUR 1,200 for the reel."})
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "offer_text_mismatch"
    assert mismatch.json()["details"]["stated"] == ["1200"]
    agreed = await decide(client, headers, str(offer.id), "edit",
                          payload={"body_text": "Hi Ana, 900 EUR for 1 reel and 3 stories is what we can do."})
    assert agreed.status_code == 200, agreed.text
    await run_jobs()
    assert (await negotiation()).our_offer == Decimal("900")


async def test_respond_redrafts_following_the_instruction(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    offer = await _offer(client, headers, mail_sink)
    answered = await decide(client, headers, str(offer.id), "respond",
                            feedback="Offer 1000 EUR. Mention that we can ship the bars to her for free.")
    assert answered.status_code == 200 and answered.json()["status"] == "responded"
    await run_jobs()
    [redraft] = await pending_approvals("offer")
    args = redraft.request["action_request"]["args"]
    assert args["amount"] == 1000.0 and "EUR 1,000" in args["body_text"]
    assert "We can ship the bars to her for free." in args["body_text"]
    assert "Redrafted for the manager" in redraft.reasoning and "Not applied" not in redraft.reasoning

    # an amount above the limits is not taken: the offer stays, and the card says so
    await decide(client, headers, str(redraft.id), "respond", feedback="Offer 5000 EUR. Make it more formal.")
    await run_jobs()
    [again] = await pending_approvals("offer")
    assert again.request["action_request"]["args"]["amount"] == 1000.0
    assert "Not applied: amount not applied: EUR 5,000 is above the limits" in again.reasoning
    assert "formal tone" in again.reasoning


async def test_reject_with_feedback_redrafts_without_it_ends(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    offer = await _offer(client, headers, mail_sink)
    await decide(client, headers, str(offer.id), "reject", feedback="Mention that we love her recipes.")
    await run_jobs()
    [redraft] = await pending_approvals("offer")
    assert redraft.id != offer.id and redraft.request["action_request"]["args"]["amount"] == 900.0
    assert "We love her recipes." in redraft.request["action_request"]["args"]["body_text"]

    assert (await decide(client, headers, str(redraft.id), "reject")).status_code == 200
    await run_jobs()
    assert await pending_approvals("offer") == []
    assert (await negotiation()).status == "open" and (await _draft(redraft)).status == "discarded"


async def test_ignoring_an_offer_ends_the_turn(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    offer = await _offer(client, headers, mail_sink)
    assert (await decide(client, headers, str(offer.id), "ignore")).status_code == 200
    await run_jobs()
    assert await pending_approvals("offer") == [] and await pending_approvals() == []
