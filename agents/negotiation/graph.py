"""The negotiation graph (one thread per conversation, one invocation per turn), exported uncompiled.

    load_turn ─┬─ reply ─→ classify ─┬─ interested / counter_offer / question / other → decide_terms
               │                     │        → draft_reply → approve ─┬─ approve / edit → after_approval → END
               │                     │              ▲                  ├─ offer: edit of the amount, respond, reject
               │                     │              └── redraft_offer ◀┘    with feedback (a new draft to approve)
               │                     │                                 └─ reject / ignore / expire / superseded → END
               │                     ├─ unsubscribe → opt_out → END
               │                     ├─ out_of_office → postpone (follow-up after the return date) → END
               │                     └─ declined → close → END          (auto-replies other than OOO → END)
               ├─ follow_up → draft_follow_up → approve → ...
               └─ stopped (campaign inactive, unreachable, do-not-contact, follow-up no longer due) → END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agents.context import AgentContext
from agents.negotiation import nodes
from agents.negotiation.state import NegotiationInput, NegotiationState


def build() -> StateGraph[NegotiationState, AgentContext, NegotiationInput, NegotiationState]:
    graph = StateGraph(NegotiationState, context_schema=AgentContext, input_schema=NegotiationInput)
    graph.add_node("load_turn", nodes.load_turn, destinations=("classify", "draft_follow_up", END))
    graph.add_node("classify", nodes.classify, destinations=("decide", "opt_out", "postpone", "close", END))
    graph.add_node("opt_out", nodes.opt_out)
    graph.add_node("postpone", nodes.postpone)
    graph.add_node("close", nodes.close)
    graph.add_node("decide", nodes.decide_terms, destinations=("draft_reply",))
    graph.add_node("draft_reply", nodes.draft_reply, destinations=("approve",))
    graph.add_node("draft_follow_up", nodes.draft_follow_up_message, destinations=("approve",))
    graph.add_node("approve", nodes.approve, destinations=("after_approval", "redraft_offer", END))
    graph.add_node("redraft_offer", nodes.redraft_offer, destinations=("draft_reply",))
    graph.add_node("after_approval", nodes.after_approval)
    graph.add_edge(START, "load_turn")
    for terminal in ("opt_out", "postpone", "close", "after_approval"):
        graph.add_edge(terminal, END)
    return graph


builder = build()
