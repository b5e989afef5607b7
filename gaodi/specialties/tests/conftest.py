"""The demo, as the views and API of the specialties app are tested on it."""

from __future__ import annotations
