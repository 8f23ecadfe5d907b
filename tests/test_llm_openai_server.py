"""The real ChatOpenAI path against the local OpenAI-compatible test server: plain and streamed text, tool calls
(structured output by function calling), token usage, errors, and the task functions end to end."""

from __future__ import annotations

import datetime as dt

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from agents.llm.factory import get_chat_model, model_label
from agents.llm.structured import ask_structured
from agents.tasks.replies import classify_reply
from tests.support.openai_server import OpenAICompatServer, Scripted


class Answer(BaseModel):
    """A scripted answer."""

    word: str
    count: int


def _model(server: OpenAICompatServer, **kwargs: object):  # type: ignore[no-untyped-def]
    return get_chat_model(provider="openai", base_url=server.base_url, api_key="test-key", model="local-test",
                          max_retries=0, **kwargs)  # type: ignore[arg-type]


async def test_plain_completion_reports_usage(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted(content="hello there", prompt_tokens=9, completion_tokens=2))
    model = _model(openai_server)
    message = await model.ainvoke([HumanMessage("hi")])
    assert message.content == "hello there"
    assert message.usage_metadata["input_tokens"] == 9
    assert openai_server.requests[0]["model"] == "local-test"
    assert model_label(model) == "openai:local-test"


async def test_streaming_uses_sse_with_usage_chunk(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted(content="one two three", prompt_tokens=5, completion_tokens=3))
    model = _model(openai_server)
    pieces = [chunk async for chunk in model.astream([HumanMessage("count")])]
    text = "".join(str(piece.content) for piece in pieces)
    assert text == "one two three"
    assert openai_server.requests[0]["stream"] is True
    usage = [piece.usage_metadata for piece in pieces if piece.usage_metadata]
    assert usage and usage[-1]["output_tokens"] == 3


async def test_structured_output_by_function_calling(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted.tool("Answer", {"word": "seven", "count": 7}, prompt_tokens=30))
    answer = await ask_structured(_model(openai_server), Answer, [HumanMessage("seven?")])
    assert answer.value == Answer(word="seven", count=7)
    assert answer.input_tokens == 30
    request = openai_server.requests[0]
    assert request["tools"][0]["function"]["name"] == "Answer"
    assert "response_format" not in request  # llama.cpp rejects json_schema: tools only


async def test_streamed_tool_call_arrives_whole(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted.tool("Answer", {"word": "a long enough word to split", "count": 3}))
    model = _model(openai_server).bind_tools([Answer])
    chunks = [chunk async for chunk in model.astream([HumanMessage("go")])]
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged = merged + chunk
    assert merged.tool_calls[0]["args"] == {"word": "a long enough word to split", "count": 3}


async def test_task_function_over_http_and_fallback_on_server_error(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted.tool("ReplyVerdict", {"intent": "counter_offer", "proposed_fee": 900,
                                                        "currency": "EUR", "summary": "asks 900"}))
    model = _model(openai_server)
    result = await classify_reply("My rate is 900 EUR for one reel.", "email", model=model, today=dt.date(2025, 3, 1))
    assert (result.value.intent, result.value.proposed_fee, result.value.currency) == ("counter_offer", 900, "EUR")
    assert result.model == "openai:local-test" and result.prompt_version == "v1" and result.input_tokens == 42
    sent = openai_server.requests[0]["messages"][-1]["content"]
    assert "<reply>" in sent and "900 EUR" in sent

    openai_server.script(Scripted(status=500))
    fallback = await classify_reply("No thanks, not for me.", "email", model=model)
    assert fallback.value.intent == "declined" and fallback.model == "offline-rules"
    assert "failed" in fallback.notes[0]


async def test_unknown_route_is_404(openai_server: OpenAICompatServer) -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        response = await http.post(f"{openai_server.base_url}/responses", json={})
        models = await http.get(f"{openai_server.base_url}/models")
    assert response.status_code == 404
    assert models.json()["data"][0]["id"] == "test-model"


@pytest.mark.parametrize("stream", [False, True])
async def test_responder_answers_when_script_is_empty(openai_server: OpenAICompatServer, stream: bool) -> None:
    openai_server.responder = lambda request: Scripted(content=f"echo {len(request['messages'])}")
    model = _model(openai_server, )
    if stream:
        text = "".join([str(c.content) async for c in model.astream([HumanMessage("a")])])
    else:
        text = str((await model.ainvoke([HumanMessage("a")])).content)
    assert text == "echo 1"
