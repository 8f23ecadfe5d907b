"""Outreach agent: one run per shortlisted creator and channel: draft → manager approval (edit, or reject with
feedback → redraft) → the approved message is queued for the channels' senders."""
