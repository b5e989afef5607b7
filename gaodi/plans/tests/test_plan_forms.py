"""One small plan per form a county may use, each with its expected result written by hand
(fixtures/plan_forms/NAME.txt and NAME.expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gaodi.plans.consistency import audit_plan
from gaodi.plans.parsing import parse_path

FORMS = Path(__file__).parent / "fixtures" / "plan_forms"
NAMES = sorted(p.name.removesuffix(".txt") for p in FORMS.glob("*.txt"))


def _subset(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The actual item reduced to the keys the expectation names (targets: matched one by one)."""
    out = {}
    for key, value in expected.items():
        if key == "targets":
            out[key] = [
                next((_subset(a, e) for a in actual["targets"] if _subset(a, e) == e), None)
                for e in value
            ]
        else:
            out[key] = actual.get(key)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_a_plan_form_parses_to_its_expected_json(name: str) -> None:
    expected = json.loads((FORMS / f"{name}.expected.json").read_text("utf-8"))
    draft = parse_path(FORMS / f"{name}.txt")
    data = draft.to_dict()
    if "document" in expected:
        assert {k: data["document"][k] for k in expected["document"]} == expected["document"]
    assert [
        _subset(t, e) for t, e in zip(data["tasks"], expected["tasks"], strict=False)
    ] == expected["tasks"]
    assert len(data["tasks"]) == len(expected["tasks"])
    if "task_list" in expected:
        assert [
            _subset(r, e) for r, e in zip(data["task_list"], expected["task_list"], strict=False)
        ] == expected["task_list"]
        assert len(data["task_list"]) == len(expected["task_list"])
    if "leading_group" in expected:
        assert data["leading_group"] == expected["leading_group"]
    if "leading_group_office" in expected:
        office = data["leading_group_office"] or {}
        assert {k: office.get(k) for k in expected["leading_group_office"]} == expected[
            "leading_group_office"
        ]
    for spelling, canonical in expected.get("canonical", {}).items():
        assert draft.canonical(spelling) == canonical
    collective = {u["name"] for u in data["units"] if u.get("collective")}
    assert set(expected.get("collective", [])) <= collective
    assert set(expected.get("warning_codes", [])) <= {w["code"] for w in data["warnings"]}
    assert set(expected.get("findings", [])) <= {f.code for f in audit_plan(draft)}


def test_every_fixture_has_an_expectation() -> None:
    assert len(NAMES) >= 12
    for name in NAMES:
        assert (FORMS / f"{name}.expected.json").exists(), name
