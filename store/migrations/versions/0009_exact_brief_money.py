"""exact brief money: negotiation amounts fit every brief amount; brief amounts stored as decimal strings

The brief caps amounts at 10**12 with 2 decimal places (`store.campaigns.brief.MAX_AMOUNT`); the negotiation's
asked / offered / agreed fee columns were NUMERIC(12, 2) (below 10**10), so an accepted fee within the brief's
limits could not be stored. Brief amounts kept as JSON numbers become strings, the form the typed brief writes
(JSONB numbers are exact numerics, so their text is the amount's own digits).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FEES = ('creator_ask', 'our_offer', 'fee')
_BRIEF_AMOUNTS = ('budget', 'fee_ceiling', 'fee_target')


def upgrade() -> None:
    for column in _FEES:
        op.alter_column('negotiations', column, type_=sa.Numeric(15, 2), existing_type=sa.Numeric(12, 2),
                        existing_nullable=True)
    for key in _BRIEF_AMOUNTS:
        op.execute(sa.text(
            f"UPDATE campaigns SET brief = jsonb_set(brief, '{{{key}}}', to_jsonb(brief->>'{key}')) "
            f"WHERE jsonb_typeof(brief->'{key}') = 'number'"))


def downgrade() -> None:
    # Brief amounts stay strings: the previous code reads them too.
    for column in _FEES:
        op.alter_column('negotiations', column, type_=sa.Numeric(12, 2), existing_type=sa.Numeric(15, 2),
                        existing_nullable=True)
