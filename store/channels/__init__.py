"""Outbound channel records: delivery statuses and WhatsApp sends (one row per provider message)."""
