"""contracts, signatures, deliverables, payments, invoices

Depends on 0006 (negotiations): a contract is generated from one agreed negotiation.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-25 13:19:44.679667
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contracts',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('negotiation_id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Enum('pending_approval', 'rejected', 'approved', 'awaiting_signature', 'awaiting_countersignature', 'active', 'completed', 'cancelled', name='contractstatus', native_enum=False, length=32), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=32), nullable=False),
    sa.Column('terms', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('countersignature_required', sa.Boolean(), nullable=False),
    sa.Column('document_key', sa.String(length=300), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('signed_document_key', sa.String(length=300), nullable=True),
    sa.Column('signed_document_sha256', sa.String(length=64), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('countersigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_contracts_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_contracts_creator_id_creators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_contracts_negotiation_id_negotiations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_contracts_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['run_id'], ['agent_runs.id'], name=op.f('fk_contracts_run_id_agent_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('negotiation_id', name=op.f('uq_contracts_negotiation_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_contracts_reference'))
    )
    op.create_index(op.f('ix_contracts_campaign_id'), 'contracts', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_contracts_creator_id'), 'contracts', ['creator_id'], unique=False)
    op.create_index('ix_contracts_organization_id_status', 'contracts', ['organization_id', 'status'], unique=False)
    op.create_table('contract_signatures',
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('creator', 'brand', name='signerrole', native_enum=False, length=16), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_email', sa.String(length=320), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('method', sa.String(length=100), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('envelope_id', sa.String(length=100), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_signatures_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_contract_signatures_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contract_signatures_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_signatures')),
    sa.UniqueConstraint('contract_id', 'role', name=op.f('uq_contract_signatures_contract_id'))
    )
    op.create_index(op.f('ix_contract_signatures_contract_id'), 'contract_signatures', ['contract_id'], unique=False)
    op.create_table('deliverables',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('platform', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'submitted', 'changes_requested', 'approved', name='deliverablestatus', native_enum=False, length=32), nullable=False),
    sa.Column('post_url', sa.String(length=2000), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=True),
    sa.Column('review_feedback', sa.Text(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_deliverables_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_deliverables_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_deliverables_creator_id_creators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_deliverables_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_deliverables_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverables')),
    sa.UniqueConstraint('contract_id', 'key', name=op.f('uq_deliverables_contract_id'))
    )
    op.create_index(op.f('ix_deliverables_campaign_id'), 'deliverables', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_deliverables_contract_id'), 'deliverables', ['contract_id'], unique=False)
    op.create_index(op.f('ix_deliverables_creator_id'), 'deliverables', ['creator_id'], unique=False)
    op.create_index(op.f('ix_deliverables_organization_id'), 'deliverables', ['organization_id'], unique=False)
    op.create_table('payments',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('deliverable_id', sa.Uuid(), nullable=True),
    sa.Column('milestone_key', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'pending_approval', 'approved', 'paid', 'failed', 'rejected', 'cancelled', name='paymentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('approval_id', sa.Uuid(), nullable=True),
    sa.Column('approval_requests', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payout_idempotency_key', sa.String(length=255), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=True),
    sa.Column('provider_reference', sa.String(length=255), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approvals.id'], name=op.f('fk_payments_approval_id_approvals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_payments_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_payments_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_payments_creator_id_creators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverables.id'], name=op.f('fk_payments_deliverable_id_deliverables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_payments_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('contract_id', 'milestone_key', name=op.f('uq_payments_contract_id')),
    sa.UniqueConstraint('payout_idempotency_key', name=op.f('uq_payments_payout_idempotency_key'))
    )
    op.create_index(op.f('ix_payments_campaign_id'), 'payments', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_payments_contract_id'), 'payments', ['contract_id'], unique=False)
    op.create_index(op.f('ix_payments_creator_id'), 'payments', ['creator_id'], unique=False)
    op.create_index('ix_payments_organization_id_status', 'payments', ['organization_id', 'status'], unique=False)
    op.create_table('invoices',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.BigInteger(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('document_key', sa.String(length=300), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('manager_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manager_notification_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_invoices_contract_id_contracts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_invoices_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_invoices_payment_id_payments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('organization_id', 'sequence', name=op.f('uq_invoices_organization_id')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_invoices_payment_id'))
    )
    op.create_index(op.f('ix_invoices_contract_id'), 'invoices', ['contract_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_invoices_contract_id'), table_name='invoices')
    op.drop_table('invoices')
    op.drop_index('ix_payments_organization_id_status', table_name='payments')
    op.drop_index(op.f('ix_payments_creator_id'), table_name='payments')
    op.drop_index(op.f('ix_payments_contract_id'), table_name='payments')
    op.drop_index(op.f('ix_payments_campaign_id'), table_name='payments')
    op.drop_table('payments')
    op.drop_index(op.f('ix_deliverables_organization_id'), table_name='deliverables')
    op.drop_index(op.f('ix_deliverables_creator_id'), table_name='deliverables')
    op.drop_index(op.f('ix_deliverables_contract_id'), table_name='deliverables')
    op.drop_index(op.f('ix_deliverables_campaign_id'), table_name='deliverables')
    op.drop_table('deliverables')
    op.drop_index(op.f('ix_contract_signatures_contract_id'), table_name='contract_signatures')
    op.drop_table('contract_signatures')
    op.drop_index('ix_contracts_organization_id_status', table_name='contracts')
    op.drop_index(op.f('ix_contracts_creator_id'), table_name='contracts')
    op.drop_index(op.f('ix_contracts_campaign_id'), table_name='contracts')
    op.drop_table('contracts')
