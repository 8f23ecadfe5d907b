"""creators: contact and rates fields, prospects, denormalised filter columns, full-text and HNSW indexes,
portfolio items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:38:58.725354
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import HALFVEC
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLATFORMS = ("instagram", "youtube", "tiktok", "twitter")
SEARCH_DOCUMENT_SQL = ("setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'A') || "
                       "setweight(to_tsvector('english'::regconfig, coalesce(bio, '')), 'B')")
BTREE_COLUMNS = ("followers_max", "engagement_max", "min_rate_usd", "created_at")
GIN_COLUMNS = ("filter_tags", "handles", "search_document")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table('portfolio_items',
    sa.Column('creator_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_portfolio_items_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_items')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_portfolio_items_storage_key'))
    )
    op.create_index(op.f('ix_portfolio_items_creator_id'), 'portfolio_items', ['creator_id'], unique=False)

    columns = [
        sa.Column('whatsapp_phone', sa.String(length=16), nullable=True),
        sa.Column('email_opt_in', sa.Boolean(), nullable=True),
        sa.Column('whatsapp_opt_in', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('rates', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
        sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
        sa.Column('source', sa.String(length=16), server_default='registered', nullable=False),
        sa.Column('imported_by_organization_id', sa.Uuid(), nullable=True),
        sa.Column('platforms', postgresql.ARRAY(sa.String(length=16)), server_default='{}', nullable=False),
        sa.Column('handles', postgresql.ARRAY(sa.String(length=120)), server_default='{}', nullable=False),
        sa.Column('filter_tags', postgresql.ARRAY(sa.String(length=80)), server_default='{}', nullable=False),
        *(sa.Column(f'followers_{p}', sa.BigInteger(), nullable=True) for p in PLATFORMS),
        *(sa.Column(f'engagement_{p}', sa.Float(), nullable=True) for p in PLATFORMS),
        sa.Column('followers_max', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('engagement_max', sa.Float(), nullable=True),
        sa.Column('min_rate_usd', sa.Float(), nullable=True),
        sa.Column('keywords', sa.Text(), server_default='', nullable=False),
        sa.Column('search_document', postgresql.TSVECTOR(), sa.Computed(SEARCH_DOCUMENT_SQL, persisted=True), nullable=True),
        sa.Column('content_hash', sa.String(length=32), nullable=True),
        sa.Column('embedded_hash', sa.String(length=32), nullable=True),
        sa.Column('embedding_model', sa.String(length=64), nullable=True),
        sa.Column('embedding', HALFVEC(dim=384), nullable=True),
    ]
    for column in columns:
        op.add_column('creators', column)
    # Keep the vector inline: a creator row is ~2.3 KB, over the default 2 KB toast threshold, and an out-of-line
    # vector costs a TOAST lookup per distance in exact scans. Other wide columns may still be compressed.
    op.execute("ALTER TABLE creators ALTER COLUMN embedding SET STORAGE PLAIN")
    op.execute("ALTER TABLE creators SET (toast_tuple_target = 4080)")
    op.create_foreign_key(op.f('fk_creators_imported_by_organization_id_organizations'), 'creators', 'organizations', ['imported_by_organization_id'], ['id'], ondelete='CASCADE')
    op.create_index(op.f('ix_creators_imported_by_organization_id'), 'creators', ['imported_by_organization_id'], unique=False)
    for name in BTREE_COLUMNS:
        op.create_index(f'ix_creators_{name}', 'creators', [name], unique=False)
    for name in GIN_COLUMNS:
        op.create_index(f'ix_creators_{name}_gin', 'creators', [name], unique=False, postgresql_using='gin')
    # Cosine HNSW over half-precision vectors: half the heap and index size of `vector`, same recall at 384 dims.
    op.create_index('ix_creators_embedding_hnsw', 'creators', ['embedding'], unique=False, postgresql_using='hnsw',
                    postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'embedding': 'halfvec_cosine_ops'})
    _backfill_derived_columns()


def _backfill_derived_columns() -> None:
    """Rows written before this revision get their filter columns; `reindex` embeds them (embedding is NULL)."""
    from store.creators.profile import derived_columns

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, display_name, categories, audience, country, languages FROM creators"))
    for row in rows.mappings().all():
        values = derived_columns(display_name=row["display_name"], categories=row["categories"] or [],
                                 audience=row["audience"] or {}, rates={}, currency="USD", country=row["country"],
                                 languages=row["languages"] or [])
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        bind.execute(sa.text(f"UPDATE creators SET {assignments} WHERE id = :id"), {**values, "id": row["id"]})


def downgrade() -> None:
    op.drop_index('ix_creators_embedding_hnsw', table_name='creators')
    for name in GIN_COLUMNS:
        op.drop_index(f'ix_creators_{name}_gin', table_name='creators')
    for name in BTREE_COLUMNS:
        op.drop_index(f'ix_creators_{name}', table_name='creators')
    op.drop_index(op.f('ix_creators_imported_by_organization_id'), table_name='creators')
    op.drop_constraint(op.f('fk_creators_imported_by_organization_id_organizations'), 'creators', type_='foreignkey')
    for column in ('embedding', 'embedding_model', 'embedded_hash', 'content_hash', 'search_document', 'keywords',
                   'min_rate_usd', 'engagement_max', 'followers_max', *(f'engagement_{p}' for p in PLATFORMS), 'filter_tags',
                   *(f'followers_{p}' for p in PLATFORMS), 'handles', 'platforms', 'imported_by_organization_id',
                   'source', 'currency', 'rates', 'whatsapp_opt_in', 'email_opt_in', 'whatsapp_phone'):
        op.drop_column('creators', column)
    op.drop_index(op.f('ix_portfolio_items_creator_id'), table_name='portfolio_items')
    op.drop_table('portfolio_items')
