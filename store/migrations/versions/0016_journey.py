"""the manager's journey: a creator's preferred outreach channel; the seed API's campaign brand and type

Revision ID: 0016
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('creators', sa.Column('preferred_channel', sa.String(length=16), nullable=True))
    op.add_column('campaigns', sa.Column('brand_name', sa.String(length=200), nullable=True))
    op.add_column('campaigns', sa.Column('campaign_type', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('campaigns', 'campaign_type')
    op.drop_column('campaigns', 'brand_name')
    op.drop_column('creators', 'preferred_channel')
