"""社会培训、培训量折算与绩效工资 (issue 8 §1 §2). Pure rule functions for now; not yet an
installed Django app (no models, no migrations)."""
