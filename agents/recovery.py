"""`agents.recover`: continue a run whose step died (written by the stale-run sweep, `store/agent_runs/recovery.py`).

Under the run's lock, like every step (`agents.runner.run_step`), look at the thread and do the one thing that
moves it on:
- never started (no checkpoint): start it with its input (a negotiation thread only starts with a turn: nothing);
- waiting on interrupts some of which the manager already decided: resume those with their decisions (the
  `agents.resume` of the dead step never got that far);
- stopped between nodes (`next` set, no interrupt): continue from the last checkpoint;
- otherwise nothing: `run_step` records the status the thread is really in (waiting for approval, completed).

Safe to repeat and to race with a redelivered `agents.resume` / `negotiation.turn`: the lock serialises them and
each finds the work already done.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, StateSnapshot

from agents.approval import ApprovalRequest, response_for_decision
from agents.context import AgentContext
from agents.runner import Advanced, ThreadState, invoke, run_step
from store.approvals.service import ApprovalService
from store.db import unit_of_work
from store.models import AgentRun, ApprovalStatus, RunKind

log = logging.getLogger(__name__)


async def recover_run(run_id: uuid.UUID) -> str:
    return await run_step(run_id, _advance) or "run cancelled or gone"


async def _advance(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext,
                   run: AgentRun) -> Advanced:
    snapshot = await graph.aget_state(config)
    command: Any
    if snapshot.created_at is None:
        if run.kind == RunKind.negotiation:
            return "nothing to recover: no turn started", ThreadState.of(snapshot)
        command, what = run.input, "started"
    elif snapshot.interrupts:
        answers = await _decided_answers(run.id, snapshot)
        if not answers:
            return "waiting for approval", ThreadState.of(snapshot)
        command, what = Command(resume=answers), "resumed with the recorded decision"
    elif snapshot.next:
        command, what = None, "continued from the last checkpoint"
    else:
        return "nothing to recover: finished", ThreadState.of(snapshot)
    log.warning("run %s recovered after a dead step: %s", run.id, what)
    return what, await invoke(graph, command, config, context, durability_mode="sync")


async def _decided_answers(run_id: uuid.UUID, snapshot: StateSnapshot) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    async with unit_of_work() as session:
        approvals = ApprovalService(session)
        for item in snapshot.interrupts:
            request = ApprovalRequest.from_interrupt(item.value)
            approval = await approvals.for_run_action(run_id, request.action_id)
            if (approval is not None and approval.decision
                    and approval.status not in (ApprovalStatus.pending, ApprovalStatus.cancelled)):
                answers[item.id] = response_for_decision(approval.decision, str(approval.id),
                                                         approval.request.get("action_request", {}))
    return answers
