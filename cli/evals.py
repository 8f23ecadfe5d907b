"""`influency eval`: run the offline eval suites (issue #6) and compare reports. Logic lives in `evals/`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

eval_app = typer.Typer(help="Offline evaluation suites: reply intent, brief extraction, negotiation, drafts.",
                       no_args_is_help=True)
console = Console()


@eval_app.command("run")
def run(
    suite: Annotated[list[str] | None, typer.Option("--suite", "-s", help="Suite(s) to run (default: all)")] = None,
    dataset: Annotated[Path | None, typer.Option(help="One JSONL file instead of the suite's datasets")] = None,
    provider: Annotated[str | None, typer.Option(help="offline | openai (default: settings)")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the openai provider (default LLM_MODEL)")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL (default OPENAI_BASE_URL)")] = None,
    prompt_version: Annotated[str | None, typer.Option(help="Prompt version for every task (default newest)")] = None,
    split: Annotated[str, typer.Option(help="dev | holdout | all")] = "all",
    judge: Annotated[bool, typer.Option(help="LLM-judge the drafts when a model is configured")] = True,
    out: Annotated[Path, typer.Option(help="Directory for report.json")] = Path("eval-reports/latest"),
    baseline: Annotated[Path | None, typer.Option(help="Fail (exit 1) when below this baseline")] = None,
    write_baseline: Annotated[Path | None, typer.Option(help="Write this run's scores as a baseline")] = None,
    show_failures: Annotated[bool, typer.Option(help="List incorrect cases")] = True,
    usd_per_1m_input: Annotated[float, typer.Option(help="Price per 1M input tokens, for cost_usd")] = 0.0,
    usd_per_1m_output: Annotated[float, typer.Option(help="Price per 1M output tokens, for cost_usd")] = 0.0,
) -> None:
    """Run the suites through the same task functions the agents use; print tables; write report.json."""
    from agents.llm.factory import get_chat_model
    from evals.render import detail_table, failures_table, language_table, suite_table
    from evals.report import add_token_cost, baseline_from, gate, read_report, write_report
    from evals.runner import UnknownSuite, resolve_datasets, run_evals
    from evals.suites import RunContext

    if provider not in (None, "offline", "openai"):
        raise typer.BadParameter("--provider is offline or openai")
    try:
        datasets = resolve_datasets(suite, dataset)
    except UnknownSuite as error:
        raise typer.BadParameter(str(error)) from None
    chat_model = get_chat_model(provider=provider, model=model, base_url=base_url)  # type: ignore[arg-type]
    context = RunContext(model=chat_model, judge=chat_model if judge else None, prompt_version=prompt_version)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)

        report = asyncio.run(run_evals(datasets, context, split=split, progress=advance))
    if usd_per_1m_input or usd_per_1m_output:
        add_token_cost(report, usd_per_1m_input, usd_per_1m_output)
    for name, body in report["suites"].items():
        console.print(suite_table(name, body))
        for extra in (detail_table(name, body), language_table(name, body),
                      failures_table(name, body) if show_failures else None):
            if extra is not None:
                console.print(extra)
    path = write_report(report, out)
    console.print(f"model: {report['run']['model']}  report: {path}")
    if write_baseline is not None:
        import json

        write_baseline.write_text(json.dumps(baseline_from(report), indent=2) + "\n")
        console.print(f"baseline written to {write_baseline}")
    if baseline is not None:
        failures = gate(report, read_report(baseline))
        for failure in failures:
            console.print(f"[red]below baseline[/red] {failure}")
        if failures:
            raise typer.Exit(1)


@eval_app.command("compare")
def compare(before: Path, after: Path) -> None:
    """What got better and worse between two report.json files, metric by metric and case by case."""
    from evals.render import compare_table
    from evals.report import compare as compare_reports
    from evals.report import read_report

    for diff in compare_reports(read_report(before), read_report(after)):
        console.print(compare_table(diff) if diff.metrics else f"[bold]{diff.suite}[/bold]")
        for label, ids, colour in (("fixed", diff.fixed, "green"), ("broken", diff.broken, "red"),
                                   ("added", diff.added, "cyan"), ("removed", diff.removed, "yellow")):
            if ids:
                console.print(f"  [{colour}]{label}[/]: {', '.join(ids)}")
        if not (diff.metrics or diff.fixed or diff.broken or diff.added or diff.removed):
            console.print("  no change")
