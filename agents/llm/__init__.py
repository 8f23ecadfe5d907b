"""Model layer: the chat-model factory, the versioned prompt registry, structured calls with usage accounting."""
