"""Project-wide tests: settings and the database layer. App tests live in <app>/tests/."""
