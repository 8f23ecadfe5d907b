"""complete terms before a contract: a negotiation records its payment schedule and whether it is exclusive

`negotiations.payment_schedule` (JSON installments, percent of the fee) and `negotiations.exclusive` (False: agreed
without exclusivity) join the terms a contract is drafted from; None means "not decided yet", which the contract
agent asks the manager for (approval kind `terms`, stored like every kind as a string: no enum change).

Revision ID: 0018
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0018'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('negotiations', sa.Column('exclusive', sa.Boolean(), nullable=True))
    op.add_column('negotiations', sa.Column('payment_schedule', postgresql.JSONB(astext_type=sa.Text()),
                                            nullable=True))
    # Records agreed before this revision took their schedule from the template and had exclusivity exactly when
    # a category was recorded: keep them complete rather than asking again.
    op.execute("UPDATE negotiations SET exclusive = (exclusivity IS NOT NULL) WHERE status <> 'open'")


def downgrade() -> None:
    op.drop_column('negotiations', 'payment_schedule')
    op.drop_column('negotiations', 'exclusive')
