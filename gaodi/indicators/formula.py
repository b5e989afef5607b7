"""A small, safe formula engine for derived indicators: no eval().

A formula is arithmetic over indicator codes — `ind_03_04_num / ind_03_04_den * 100` —
parsed with Python's `ast` and evaluated by walking only the nodes allowed here: numbers,
codes, + - * /, unary minus and brackets. Values are Decimal; a division by zero or a missing
part gives None (not 0): a ratio without its parts is unknown, never invented.
"""

from __future__ import annotations

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from gaodi.i18n import _

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
    return tree


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
