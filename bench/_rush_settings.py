"""Settings of the server under ``bench/rush.py``: Gaodi's own, plus the baseline's ping."""

from gaodi.settings import *  # noqa: F403

ROOT_URLCONF = "_rush_urls"
