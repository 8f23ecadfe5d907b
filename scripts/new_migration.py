"""Autogenerate an Alembic migration against a throwaway embedded Postgres migrated to the current heads.

    .venv/bin/python scripts/new_migration.py "creators discovery" 0002_creators [--head 0001]

Review the generated file: autogenerate misses extensions, HNSW indexes, generated columns and data moves.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from core.settings import set_process_defaults
from store.embedded import start_embedded_postgres
from store.migrate import alembic_config, upgrade


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("message")
    parser.add_argument("rev_id")
    parser.add_argument("--head", default=None, help="parent revision (default: the single head)")
    args = parser.parse_args()
    set_process_defaults()
    url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="influency-autogen-")), cleanup="delete")
    upgrade(url, "heads")
    command.revision(alembic_config(url), message=args.message, autogenerate=True, rev_id=args.rev_id,
                     head=args.head or "head")


if __name__ == "__main__":
    main()
