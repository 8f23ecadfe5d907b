"""The CLI fails in one clear line on stderr with a non-zero exit, never a traceback; `contracts agree` run twice
for the same creator and campaign updates the one negotiation instead of crashing on its unique conversation."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cli.main import main, run_cli
from core.errors import Conflict
from store.db import unit_of_work
from store.models import Negotiation
from tests.agents_flow import FULL_BRIEF, create_campaign
from tests.conftest import manager_headers
from tests.support.contracts_flow import register_creator

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"ENVIRONMENT": "development", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and " WARNING " not in line]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_domain_and_database_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def conflict() -> None:
        raise Conflict("The negotiation is already contracted", code="negotiation_closed")

    def duplicate() -> None:
        raise IntegrityError("INSERT ...", {}, Exception('duplicate key value violates unique constraint "x"\n'
                                                         "DETAIL:  Key (conversation_id)=(1) already exists."))

    assert run_cli(conflict) == 1
    assert _one_line(capsys.readouterr().err) == "error: The negotiation is already contracted [negotiation_closed]"
    assert run_cli(duplicate) == 1
    assert "duplicate key value" in _one_line(capsys.readouterr().err)
    assert run_cli(lambda: 1 / 0) == 1
    assert _one_line(capsys.readouterr().err) == "error: ZeroDivisionError: division by zero"


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["contracts", "agree", "not-a-uuid", str(uuid.uuid4()), "--fee", "1"], ["contracts", "agree"],
                 ["no-such-command"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
        line = _one_line(capsys.readouterr().err)
        assert "--help" in line


async def test_contracts_agree_twice_updates_the_negotiation(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, FULL_BRIEF)
    creator_id, _ = await register_creator(client, "cleo")
    agree = ["contracts", "agree", campaign["id"], str(creator_id), "--deliverable", "instagram:reel:1:2026-04-10"]

    first = await asyncio.to_thread(_cli, *agree, "--fee", "1200")
    assert first.returncode == 0 and "agreed; contract generation queued" in first.stderr, first.stderr
    second = await asyncio.to_thread(_cli, *agree, "--fee", "1300", "--no-exclusivity", "--payment", "advance:50",
                                     "--payment", "final:50")
    assert second.returncode == 0 and "updated; contract generation queued" in second.stderr, second.stderr
    async with unit_of_work() as session:
        [record] = (await session.execute(select(Negotiation))).scalars().all()
        assert (record.fee, record.status, record.exclusive) == (Decimal("1300.00"), "agreed", False)
        assert [item["percent"] for item in record.payment_schedule or []] == ["50", "50"]

    bad_schedule = await asyncio.to_thread(_cli, *agree, "--fee", "1", "--payment", "advance:60")
    assert bad_schedule.returncode == 1 and "add up to 100" in _one_line(bad_schedule.stderr)
    unknown = await asyncio.to_thread(_cli, "contracts", "agree", str(uuid.uuid4()), str(creator_id), "--fee", "1")
    assert unknown.returncode == 1 and "[campaign_not_found]" in _one_line(unknown.stderr)
