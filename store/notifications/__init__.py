"""Notifications for managers (a row plus an email through the outbox)."""
