"""The brief-turn graph, exported uncompiled: START → extract → guard → END.

It runs once per `POST /campaigns/{id}/brief/messages`, inside that request: a conversational turn is one
task call the manager waits for, with no approval and nothing to resume (unlike discovery and outreach,
which run in workers). Compiled without a checkpointer; the campaign's tables hold the conversation.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agents.brief import nodes
from agents.brief.state import BriefTurnInput, BriefTurnState
from agents.context import AgentContext


def build() -> StateGraph[BriefTurnState, AgentContext, BriefTurnInput, BriefTurnState]:
    graph = StateGraph(BriefTurnState, context_schema=AgentContext, input_schema=BriefTurnInput)
    graph.add_node("extract", nodes.extract)
    graph.add_node("guard", nodes.guard)
    graph.add_edge(START, "extract")
    graph.add_edge("extract", "guard")
    graph.add_edge("guard", END)
    return graph


builder = build()
