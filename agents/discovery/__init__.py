"""Discovery agent: brief → creator-search tool calls → shortlist with reasons → manager approval → outreach runs."""
