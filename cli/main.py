"""`influency`: run the system (up, serve, worker, services), migrate the database.

Other command groups (creators, eval, ...) register themselves in `cli/commands.py`.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from core.logging import configure_logging
from core.settings import get_settings, process_environment, set_process_defaults

app = typer.Typer(help="Influency: agentic outreach orchestrator for influencer marketing.", no_args_is_help=True)
services_app = typer.Typer(help="The system's individual processes.")
app.add_typer(services_app, name="services")
console = Console(stderr=True)


def _bootstrap() -> None:
    set_process_defaults()
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, settings.LOG_FORMAT)


def _redis_hint_or_exit() -> None:
    import redis

    settings = get_settings()
    if settings.BROKER == "stub":
        return
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception:
        console.print(
            f"[red]Redis is not reachable at {settings.REDIS_URL}[/red]: start one with "
            "`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no` "
            "or set REDIS_URL."
        )
        raise typer.Exit(1) from None


@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision")] = "heads") -> None:
    """Apply database migrations (starts the embedded database when DATABASE_URL is unset)."""
    _bootstrap()
    from store.db import resolve_database_url
    from store.migrate import upgrade

    upgrade(resolve_database_url(), revision)
    from agents.checkpointer import setup_checkpointer

    setup_checkpointer(resolve_database_url())  # LangGraph's checkpoint tables (outside Alembic)
    console.print(f"[green]database migrated to {revision}[/green]")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PORT)")] = None,
) -> None:
    """Run the HTTP API."""
    _bootstrap()
    from api.server import run

    settings = get_settings()
    # Forwarded headers are trusted only from FORWARDED_ALLOW_IPS, by the app itself (api/app.py); uvicorn's own
    # handling would otherwise trust 127.0.0.1 by default.
    run("api.app:create_app", factory=True, host=host or settings.HOST, port=port or settings.PORT,
        proxy_headers=False)


@app.command()
def worker(
    processes: Annotated[int | None, typer.Option(help="Worker processes")] = None,
    threads: Annotated[int | None, typer.Option(help="Threads per process")] = None,
    queue: Annotated[list[str] | None, typer.Option(
        help="Only consume this queue (repeatable: interactive, bulk); default every queue")] = None,
) -> None:
    """Run the Dramatiq workers (all actors; every queue unless --queue narrows it)."""
    _bootstrap()
    settings = get_settings()
    argv = [sys.executable, "-m", "dramatiq", "workers.actors",
            "--processes", str(processes or settings.WORKER_PROCESSES),
            "--threads", str(threads or settings.WORKER_THREADS)]
    if queue:
        argv += ["--queues", *queue]
    os.execv(sys.executable, argv)


@app.command()
def scheduler() -> None:
    """Run the scheduler: enqueues the periodic sweeps (approvals, messages, contracts) at their intervals."""
    _bootstrap()
    from workers.scheduler import run_scheduler

    run_scheduler()


@services_app.command("list")
def services_list() -> None:
    """List the services `influency up` starts."""
    from cli.services import declared_services

    table = Table("name", "what", "local stand-in")
    for service in declared_services(get_settings()):
        table.add_row(service.name, service.description, "yes" if service.standin else "")
    Console().print(table)


@app.command()
def relay() -> None:
    """Run the outbox relay: committed outbox rows → Dramatiq."""
    _bootstrap()
    import asyncio

    from workers.outbox_relay import run_relay

    asyncio.run(run_relay())


@services_app.callback(invoke_without_command=True)
def _services(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="List the services and exit")] = False,
) -> None:
    if list_ or ctx.invoked_subcommand is None:
        services_list()
        raise typer.Exit()


@services_app.command("start")
def services_start(name: str) -> None:
    """Start one service in the foreground."""
    _bootstrap()
    from cli.services import declared_services, find_service

    service = find_service(get_settings(), name)
    if service is None:
        names = ", ".join(s.name for s in declared_services(get_settings()))
        console.print(f"[red]unknown service {name!r}[/red]; known: {names}")
        raise typer.Exit(2)
    os.execv(service.argv[0], service.argv)


@app.command()
def up() -> None:
    """Start the whole system: database (embedded unless DATABASE_URL), migrations, API, workers, stand-ins.
    A service that exits is restarted with backoff while the others keep running; Ctrl-C / SIGTERM stops all."""
    _bootstrap()
    from cli.services import declared_services, skip_reason
    from cli.supervisor import Supervisor
    from core.supervision import services_state_path
    from store.db import resolve_database_url
    from store.migrate import upgrade

    settings = get_settings()
    _redis_hint_or_exit()
    url = resolve_database_url()
    if settings.embedded:
        console.print(f"embedded PostgreSQL ready (data in {settings.data_dir / 'postgres'})")
        upgrade(url)
        from agents.checkpointer import setup_checkpointer

        setup_checkpointer(url)
        console.print("migrations applied")
    settings.secret_key()
    settings.ensure_channel_secrets()
    env = process_environment() | {"DATABASE_URL": url, "SECRET_KEY": settings.secret_key(),
                                   "DATA_DIR": str(settings.data_dir)}
    chosen = []
    for service in declared_services(settings):
        skipped = ("not in UP_SERVICES" if settings.UP_SERVICES and service.name not in settings.UP_SERVICES
                   else skip_reason(service, settings))
        if skipped:
            console.print(f"not starting {service.name}: {skipped}")
            continue
        chosen.append(service)
    supervisor = Supervisor(chosen, env, state_path=services_state_path(settings.data_dir),
                            initial=settings.SUPERVISOR_BACKOFF_INITIAL_SECONDS,
                            cap=settings.SUPERVISOR_BACKOFF_MAX_SECONDS,
                            reset_after=settings.SUPERVISOR_RESET_AFTER_SECONDS,
                            say=lambda line: console.print(line, markup=False, highlight=False))
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    supervisor.start()
    for service in chosen:
        console.print(f"started {service.name}: {service.description}")
    console.print(f"[green]Influency is up[/green]: http://{settings.HOST}:{settings.PORT}/docs  (Ctrl-C stops)")

    while not stopping:  # a service that exits is restarted (with backoff); only a signal to `up` stops all
        supervisor.poll()
        time.sleep(0.25)
    supervisor.stop()
    console.print("stopped")


def run_cli(invoke: Callable[[], Any]) -> int:
    """Run a command; any error becomes one line on stderr and a non-zero exit code (never a traceback): usage
    errors (bad argument, unknown option) exit 2, domain errors (`core.errors`), database refusals and anything
    unexpected exit 1 (the traceback goes to the log at DEBUG level)."""
    import logging

    from sqlalchemy.exc import IntegrityError, SQLAlchemyError

    from core.errors import DomainError

    def fail(message: str, code: int) -> int:
        print(f"error: {' '.join(message.split())}", file=sys.stderr)
        return code

    try:
        result = invoke()
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return fail("aborted", 130)
    except typer.TyperException as exc:  # Typer's click errors: BadParameter, UsageError, missing arguments ...
        message, code = str(getattr(exc, "format_message", exc.__str__)()), int(getattr(exc, "exit_code", 2))
        if type(exc).__name__ == "NoArgsIsHelpError":  # a group run without a command: its help, as asked for
            print(message, file=sys.stderr)
            return code
        path = getattr(getattr(exc, "ctx", None), "command_path", None)
        return fail(message + (f" (see `{path} --help`)" if path else ""), code)
    except DomainError as exc:
        return fail(f"{exc.message} [{exc.code}]", 1)
    except IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else "integrity error"
        return fail(f"the database refused the change: {detail}", 1)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return fail(f"database error: {detail}", 1)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except Exception as exc:  # noqa: BLE001  (a CLI prints one line; the traceback is in the DEBUG log)
        logging.getLogger("cli").debug("command failed", exc_info=True)
        return fail(f"{type(exc).__name__}: {exc}", 1)


def main(argv: list[str] | None = None) -> None:
    from cli import commands  # noqa: F401  (registers command groups)
    from cli.main import app as registered  # this module's app even when run as `python -m cli.main`

    code = run_cli(lambda: registered(args=argv, standalone_mode=False))
    if code:
        sys.exit(code)


if __name__ == "__main__":
    main()
