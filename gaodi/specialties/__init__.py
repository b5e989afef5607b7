"""专业 (specialties): the catalogue, offerings, and the warning and exit rules (issue 7)."""
