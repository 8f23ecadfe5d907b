"""creator market tags: a GIN expression index over country ∧ niche ∧ follower floor

`creator_market_tags(country, categories, followers_max)` lists `country/niche/floor` for each of a creator's
niches and each follower floor (0 and the `FOLLOWER_STEPS` of store/creators/profile.py) its largest audience
reaches; `ix_creators_market_tags` indexes it. An exact search scan filtered to a country and a niche (the
commonest brief) finds its rows through one short posting list instead of intersecting three long ones
(`store.creators.profile.market_tags` explains; tests keep the SQL and the Python equal). An expression index,
not a column: existing rows need no rewrite (at 1M creators an UPDATE would re-insert every row into every
HNSW index).

Revision ID: 0027
Revises: 0026
Depends on: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = '0002'  # creators' filter columns (another branch)

# The floors as of this revision (0 and FOLLOWER_STEPS); a change there needs a new revision of the function.
_FLOORS = "{0,1000,3000,10000,30000,100000,300000,1000000,3000000,10000000}"


def upgrade() -> None:
    op.execute(f"""
        CREATE FUNCTION creator_market_tags(country varchar, categories varchar[], followers bigint)
        RETURNS varchar[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(array_agg((country || '/' || category || '/' || floor)::varchar
                                      ORDER BY ordinality, floor), '{{}}')
            FROM unnest(categories) WITH ORDINALITY AS niche(category, ordinality),
                 unnest('{_FLOORS}'::bigint[]) AS floor
            WHERE country IS NOT NULL AND coalesce(followers, 0) >= floor
        $$""")
    op.execute("CREATE INDEX ix_creators_market_tags ON creators "
               "USING gin (creator_market_tags(country, categories, followers_max))")
    # the index expression's statistics (the market tags' frequencies search costs exact scans by) are gathered
    # by ANALYZE; autovacuum would not run one until a tenth of the table changed
    op.execute("ANALYZE creators")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_creators_market_tags")
    op.execute("DROP FUNCTION IF EXISTS creator_market_tags(varchar, varchar[], bigint)")
