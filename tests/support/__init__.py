"""Reusable test doubles: scripted fake chat models and a local OpenAI-compatible HTTP server."""
