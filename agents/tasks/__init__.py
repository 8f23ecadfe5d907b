"""Task functions: one per thing an agent asks a model to do (extract a brief, draft outreach, classify a reply).

Each takes an optional chat model: with a model it renders the versioned prompt from `prompts/` and asks for
structured output (function calling); with `None` it runs the deterministic offline rules. Each returns a
`Produced[...]` that records which model and prompt version produced the value. Agents and evals call these
same functions, so evals measure what the agents do.
"""
