"""Business rules in code (never in a prompt): what the agents may decide without a human."""
