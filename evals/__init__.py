"""Offline evaluation suites (issue #6): JSONL datasets in `evals/datasets/`, run through the same task functions
the agents call (`influency eval run`), scored into `report.json`, compared (`influency eval compare`) and gated
against `evals/baseline.json` in CI (`pytest -m eval tests/evals`). Imports agents; agents never import evals."""
