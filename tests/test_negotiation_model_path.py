"""The negotiation agent on the model path, end to end through the real `ChatOpenAI` client and the local
OpenAI-compatible test server: a model intent the reply's own words contradict reaches the manager as an
escalation with the reason on the approval (never an accept), a correct model fee the rules cannot parse is acted
on, an unverifiable one is not, and a provider failure falls back to the rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.agents_flow import decide
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, email_reply, models_from, pending_approvals, sent_outreach
from tests.support.jobs import run_jobs
from tests.support.openai_server import OpenAICompatServer, Scripted


def _model_reads(server: OpenAICompatServer, verdict: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the agents call the test server; it reads every reply as `verdict`; drafting fails (500)."""

    def answer(request: dict[str, Any]) -> Scripted:
        tool = request["tools"][0]["function"]["name"]
        if tool == "ReplyVerdict":
            return Scripted.tool(tool, {"summary": "scripted", **verdict})
        return Scripted(status=500)  # drafting falls back to the templates: the decision is what is checked

    models_from(server, monkeypatch, answer)


async def _turn(client: httpx.AsyncClient, thread: Any, text: str, message_id: str) -> dict[str, Any]:
    await email_reply(client, thread, text, message_id)
    await run_jobs()
    approval = (await pending_approvals())[-1]
    return {"id": str(approval.id), "args": approval.request["action_request"]["args"],
            "text": approval.request["description"] + " " + approval.request["reasoning"]}


async def test_model_intents_the_words_contradict_are_escalated(client: httpx.AsyncClient, mail_sink: Sink,
                                                                openai_server: OpenAICompatServer,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    _model_reads(openai_server, {"intent": "counter_offer", "proposed_fee": 200, "currency": "EUR"}, monkeypatch)
    turn = await _turn(client, thread, "EUR 200 for three reels…? Wow, so generous. I'll pass", "<m1@mail.test>")
    assert turn["args"]["decision"] == "escalate" and turn["args"]["amount"] is None
    assert turn["args"]["rule"] == "0-cross-check" and "disagrees" in turn["text"], turn
    await decide(client, headers, turn["id"], "reject")

    _model_reads(openai_server, {"intent": "counter_offer", "proposed_fee": 950, "currency": "EUR"}, monkeypatch)
    turn = await _turn(client, thread, "My fee is 900 EUR for the reel.", "<m2@mail.test>")
    assert turn["args"]["decision"] == "escalate" and "does not contain" in turn["text"], turn


async def test_a_fee_in_words_read_by_the_model_is_acted_on(client: httpx.AsyncClient, mail_sink: Sink,
                                                           openai_server: OpenAICompatServer,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    _model_reads(openai_server, {"intent": "counter_offer", "proposed_fee": 1200, "currency": "EUR"}, monkeypatch)
    turn = await _turn(client, thread, "Happy to! My price would be twelve hundred for the package", "<w1@mail.test>")
    assert turn["args"]["creator_ask"] == 1200 and turn["args"]["decision"] in ("counter", "accept"), turn
    assert "0-" not in turn["args"]["rule"]


async def test_an_opt_out_wins_over_the_model(client: httpx.AsyncClient, mail_sink: Sink,
                                              openai_server: OpenAICompatServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    _model_reads(openai_server, {"intent": "interested"}, monkeypatch)
    before = len(openai_server.requests)
    await email_reply(client, thread, "Not interested. Please stop contacting me, unsubscribe.", "<o1@mail.test>")
    await run_jobs()
    assert await pending_approvals("offer") == [] and await pending_approvals("message") == []
    assert all(r["tools"][0]["function"]["name"] != "ReplyVerdict" for r in openai_server.requests[before:])
