"""Registers the command groups that live beside their domains (creators, eval, ...)."""

from cli.main import app  # noqa: F401
