"""The eval runner against an OpenAI-compatible endpoint (the local test server standing in for vLLM / Ollama /
OpenAI), the `influency eval` CLI, report comparison and the baseline gate."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from agents.llm.factory import get_chat_model
from agents.tasks.brief_rules import read_message
from agents.tasks.reply_rules import classify_offline
from cli.commands import app
from evals.cases import DATASETS_DIR
from evals.report import compare, gate, read_report
from evals.runner import resolve_datasets, run_evals
from evals.suites import RunContext
from tests.support.openai_server import OpenAICompatServer, Scripted


def _fenced(request: dict[str, Any], tag: str) -> str:
    text = request["messages"][-1]["content"]
    match = re.search(rf"<{tag}>\n(.*)\n</{tag}>", text, re.S)
    return match.group(1) if match else ""


def rule_following_model(request: dict[str, Any]) -> Scripted:
    """A stand-in LLM: answers each tool call the way the offline rules would (so scores are predictable)."""
    tool = request["tools"][0]["function"]["name"]
    if tool == "ReplyVerdict":
        verdict = classify_offline(_fenced(request, "reply"), dt.date(2025, 3, 1))
        args: dict[str, Any] = {"intent": verdict.intent, "proposed_fee": verdict.proposed_fee,
                                "currency": verdict.currency, "summary": verdict.reason}
    elif tool == "BriefUpdate":
        today = dt.date.fromisoformat(re.search(r"today is (\d{4}-\d\d-\d\d)",
                                                request["messages"][0]["content"]).group(1))  # type: ignore[union-attr]
        args = read_message(_fenced(request, "message"), today).model_dump(mode="json", exclude_none=True)
    elif tool == "DraftOut":
        profile = json.loads(_fenced(request, "profile"))
        name = profile.get("first_name") or profile["display_name"]
        platform = next(iter(profile["platforms"]), "instagram").replace("youtube", "YouTube")
        args = {"subject": f"Paid collaboration for {name}",
                "body_text": f"Hi {name}, we love your {platform} content and would like to pay you for a post."}
    elif tool == "JudgeScore":
        args = {"score": 4, "reasons": "personal and clear"}
    else:
        return Scripted(status=400, error=f"unexpected tool {tool}")
    return Scripted.tool(tool, args, prompt_tokens=100, completion_tokens=20)


def _small_datasets(tmp_path: Path, per_suite: int = 4) -> dict[str, list[Path]]:
    datasets = {}
    for suite, paths in resolve_datasets(None, None).items():
        lines = paths[0].read_text().splitlines()[:per_suite]
        target = tmp_path / f"{suite}.jsonl"
        target.write_text("\n".join(lines) + "\n")
        datasets[suite] = [target]
    return datasets


async def test_runner_against_an_openai_compatible_endpoint(openai_server: OpenAICompatServer,
                                                             tmp_path: Path) -> None:
    openai_server.responder = rule_following_model
    model = get_chat_model(provider="openai", base_url=openai_server.base_url, api_key="k", model="local-7b",
                           max_retries=0)
    report = await run_evals(_small_datasets(tmp_path), RunContext(model=model, judge=model))
    assert report["run"]["model"] == "openai:local-7b"
    replies = report["suites"]["reply_intent"]
    assert replies["metrics"]["accuracy"] == 1.0 and replies["metrics"]["input_tokens"] == 400
    assert all(case["model"] == "openai:local-7b" for case in replies["cases"])
    assert report["suites"]["brief_extraction"]["metrics"]["field_f1"] == 1.0
    drafts = report["suites"]["drafts"]["metrics"]
    assert drafts["judge_score_mean"] == 4 and drafts["rubric_pass_rate"] is not None
    assert report["suites"]["negotiation"]["metrics"]["ceiling_violations"] == 0
    tools = {request["tools"][0]["function"]["name"] for request in openai_server.requests}
    assert tools == {"ReplyVerdict", "BriefUpdate", "DraftOut", "JudgeScore"}


def test_cli_run_against_the_endpoint_then_compare(openai_server: OpenAICompatServer, tmp_path: Path) -> None:
    openai_server.responder = rule_following_model
    dataset = tmp_path / "reply_intent.jsonl"
    dataset.write_text("\n".join((DATASETS_DIR / "reply_intent.jsonl").read_text().splitlines()[:6]) + "\n")
    runner = CliRunner()
    offline = runner.invoke(app, ["eval", "run", "--dataset", str(dataset), "--provider", "offline",
                                  "--out", str(tmp_path / "a")])
    assert offline.exit_code == 0, offline.output
    online = runner.invoke(app, ["eval", "run", "--dataset", str(dataset), "--provider", "openai", "--model", "m",
                                 "--base-url", openai_server.base_url, "--out", str(tmp_path / "b"),
                                 "--usd-per-1m-input", "2", "--usd-per-1m-output", "10"])
    assert online.exit_code == 0, online.output
    assert "reply_intent" in online.output and "accuracy" in online.output
    report = read_report(tmp_path / "b" / "report.json")
    assert report["suites"]["reply_intent"]["metrics"]["cost_usd"] == round((6 * 100 * 2 + 6 * 20 * 10) / 1e6, 6)
    assert set(report["suites"]["reply_intent"]["cases"][0]) >= {"id", "expected", "predicted", "correct"}
    compared = runner.invoke(app, ["eval", "compare", str(tmp_path / "a" / "report.json"),
                                   str(tmp_path / "b" / "report.json")])
    assert compared.exit_code == 0 and "input_tokens" in compared.output


def test_compare_and_gate_find_regressions() -> None:
    def report(correct: bool, accuracy: float, violations: int = 0) -> dict[str, Any]:
        return {"suites": {"negotiation": {"metrics": {"accuracy": accuracy, "ceiling_violations": violations},
                                           "splits": {"dev": {"accuracy": accuracy}},
                                           "cases": [{"id": "n1", "correct": correct}]}}}

    diff = compare(report(True, 1.0), report(False, 0.5))[0]
    assert diff.broken == ["n1"] and ("all", "accuracy", 1.0, 0.5) in diff.metrics
    baseline = {"suites": {"negotiation": {"dev": {"accuracy": 0.9}}}}
    assert gate(report(True, 0.95), baseline) == []
    assert gate(report(True, 0.8), baseline) == ["negotiation/dev: accuracy = 0.8 < baseline 0.9"]
    assert "ceiling_violations" in gate(report(True, 1.0, violations=1), baseline)[0]
