"""Datasets: JSONL, one case per line with a unique `id`. `<suite>.jsonl` is the dev split, `<suite>_holdout.jsonl`
the held-out split; a case's own `split` field wins over the file name."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
HOLDOUT_SUFFIX = "_holdout"


class DatasetError(ValueError):
    """A dataset file is malformed (bad JSON, missing or duplicate id)."""


@dataclass
class Case:
    id: str
    split: str
    data: dict[str, Any]
    source: str = ""

    @property
    def expected(self) -> dict[str, Any]:
        return dict(self.data.get("expected") or {})


@dataclass
class CaseResult:
    id: str
    split: str
    expected: dict[str, Any]
    predicted: dict[str, Any]
    correct: bool
    latency_ms: float = 0.0
    input_tokens: int | None = None
    output_tokens: int | None = None
    model: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "split": self.split, "expected": self.expected, "predicted": self.predicted,
                "correct": self.correct, "latency_ms": round(self.latency_ms, 2), "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens, "model": self.model, **({"details": self.details}
                                                                             if self.details else {})}


def suite_of(path: Path) -> str:
    stem = path.name.removesuffix(".jsonl")
    return stem.removesuffix(HOLDOUT_SUFFIX)


def load_cases(path: Path) -> list[Case]:
    default_split = "holdout" if path.name.removesuffix(".jsonl").endswith(HOLDOUT_SUFFIX) else "dev"
    cases: list[Case] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{path}:{number}: not JSON ({error})") from None
        case_id = data.get("id")
        if not case_id or case_id in seen:
            raise DatasetError(f"{path}:{number}: missing or duplicate id {case_id!r}")
        seen.add(case_id)
        cases.append(Case(id=str(case_id), split=str(data.get("split", default_split)), data=data,
                          source=f"{path.name}:{number}"))
    return cases


def dataset_paths(suite: str, root: Path = DATASETS_DIR) -> list[Path]:
    """The dev and holdout files of a suite that exist."""
    return [path for path in (root / f"{suite}.jsonl", root / f"{suite}{HOLDOUT_SUFFIX}.jsonl") if path.exists()]
