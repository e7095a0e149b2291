"""Policy: what a request may do before it runs (limits, tokens, trusted documents) and the error codes."""
