"""The discovery graph, exported uncompiled: tests compile it with an in-memory saver, workers with the
Postgres saver (`agents/checkpointer.py`), Studio through `agents/studio.py`.

    plan_search → run_searches → build_shortlist → approve_shortlist ─┬─ approve / edit → start_outreach → END
         ▲                                                           ├─ feedback (reject/respond) ─┘ back to plan_search
         └───────────────────────────────────────────────────────────┘─ reject without feedback / expire → END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agents.context import AgentContext
from agents.discovery import nodes
from agents.discovery.state import DiscoveryInput, DiscoveryState


def build() -> StateGraph[DiscoveryState, AgentContext, DiscoveryInput, DiscoveryState]:
    graph = StateGraph(DiscoveryState, context_schema=AgentContext, input_schema=DiscoveryInput)
    graph.add_node("plan_search", nodes.plan_search)
    graph.add_node("run_searches", nodes.run_searches)
    graph.add_node("build_shortlist", nodes.build_shortlist)
    graph.add_node("approve_shortlist", nodes.approve_shortlist, destinations=("start_outreach", "plan_search", END))
    graph.add_node("start_outreach", nodes.start_outreach)
    graph.add_edge(START, "plan_search")
    graph.add_edge("plan_search", "run_searches")
    graph.add_edge("run_searches", "build_shortlist")
    graph.add_edge("build_shortlist", "approve_shortlist")
    graph.add_edge("start_outreach", END)
    return graph


builder = build()
