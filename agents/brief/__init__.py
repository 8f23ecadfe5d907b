"""Brief agent: one conversational turn at a time, the manager's text → the structured brief so far and a reply."""
