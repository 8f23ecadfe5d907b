"""Follow-ups: when a conversation without a reply is due for one; replies stop it, out-of-office moves it."""
