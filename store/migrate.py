"""Run Alembic migrations programmatically (`influency migrate`, `influency up`, the test session)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Upgrade the database at `url` (SQLAlchemy asyncpg URL) to `revision`."""

    async def _upgrade() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:

            def _run(sync_connection: object) -> None:
                config = alembic_config(url)
                config.attributes["connection"] = sync_connection
                command.upgrade(config, revision)

            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(_upgrade())


def upgrade_in_thread(url: str, revision: str = "heads") -> None:
    """Same as `upgrade`, safe to call from inside a running event loop."""
    import threading

    errors: list[BaseException] = []

    def _target() -> None:
        try:
            upgrade(url, revision)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=_target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
