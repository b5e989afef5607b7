"""Every page title is plain text: a `{% block title %}` holding markup (a form pasted into
it by a slip) puts that markup into the browser tab and duplicates the page's element ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "gaodi"
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))
TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_title_is_one_line_of_text(path: Path) -> None:
    for title in TITLE.findall(path.read_text(encoding="utf-8")):
        assert "\n" not in title and "<" not in title, title[:80]
