"""Filling the ``root`` column of rows written before it existed (a migration's RunPython).

Historical models only: the tree is read once into memory (id -> parent, kind), each row's
org unit is found along its ``ROOT_FROM`` path, and the rows of one root are updated in one
statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

NATION = "nation"
BATCH = 5000


def fill(app_label: str, model_name: str, root_from: str) -> Callable[[Any, Any], None]:
    """A RunPython function that fills ``root`` of every row of one model."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        OrgUnit = apps.get_model("orgs", "OrgUnit")
        model = apps.get_model(app_label, model_name)
        tree = dict(
            (pk, (parent, kind))
            for pk, parent, kind in OrgUnit.objects.values_list("pk", "parent_id", "kind")
        )
        path = root_from if root_from.count("__") or root_from == "root" else f"{root_from}_id"
        by_root: dict[int, list[int]] = defaultdict(list)
        rows = model.objects.filter(root__isnull=True).values_list("pk", path)
        for pk, unit in rows.iterator(chunk_size=BATCH):
            by_root[unit if root_from.endswith("__root") else _root(tree, unit)].append(pk)
        for root, pks in by_root.items():
            for start in range(0, len(pks), BATCH):
                model.objects.filter(pk__in=pks[start : start + BATCH]).update(root_id=root)

    return forwards


def _root(tree: dict[int, tuple[int | None, str]], unit: int) -> int:
    top = unit
    while True:
        parent = tree[top][0]
        if parent is None or tree[parent][1] == NATION:
            return top
        top = parent


def noop(apps: Any, schema_editor: Any) -> None:
    """Going back drops the column: nothing to undo."""
