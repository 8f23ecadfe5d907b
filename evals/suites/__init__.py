"""The eval suites, by name. Each runs its cases through the task functions the agents use."""

from __future__ import annotations

from evals.suites.base import RunContext, Suite
from evals.suites.brief_extraction import BriefExtractionSuite
from evals.suites.drafts import DraftsSuite
from evals.suites.negotiation import NegotiationSuite
from evals.suites.reply_intent import ReplyIntentSuite

SUITES: dict[str, type[Suite]] = {suite.name: suite for suite in (ReplyIntentSuite, BriefExtractionSuite,
                                                                   NegotiationSuite, DraftsSuite)}

__all__ = ["SUITES", "RunContext", "Suite"]
