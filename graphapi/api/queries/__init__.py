"""The Query root and its fields with their own logic: search, timelines, walks, changes, compare, drafts."""
