"""Negotiation replies learn from the manager's edits, like outreach drafting: the edited greeting and sign-off
become the brand voice of the next reply (offline), and on the model path the nearest stored edits are sent to
the model as few-shot guidance (local OpenAI-compatible test server). The voice never adds an amount."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from agents.policy.negotiation import NegotiationDecision
from agents.tasks.brand_voice import learn_voice
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.types import CampaignBrief, CreatorProfile
from tests.agents_flow import decide
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, email_reply, models_from, pending_approvals, sent_outreach
from tests.support.fake_models import scripted_model, tool_answer
from tests.support.jobs import run_jobs
from tests.support.openai_server import OpenAICompatServer, Scripted

PROFILE = CreatorProfile(creator_id="c", display_name="Sam Lee", first_name="Sam")
BRIEF = CampaignBrief(product="Acme", currency="EUR", fee_ceiling=Decimal(1000), fee_target=Decimal(700))
COUNTER = NegotiationDecision(action="counter", amount=Decimal(700), currency="EUR", rule="3-counter", reason="r")
EDITS = [(f"Hi {name},\n\nThanks for your message! Let me check.\n\nBest,\nThe Acme team",
          f"Hey {name}!\n\nThanks for your message! Let me check.\n\nCheers,\nMara @ Acme", name)
         for name in ("Ana", "Bea", "Carla")]


async def test_the_template_reply_takes_the_learned_greeting_and_sign_off() -> None:
    voice = learn_voice(EDITS)
    result = await draft_negotiation_reply(COUNTER, PROFILE, BRIEF, "email", voice=voice)
    body = result.value.body_text
    assert body.startswith("Hey Sam!") and body.endswith("Cheers,\nMara @ Acme") and "EUR 700" in body
    assert any("brand voice applied" in note for note in result.notes)


async def test_a_voice_learned_in_another_language_is_not_applied() -> None:
    voice = learn_voice(EDITS)
    spanish = PROFILE.model_copy(update={"languages": ["es"]})
    result = await draft_negotiation_reply(COUNTER, spanish, BRIEF, "email", voice=voice)
    assert result.value.body_text.startswith("Hola Sam") and not result.notes


async def test_the_model_gets_the_nearest_edits_as_examples() -> None:
    model = scripted_model(tool_answer("DraftOut", {"body_text": "Hey Sam! We can offer EUR 700. Cheers, Mara"}))
    result = await draft_negotiation_reply(COUNTER, PROFILE, BRIEF, "email", model=model,
                                           examples=[(before, after, None) for before, after, _ in EDITS])
    system = model.seen[0][0].content
    assert "<manager_sent>" in system and "Mara @ Acme" in system
    assert result.value.body_text.startswith("Hey Sam!") and "guided by 3" in result.notes[-1]


def _model_words_replies(server: OpenAICompatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(request: dict[str, Any]) -> Scripted:
        tool = request["tools"][0]["function"]["name"]
        if tool == "ReplyVerdict":
            return Scripted.tool(tool, {"intent": "counter_offer", "proposed_fee": 1600, "currency": "EUR",
                                        "summary": "asks 1600"})
        return Scripted.tool(tool, {"body_text": "Hey Ana! For the reel we can offer EUR 900. Cheers, Mara @ Acme",
                                    "language": "en"})

    models_from(server, monkeypatch, answer)


async def _edited_holding_reply(client: httpx.AsyncClient, mail_sink: Sink) -> tuple[dict[str, str], Any]:
    """Ana asks a question; the manager edits the holding reply's greeting and sign-off, and it is sent."""
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    await email_reply(client, thread, "Hi! What would the timeline be?", "<q1@mail.test>")
    await run_jobs()
    [held] = await pending_approvals("message")
    draft = held.request["action_request"]["args"]["body_text"]
    lines = draft.splitlines()
    edited = "\n".join(["Hey Ana!", *lines[1:-2], "Cheers,", "Mara @ Acme"])
    assert (await decide(client, headers, str(held.id), "edit", payload={"body_text": edited})).status_code == 200
    await run_jobs()  # sends it, and embeds the edit
    return headers, thread


async def test_an_edited_negotiation_reply_guides_the_next_one(client: httpx.AsyncClient, mail_sink: Sink,
                                                               openai_server: OpenAICompatServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    headers, thread = await _edited_holding_reply(client, mail_sink)

    await email_reply(client, thread, "My rate is 1600 EUR for the reel.", "<q2@mail.test>")
    await run_jobs()
    [offer] = await pending_approvals("offer")
    body = offer.request["action_request"]["args"]["body_text"]
    assert body.startswith("Hey Ana!") and body.rstrip().endswith("Mara @ Acme"), body  # the learned voice

    _model_words_replies(openai_server, monkeypatch)
    await decide(client, headers, str(offer.id), "reject")
    await email_reply(client, thread, "Still 1600 EUR, sorry.", "<q3@mail.test>")
    await run_jobs()
    drafting = [r for r in openai_server.requests if r["tools"][0]["function"]["name"] == "DraftOut"]
    assert drafting and "Mara @ Acme" in json.dumps(drafting[-1]["messages"]), "the edit was not shown to the model"


async def test_without_the_embedder_the_reply_is_drafted_without_examples(
        client: httpx.AsyncClient, mail_sink: Sink, openai_server: OpenAICompatServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    headers, thread = await _edited_holding_reply(client, mail_sink)
    _model_words_replies(openai_server, monkeypatch)

    async def broken(text: str) -> list[float]:
        raise RuntimeError("embedder unavailable")

    monkeypatch.setattr("agents.outreach.voice.embed_query", broken)
    await email_reply(client, thread, "My rate is 1600 EUR for the reel.", "<q2@mail.test>")
    await run_jobs()
    [offer] = await pending_approvals("offer")
    assert offer.request["action_request"]["args"]["decision"] == "counter"
