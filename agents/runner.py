"""Runs and resumes agent graphs for the `agents.run` / `agents.resume` actors. Never called in a request.

Each job: mark the run running → open its own checkpointer (own connection, run advisory lock) → look at the
thread with `aget_state()` before doing anything, because `Command(resume=...)` on a finished thread silently
returns the final state and a resume for an interrupt that is already answered must do nothing → advance the
graph at most one step (start, resume the matching interrupt, or continue after a crash) → turn every pending
interrupt into an approval row (idempotent on run + action id) → record the run's status. What the step left on
the thread (`ThreadState`) comes from the invocation's own output, not from reading the checkpoint back.

Every step is safe to repeat: a duplicate `agents.run` finds a started thread, a duplicate `agents.resume`
finds no interrupt with that action id, and materialising approvals twice inserts nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langgraph.constants import CONFIG_KEY_CHECKPOINTER
from langgraph.graph.state import CompiledStateGraph, StateGraph
from langgraph.types import Command, Interrupt, StateSnapshot

from agents.approval import ApprovalRequest, response_for_decision
from agents.checkpointer import run_checkpointer
from agents.context import AgentContext
from agents.contract.graph import builder as contract_builder
from agents.discovery.graph import builder as discovery_builder
from agents.llm.factory import get_chat_model
from agents.negotiation.graph import builder as negotiation_builder
from agents.outreach.graph import builder as outreach_builder
from core.settings import get_settings
from store.agent_runs.service import AgentRunService
from store.approvals.deciding import ApprovalDecisions
from store.approvals.decision import Decision
from store.approvals.service import Actor, ApprovalService, NewApproval
from store.campaigns.brief import brief_of
from store.campaigns.service import CampaignService
from store.conversations.service import OutboundText
from store.db import unit_of_work
from store.models import (
    ActorType,
    AgentRun,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    DecisionAction,
    MessageChannel,
    RunKind,
)

log = logging.getLogger(__name__)

BUILDERS: dict[RunKind, StateGraph[Any, Any, Any, Any]] = {
    RunKind.discovery: discovery_builder,
    RunKind.outreach: outreach_builder,
    RunKind.negotiation: negotiation_builder,  # turns start in agents/negotiation/runner.py; resumes here
    RunKind.contract: contract_builder,
}
AUTO_SEND = Actor(ActorType.rule, label="brief.auto_send")
# Compiled once per process (compiling per step was ~11% of a worker's event loop) and shared by every job.
_COMPILED: dict[RunKind, CompiledStateGraph[Any, Any, Any, Any]] = {}


def compiled_graph(kind: RunKind) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The run kind's graph, compiled on first use in this process, without a checkpointer of its own."""
    graph = _COMPILED.get(kind)
    if graph is None:
        graph = _COMPILED[kind] = BUILDERS[kind].compile()
    return graph


def thread_config(run_id: uuid.UUID, saver: Any) -> Any:
    """A job's config for its run's thread: the job's own checkpointer travels in the config (LangGraph's way to
    lend a saver to a graph, as a parent does to its subgraphs; runs and state reads both take it from there),
    so the shared compiled graph is not copied per job (a copy re-ran the graph's constructor and validation)."""
    return {"configurable": {"thread_id": str(run_id), CONFIG_KEY_CHECKPOINTER: saver}}


@dataclass(frozen=True)
class ThreadState:
    """What a step left on the thread: its values, the interrupts waiting for an answer, and whether nodes are left
    to run (`next`: an interrupt, or a step a crash cut short)."""

    values: dict[str, Any]
    interrupts: tuple[Interrupt, ...]
    pending: bool

    @classmethod
    def of(cls, snapshot: StateSnapshot) -> ThreadState:
        return cls(dict(snapshot.values or {}), tuple(snapshot.interrupts), bool(snapshot.next))


async def invoke(graph: CompiledStateGraph[Any, Any, Any, Any], command: Any, config: Any, context: AgentContext,
                 durability_mode: Any = None) -> ThreadState:
    """Run the graph from `command` until it ends or stops at an interrupt; the state it left, from its output.

    Our graphs run one node at a time (no parallel branches), so a run that returns without interrupts ran to
    the end, and the last values it streamed are the thread's values (reading the checkpoint back was a query,
    its decoding and LangGraph's next-task planning: ~7 % of a reply's turn)."""
    output = await graph.ainvoke(command, config, context=context, durability=durability_mode or durability(),
                                 version="v2")
    return ThreadState(dict(output.value or {}), tuple(output.interrupts), bool(output.interrupts))


def durability() -> Any:
    """How often a step's checkpoints are written (`AGENT_CHECKPOINT_DURABILITY`): "exit" writes once, when the
    step stops at an interrupt, ends or fails. A crash mid-step then replays the step from its last saved
    checkpoint, which is safe because side effects go through the outbox on idempotency keys (rule 2)."""
    return get_settings().AGENT_CHECKPOINT_DURABILITY


# What `advance` returns: its outcome (None: let `run_step` derive one) and the state it left the thread in.
Advanced = tuple[str | None, ThreadState]
Advance = Callable[[CompiledStateGraph[Any, Any, Any, Any], Any, AgentContext, AgentRun], Awaitable[Advanced]]


