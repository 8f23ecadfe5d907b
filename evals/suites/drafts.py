"""drafts: first-contact drafts (and redrafts with the manager's feedback) checked by rubric rules
(`agents/tasks/draft_checks.py`: name, platform, no money, no invented numbers, opt-out line, channel limits),
plus the case's must/must-not mentions and "shorter" feedback; with a model configured, an LLM judge scores 1–5."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

from agents.llm.prompts import fenced, load_prompt
from agents.llm.structured import ask_structured
from agents.tasks.draft_checks import check_draft
from agents.tasks.drafting import draft_outreach
from agents.tasks.types import CampaignBrief, CreatorProfile, Draft
from evals.cases import Case, CaseResult
from evals.metrics import ratio
from evals.suites.base import Suite

_SHORTER = re.compile(r"\b(short(er)?|too long|cut|concise|trim)\b", re.I)


class JudgeScore(BaseModel):
    """The judge's grade of one draft."""

    score: int = Field(ge=1, le=5)
    reasons: str = ""


def rubric(draft: Draft, first: Draft | None, case: Case, profile: CreatorProfile, brief: CampaignBrief) -> list[str]:
    problems = check_draft(draft, profile, brief)
    text = f"{draft.subject or ''}\n{draft.body_text}".lower()
    problems += [f"must mention: {m!r}" for m in case.expected.get("must_mention", []) if m.lower() not in text]
    problems += [f"must not mention: {m!r}" for m in case.expected.get("must_not_mention", []) if m.lower() in text]
    feedback = case.data.get("feedback") or ""
    if first is not None and _SHORTER.search(feedback) and len(draft.body_text) >= len(first.body_text):
        problems.append("feedback: asked for shorter, redraft is not shorter")
    return problems


class DraftsSuite(Suite):
    name = "drafts"
    headline = ("rubric_pass_rate",)

    async def run_case(self, case: Case) -> CaseResult:
        profile = CreatorProfile.model_validate(case.data["profile"])
        brief = CampaignBrief.model_validate(case.data["brief"])
        channel = case.data["channel"]
        kwargs = {"model": self.ctx.model, "prompt_version": self.ctx.prompt_version}
        timed = await self.timed(draft_outreach(profile, brief, channel, **kwargs))  # type: ignore[arg-type]
        first: Draft | None = None
        if case.data.get("feedback"):
            first = timed.produced[0].value
            again = await self.timed(draft_outreach(profile, brief, channel, feedback=case.data["feedback"],
                                                    previous=first, **kwargs))  # type: ignore[arg-type]
            timed.produced += again.produced
            timed.latency_ms += again.latency_ms
        draft = timed.produced[-1].value
        problems = rubric(draft, first, case, profile, brief)
        predicted: dict[str, Any] = {"subject": draft.subject, "body_text": draft.body_text, "problems": problems}
        if self.ctx.judge is not None:
            predicted["judge_score"], predicted["judge_reasons"] = await self._judge(draft, profile, brief)
        return self.result(case, timed, predicted, not problems,
                           notes=[note for p in timed.produced for note in p.notes])

    async def _judge(self, draft: Draft, profile: CreatorProfile, brief: CampaignBrief) -> tuple[int | None, str]:
        assert self.ctx.judge is not None
        prompt = load_prompt("draft_judge")
        try:
            answer = await ask_structured(self.ctx.judge, JudgeScore, prompt.messages(
                channel=draft.channel, profile=fenced(json.dumps(profile.model_dump(mode="json")), "profile"),
                brief=fenced(json.dumps(brief.model_dump(mode="json")), "brief"),
                draft=fenced(f"{draft.subject or ''}\n{draft.body_text}", "draft")))
        except Exception as error:  # a judge failure leaves the case unscored, it does not fail the run
            return None, f"judge failed: {error}"
        return answer.value.score, answer.value.reasons

    def metrics(self, results: list[CaseResult]) -> dict[str, Any]:
        failures: Counter[str] = Counter()
        for result in results:
            failures.update({problem.split(":")[0] for problem in result.predicted["problems"]})
        scores = [r.predicted["judge_score"] for r in results if r.predicted.get("judge_score") is not None]
        metrics: dict[str, Any] = {"rubric_pass_rate": ratio(sum(r.correct for r in results), len(results)),
                                   "cases": len(results), "rule_failures": dict(sorted(failures.items()))}
        if scores:
            metrics["judge_score_mean"] = round(sum(scores) / len(scores), 2)
        return metrics
