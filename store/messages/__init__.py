"""Sending messages: the atomic claim around the provider call, outcomes, delivery receipts, re-drives."""
