"""negotiation and sending: send claims (attempts + lease), follow-up schedule, notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 13:20:58.419066
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('campaign_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('email_status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='notificationemailstatus', native_enum=False, length=16), nullable=False),
    sa.Column('email_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_failure', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_notifications_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notifications_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notifications_idempotency_key'))
    )
    op.create_index(op.f('ix_notifications_organization_id'), 'notifications', ['organization_id'], unique=False)
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'], unique=False)
    op.add_column('campaigns', sa.Column('follow_up_after_days', sa.Integer(), server_default='3', nullable=False))
    op.add_column('campaigns', sa.Column('follow_up_max', sa.Integer(), server_default='2', nullable=False))
    op.add_column('conversations', sa.Column('follow_up_due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('conversations', sa.Column('follow_ups_sent', sa.Integer(), server_default='0', nullable=False))
    op.create_index(op.f('ix_conversations_follow_up_due_at'), 'conversations', ['follow_up_due_at'], unique=False)
    op.add_column('messages', sa.Column('send_attempts', sa.Integer(), server_default='0', nullable=False))
    op.add_column('messages', sa.Column('send_lease_until', sa.DateTime(timezone=True), nullable=True))
    # WhatsApp replies find their conversation through the number we wrote to
    op.create_index('ix_messages_channel_to_address', 'messages', ['channel', 'to_address'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_messages_channel_to_address', table_name='messages')
    op.drop_column('messages', 'send_lease_until')
    op.drop_column('messages', 'send_attempts')
    op.drop_index(op.f('ix_conversations_follow_up_due_at'), table_name='conversations')
    op.drop_column('conversations', 'follow_ups_sent')
    op.drop_column('conversations', 'follow_up_due_at')
    op.drop_column('campaigns', 'follow_up_max')
    op.drop_column('campaigns', 'follow_up_after_days')
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_organization_id'), table_name='notifications')
    op.drop_table('notifications')
