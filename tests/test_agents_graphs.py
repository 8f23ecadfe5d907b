"""The graphs on their own: compiled with an in-memory saver, answered with Agent Inbox's raw responses, the
side-effect node re-run without duplicates, model-planned searches with a rules fallback, Studio's config."""

from __future__ import annotations

import importlib
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command
from sqlalchemy import func, select

from agents.context import AgentContext
from agents.discovery import nodes as discovery_nodes
from agents.discovery.graph import builder as discovery_builder
from agents.discovery.planning import plan_searches
from agents.outreach.graph import builder as outreach_builder
from agents.profiles import creator_profile
from agents.tasks.types import CampaignBrief
from store.contacts.reachability import reachable_channels
from store.db import unit_of_work
from store.models import AgentRun, Creator, RunKind
from tests.agents_flow import FULL_BRIEF, confirmed_campaign, seed_creator
from tests.conftest import manager_headers

ROOT = Path(__file__).resolve().parent.parent


async def context_for(client: httpx.AsyncClient) -> AgentContext:
    headers = await manager_headers(client)
    campaign = await confirmed_campaign(client, headers)
    return AgentContext(organization_id=campaign["organization_id"], campaign_id=campaign["id"],
                        run_id=campaign["run_id"])


def config() -> Any:
    return {"configurable": {"thread_id": uuid.uuid4().hex}}


async def outreach_run_count() -> int:
    async with unit_of_work() as session:
        statement = select(func.count()).select_from(AgentRun).where(AgentRun.kind == RunKind.outreach)
        return int((await session.execute(statement)).scalar_one())


def test_langgraph_json_points_at_compiled_graphs() -> None:
    spec = json.loads((ROOT / "langgraph.json").read_text())
    assert set(spec["graphs"]) == {"brief", "discovery", "outreach", "negotiation", "contract"}
    for target in spec["graphs"].values():
        path, name = target.split(":")
        module = importlib.import_module(path.removeprefix("./").removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, name), CompiledStateGraph)


async def test_discovery_answered_with_an_agent_inbox_edit(client: httpx.AsyncClient) -> None:
    context = await context_for(client)
    ana, _ = await seed_creator("Ana Ruiz"), await seed_creator("Bea Sol")
    graph = discovery_builder.compile(checkpointer=InMemorySaver())
    cfg = config()
    result = await graph.ainvoke({"brief": FULL_BRIEF}, cfg, context=context)
    [request] = result["__interrupt__"][0].value
    assert {"action_request", "config", "description"} <= set(request)
    assert len(request["action_request"]["args"]["creators"]) == 2
    edit = [{"type": "edit", "args": {"action": "approve_shortlist", "args": {"creators": [{"creator_id": str(ana)}]}}}]
    final = await graph.ainvoke(Command(resume=edit), cfg, context=context)
    assert final["outcome"] == "shortlist_approved" and final["final_creator_ids"] == [str(ana)]
    assert final["outreach_runs"] == 1 and await outreach_run_count() == 1
    # the side-effect node re-run (as after a crash before its checkpoint) creates nothing twice
    await discovery_nodes.start_outreach(final, Runtime(context=context, store=None))  # type: ignore[arg-type]
    assert await outreach_run_count() == 1


async def test_outreach_redrafts_on_a_response_and_stops_on_ignore(client: httpx.AsyncClient) -> None:
    context = await context_for(client)
    creator_id = await seed_creator("Ana Ruiz")
    graph = outreach_builder.compile(checkpointer=InMemorySaver())
    cfg = config()
    first = await graph.ainvoke({"creator_id": str(creator_id), "channel": "email", "reasons": ["fits"]}, cfg,
                                context=context)
    [request] = first["__interrupt__"][0].value
    assert request["action_id"] == "message:1" and request["action_request"]["args"]["to"] == "ana.ruiz@example.com"
    second = await graph.ainvoke(Command(resume=[{"type": "response", "args": "Shorter, please"}]), cfg,
                                 context=context)
    [redraft] = second["__interrupt__"][0].value
    assert redraft["action_id"] == "message:2" and "Shorter, please" in redraft["reasoning"]
    done = await graph.ainvoke(Command(resume=[{"type": "ignore", "args": None}]), cfg, context=context)
    assert done["outcome"] == "rejected" and "__interrupt__" not in done
    assert [entry["feedback"] for entry in done["history"]] == ["Shorter, please", None]


async def test_outreach_ends_when_the_creator_cannot_be_reached(client: httpx.AsyncClient) -> None:
    context = await context_for(client)
    creator_id = await seed_creator("Quiet One", email=None)
    graph = outreach_builder.compile(checkpointer=InMemorySaver())
    done = await graph.ainvoke({"creator_id": str(creator_id), "channel": "email", "reasons": []}, config(),
                               context=context)
    assert done["outcome"] == "unreachable"


class ToolCallingFake(GenericFakeChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:  # GenericFakeChatModel raises NotImplementedError
        return self


async def test_search_planning_uses_model_tool_calls_and_falls_back_to_rules() -> None:
    brief = CampaignBrief.model_validate(FULL_BRIEF)
    calls = [{"name": "SearchCreators", "args": {"query": "vegan athletes", "country": "ES"}, "id": "1"},
             {"name": "SearchCreators", "args": {"min_followers": -5}, "id": "2"},  # invalid: dropped
             {"name": "delete_everything", "args": {}, "id": "3"}]  # not our tool: ignored
    model = ToolCallingFake(messages=iter([AIMessage(content="", tool_calls=calls)]))
    planned, label, version = await plan_searches(brief, ["vegan please"], model, limit=8)
    assert [(c["query"], c["filters"]) for c in planned] == [("vegan athletes", {"country": "ES"})]
    assert version == "discovery_plan_search@v1" and label != "offline-rules"

    silent = ToolCallingFake(messages=iter([AIMessage(content="I think you should search for athletes")]))
    fallback, label, version = await plan_searches(brief, [], silent, limit=8)
    assert label == "offline-rules" and version == "rules-v1"
    assert fallback[0]["filters"] == {"platform": "instagram", "category": "fitness", "country": "ES",
                                      "language": "es", "min_followers": 10000, "max_followers": 500000}


def test_profile_and_reachable_channels() -> None:
    plain = Creator(id=uuid.uuid4(), display_name="Ana Ruiz", email="ana@example.com", audience={})
    assert reachable_channels(plain) == ["email"]
    assert creator_profile(plain).first_name == "Ana" and creator_profile(plain).whatsapp_opt_in is False
    whatsapp = Creator(id=uuid.uuid4(), display_name="Bea", email=None, audience={})
    whatsapp.whatsapp_phone, whatsapp.whatsapp_opt_in = "+34600000000", True
    assert reachable_channels(whatsapp) == ["whatsapp"]
    whatsapp.whatsapp_opt_in = False
    assert reachable_channels(whatsapp) == []
    opted_out = Creator(id=uuid.uuid4(), display_name="Cleo", email="c@example.com", audience={})
    opted_out.email_opt_in = False
    assert reachable_channels(opted_out) == []
