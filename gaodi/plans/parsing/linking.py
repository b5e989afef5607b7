"""Which body task(s) a task-list row restates.

A row is cut into clauses; a clause belongs to the task whose text contains most of its
character trigrams (at least 70 %). A row restates every task that takes at least 12 % of
its clause text — so a row that merges two tasks' sentences links to both, and a row about
something the body never says links to none.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"[。；;，,：:!?！？\n]")
_NOT_HAN = re.compile(r"[^\u3400-\u9fff0-9A-Za-z%]")
_CLAUSE_SHARE = 0.7
_ROW_SHARE = 0.12


def trigrams(text: str) -> set[str]:
    clean = _NOT_HAN.sub("", text)
    return {clean[i : i + 3] for i in range(len(clean) - 2)}


def gram_index(task_grams: dict[int, set[str]]) -> dict[str, list[int]]:
    """trigram -> the tasks whose text holds it (built once per plan)."""
    index: dict[str, list[int]] = {}
    for number, grams in task_grams.items():
        for gram in grams:
            index.setdefault(gram, []).append(number)
    return index


def restated_tasks(row_folded: str, index: dict[str, list[int]]) -> list[int]:
    """Task numbers the row restates, in the order the row restates them."""
    votes: dict[int, int] = {}
    total = 0
    for clause in _CLAUSE.split(row_folded):
        grams = trigrams(clause)
        if len(grams) < 3:
            continue
        total += len(grams)
        hits: dict[int, int] = {}
        for gram in grams:
            for number in index.get(gram, ()):
                hits[number] = hits.get(number, 0) + 1
        if not hits:
            continue
        best = max(hits, key=lambda n: (hits[n], -n))
        if hits[best] / len(grams) >= _CLAUSE_SHARE:
            votes[best] = votes.get(best, 0) + len(grams)
    if not total:
        return []
    return [n for n, weight in votes.items() if weight / total >= _ROW_SHARE]
