"""LangGraph agents (one package each), the chat-model factory, task functions and approval requests."""