async def start_run(run_id: uuid.UUID) -> None:
    await _step(run_id, approval_id=None)


async def resume_run(run_id: uuid.UUID, approval_id: uuid.UUID) -> None:
    await _step(run_id, approval_id=approval_id)


async def _step(run_id: uuid.UUID, approval_id: uuid.UUID | None) -> None:
    approval = None
    if approval_id:
        async with unit_of_work() as session:
            approval = await ApprovalService(session).get_for_run(approval_id)
    if approval is not None and approval.run_id != run_id:
        raise ValueError(f"approval {approval.id} does not belong to run {run_id}")

    async def advance(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext,
                      run: AgentRun) -> Advanced:
        return None, await _advance(graph, config, context, run, approval)

    await run_step(run_id, advance)


async def run_step(run_id: uuid.UUID, advance: Advance,
                   outcome_of: Callable[[dict[str, Any]], str] | None = None) -> str | None:
    """One worker step on a run's thread: mark it running, `advance` the graph under the run's checkpointer
    (its own connection, holding the run's advisory lock), then materialise the pending interrupts as approvals
    and record the run's status, from the state `advance` left. Returns the outcome `advance` gave, or when that
    is None and `outcome_of` is given, `outcome_of` the thread's values after the step. None when the run is gone
    or cancelled."""
    async with unit_of_work() as session:
        run = await AgentRunService(session).begin_step(run_id)
    if run is None:
        log.info("run %s is gone or cancelled; nothing to do", run_id)
        return None
    context = AgentContext(organization_id=str(run.organization_id), campaign_id=str(run.campaign_id),
                           run_id=str(run.id), model=get_chat_model())
    try:
        async with run_checkpointer(run.id) as saver:
            outcome, state = await advance(compiled_graph(RunKind(run.kind)), thread_config(run.id, saver), context,
                                           run)
    except Exception as exc:
        async with unit_of_work() as session:
            await AgentRunService(session).fail_step(run.id, f"{type(exc).__name__}: {exc}")
        raise
    async with unit_of_work() as session:
        await materialise(session, run, state)
    if outcome is None and outcome_of is not None:
        return outcome_of(state.values)
    return outcome


async def _advance(graph: CompiledStateGraph[Any, Any, Any, Any], config: Any, context: AgentContext,
                   run: AgentRun, approval: Approval | None) -> ThreadState:
    snapshot = await graph.aget_state(config)
    command: Any
    if snapshot.created_at is None:
        command = run.input  # a new thread
    elif (resume := _resume_command(snapshot, approval)) is not None:
        command = resume
    elif snapshot.next and not snapshot.interrupts:
        command = None  # stopped by a crash between steps: continue from the last checkpoint
    else:
        log.info("run %s: nothing to advance (already answered, or finished)", run.id)
        return ThreadState.of(snapshot)
    return await invoke(graph, command, config, context)


def _resume_command(snapshot: StateSnapshot, approval: Approval | None) -> Command[Any] | None:
    """Resume the interrupt this decided approval answers; None when it is not pending any more."""
    if approval is None or approval.status == ApprovalStatus.pending or not approval.decision:
        return None
    for item in snapshot.interrupts:
        if ApprovalRequest.from_interrupt(item.value).action_id == approval.action_id:
            value = response_for_decision(approval.decision, str(approval.id),
                                          approval.request.get("action_request", {}))
            return Command(resume={item.id: value})
    return None


async def materialise(session: Any, run: AgentRun, state: ThreadState) -> None:
    """Approval rows for pending interrupts (auto-decided when the brief allows), then the run's status."""
    approvals = ApprovalService(session)
    auto_send: set[str] | None = None  # the brief's, read only for a request that could be auto-sent
    for item in state.interrupts:
        request = ApprovalRequest.from_interrupt(item.value)
        approval, created = await approvals.open(NewApproval(
            run=run, kind=ApprovalKind(request.kind), action_id=request.action_id, request=request.model_dump(
                mode="json"), creator_id=uuid.UUID(request.creator_id) if request.creator_id else None,
            reasoning=request.reasoning, model=request.model, prompt_version=request.prompt_version,
            draft=_draft(request)))
        if not (created and request.auto_send_kind and request.config.allow_accept):
            continue
        if auto_send is None:
            auto_send = set(brief_of(await CampaignService(session).campaign_for_run(run.campaign_id)).auto_send)
        if request.auto_send_kind in auto_send:
            await ApprovalDecisions(session).decide(run.organization_id, approval.id, Decision(DecisionAction.approve),
                                                    AUTO_SEND)
    await AgentRunService(session).end_step(run.id, waiting=bool(state.interrupts), finished=not state.pending,
                                            outcome=state.values.get("outcome"))


def _draft(request: ApprovalRequest) -> OutboundText | None:
    if request.kind not in ("message", "offer"):  # an offer is a message carrying a fee
        return None
    args = request.action_request.args
    return OutboundText(channel=MessageChannel(args["channel"]), subject=args.get("subject"),
                        body_text=args["body_text"], to_address=args.get("to"), model=request.model,
                        prompt_version=request.prompt_version)
