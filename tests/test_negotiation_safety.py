"""The negotiation agent end to end on conditions and misread amounts (issues #13 finding 13, #14): a creator's
conditions beyond the brief, a gifted offer, hidden-character amounts and a passed round limit all reach the
manager as escalations with the reason shown, never as an accept or a money offer."""

from __future__ import annotations

import httpx

from tests.agents_flow import decide
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, email_reply, pending_approvals, sent_outreach
from tests.support.jobs import run_jobs


async def _turn(client: httpx.AsyncClient, thread, text: str, message_id: str) -> dict:  # type: ignore[no-untyped-def]
    await email_reply(client, thread, text, message_id)
    await run_jobs()
    approval = (await pending_approvals())[-1]
    return {"id": str(approval.id), "args": approval.request["action_request"]["args"],
            "reasoning": approval.request["reasoning"], "description": approval.request["description"]}


async def test_conditions_gifting_and_unicode_amounts_escalate(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    cases = [
        ("I'll do 800 EUR… only with 12 months exclusivity paid at +2.000 € and perpetual usage", "exclusivity"),
        ("Honestly I'd do it for free, just send product 🙂", "product only"),
        ("My fee: 1\u200b000\u200b000 EUR", "ceiling"),
        ("ok -500 EUR", "cannot be a fee"),
    ]
    for number, (text, reason) in enumerate(cases):
        turn = await _turn(client, thread, text, f"<safe{number}@mail.test>")
        assert turn["args"]["decision"] == "escalate" and turn["args"]["amount"] is None, text
        assert reason in turn["description"] + turn["reasoning"], (text, turn)
        await decide(client, headers, turn["id"], "reject")


async def test_the_round_limit_ends_in_escalation(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    decisions = []
    for number in range(4):
        turn = await _turn(client, thread, "1600 EUR and not a cent less.", f"<round{number}@mail.test>")
        decisions.append(turn["args"]["decision"])
        await decide(client, headers, turn["id"], "approve")
        await run_jobs()
    assert decisions == ["counter", "counter", "escalate", "escalate"]
    assert "round limit (3)" in turn["description"] + turn["reasoning"]
    assert "round 4 of 3" not in turn["reasoning"]
