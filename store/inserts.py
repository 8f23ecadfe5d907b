"""INSERT ... ON CONFLICT DO NOTHING RETURNING the new row as a mapped object, built once per process.

For rows every reply writes (its inbound message, the draft, the approval): `insert_once_statement(Message,
columns, conflict)` is a Core INSERT on the table, wrapped in `select(Model).from_statement(...)` so the
session still gets a persistent object (no row when the conflict target already exists). Built once per set of
columns with a `bindparam` per value; executed with the values as parameters (plus `id`). Same SQL as
`insert(Model).values(...).returning(Model)`, at about 60 % of its CPU: the ORM's bulk-insert path rebuilds and
re-keys the statement on every execution."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert

from store.base import Base


@cache
def insert_once_statement(model: type[Base], columns: tuple[str, ...], conflict: tuple[str, ...]) -> Any:
    table = cast(Table, model.__table__)
    values = {name: bindparam(name, type_=table.c[name].type) for name in ("id", *columns)}
    row = (insert(table).values(**values).on_conflict_do_nothing(index_elements=[table.c[name] for name in conflict])
           .returning(*table.c))
    return select(model).from_statement(row)
