"""The contract graph (one run per agreed negotiation), exported uncompiled.

    prepare_contract → approve_contract ─┬─ approve / edit → send_for_signature → END
         ▲  │                            └─ reject / expire → close_unapproved → END
         │  ├─ terms still open → ask_terms ─┬─ approve / edit (values recorded) ──────────────┐
         │  │                                ├─ respond / reject with feedback → read_terms_answer ┤
         │  │                                └─ ignore / reject / expire → END                    │
         └──┼──────────────────────────────────────────────────────────────────────────────────────┘
            └─ negotiation not agreed → END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agents.context import AgentContext
from agents.contract import nodes
from agents.contract.state import ContractInput, ContractState


def build() -> StateGraph[ContractState, AgentContext, ContractInput, ContractState]:
    graph = StateGraph(ContractState, context_schema=AgentContext, input_schema=ContractInput)
    graph.add_node("prepare_contract", nodes.prepare_contract, destinations=("approve_contract", "ask_terms", END))
    graph.add_node("ask_terms", nodes.ask_terms, destinations=("prepare_contract", "read_terms_answer", END))
    graph.add_node("read_terms_answer", nodes.read_terms_answer, destinations=("prepare_contract",))
    graph.add_node("approve_contract", nodes.approve_contract, destinations=("send_for_signature", "close_unapproved"))
    graph.add_node("send_for_signature", nodes.send_for_signature)
    graph.add_node("close_unapproved", nodes.close_unapproved)
    graph.add_edge(START, "prepare_contract")
    graph.add_edge("send_for_signature", END)
    graph.add_edge("close_unapproved", END)
    return graph


builder = build()
