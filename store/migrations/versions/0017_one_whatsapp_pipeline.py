"""one WhatsApp send pipeline: direct WhatsApp messages are messages (no conversation); whatsapp_sends goes

A manager's direct WhatsApp message (`POST /whatsapp/send`) becomes a `messages` row without a conversation and
is sent by `messages.send_whatsapp` like every other message. Rows of `whatsapp_sends` are carried over: direct
sends become such messages; a thread message's send gives it its failure time, error code and sent kind.
Inbound events not processed yet get the normalized `reply` / `delivery` the inbound service now reads.

Revision ID: 0017
Revises: 0016
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ('0004', '0007')  # whatsapp_sends; messages.send_attempts


def upgrade() -> None:
    op.alter_column('messages', 'conversation_id', existing_type=sa.Uuid(), nullable=True)
    op.add_column('messages', sa.Column('organization_id', sa.Uuid(), nullable=True))
    op.add_column('messages', sa.Column('created_by_user_id', sa.Uuid(), nullable=True))
    op.add_column('messages', sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('messages', sa.Column('error_code', sa.Integer(), nullable=True))
    op.add_column('messages', sa.Column('whatsapp_template', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column('messages', sa.Column('sent_kind', sa.String(length=16), nullable=True))
    op.create_index(op.f('ix_messages_organization_id'), 'messages', ['organization_id'], unique=False)
    op.create_foreign_key(op.f('fk_messages_organization_id_organizations'), 'messages', 'organizations',
                          ['organization_id'], ['id'], ondelete='CASCADE')
    op.create_foreign_key(op.f('fk_messages_created_by_user_id_users'), 'messages', 'users',
                          ['created_by_user_id'], ['id'], ondelete='SET NULL')
    op.execute("""
        UPDATE messages AS m SET failed_at = s.failed_at, error_code = s.error_code, sent_kind = s.kind
        FROM whatsapp_sends AS s WHERE s.message_id = m.id AND s.idempotency_key = 'message:' || m.id::text
    """)
    op.execute("""
        INSERT INTO messages (id, conversation_id, organization_id, created_by_user_id, direction, channel, status,
                              body_text, to_address, idempotency_key, provider_message_id, failure_reason, model,
                              queued_at, sent_at, delivered_at, read_at, failed_at, send_attempts, error_code,
                              whatsapp_template, sent_kind, created_at, updated_at)
        SELECT id, NULL, organization_id, created_by_user_id, 'outbound', 'whatsapp', status,
               COALESCE(content->>'text', ''), to_phone, idempotency_key, provider_message_id, failure_reason,
               'manual', created_at, sent_at, delivered_at, read_at, failed_at, attempts, error_code,
               content->'template', kind, created_at, updated_at
        FROM whatsapp_sends WHERE message_id IS NULL
        ON CONFLICT DO NOTHING
    """)
    op.drop_index(op.f('ix_whatsapp_sends_organization_id'), table_name='whatsapp_sends')
    op.drop_index(op.f('ix_whatsapp_sends_message_id'), table_name='whatsapp_sends')
    op.drop_table('whatsapp_sends')
    _normalize_pending_inbound_events()


def _normalize_pending_inbound_events() -> None:
    """Events stored before this revision and still waiting for `inbound.process`: add what the parsers now add
    (the text and reply ids of a message, the status and error of a delivery report)."""
    connection = op.get_bind()
    events = connection.execute(sa.text(
        "SELECT id, channel, kind, payload FROM inbound_events WHERE processed_at IS NULL")).all()
    for event_id, channel, kind, payload in events:
        if kind == 'status':
            status = payload.get('status') or {}
            error = (status.get('errors') or [{}])[0]
            code = int(error['code']) if str(error.get('code', '')).isdigit() else None
            added = {'delivery': {'status': str(status.get('status', '')), 'error_code': code,
                                  'reason': error.get('title'), 'opted_out': code == 131050,
                                  'recipient': status.get('recipient_id')}}
        elif channel == 'email':
            ids = [value for value in [payload.get('in_reply_to'), *(payload.get('references') or [])] if value]
            added = {'reply': {'text': payload.get('reply_text') or '',
                               'subject': (payload.get('subject') or '')[:998] or None,
                               'reply_token': payload.get('reply_token'), 'reply_to_ids': ids,
                               'auto_reply': bool(payload.get('auto_submitted'))}}
        else:
            message = payload.get('message') or {}
            replied_to = (message.get('context') or {}).get('id')
            added = {'reply': {'text': (message.get('text') or {}).get('body') or '', 'subject': None,
                               'reply_token': None, 'reply_to_ids': [replied_to] if replied_to else [],
                               'auto_reply': False}}
        connection.execute(sa.text("UPDATE inbound_events SET payload = CAST(:payload AS jsonb) WHERE id = :id"),
                           {'payload': json.dumps(payload | added), 'id': event_id})


def downgrade() -> None:
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
    op.execute("DELETE FROM messages WHERE conversation_id IS NULL")  # direct messages have no place to go back to
    op.drop_constraint(op.f('fk_messages_created_by_user_id_users'), 'messages', type_='foreignkey')
    op.drop_constraint(op.f('fk_messages_organization_id_organizations'), 'messages', type_='foreignkey')
    op.drop_index(op.f('ix_messages_organization_id'), table_name='messages')
    for column in ('sent_kind', 'whatsapp_template', 'error_code', 'failed_at', 'created_by_user_id',
                   'organization_id'):
        op.drop_column('messages', column)
    op.alter_column('messages', 'conversation_id', existing_type=sa.Uuid(), nullable=False)
