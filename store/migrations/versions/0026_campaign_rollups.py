"""analytics campaign rollups: one row of sums per campaign, kept by the rollup worker

`analytics_campaign_rollups` holds, per campaign, the sums of its creator rollups (store/analytics/campaign_rollups.py
recomputes them in the rollup worker's transaction). The campaigns page and a campaign's analytics read this row
instead of summing every creator row per request. Every pair already rolled up is marked dirty here, so the
worker's next pass fills the table (until then a campaign shows its figures as missing, not wrong).

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("clicks", "unique_clicks", "orders", "refunded_orders", "unconverted_orders", "payment_points",
           "tracking_points", "impression_posts", "reach_posts", "engagement_posts", "emv_posts")
_MONEY = ("revenue_gross", "refunds", "spend_committed", "spend_paid")
_UNKNOWN_WHEN_NULL = ("impressions", "reach", "views", "engagements", "rate_engagements", "rate_audience")


def upgrade() -> None:
    op.create_table(
        'analytics_campaign_rollups',
        sa.Column('campaign_id', sa.Uuid(), nullable=False),
        sa.Column('organization_id', sa.Uuid(), nullable=False),
        sa.Column('creators', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in _COUNTS),
        *(sa.Column(name, sa.Numeric(precision=20, scale=3), nullable=False) for name in _MONEY),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in _UNKNOWN_WHEN_NULL),
        sa.Column('emv', sa.Numeric(precision=20, scale=3), nullable=True),
        sa.Column('platforms', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                                name=op.f('fk_analytics_campaign_rollups_campaign_id_campaigns'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_analytics_campaign_rollups_organization_id_organizations'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_analytics_campaign_rollups')),
    )
    op.create_index(op.f('ix_analytics_campaign_rollups_organization_id'), 'analytics_campaign_rollups',
                    ['organization_id'], unique=False)
    # every computed pair is marked: the rollup worker's next pass fills the new table with its own code
    op.execute("INSERT INTO analytics_dirty (campaign_id, creator_id) "
               "SELECT campaign_id, creator_id FROM analytics_creator_rollups ON CONFLICT DO NOTHING")


def downgrade() -> None:
    op.drop_index(op.f('ix_analytics_campaign_rollups_organization_id'), table_name='analytics_campaign_rollups')
    op.drop_table('analytics_campaign_rollups')
