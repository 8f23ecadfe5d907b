"""One negotiation turn on a conversation's thread, for the `negotiation.turn` actor. Never called in a request.

Under the run's advisory lock (`run_checkpointer`, so a turn and an `agents.resume` of the same thread never
interleave):
1. a turn id the thread has already started (`turns_seen`) is a redelivery: only finish a step a crash cut
   short, then stop;
2. settle what the thread still waits for: an approval the manager already decided is resumed with that
   decision (its `agents.resume` job will then find nothing to do); one still pending is superseded by the new
   turn (cancelled, its draft discarded) and resumed as such;
3. invoke the graph with the turn; `agents.runner.run_step` then turns every pending interrupt into an approval.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agents.approval import ApprovalRequest, HumanResponse, response_for_decision
from agents.context import AgentContext
from agents.runner import Advanced, ThreadState, invoke, run_step
from store.approvals.service import ApprovalService
from store.db import unit_of_work
from store.models import AgentRun, ApprovalStatus

log = logging.getLogger(__name__)
MAX_SETTLE_STEPS = 5
SUPERSEDED = [HumanResponse(type="ignore", action="superseded",
                            feedback="a newer message from the creator replaced this draft").model_dump(mode="json")]


async def run_turn(run_id: uuid.UUID, turn: dict[str, Any]) -> str:
    """Run one turn; returns what happened (for logs and tests)."""

    async def advance(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext,
                      run: AgentRun) -> Advanced:
        return await _advance(graph, config, context, run, turn)

    return await run_step(run_id, advance, outcome_of=_outcome) or "run cancelled or gone"


def _outcome(values: dict[str, Any]) -> str:
    return str(values.get("outcome") or "waiting for approval")


async def _advance(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext, run: AgentRun,
                   turn: dict[str, Any]) -> Advanced:
    """Take the turn; the outcome is None when it ran (`run_step` derives it from the state the turn left)."""
    snapshot = await graph.aget_state(config)
    if turn["id"] in (snapshot.values or {}).get("turns_seen", []):
        state = ThreadState.of(snapshot)
        if snapshot.next and not snapshot.interrupts:
            state = await invoke(graph, None, config, context)
        return "turn already started", state
    await _settle(graph, config, context, run, ThreadState.of(snapshot))
    return None, await invoke(graph, {**run.input, "turn": turn}, config, context)


async def _settle(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext,
                  run: AgentRun, state: ThreadState) -> None:
    """Leave the thread idle: resume decided approvals, supersede pending ones, finish interrupted steps.
    `state`: the thread's state as the caller just read it."""
    for _ in range(MAX_SETTLE_STEPS):
        command: Any
        if state.interrupts:
            answers = {}
            async with unit_of_work() as session:
                approvals = ApprovalService(session)
                # cancel first (row locks): an approval decided meanwhile keeps its decision, the rest is superseded
                await approvals.cancel_pending_for_run(run.id, "superseded by a newer message")
                for item in state.interrupts:
                    request = ApprovalRequest.from_interrupt(item.value)
                    approval = await approvals.for_run_action(run.id, request.action_id)
                    decided = approval is not None and approval.decision and approval.status not in (
                        ApprovalStatus.pending, ApprovalStatus.cancelled)
                    answers[item.id] = (response_for_decision(approval.decision, str(approval.id),
                                                              approval.request.get("action_request", {}))
                                        if decided and approval is not None and approval.decision else SUPERSEDED)
            command = Command(resume=answers)
        elif state.pending:
            command = None  # a step a crash cut short
        else:
            return
        state = await invoke(graph, command, config, context)
    log.warning("run %s: thread still busy after %s settle steps", run.id, MAX_SETTLE_STEPS)
