"""stranded runs: count how often the stale-run sweep re-enqueued a run whose step died

`agent_runs.recoveries` is the number of recovery jobs the `agents.sweep` wrote for the run since its last
completed step; at AGENT_RUN_MAX_RECOVERIES the run becomes `needs_attention` (status is a string: no enum
change) and the manager is notified.

Revision ID: 0020
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('agent_runs', sa.Column('recoveries', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('agent_runs', 'recoveries')
