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


def restated_tasks(row_folded: str, task_grams: dict[int, set[str]]) -> list[int]:
    """Task numbers the row restates, in the order the row restates them."""
    votes: dict[int, int] = {}
    total = 0
    for clause in _CLAUSE.split(row_folded):
        grams = trigrams(clause)
        if len(grams) < 3:
            continue
        total += len(grams)
        # Set intersections run in C: faster than an inverted index built in Python.
        hits = {number: len(grams & known) for number, known in task_grams.items()}
        best = max(hits, key=lambda n: (hits[n], -n), default=None)
        if best is not None and hits[best] / len(grams) >= _CLAUSE_SHARE:
            votes[best] = votes.get(best, 0) + len(grams)
    if not total:
        return []
    return [n for n, weight in votes.items() if weight / total >= _ROW_SHARE]
