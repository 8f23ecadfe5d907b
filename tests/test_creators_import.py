"""Imports of agency lists: messy CSV/JSON in, validated rows out, a per-row report, all or nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from store.creators.importing import read_records, validate_records
from store.creators.service import CreatorService
from store.db import unit_of_work
from store.models import Creator, OutboxEvent

CSV = """Full Name;IG;Instagram Followers;Instagram ER;YouTube Subscribers;Niches;Country;Languages;WhatsApp;\
WhatsApp consent;Email;Rate Instagram Reel;Currency;Bio
Cleo Park;@cleo.cooks;52.3k;4,2%;1.2M;food, wellness;United Kingdom;en;+44 7700 900123;yes;cleo@example.com;450;GBP;\
Vegan recipes
Tom Berg;tomberg;12500;3.1;;fitness;DE;German, English;;;tom@example.com;;EUR;Home workouts
"""


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


async def _import(path: Path, **options):  # type: ignore[no-untyped-def]
    async with unit_of_work() as session:
        return await CreatorService(session).import_rows(validate_records(read_records(path)), **options)


async def _count() -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(Creator))).scalar_one())


async def test_messy_csv_is_normalised(tmp_path: Path) -> None:
    report = await _import(_write(tmp_path, "agency.csv", CSV))
    assert report.imported == 2 and not report.errors and report.embedding_jobs == 1
    async with unit_of_work() as session:
        cleo = (await session.execute(select(Creator).where(Creator.display_name == "Cleo Park"))).scalar_one()
        tom = (await session.execute(select(Creator).where(Creator.display_name == "Tom Berg"))).scalar_one()
    assert cleo.audience["instagram"] == {"handle": "cleo.cooks", "followers": 52300, "avg_views": None,
                                          "engagement_rate": 4.2}
    assert cleo.audience["youtube"]["followers"] == 1_200_000 and cleo.followers_max == 1_200_000
    assert cleo.country == "GB" and cleo.categories == ["food", "wellness"] and cleo.currency == "GBP"
    assert cleo.whatsapp_phone == "+447700900123" and cleo.whatsapp_opt_in and cleo.email_opt_in is None
    assert cleo.rates == {"instagram_reel": 450.0} and cleo.source == "imported"
    assert tom.languages == ["de", "en"] and tom.audience["instagram"]["followers"] == 12500
    assert tom.content_hash and tom.embedding_model is None  # embedded later by creators.embed


async def test_one_bad_row_blocks_the_whole_file_with_a_row_report(tmp_path: Path) -> None:
    bad = CSV + "Ghost;ghost;-5;;;;Atlantis;;12;;not-an-email;;;\n"
    report = await _import(_write(tmp_path, "bad.csv", bad))
    assert report.blocked and report.imported == 0 and await _count() == 0
    problems = {(error.row, error.field) for error in report.errors}
    assert {(3, "audience.instagram.followers"), (3, "country"), (3, "whatsapp_phone"), (3, "email")} <= problems
    async with unit_of_work() as session:
        assert (await session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one() == 0

    partial = await _import(_write(tmp_path, "bad2.csv", bad), skip_invalid=True)
    assert partial.imported == 2 and partial.errors and await _count() == 2


async def test_duplicates_in_the_file_are_errors_and_known_creators_are_skipped(tmp_path: Path) -> None:
    await _import(_write(tmp_path, "first.csv", CSV))
    rows = [{"name": "Cleo Again", "instagram": "CLEO.COOKS"}, {"name": "New Face", "tiktok": "newface"},
            {"name": "Twin", "tiktok": "@newface"}]
    report = await _import(_write(tmp_path, "again.json", json.dumps(rows)))
    assert report.blocked and report.errors[0].row == 3 and "row 2" in report.errors[0].message
    report = await _import(_write(tmp_path, "again2.json", json.dumps(rows[:2])))
    assert report.imported == 1 and report.duplicates[0].row == 1
    assert report.duplicates[0].matched_on == "instagram:cleo.cooks"


async def test_json_with_nested_audience_and_unknown_columns(tmp_path: Path) -> None:
    rows = {"creators": [
        {"display_name": "Ana Silva", "audience": {"tiktok": {"handle": "anasilva", "followers": "80k"}},
         "rates": {"tiktok_video": "1200"}, "currency": "brl", "country": "BR"},
        {"display_name": "Odd", "favourite_colour": "teal"},
    ]}
    report = await _import(_write(tmp_path, "list.json", json.dumps(rows)))
    assert report.blocked and report.errors[0].field == "favourite_colour"
    assert report.errors[0].message == "unknown column"
    report = await _import(_write(tmp_path, "list2.json", json.dumps({"creators": rows["creators"][:1]})))
    assert report.imported == 1


def test_unreadable_files_are_rejected(tmp_path: Path) -> None:
    import pytest

    from store.creators.importing import ImportFileError

    with pytest.raises(ImportFileError):
        read_records(_write(tmp_path, "x.json", "{not json"))
    with pytest.raises(ImportFileError):
        read_records(_write(tmp_path, "x2.json", '{"creators": 3}'))


def test_cli_import_reports_and_exits_nonzero_when_blocked(tmp_path: Path, database_url: str) -> None:
    good = _write(tmp_path, "good.csv", CSV)
    bad = _write(tmp_path, "bad.csv", CSV + "Ghost;ghost;lots;;;;;;;;;;;\n")
    command = [str(Path(sys.executable).parent / "influency"), "creators", "import"]
    env = dict(os.environ, LOG_LEVEL="WARNING")
    blocked = subprocess.run([*command, str(bad), "--report", str(tmp_path / "r.json")], capture_output=True,
                             text=True, env=env, timeout=120)
    assert blocked.returncode == 1, blocked.stderr
    assert "nothing imported" in blocked.stderr
    assert json.loads((tmp_path / "r.json").read_text())["errors"][0]["row"] == 3
    done = subprocess.run([*command, str(good)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "imported 2" in done.stderr
