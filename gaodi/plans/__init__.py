"""The plan: its document, parsing, tasks, departments and self-consistency findings."""
