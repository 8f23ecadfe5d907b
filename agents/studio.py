"""Compiled graphs for LangGraph Studio / `langgraph dev` (see `langgraph.json`). The dev server brings its own
checkpointer; pass `organization_id`, `campaign_id` and `run_id` as the run's context. Approvals can be answered
from Studio or Agent Inbox directly, since requests and answers use Agent Inbox's schema."""

from agents.brief.graph import builder as _brief
from agents.contract.graph import builder as _contract
from agents.discovery.graph import builder as _discovery
from agents.negotiation.graph import builder as _negotiation
from agents.outreach.graph import builder as _outreach

brief = _brief.compile()
discovery = _discovery.compile()
outreach = _outreach.compile()
negotiation = _negotiation.compile()
contract = _contract.compile()
