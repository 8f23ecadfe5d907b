"""channels: inbound events, do-not-contact list, WhatsApp sends

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-25 12:33:54.916090
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbound_events',
    sa.Column('channel', sa.Enum('email', 'whatsapp', name='channel', native_enum=False, length=16), nullable=False),
    sa.Column('kind', sa.Enum('message', 'status', name='inboundkind', native_enum=False, length=16), nullable=False),
    sa.Column('external_id', sa.String(length=400), nullable=False),
    sa.Column('provider_message_id', sa.String(length=400), nullable=False),
    sa.Column('sender', sa.String(length=320), nullable=True),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_events')),
    sa.UniqueConstraint('channel', 'external_id', name='uq_inbound_events_channel_external_id')
    )
    op.create_index(op.f('ix_inbound_events_provider_message_id'), 'inbound_events', ['provider_message_id'], unique=False)
    op.create_index('ix_inbound_events_sender', 'inbound_events', ['channel', 'sender', 'occurred_at'], unique=False)
    op.create_table('whatsapp_sends',
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_user_id', sa.Uuid(), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('to_phone', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'delivered', 'read', 'failed', name='deliverystatus', native_enum=False, length=16), nullable=False),
    sa.Column('provider_message_id', sa.String(length=200), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_whatsapp_sends_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_whatsapp_sends_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_whatsapp_sends')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_whatsapp_sends_idempotency_key')),
    sa.UniqueConstraint('provider_message_id', name=op.f('uq_whatsapp_sends_provider_message_id'))
    )
    op.create_index(op.f('ix_whatsapp_sends_message_id'), 'whatsapp_sends', ['message_id'], unique=False)
    op.create_index(op.f('ix_whatsapp_sends_organization_id'), 'whatsapp_sends', ['organization_id'], unique=False)
    op.create_table('do_not_contact',
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('creator_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.Enum('email', 'whatsapp', name='channel', native_enum=False, length=16), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('source', sa.Enum('unsubscribe', 'stop', 'manager', 'bounce', name='blocksource', native_enum=False, length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_user_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_do_not_contact_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_do_not_contact_creator_id_creators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_do_not_contact_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_do_not_contact')),
    sa.UniqueConstraint('channel', 'address', 'organization_id', name='uq_do_not_contact_channel_address_scope', postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_do_not_contact_creator_id'), 'do_not_contact', ['creator_id'], unique=False)
    op.create_index(op.f('ix_do_not_contact_organization_id'), 'do_not_contact', ['organization_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_do_not_contact_organization_id'), table_name='do_not_contact')
    op.drop_index(op.f('ix_do_not_contact_creator_id'), table_name='do_not_contact')
    op.drop_table('do_not_contact')
    op.drop_index(op.f('ix_whatsapp_sends_organization_id'), table_name='whatsapp_sends')
    op.drop_index(op.f('ix_whatsapp_sends_message_id'), table_name='whatsapp_sends')
    op.drop_table('whatsapp_sends')
    op.drop_index('ix_inbound_events_sender', table_name='inbound_events')
    op.drop_index(op.f('ix_inbound_events_provider_message_id'), table_name='inbound_events')
    op.drop_table('inbound_events')
