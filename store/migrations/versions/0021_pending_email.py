"""a creator's new email is pending until confirmed: the address, the confirmation link's hash, its expiry

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('creators', sa.Column('pending_email', sa.String(length=320), nullable=True))
    op.add_column('creators', sa.Column('pending_email_token_hash', sa.String(length=64), nullable=True))
    op.add_column('creators', sa.Column('pending_email_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint('uq_creators_pending_email_token_hash', 'creators', ['pending_email_token_hash'])


def downgrade() -> None:
    op.drop_constraint('uq_creators_pending_email_token_hash', 'creators', type_='unique')
    op.drop_column('creators', 'pending_email_expires_at')
    op.drop_column('creators', 'pending_email_token_hash')
    op.drop_column('creators', 'pending_email')
