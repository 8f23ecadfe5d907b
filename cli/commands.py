"""Registers the command groups that live beside their domains (creators, eval, ...)."""

from cli.creators import app as _creators_app  # noqa: E402
from cli.main import app  # noqa: F401

app.add_typer(_creators_app, name="creators")
