"""The inbox list (`GET /approvals`): one page of approvals and its total in one statement, built once per filter
shape, returning plain rows shaped for the response.

A list request is mostly fixed costs, so they are kept small (measured in `bench/inbox.py`):
- page and count are one round trip: the capped count is an uncorrelated scalar subquery, evaluated once;
- the statements are built once per combination of filters (`_statement`, cached) and executed with bound
  parameters, instead of assembling the SQL expression on every request;
- the statement is compiled once too and runs on the session's own asyncpg connection (`store/driver.py`), its
  rows read straight from the driver: SQLAlchemy's execution and result handling cost more than the query's
  round trip. Rows carry only the columns the response shows; ids and enumerations come back as text. Of the
  stored request only the parts the response shows are read (the action, its arguments, the config, the
  description), and the JSON the response shows (the arguments, the decision) is the text Postgres wrote, handed
  to the response as an `orjson.Fragment`: decoding a page's JSON and encoding it again was a fifth of a list
  request's CPU. The config is shaped in Python, once per distinct stored text (`_config`): shaping it in SQL on
  every row was a third of the page statement's Postgres time;
- each record becomes the response's item in one dict display (`_item`): copying it into a dict, decoding the
  config and reshaping that dict cost ~4x as much (0.2 ms of a page of 50).

The filters and the sort match `ix_approvals_inbox[_campaign]`, so page and count are index scans. The total is
exact up to `exact_total_max` rows; past that the planner's row estimate stands in (an exact count of 100k rows
costs more than the page).
"""

from __future__ import annotations

import uuid
from functools import cache, lru_cache
from typing import Any

import asyncpg
import orjson
from sqlalchemy import ColumnElement, Select, Text, bindparam, cast, func, literal, literal_column, select, text, tuple_
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.paging import InboxCursor, InboxPage
from store.driver import fetch as _fetch
from store.models import CONFIG_FLAGS, Approval, ApprovalKind, ApprovalStatus

# What a row of the inbox list carries: the columns `ApprovalOut` shows, under their names, and of the request its
# action, arguments (JSON text), config (JSON text, as stored: `_config` shapes it) and description.
INBOX_COLUMNS: tuple[Any, ...] = (
    cast(Approval.id, Text).label("id"), cast(Approval.kind, Text).label("kind"),
    cast(Approval.status, Text).label("status"),
    cast(Approval.campaign_id, Text).label("campaign_id"), cast(Approval.run_id, Text).label("run_id"),
    cast(Approval.creator_id, Text).label("creator_id"), Approval.action_id,
    # JSON paths as SQL text: an indexed expression would bind its keys as parameters the driver is not given
    literal_column("approvals.request -> 'action_request' ->> 'action'").label("action"),
    literal_column("(approvals.request -> 'action_request' -> 'args')::text").label("args"),
    literal_column("(approvals.request -> 'config')::text").label("config"),
    literal_column("approvals.request ->> 'description'").label("description"),
    cast(Approval.decision, Text).label("decision"),
    Approval.created_at, Approval.expires_at, Approval.escalated_at, Approval.decided_at,
)


def _conditions(status: bool, campaign: bool, kind: bool) -> list[ColumnElement[bool]]:
    conditions = [Approval.organization_id == bindparam("organization_id")]
    if status:
        conditions.append(Approval.status == bindparam("status"))
    if campaign:
        conditions.append(Approval.campaign_id == bindparam("campaign_id"))
    if kind:
        conditions.append(Approval.kind == bindparam("kind"))
    return conditions


@cache
def _statement(status: bool, campaign: bool, kind: bool, keyset: bool) -> Select[*tuple[Any, ...]]:
    """The page with its capped total, for one combination of filters; after a cursor (`keyset`) or at an offset."""
    conditions = _conditions(status, campaign, kind)
    capped_total = (select(func.count()).select_from(
        select(literal_column("1")).select_from(Approval).where(*conditions).limit(bindparam("count_limit")).subquery())
        .scalar_subquery().label("capped_total"))
    statement: Select[*tuple[Any, ...]] = (select(*INBOX_COLUMNS, capped_total).where(*conditions)
                 .order_by(Approval.created_at, Approval.id).limit(bindparam("limit")))
    if keyset:
        after = tuple_(bindparam("after_created_at", type_=Approval.created_at.type),
                       bindparam("after_id", type_=Approval.id.type))
        return statement.where(tuple_(Approval.created_at, Approval.id) > after)
    return statement.offset(bindparam("offset"))


