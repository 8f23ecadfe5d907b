"""The approval inbox: pending items across campaigns with filters, one item's card (draft, thread, creator,
match reasons, offer limits and history, clause diff, ledger line), decisions one at a time or in a batch.

The list polls (`every 3s`) so items agents add appear without a reload. Decisions go through
`ApprovalDecisions` exactly like `POST /approvals/{id}/decision`; the form only maps fields to the decision payload.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import Response

from api.console.pages import ConsoleRoute, render
from api.console.session import ManagerPage, verify_csrf
from api.deps import SessionDep
from core.errors import InvalidInput
from store.approvals.deciding import ApprovalDecisions
from store.approvals.decision import Decision
from store.approvals.inbox import AGES, InboxFilters, InboxService
from store.approvals.service import Actor
from store.models import ApprovalKind, DecisionAction

router = APIRouter(prefix="/app/inbox", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])
PAGE_SIZE = 50


def _filters(campaign: str | None, kind: str | None, channel: str | None, age: str | None,
             escalated: str | None) -> InboxFilters:
    try:
        return InboxFilters(campaign_id=uuid.UUID(campaign) if campaign else None,
                            kind=ApprovalKind(kind) if kind else None,
                            channel=channel if channel in ("email", "whatsapp") else None,
                            older_than=age if age in AGES else None, escalated=bool(escalated))
    except ValueError as exc:
        raise InvalidInput("Unknown filter value", code="invalid_filter") from exc


FilterArgs = dict[str, Any]


def filter_args(campaign: Annotated[str | None, Query(max_length=40)] = None,
                kind: Annotated[str | None, Query(max_length=20)] = None,
                channel: Annotated[str | None, Query(max_length=20)] = None,
                age: Annotated[str | None, Query(max_length=10)] = None,
                escalated: Annotated[str | None, Query(max_length=5)] = None) -> FilterArgs:
    return {"campaign": campaign, "kind": kind, "channel": channel, "age": age, "escalated": escalated}


Filters = Annotated[FilterArgs, Depends(filter_args)]


@router.get("")
async def inbox(request: Request, principal: ManagerPage, session: SessionDep, args: Filters) -> Response:
    service = InboxService(session)
    page = await service.page(principal.organization_id, _filters(**args), limit=PAGE_SIZE)
    return render(request, "inbox.html", {"page": page, "args": args, "selected": set(),
                                          "campaigns": await service.campaigns(principal.organization_id),
                                          "kinds": [kind.value for kind in ApprovalKind], "ages": list(AGES)})


@router.get("/items")
async def inbox_items(request: Request, principal: ManagerPage, session: SessionDep, args: Filters,
                      selected: Annotated[list[str] | None, Query(max_length=PAGE_SIZE)] = None) -> Response:
    """The polled list; boxes ticked for a batch stay ticked across refreshes."""
    page = await InboxService(session).page(principal.organization_id, _filters(**args), limit=PAGE_SIZE)
    return render(request, "_inbox_list.html", {"page": page, "args": args, "selected": set(selected or [])})


@router.get("/{approval_id}")
async def card(request: Request, approval_id: uuid.UUID, principal: ManagerPage, session: SessionDep) -> Response:
    card = await InboxService(session).card(principal.organization_id, approval_id)
    template = "_approval.html" if request.headers.get("hx-request") == "true" else "approval_page.html"
    return render(request, template, {"card": card, "approval": card.detail.approval})


def _edit_payload(kind: ApprovalKind, args: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """Map the edit form to the decision payload of this kind (the effect validates it)."""
    if kind == ApprovalKind.shortlist:
        return {"creator_ids": form["keep"]}
    if kind in (ApprovalKind.message, ApprovalKind.offer):
        amount = (form.get("amount") or "").strip()
        if kind == ApprovalKind.offer and amount and amount != str(args.get("amount")):
            return {"amount": amount}  # a new amount: the agent rewrites the message for it
        fields = {"body_text": form.get("body_text") or ""}
        if form.get("subject") is not None and args.get("channel") != "whatsapp":
            fields["subject"] = form["subject"]
        return fields
    try:
        payload = json.loads(form.get("payload") or "{}")
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"The edit is not valid JSON: {exc.msg}", code="invalid_edit") from exc
    if not isinstance(payload, dict):
        raise InvalidInput("The edit must be a JSON object", code="invalid_edit")
    return payload


@router.post("/{approval_id}/decide")
async def decide(request: Request, approval_id: uuid.UUID, principal: ManagerPage, session: SessionDep,
                 action: Annotated[DecisionAction, Form()],
                 feedback: Annotated[str | None, Form(max_length=4000)] = None,
                 subject: Annotated[str | None, Form(max_length=500)] = None,
                 body_text: Annotated[str | None, Form(max_length=20000)] = None,
                 amount: Annotated[str | None, Form(max_length=30)] = None,
                 keep: Annotated[list[str] | None, Form()] = None,
                 payload: Annotated[str | None, Form(max_length=20000)] = None,
                 kind: Annotated[ApprovalKind | None, Form()] = None,
                 args_json: Annotated[str | None, Form(max_length=50000)] = None) -> Response:
    edit: dict[str, Any] | None = None
    if action == DecisionAction.edit:
        shown_args = json.loads(args_json or "{}") if args_json else {}
        edit = _edit_payload(kind or ApprovalKind.message, shown_args,
                             {"subject": subject, "body_text": body_text, "amount": amount, "keep": keep or [],
                              "payload": payload})
    if action == DecisionAction.respond and not (feedback or "").strip():
        raise InvalidInput("Write what the agent should do", code="feedback_required")
    approval = await ApprovalDecisions(session).decide(principal.organization_id, approval_id,
                                                       Decision(action, edit, (feedback or "").strip() or None),
                                                       Actor.user(principal.id))
    return render(request, "_decided.html", {"approval": approval}, headers={"HX-Trigger": "inbox-changed"})


@router.post("/batch")
async def batch(request: Request, principal: ManagerPage, session: SessionDep,
                selected: Annotated[list[uuid.UUID] | None, Form(max_length=PAGE_SIZE)] = None) -> Response:
    if not selected:
        raise InvalidInput("Tick the items to approve first (x toggles the focused one)", code="nothing_selected")
    outcomes = await ApprovalDecisions(session).decide_many(
        principal.organization_id, [(approval_id, Decision(DecisionAction.approve)) for approval_id in selected],
        Actor.user(principal.id))
    return render(request, "_batch_result.html", {"outcomes": outcomes}, headers={"HX-Trigger": "inbox-changed"})
