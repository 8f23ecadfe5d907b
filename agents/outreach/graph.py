"""The outreach graph (one run per creator and channel), exported uncompiled.

    load_context → draft_message → approve_message ─┬─ approve / edit → record_approved → END
                        ▲                           ├─ feedback (reject/respond) ─┘ back to draft_message
                        └───────────────────────────┘─ reject without feedback / expire / too many drafts → END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agents.context import AgentContext
from agents.outreach import nodes
from agents.outreach.state import OutreachInput, OutreachState


def build() -> StateGraph[OutreachState, AgentContext, OutreachInput, OutreachState]:
    graph = StateGraph(OutreachState, context_schema=AgentContext, input_schema=OutreachInput)
    graph.add_node("load_context", nodes.load_context, destinations=("draft_message", END))
    graph.add_node("draft_message", nodes.draft_message)
    graph.add_node("approve_message", nodes.approve_message, destinations=("record_approved", "draft_message", END))
    graph.add_node("record_approved", nodes.record_approved)
    graph.add_edge(START, "load_context")
    graph.add_edge("draft_message", "approve_message")
    graph.add_edge("record_approved", END)
    return graph


builder = build()
