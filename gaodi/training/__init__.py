"""社会培训、培训量折算与绩效工资 (issue 8 §1 §2): the pure rules (conversion.py, pay.py), the
schools' training records and pay inputs, the parameter versions, and the stored results."""
