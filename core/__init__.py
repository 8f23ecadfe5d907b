"""Cross-cutting building blocks: settings, logging, errors, security. Imports nothing else from the project."""
