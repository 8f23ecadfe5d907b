"""Write one persistent object's changed columns with a prebuilt Core UPDATE instead of the unit of work's flush.

The ORM's flush of a single changed object cost 0.5-0.7 ms of CPU on a reply's path (sorting the session's
states, collecting the update, processing its result) where the same `UPDATE ... RETURNING updated_at` through
`session.execute` costs about a third of that. A reply changes rows this way (the conversation's last message
and follow-up, the negotiation's round and ask). `write_changes` writes what the object's attribute history
holds, sets `updated_at` as the ORM's `onupdate` would, and records the written values as committed, so the
flush finds nothing left to write for it (the object stays marked as touched, so a flush still looks at it:
~0.2 ms, with no statement). A model with update events (`store/creators/events.py`) is left to the flush,
which runs them; the statement is built once per table and set of columns.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ColumnProperty
from sqlalchemy.orm.attributes import set_committed_value

from store.base import UUIDPrimaryKey


@cache
def _update(table: Table, columns: tuple[str, ...]) -> Any:
    values: dict[str, Any] = {name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns}
    stamped = "updated_at" in table.c and "updated_at" not in columns
    if stamped:
        values["updated_at"] = func.now()
    statement = table.update().where(table.c.id == bindparam("row_id")).values(values)
    return statement.returning(table.c.updated_at) if stamped else statement


async def write_changes(session: AsyncSession, instance: UUIDPrimaryKey) -> None:
    """Write `instance`'s changed columns now, in the session's transaction (nothing when none changed or the
    object is not yet in the database: the flush inserts it)."""
    state = inspect(instance)
    if not state.persistent:
        return
    if state.mapper.dispatch.before_update or state.mapper.dispatch.after_update:
        await session.flush()  # its mapper events must run (e.g. a creator's derived columns): the flush writes it
        return
    changed: dict[str, tuple[str, Any]] = {}  # column name → (attribute key, value)
    for prop in state.mapper.column_attrs:
        added = state.attrs[prop.key].history.added
        if added:
            changed[cast(ColumnProperty[Any], prop).columns[0].name] = (prop.key, added[0])
    if not changed:
        return
    table = cast(Table, state.mapper.local_table)
    columns = tuple(sorted(changed))
    parameters = {"row_id": instance.id} | {f"new_{name}": changed[name][1] for name in columns}
    with session.no_autoflush:  # else the session would flush this very change before the statement runs
        result = await session.execute(_update(table, columns), parameters)
    for key, value in changed.values():
        set_committed_value(instance, key, value)
    if "updated_at" in table.c and "updated_at" not in changed:
        set_committed_value(instance, "updated_at", result.scalar_one())
