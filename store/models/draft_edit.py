"""A manager's correction of a draft, kept per organization as an example to learn the brand's voice from.

Written in the approval decision's transaction (`store/approvals/deciding.py`): an edit keeps the draft as the
agent wrote it (`before`) and as the manager sent it (`after`); a rejection or a respond with feedback keeps the
draft and the feedback. `embedding` (the `EMBEDDING_PROVIDER`'s 384 dimensions, of `before`) is filled by the
`drafts.embed_edit` job enqueued in that same transaction (`tools/embeddings/draft_edits.py`), and is used to
retrieve the examples nearest to a new draft as few-shot guidance.
"""

from __future__ import annotations

import uuid

from pgvector.sqlalchemy import VECTOR
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey

EMBEDDING_DIMENSIONS = 384


class DraftEdit(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "draft_edits"
    __table_args__ = (Index("ix_draft_edits_organization_id_channel", "organization_id", "channel"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    approval_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approvals.id", ondelete="SET NULL"))
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # "edit" | "feedback"
    channel: Mapped[str] = mapped_column(String(16))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    embedding: Mapped[list[float] | None] = mapped_column(VECTOR(EMBEDDING_DIMENSIONS))
