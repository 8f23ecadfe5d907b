"""Negotiations: the structured record per conversation, budget left, offers, inbound routing and agent turns."""
