"""The seed README's curl examples, replayed verbatim with curl against a running API and WhatsApp Business
service (`tests/seed/examples.py`): every one must succeed (2xx) and answer with the shapes it shows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seed.examples import EXAMPLES
from tests.test_cli_up import _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def _serve(app: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port",
                             str(port), "--log-level", "warning"], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture
def servers(database_url: str) -> Iterator[tuple[str, str]]:
    api_port, business_port = _free_port(), _free_port()
    api = _serve("api.app:create_app", api_port)
    business = _serve("api.whatsapp_business.app:create_app", business_port)
    try:
        _wait_healthy(f"http://127.0.0.1:{api_port}", api, timeout=60)
        _wait_healthy(f"http://127.0.0.1:{business_port}", business, timeout=60)
        yield f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{business_port}"
    finally:
        for process in (api, business):
            process.terminate()
            process.wait(timeout=10)


def test_every_seed_example_succeeds_verbatim(servers: tuple[str, str]) -> None:
    api, business = servers
    remembered: dict[str, str] = {}
    for title, command, remember in EXAMPLES:
        runnable = command.replace("http://localhost:8000", api).replace("http://localhost:8001", business)
        result = subprocess.run(["bash", "-c", runnable + " -sS -w '\\n%{http_code}'"], capture_output=True,
                                text=True, env={**os.environ, **remembered}, timeout=60)
        body, _, code = result.stdout.rpartition("\n")
        assert code.startswith("2"), f"{title}: HTTP {code}\n{runnable}\n{body}\n{result.stderr}"
        answer = json.loads(body) if body.strip() else None
        for name, field in (remember or {}).items():
            assert isinstance(answer, dict) and field in answer, f"{title}: no {field} in {body}"
            remembered[name] = str(answer[field])
        if title == "create a campaign":  # the seed's fields are echoed back
            assert isinstance(answer, dict)
            assert (answer["title"], answer["brand_name"], answer["campaign_type"], answer["budget"],
                    answer["start_date"], answer["end_date"]) == (
                "Summer Fashion Campaign", "FashionBrand", "sponsored_post", 5000.0, "2025-06-01", "2025-08-31")
            assert answer["name"] == "Summer Fashion Campaign" and answer["brief"]["budget"] == 5000
    assert re.fullmatch(r"[0-9a-f-]{36}", remembered["CAMPAIGN_ID"])
