"""The offer invariant every test flow must keep: an offer's text (on the approval card and in its draft message,
edited or not) never states an amount other than the one the offer records. `tests/conftest.py` checks it after
every test, so no flow of the suite can leave an offer whose text and recorded amount differ."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from agents.tasks.money import find_amounts
from store.db import unit_of_work
from store.models import Approval, ApprovalKind, Message


def _stated(text: str | None) -> set[Decimal]:
    return {amount.value for amount in find_amounts(text or "") if amount.currency or amount.value >= 50}


async def offers_disagreeing_with_their_amount() -> list[str]:
    """One line per offer approval (or its draft) whose text states another amount than the recorded one."""
    async with unit_of_work() as session:
        approvals = list((await session.execute(select(Approval).where(Approval.kind == ApprovalKind.offer)))
                         .scalars())
        drafts = {message.approval_id: message for message in (await session.execute(
            select(Message).where(Message.approval_id.in_([approval.id for approval in approvals])))).scalars()}
    problems = []
    for approval in approvals:
        args = approval.request.get("action_request", {}).get("args", {})
        # An offer without an amount (a gifted collaboration, or a card made by hand) may state none either.
        recorded = {Decimal(str(args["amount"]))} if args.get("amount") not in (None, "") else set()
        amount = next(iter(recorded), None)
        draft = drafts.get(approval.id)
        for where, text in (("card", args.get("body_text")), ("draft", draft.body_text if draft else None)):
            extra = _stated(text) - recorded
            if extra:
                problems.append(f"offer {approval.id} records {amount} but its {where} states {sorted(extra)}")
    return problems
