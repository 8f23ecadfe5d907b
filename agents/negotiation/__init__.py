"""Negotiation agent: one LangGraph thread per conversation, one turn per creator reply or due follow-up:
classify the reply → decide in code within the brief's limits → update the negotiation record from structured
values → draft the answer → manager approval (kind `message`, or `offer` when it carries a fee) → queued."""
