"""Live updates: the change bus, in one process and between processes, and the Subscription root."""
