"""analytics: posts, metric snapshots, tracked links, clicks, promo codes, orders, refunds, rollups, EMV rates

Revision ID: 0013
Revises: 0017
Create Date: 2026-12-02 21:44:27.057520
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0013'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('analytics_dirty',
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('campaign_id', 'creator_id', name=op.f('pk_analytics_dirty'))
    )
    op.create_table('emv_rates',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rates', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_emv_rates_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', 'platform', name=op.f('pk_emv_rates'))
    )
    op.create_table('analytics_creator_rollups',
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('clicks', sa.BigInteger(), nullable=False),
    sa.Column('unique_clicks', sa.BigInteger(), nullable=False),
    sa.Column('bot_clicks', sa.BigInteger(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('refunded_orders', sa.Integer(), nullable=False),
    sa.Column('revenue_gross', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('refunds', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('unconverted_orders', sa.Integer(), nullable=False),
    sa.Column('spend_committed', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('spend_paid', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('payment_points', sa.Integer(), nullable=False),
    sa.Column('negotiated_fee', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('tracking_points', sa.Integer(), nullable=False),
    sa.Column('impressions', sa.BigInteger(), nullable=True),
    sa.Column('impression_posts', sa.Integer(), nullable=False),
    sa.Column('reach', sa.BigInteger(), nullable=True),
    sa.Column('reach_posts', sa.Integer(), nullable=False),
    sa.Column('views', sa.BigInteger(), nullable=True),
    sa.Column('engagements', sa.BigInteger(), nullable=True),
    sa.Column('engagement_posts', sa.Integer(), nullable=False),
    sa.Column('rate_engagements', sa.BigInteger(), nullable=True),
    sa.Column('rate_audience', sa.BigInteger(), nullable=True),
    sa.Column('emv', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('emv_posts', sa.Integer(), nullable=False),
    sa.Column('platform_metrics', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('snapshot_points', sa.Integer(), nullable=False),
    sa.Column('self_reported_posts', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_analytics_creator_rollups_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_analytics_creator_rollups_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_analytics_creator_rollups_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('campaign_id', 'creator_id', name=op.f('pk_analytics_creator_rollups'))
    )
    op.create_index('ix_analytics_creator_rollups_organization_id', 'analytics_creator_rollups', ['organization_id', 'campaign_id'], unique=False)
    op.create_table('analytics_daily_rollups',
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('clicks', sa.BigInteger(), nullable=False),
    sa.Column('unique_clicks', sa.BigInteger(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('revenue', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('spend_committed', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('spend_paid', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('impressions', sa.BigInteger(), nullable=True),
    sa.Column('reach', sa.BigInteger(), nullable=True),
    sa.Column('engagements', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_analytics_daily_rollups_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_analytics_daily_rollups_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'creator_id', 'day', name=op.f('pk_analytics_daily_rollups'))
    )
    op.create_table('orders',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_order_id', sa.String(length=100), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=True),
    sa.Column('creator_id', sa.Uuid(), nullable=True),
    sa.Column('attributed_by', sa.String(length=16), nullable=False),
    sa.Column('promo_code', sa.String(length=64), nullable=True),
    sa.Column('click_id', sa.Uuid(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_amount', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('refunded_amount', sa.Numeric(precision=18, scale=3), server_default='0', nullable=False),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_orders_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_orders_creator_id_creators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_orders_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('organization_id', 'source', 'external_order_id', name=op.f('uq_orders_organization_id'))
    )
    op.create_index('ix_orders_campaign_id_creator_id', 'orders', ['campaign_id', 'creator_id'], unique=False)
    op.create_table('promo_codes',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_promo_codes_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_promo_codes_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_promo_codes_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes')),
    sa.UniqueConstraint('organization_id', 'code', name=op.f('uq_promo_codes_organization_id'))
    )
    op.create_index(op.f('ix_promo_codes_campaign_id'), 'promo_codes', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_promo_codes_creator_id'), 'promo_codes', ['creator_id'], unique=False)
    op.create_table('tracked_links',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('destination_url', sa.String(length=2000), nullable=False),
    sa.Column('utm_source', sa.String(length=100), nullable=False),
    sa.Column('utm_medium', sa.String(length=100), nullable=False),
    sa.Column('utm_campaign', sa.String(length=200), nullable=False),
    sa.Column('utm_content', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_tracked_links_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_tracked_links_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tracked_links_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracked_links')),
    sa.UniqueConstraint('campaign_id', 'creator_id', name=op.f('uq_tracked_links_campaign_id')),
    sa.UniqueConstraint('code', name=op.f('uq_tracked_links_code'))
    )
    op.create_index(op.f('ix_tracked_links_creator_id'), 'tracked_links', ['creator_id'], unique=False)
    op.create_index(op.f('ix_tracked_links_organization_id'), 'tracked_links', ['organization_id'], unique=False)
    op.create_table('click_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('link_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('visitor_hash', sa.String(length=32), nullable=False),
    sa.Column('is_bot', sa.Boolean(), nullable=False),
    sa.Column('is_unique', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_click_events_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_click_events_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['tracked_links.id'], name=op.f('fk_click_events_link_id_tracked_links'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_click_events_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_click_events'))
    )
    op.create_index('ix_click_events_campaign_id_creator_id_occurred_at', 'click_events', ['campaign_id', 'creator_id', 'occurred_at'], unique=False)
    op.create_table('order_refunds',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('external_refund_id', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_refunds_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_refunds')),
    sa.UniqueConstraint('order_id', 'external_refund_id', name=op.f('uq_order_refunds_order_id'))
    )
    op.create_index(op.f('ix_order_refunds_order_id'), 'order_refunds', ['order_id'], unique=False)
    op.create_table('posts',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('deliverable_id', sa.Uuid(), nullable=True),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_polled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('poll_failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_poll_error', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_posts_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_posts_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverables.id'], name=op.f('fk_posts_deliverable_id_deliverables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_posts_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('campaign_id', 'url', name=op.f('uq_posts_campaign_id'))
    )
    op.create_index(op.f('ix_posts_campaign_id'), 'posts', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_posts_creator_id'), 'posts', ['creator_id'], unique=False)
    op.create_index('ix_posts_next_poll_at', 'posts', ['next_poll_at'], unique=False)
    op.create_index(op.f('ix_posts_organization_id'), 'posts', ['organization_id'], unique=False)
    op.create_table('metric_snapshots',
    sa.Column('post_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('self_reported', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('entered_by_id', sa.Uuid(), nullable=True),
    sa.Column('impressions', sa.BigInteger(), nullable=True),
    sa.Column('reach', sa.BigInteger(), nullable=True),
    sa.Column('views', sa.BigInteger(), nullable=True),
    sa.Column('likes', sa.BigInteger(), nullable=True),
    sa.Column('comments', sa.BigInteger(), nullable=True),
    sa.Column('shares', sa.BigInteger(), nullable=True),
    sa.Column('saves', sa.BigInteger(), nullable=True),
    sa.Column('link_clicks', sa.BigInteger(), nullable=True),
    sa.Column('story_taps', sa.BigInteger(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_metric_snapshots_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_metric_snapshots_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_metric_snapshots_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_metric_snapshots_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_snapshots'))
    )
    op.create_index(op.f('ix_metric_snapshots_campaign_id'), 'metric_snapshots', ['campaign_id'], unique=False)
    op.create_index('ix_metric_snapshots_post_id_captured_at', 'metric_snapshots', ['post_id', 'captured_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_metric_snapshots_post_id_captured_at', table_name='metric_snapshots')
    op.drop_index(op.f('ix_metric_snapshots_campaign_id'), table_name='metric_snapshots')
    op.drop_table('metric_snapshots')
    op.drop_index(op.f('ix_posts_organization_id'), table_name='posts')
    op.drop_index('ix_posts_next_poll_at', table_name='posts')
    op.drop_index(op.f('ix_posts_creator_id'), table_name='posts')
    op.drop_index(op.f('ix_posts_campaign_id'), table_name='posts')
    op.drop_table('posts')
    op.drop_index(op.f('ix_order_refunds_order_id'), table_name='order_refunds')
    op.drop_table('order_refunds')
    op.drop_index('ix_click_events_campaign_id_creator_id_occurred_at', table_name='click_events')
    op.drop_table('click_events')
    op.drop_index(op.f('ix_tracked_links_organization_id'), table_name='tracked_links')
    op.drop_index(op.f('ix_tracked_links_creator_id'), table_name='tracked_links')
    op.drop_table('tracked_links')
    op.drop_index(op.f('ix_promo_codes_creator_id'), table_name='promo_codes')
    op.drop_index(op.f('ix_promo_codes_campaign_id'), table_name='promo_codes')
    op.drop_table('promo_codes')
    op.drop_index('ix_orders_campaign_id_creator_id', table_name='orders')
    op.drop_table('orders')
    op.drop_table('analytics_daily_rollups')
    op.drop_index('ix_analytics_creator_rollups_organization_id', table_name='analytics_creator_rollups')
    op.drop_table('analytics_creator_rollups')
    op.drop_table('emv_rates')
    op.drop_table('analytics_dirty')
