"""Typed approval requests and the answers agents get back.

An approval node calls `ask_human(request)` exactly once: it interrupts the graph with `[request]`, shaped as
LangChain Agent Inbox's `HumanInterrupt` (`action_request {action, args}`, `config {allow_accept, allow_edit,
allow_respond, allow_ignore}`, `description`) plus our fields (`kind`, `action_id`, `creator_id`, `reasoning`,
`model`, `prompt_version`, `auto_send_kind`). The worker turns each pending interrupt into an `approvals` row keyed by
(run id, `action_id`); `action_id` must be deterministic from state, because a resumed node re-runs from its
first line.

The resume value is `[response]`, Agent Inbox's `HumanResponse` (`type`: accept | edit | response | ignore,
`args`) plus our fields (`action`: approve | edit | reject | respond | ignore | expire, `payload`, `feedback`,
`approval_id`, `actor`). So a graph can also be answered straight from Agent Inbox / LangGraph Studio.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import interrupt
from pydantic import BaseModel, Field

ApprovalKindName = Literal["shortlist", "message", "offer", "contract", "payment", "terms"]
ResponseType = Literal["accept", "edit", "response", "ignore"]


class ActionRequest(BaseModel):
    action: str
    args: dict[str, Any] = Field(default_factory=dict)


class InboxConfig(BaseModel):
    allow_accept: bool = True
    allow_edit: bool = True
    allow_respond: bool = True
    allow_ignore: bool = True


class ApprovalRequest(BaseModel):
    """What an agent asks a human. Agent Inbox's fields first, then ours."""

    action_request: ActionRequest
    config: InboxConfig = Field(default_factory=InboxConfig)
    description: str
    kind: ApprovalKindName
    action_id: str
    creator_id: str | None = None
    reasoning: str = ""
    model: str | None = None
    prompt_version: str | None = None
    # Which of the brief's `auto_send` rules may answer this request without a human ("outreach",
    # "follow_up"); None: always a human (shortlists, offers, contracts, payments).
    auto_send_kind: str | None = None

    def to_interrupt(self) -> list[dict[str, Any]]:
        return [self.model_dump(mode="json")]

    @classmethod
    def from_interrupt(cls, value: Any) -> ApprovalRequest:
        return cls.model_validate(value[0] if isinstance(value, list) else value)


class HumanResponse(BaseModel):
    type: ResponseType
    args: None | str | dict[str, Any] = None
    action: str | None = None
    payload: dict[str, Any] | None = None
    feedback: str | None = None
    approval_id: str | None = None
    actor: dict[str, Any] | None = None

    @property
    def accepted(self) -> bool:
        return self.type in ("accept", "edit")

    @property
    def instructions(self) -> str | None:
        """The human's feedback for a redo (a response's text, or a rejection's feedback)."""
        if self.type == "response":
            return self.feedback or (self.args if isinstance(self.args, str) else None)
        return None

    def edited_args(self) -> dict[str, Any]:
        """For `edit`: the changed fields (ours) or Agent Inbox's edited `ActionRequest.args`."""
        if self.payload:
            return self.payload
        if isinstance(self.args, dict):
            inner = self.args.get("args")
            return inner if isinstance(inner, dict) else self.args
        return {}


def ask_human(request: ApprovalRequest) -> HumanResponse:
    """Interrupt once with `request`; on resume, return the normalised answer. Call only in an approval node."""
    answer = interrupt(request.to_interrupt())
    if isinstance(answer, list):
        answer = answer[0] if answer else {"type": "ignore"}
    return HumanResponse.model_validate(answer)


def response_for_decision(decision: dict[str, Any], approval_id: str, action_request: dict[str, Any]) -> list[
        dict[str, Any]]:
    """The resume value for a recorded decision (`approvals.decision`), in Agent Inbox's shape plus ours."""
    action = decision.get("action")
    feedback = decision.get("feedback")
    payload = decision.get("payload")
    kind: ResponseType
    args: None | str | dict[str, Any] = None
    if action == "approve":
        kind = "accept"
    elif action == "edit":
        kind = "edit"
        args = {"action": action_request.get("action"), "args": {**action_request.get("args", {}), **(payload or {})}}
    elif action == "respond" or (action == "reject" and feedback):
        kind, args = "response", feedback
    else:  # ignore, reject without feedback, expire
        kind = "ignore"
    response = HumanResponse(type=kind, args=args, action=action, payload=payload, feedback=feedback,
                             approval_id=approval_id, actor=decision.get("actor"))
    return [response.model_dump(mode="json")]
