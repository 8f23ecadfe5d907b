"""The README's manager walkthrough, run verbatim with bash and curl against `influency up` on a non-default PORT
with its own data directory: brief → confirm → shortlist → outreach → Ana's reply → offers → agreement → contract
→ signatures → a processed payout (the Campaigns walkthrough, then the Negotiation one and its continuation).

The blocks are taken from README.md as they are written; only the environment differs (PORT, DATA_DIR, ports of
the stand-ins, the hashing embedder so the run stays short). Each block runs with `set -e` semantics on the
helpers' exit codes: a `wait_for` that gives up fails the test with what it waited for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli_up import _free_port, _start, _stop, _wait_healthy

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def _section(readme: str, title: str) -> str:
    start = readme.index(f"\n## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end != -1 else None]


def _bash_blocks(section: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", section, flags=re.S)


def walkthrough() -> str:
    """The Campaigns walkthrough, then the Negotiation walkthrough and its continuation, in the README's words."""
    readme = (ROOT / "README.md").read_text()
    campaigns = _bash_blocks(_section(readme, "Campaigns, agents and the approval inbox"))[-1]
    negotiation = _bash_blocks(_section(readme, "Negotiation and sending"))
    assert "wait_for contract 1" in negotiation[-1] and "/process" in negotiation[-1]
    return "\n".join([campaigns, *negotiation])


def test_walkthrough_blocks_are_found() -> None:
    script = walkthrough()
    for step in ("/brief/confirm", "wait_for shortlist 1", "/webhooks/email/inbound", "/contracts/$CONTRACT/sign",
                 "/countersign", "/payments/$PID/process"):
        assert step in script


def test_readme_walkthrough_runs_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    data = tmp_path / "data"
    monkeypatch.setenv("EMBEDDING_PROVIDER", "hash")  # inherited by `up` and its children: no model to load
    process = _start(data, port)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", process, timeout=120)
        # Every command's output is kept; `set -e` stops at the first helper that gives up (wait_for returns 1).
        script = "set -eo pipefail\n" + walkthrough()
        result = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                                env=os.environ | {"PORT": str(port), "DATA_DIR": str(data)})
        output = result.stdout + "\n--- stderr ---\n" + result.stderr
        assert result.returncode == 0, output[-6000:]
        lines = result.stdout.splitlines()
        for expected in ("('confirmed'", "[('agreed', '900.00', 'EUR')]", "active", "('paid', {'amount': '270.00'"):
            assert any(line.startswith(expected) for line in lines), f"no {expected!r} in:\n{output[-4000:]}"
    finally:
        _stop(process)
