"""fast orchestration: the outbox wakes its relay on commit; inbox indexes that match its filters and sort

- `outbox_events` gets a statement-level AFTER INSERT trigger that calls `pg_notify('outbox_events', '')`.
  Postgres delivers a NOTIFY only when the inserting transaction commits (and folds identical ones within a
  transaction into one), so the relay (`workers/outbox_relay.py`, LISTENing) wakes exactly when there is a
  committed row to move, without an extra round trip from the application.
- `approvals`: GET /approvals filters on organization, status and optionally campaign, and sorts by
  (created_at, id); these two b-trees serve the filter, the sort and the keyset cursor from the index alone
  (the old plan: a sequential scan plus a sort, for the page and for the count).

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTBOX_CHANNEL = "outbox_events"  # workers/outbox_relay.py LISTENs on it


def upgrade() -> None:
    op.execute(f"""
        CREATE OR REPLACE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{OUTBOX_CHANNEL}', '');
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify()""")
    op.create_index('ix_approvals_inbox_campaign', 'approvals',
                    ['organization_id', 'campaign_id', 'status', 'created_at', 'id'])
    op.create_index('ix_approvals_inbox', 'approvals', ['organization_id', 'status', 'created_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_approvals_inbox', table_name='approvals')
    op.drop_index('ix_approvals_inbox_campaign', table_name='approvals')
    op.execute("DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events")
    op.execute("DROP FUNCTION IF EXISTS outbox_events_notify()")
