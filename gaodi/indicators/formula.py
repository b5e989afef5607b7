"""A small, safe formula engine for derived indicators: no eval().

A formula is arithmetic over indicator codes — `ind_03_04_num / ind_03_04_den * 100` —
parsed with Python's `ast` and evaluated by walking only the nodes allowed here: numbers,
codes, + - * /, unary minus and brackets. Values are Decimal; a division by zero or a missing
part gives None (not 0): a ratio without its parts is unknown, never invented.
"""

from __future__ import annotations

import ast
import math
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from gaodi.i18n import _

# Deeper formulas are refused: evaluating one, and writing it into the Excel template
# (copy.deepcopy, ast.unparse), recurse once per level. A sum of 99 parts still passes.
MAX_DEPTH = 100
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """A formula that is not allowed; the message is Chinese."""


@lru_cache(maxsize=1024)
def parse(formula: str) -> ast.expr:
    """Check a formula and return its tree; refuse anything but arithmetic over codes."""
    if len(formula) > 500:
        raise FormulaError(_("公式过长"))
    try:
        tree = ast.parse(formula, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(_("公式写法有误：{formula}").format(formula=formula)) from exc
    for node in ast.walk(tree):
        if not isinstance(
            node,
            (
                ast.BinOp,
                ast.UnaryOp,
                ast.Constant,
                ast.Name,
                ast.Load,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.USub,
                ast.UAdd,
            ),
        ):
            raise FormulaError(
                _("公式中不允许使用“{part}”：{formula}").format(
                    part=type(node).__name__, formula=formula
                )
            )
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, (int, float))
        ):
            raise FormulaError(_("公式中只能有数字和指标代码：{formula}").format(formula=formula))
        if isinstance(node, ast.Constant) and not _finite(node.value):  # 1e999 is infinity
            raise FormulaError(_("公式中的数字过大：{formula}").format(formula=formula))
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(
            _("公式嵌套过深（超过 {limit} 层），请拆成几个指标").format(limit=MAX_DEPTH)
        )
    return tree


def _depth(tree: ast.AST) -> int:
    """How deep the operations nest (without recursion: the tree may be deeper than Python's
    own stack allows the walkers below, copy.deepcopy and ast.unparse)."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _finite(number: object) -> bool:
    return not isinstance(number, float) or math.isfinite(number)


def codes(formula: str) -> list[str]:
    """The indicator codes a formula reads, in order of first use."""
    names = [n.id for n in ast.walk(parse(formula)) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def evaluate(formula: str, values: dict[str, Decimal | None]) -> Decimal | None:
    """The formula's value, or None when a part is missing or a divisor is zero."""
    return _value(parse(formula), values)


def _value(node: ast.expr, values: dict[str, Decimal | None]) -> Decimal | None:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = _value(node.operand, values)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    assert isinstance(node, ast.BinOp)
    left, right = _value(node.left, values), _value(node.right, values)
    if left is None or right is None:
        return None
    try:
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return None if right == 0 else left / right
    except (InvalidOperation, DivisionByZero):
        return None
