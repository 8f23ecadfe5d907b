"""Local stand-ins for external providers, speaking their HTTP APIs, for embedded defaults and tests."""
