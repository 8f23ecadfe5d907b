"""Persistence: SQLAlchemy models (one file per aggregate), repositories (all SQL), migrations, embedded Postgres."""
