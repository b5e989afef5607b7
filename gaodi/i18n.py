"""Translation for the parts of Gaodi that run without Django: the parser, the audit, the CLI.

Messages are written once, in Chinese, wrapped in `_()` with named `{placeholders}` (no
f-strings), so that `django-admin makemessages` extracts them into the same `django` catalog
as the web pages, and Python's gettext reads the compiled catalog here. The language comes
from GAODI_LANGUAGE (default zh-hans: the source text itself).
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _locale_name(language: str) -> str:
    """zh-hans -> zh_Hans, en -> en (Django's folder names)."""
    language, _, region = language.replace("_", "-").partition("-")
    if not region:
        return language.lower()
    return f"{language.lower()}_{region.title() if len(region) > 2 else region.upper()}"


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    return _gettext.translation(
        "django", LOCALE_DIR, languages=[_locale_name(language)], fallback=True
    )


def gettext(message: str) -> str:
    """The message in the configured language (GAODI_LANGUAGE), or as written."""
    return _catalog(os.environ.get("GAODI_LANGUAGE", "zh-hans")).gettext(message)


_ = gettext
