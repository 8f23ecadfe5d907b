"""The one chat-model factory every agent uses."""
