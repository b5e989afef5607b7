"""Moved to `gaodi.files.uploads` (the defences every upload shares); kept so that older
imports keep working."""

from gaodi.files.uploads import *  # noqa: F403
from gaodi.files.uploads import __all__  # noqa: F401
