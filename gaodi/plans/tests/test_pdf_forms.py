"""The reference plan as a printed 公文 PDF (GB/T 9704 layout) parses like the text.

The fixture fixtures/forms/chiping-2020-19-gbt9704.pdf is written by
`python scripts/make_plan_forms.py --gbt9704`: margins 37/26/35/28 mm, 16pt body at a
28.95pt line pitch, body lines justified by spacing the characters out to the right
margin, and a centred page number "— N —" below the text block on every page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaodi.plans.parsing import PlanDraft, parse_path

from .test_parse_reference import _comparable, draft_of

GBT9704 = Path(__file__).parent / "fixtures" / "forms" / "chiping-2020-19-gbt9704.pdf"
_cache: dict[str, PlanDraft] = {}


def gbt9704_draft() -> PlanDraft:
    if "draft" not in _cache:
        _cache["draft"] = parse_path(GBT9704)
    return _cache["draft"]


def test_the_fixture_has_page_numbers_and_justified_lines() -> None:
    """What the form is for: a page number on every page, body lines flush right."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(GBT9704) as pdf:
        right = pdf.pages[0].width - 26 / 25.4 * 72
        flush = short = 0
        for number, page in enumerate(pdf.pages, 1):
            lines = page.extract_text_lines()
            footer = [ln for ln in lines if ln["top"] > page.height - 35 / 25.4 * 72]
            assert [ln["text"] for ln in footer] == [f"— {number} —"]
            middle = (footer[0]["x0"] + footer[0]["x1"]) / 2
            assert abs(middle - (28 + (210 - 28 - 26) / 2) / 25.4 * 72) < 1
            boxes = [t.bbox for t in page.find_tables()]
            for ln in lines:
                middle_y = (ln["top"] + ln["bottom"]) / 2
                if ln in footer or any(b[1] <= middle_y <= b[3] for b in boxes):
                    continue
                if abs(ln["x1"] - right) < 1:
                    flush += 1
                else:
                    short += 1
        assert flush > 2 * short


def test_the_gbt9704_pdf_gives_the_same_tasks_rows_and_registry_as_the_text() -> None:
    assert _comparable(gbt9704_draft()) == _comparable(draft_of("txt"))


def test_the_gbt9704_pdf_gives_the_same_audit_findings() -> None:
    from gaodi.plans.consistency import audit_plan

    def findings(d: PlanDraft) -> list[tuple[str, object]]:
        return [(f.code, f.where) for f in audit_plan(d)]

    assert findings(gbt9704_draft()) == findings(draft_of("txt"))
