"""Flush hooks on `Creator`: keep the denormalised columns true and enqueue `creators.embed` in the same
transaction whenever the embedded text changes.

Every ORM write goes through here — PUT /creators/me, registration in `store/users/service.py`, admin edits —
so no writer can forget either step. Bulk loaders (import, seed) write with Core and call the same functions
(`apply_derived`, `embed_job_statement`) themselves. Imported by `store/models/__init__.py`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from store.creators.profile import creator_embedding_text, derived_columns, text_hash
from store.models.creator import Creator


def apply_derived(creator: Creator) -> None:
    for column, value in derived_columns(display_name=creator.display_name, categories=creator.categories or [],
                                         audience=creator.audience or {}, rates=creator.rates or {},
                                         currency=creator.currency, country=creator.country,
                                         languages=creator.languages or []).items():
        setattr(creator, column, value)
    new_hash = text_hash(creator_embedding_text(creator))
    if new_hash != creator.content_hash:
        creator.content_hash = new_hash
        creator._embedding_due = True


@event.listens_for(Creator, "before_insert")
@event.listens_for(Creator, "before_update")
def _before_write(_: Mapper[Any], __: Connection, creator: Creator) -> None:
    if creator.id is None:
        creator.id = uuid.uuid4()
    apply_derived(creator)


@event.listens_for(Creator, "after_insert")
@event.listens_for(Creator, "after_update")
def _after_write(_: Mapper[Any], connection: Connection, creator: Creator) -> None:
    if creator._embedding_due:
        # Imported here: this module is loaded by `store.models` itself, before the outbox model is importable.
        from store.creators.jobs import embed_job_statement

        creator._embedding_due = False
        connection.execute(embed_job_statement([creator.id], f"{creator.id}:{creator.content_hash}"))
