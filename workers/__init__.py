"""Dramatiq broker and actors (`domain.verb`). Agent runs and sends happen here, never in a request."""
