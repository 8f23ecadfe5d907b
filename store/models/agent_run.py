"""One agent run = one LangGraph thread (`thread_id` is this row's id); its checkpoints live in the
`langgraph` schema. Runs are started and resumed only by the `agents.run` / `agents.resume` actors.

`idempotency_key` makes run creation safe to repeat: `discovery:<campaign>` for the campaign's discovery
run, `outreach:<discovery run>:<creator>:<channel>` for each outreach run the shortlist approval starts.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class RunKind(enum.StrEnum):
    discovery = "discovery"
    outreach = "outreach"
    negotiation = "negotiation"  # one per conversation (`negotiation:<conversation id>`); a turn per reply
    contract = "contract"  # agents/contract: one run per agreed negotiation


class RunStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    waiting_approval = "waiting_approval"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"
    needs_attention = "needs_attention"  # its step died repeatedly (AGENT_RUN_MAX_RECOVERIES): a person looks


class AgentRun(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "agent_runs"
    # Fetch updated_at (and other server values) at flush, so responses never lazy-load them.
    __mapper_args__ = {"eager_defaults": True}

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RunKind] = mapped_column(str_enum(RunKind))
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), default=RunStatus.queued, index=True)
    parent_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agent_runs.id", ondelete="SET NULL"),
                                                            index=True)
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    channel: Mapped[str | None] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    input: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # the graph's input state
    outcome: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # recovery jobs the stale-run sweep wrote since the last step that ended (store/agent_runs/recovery.py)
    recoveries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
