"""creators.payout_account: where a creator's payouts go (a Stripe connected account `acct_...`)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('creators', sa.Column('payout_account', sa.String(length=255), nullable=True))


def downgrade() -> None:
    op.drop_column('creators', 'payout_account')