@cache
def _count_statement(status: bool, campaign: bool, kind: bool) -> Select[int]:
    capped = (select(literal_column("1")).select_from(Approval).where(*_conditions(status, campaign, kind))
              .limit(bindparam("count_limit")).subquery())
    return select(func.count()).select_from(capped)


@lru_cache(maxsize=256)
def _config(stored: str | None) -> orjson.Fragment:
    """A stored config as the response shows it: its flags alone, each a boolean (a flag stored as anything but
    `true` reads false). Shaped here, once per distinct stored text, rather than by Postgres on every row: the
    agents write a handful of distinct configs, and building the object in SQL was a third of the page's Postgres
    time (`bench/inbox.py`)."""
    config = orjson.loads(stored) if stored else None
    flags = config if isinstance(config, dict) else {}
    return orjson.Fragment(orjson.dumps({flag: flags.get(flag) is True for flag in CONFIG_FLAGS}))


def _item(record: asyncpg.Record) -> dict[str, Any]:
    """A record as the response's item (`ApprovalOut`'s fields, in its order). The arguments and the decision are
    JSON text, written into the response as they are (`orjson.Fragment`: Postgres wrote them, they are valid
    JSON); the config is shaped by `_config`. The record is unpacked in `INBOX_COLUMNS`' order, then the capped
    total (a third cheaper than reading each column by name; `tests/test_approvals_fast_json.py` holds the
    order)."""
    (approval_id, kind, status, campaign_id, run_id, creator_id, action_id, action, args, config, description,
     decision, created_at, expires_at, escalated_at, decided_at, _capped_total) = record
    return {"id": approval_id, "kind": kind, "status": status, "campaign_id": campaign_id, "run_id": run_id,
            "creator_id": creator_id, "action_id": action_id,
            "action_request": {"action": action, "args": orjson.Fragment(args or "{}")},
            "config": _config(config), "description": description or "",
            "decision": None if decision is None else orjson.Fragment(decision),
            "created_at": created_at, "expires_at": expires_at, "escalated_at": escalated_at,
            "decided_at": decided_at}


async def inbox_page(session: AsyncSession, organization_id: uuid.UUID | None, *, status: ApprovalStatus | None,
                     campaign_id: uuid.UUID | None, kind: ApprovalKind | None, limit: int, offset: int,
                     cursor: InboxCursor | None = None, exact_total_max: int = 10_000) -> InboxPage[dict[str, Any]]:
    """One page in (created_at, id) order, after `cursor` when given (else at `offset`), each row shaped as the
    response's item (`_item`; ids as text)."""
    shape = (status is not None, campaign_id is not None, kind is not None)
    filters: dict[str, Any] = {"organization_id": organization_id, "status": status and str(status),
               "campaign_id": campaign_id, "kind": kind and str(kind)}
    parameters = filters | {"count_limit": exact_total_max + 1, "limit": limit, "offset": offset}
    if cursor is not None:
        parameters |= {"after_created_at": cursor.created_at, "after_id": cursor.id}
    records = await _fetch(session, _statement(*shape, keyset=cursor is not None), parameters)
    items = [_item(record) for record in records]
    # an empty page (past the end) carries no total: count alone then
    counted = int(records[0]["capped_total"] if records else
                  (await _fetch(session, _count_statement(*shape), parameters))[0][0])
    total, estimated = counted, False
    if counted > exact_total_max:
        total, estimated = max(await _estimate(session, organization_id, status, campaign_id, kind), counted), True
    next_cursor = InboxCursor.encode(items[-1]["created_at"], items[-1]["id"]) if len(items) == limit else None
    return InboxPage(items, total, estimated, next_cursor)


async def _estimate(session: AsyncSession, organization_id: uuid.UUID | None, status: ApprovalStatus | None,
                    campaign_id: uuid.UUID | None, kind: ApprovalKind | None) -> int:
    """The planner's row estimate for the filters (EXPLAIN only plans: no row is read)."""
    conditions = [Approval.organization_id == organization_id]
    for column, value in ((Approval.status, status), (Approval.campaign_id, campaign_id), (Approval.kind, kind)):
        if value is not None:
            conditions.append(column == value)
    compiled = select(literal(1)).select_from(Approval).where(*conditions).compile(
        dialect=asyncpg_dialect(), compile_kwargs={"literal_binds": True})
    plan = (await session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}"))).scalar_one()
    return int(plan[0]["Plan"]["Plan Rows"])
