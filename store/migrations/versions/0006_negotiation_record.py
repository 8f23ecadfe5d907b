"""negotiation record

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-25 13:12:46.784873
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('negotiations',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('open', 'agreed', 'contracted', 'cancelled', name='negotiationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('rounds', sa.Integer(), nullable=False),
    sa.Column('creator_ask', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('our_offer', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('fee', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('deliverables', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('usage_rights', sa.Text(), nullable=True),
    sa.Column('usage_rights_months', sa.Integer(), nullable=True),
    sa.Column('exclusivity', sa.Text(), nullable=True),
    sa.Column('exclusivity_months', sa.Integer(), nullable=True),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_negotiations_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_negotiations_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_negotiations_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_negotiations_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiations')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_negotiations_conversation_id'))
    )
    op.create_index(op.f('ix_negotiations_campaign_id'), 'negotiations', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_negotiations_creator_id'), 'negotiations', ['creator_id'], unique=False)
    op.create_index(op.f('ix_negotiations_organization_id'), 'negotiations', ['organization_id'], unique=False)
    op.create_index(op.f('ix_negotiations_status'), 'negotiations', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_negotiations_status'), table_name='negotiations')
    op.drop_index(op.f('ix_negotiations_organization_id'), table_name='negotiations')
    op.drop_index(op.f('ix_negotiations_creator_id'), table_name='negotiations')
    op.drop_index(op.f('ix_negotiations_campaign_id'), table_name='negotiations')
    op.drop_table('negotiations')
