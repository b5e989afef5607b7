"""The reference plan laid out the way other counties write theirs still gives the same
23 lead / cooperating pairs. Each variant is built from the hand-written truth in
reference.py, never from the parser's own output."""

from __future__ import annotations

import re
from collections.abc import Callable

import opencc
import pytest

from gaodi.plans.parsing import PlanDraft, example_plan_path, parse_bytes
from gaodi.plans.parsing.text import fold, int_to_cn

from . import reference as ref

REFERENCE = example_plan_path().read_text("utf-8")
_TAG = re.compile(r"\s*[（(]牵头单位[:：][^（(]*?[）)]", re.S)
_NUMBER = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*", re.M)


def _retag(text: str, render: Callable[[list[str], list[str]], str]) -> str:
    """Replace the k-th responsibility tag by `render(lead, coop)` of task k."""
    counter = iter(range(1, 24))
    return _TAG.sub(lambda m: render(*ref.PAIRS[next(counter)]), text)


def _renumber(text: str, style: str) -> str:
    numbers = {int_to_cn(n): n for n in range(1, 24)}
    return _NUMBER.sub(lambda m: style.format(numbers[m.group(1)]), text)


def own_lines(lead: list[str], coop: list[str]) -> str:
    return f"\n牵头单位：{'、'.join(lead)}\n配合单位：{'、'.join(coop)}"


def responsibility_inline(lead: list[str], coop: list[str]) -> str:
    return f"（责任单位：{'、'.join(lead)}牵头，{'、'.join(coop)}配合）"


def leads_then_duty(lead: list[str], coop: list[str]) -> str:
    return f"({'、'.join(lead)}牵头，{'、'.join(coop)}按职责分工负责)"


def main_and_supporting(lead: list[str], coop: list[str]) -> str:
    return f"（主要责任单位：{'、'.join(lead)}；协同配合单位：{'、'.join(coop)}）"


def division_table(text: str) -> str:
    """No tags in the body; a 分工表 at the end names each task by its number."""
    body = _TAG.sub("", text)
    rows = "\n".join(
        f"（{int_to_cn(n)}）\t{ref.TITLES[n]}\t{'、'.join(lead)}\t{'、'.join(coop)}"
        for n, (lead, coop) in ref.PAIRS.items()
    )
    return f"{body}\n\n附件4\n\n重点任务分工表\n\n序号\t重点任务\t牵头单位\t配合单位\n{rows}\n"


def traditional(text: str) -> str:
    return str(opencc.OpenCC("s2t").convert(text))


VARIANTS: dict[str, Callable[[str], str]] = {
    "arabic numbering 1.": lambda t: _renumber(t, "{}. "),
    "arabic numbering 1、": lambda t: _renumber(t, "{}、"),
    "tags on their own lines": lambda t: _retag(t, own_lines),
    "tags on own lines with 1. numbering": lambda t: _renumber(_retag(t, own_lines), "{}. "),
    "责任单位：X牵头，Y配合": lambda t: _retag(t, responsibility_inline),
    "(X牵头，Y按职责分工负责)": lambda t: _retag(t, leads_then_duty),
    "主要责任单位 / 协同配合单位": lambda t: _retag(t, main_and_supporting),
    "a 分工表 instead of tags": division_table,
    "traditional characters": traditional,
    "full-width everything": lambda t: (
        t.replace(":", "：").replace(";", "；").replace("(", "（").replace(")", "）")
    ),
}


def _pairs(draft: PlanDraft) -> dict[int, tuple[list[str], list[str]]]:
    return {
        t.number: ([fold(n) for n in t.lead_units], [fold(n) for n in t.coop_units])
        for t in draft.tasks
    }


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_relaid_plan_gives_the_same_23_pairs(variant: str) -> None:
    text = VARIANTS[variant](REFERENCE)
    assert text != REFERENCE
    draft = parse_bytes(text.encode("utf-8"))
    assert _pairs(draft) == ref.PAIRS
    assert [fold(t.title) for t in draft.tasks] == [fold(ref.TITLES[n]) for n in range(1, 24)]


def test_a_gb18030_file_reads_like_the_utf8_one() -> None:
    utf8 = parse_bytes(REFERENCE.encode("utf-8")).to_dict()
    gbk = parse_bytes(REFERENCE.encode("gb18030")).to_dict()
    assert gbk == utf8


def test_a_traditional_plan_keeps_its_own_characters() -> None:
    draft = parse_bytes(traditional(REFERENCE).encode("utf-8"))
    assert draft.tasks[0].lead_units == ["區財政局"]
    assert draft.document.doc_number == "聊茌政發〔2020〕19號"
    assert fold(draft.canonical("區教體局")) == "区教育和体育局"
