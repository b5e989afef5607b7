"""Fuzzing the formula engine (gaodi/indicators/formula.py: `ast`, no eval): whatever the text,
`parse`, `codes` and `evaluate` — and the Excel template's rendering of a formula — answer
with a result or FormulaError (a Chinese message); nothing is ever executed, nothing else is
raised, and no formula takes long, however deep it nests."""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gaodi.indicators.excel.template import excel_formula
from gaodi.indicators.formula import FormulaError, codes, evaluate, parse

from .support import count, fuzz, is_chinese

pytestmark = pytest.mark.fuzz

CODES = ["ind_03_04_num", "ind_03_04_den", "i037n", "i037d", "a", "b", "x1"]
TIME_LIMIT = 2.0  # seconds per formula (parse, evaluate, Excel): catches blow-ups, not load

# Values as a DataValue holds them: at most 14 integer digits and 6 decimals; some missing.
VALUE = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.integers(-(10**14) + 1, 10**14 - 1).map(Decimal),
    st.decimals(-(10**14) + 1, 10**14 - 1, places=6, allow_nan=False, allow_infinity=False),
)
VALUES = st.fixed_dictionaries({}, optional={code: VALUE for code in CODES})


def outcome(formula: str, values: dict[str, Decimal | None]) -> str:
    """The engine's promise for one formula: a value (finite, or None) or a FormulaError."""
    started = time.perf_counter()
    try:
        tree = parse(formula)
        used = codes(formula)
        result = evaluate(formula, values)
        rows = {code: 5 + n for n, code in enumerate(CODES)}
        rendered = excel_formula(formula, rows)
    except FormulaError as exc:
        assert is_chinese(str(exc)), str(exc)
        return "refused"
    finally:
        assert time.perf_counter() - started < TIME_LIMIT, f"slow formula: {formula[:80]!r}"
    assert tree is not None and all(code.isidentifier() for code in used), used
    assert result is None or (isinstance(result, Decimal) and result.is_finite()), result
    assert rendered is None or rendered.startswith("=IF(")
    return "unknown (None)" if result is None else "value"


# --- token streams, valid or not ----------------------------------------------------------

TOKEN = st.one_of(
    st.sampled_from(CODES),
    st.sampled_from(["+", "-", "*", "/", "(", ")", "(", ")", "**", "//", "%", "@", "<<", ">>"]),
    st.sampled_from(["&", "|", "^", "~", "not", "and", "or", "==", "<", ">=", "is", "in"]),
    st.sampled_from([".", ",", ":", ";", "=", ":=", "[", "]", "{", "}", "lambda", "if", "else"]),
    st.sampled_from(["for", "yield", "await", "async", "*a", "**a", "...", "None", "True"]),
    st.sampled_from(["__import__", "__class__", "__globals__", "__builtins__", "__subclasses__"]),
    st.sampled_from(["'os'", '"x"', "b'x'", "f'{a}'", "r'x'", "'''", "\\", "#", "\n", "\t"]),
    st.sampled_from(["eval", "exec", "open", "getattr", "globals", "vars", "breakpoint", "print"]),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["0", "00", "0.0", "1e999", "-1e999", "1e-999", "0x1F", "0o7", "0b1", "1_000"]),
    st.sampled_from(["1j", "1.5e308", "9" * 120, ".5", "5.", "1e", "1__0", "０", "①", "一"]),
    st.floats(allow_nan=False).map(repr),
    st.text(max_size=3),
)


@fuzz(600)
@example(["1e999"], {})  # found here: evaluated to Infinity
@example(["1e999", "-", "1e999"], {})
@example(["\x00"], {})
@example(["9" * 400, "*", "a"], {})  # an int too large for a float is still a number
@example(["\ufeff", "a"], {})
@example(["ａ", "+", "b"], {"a": Decimal(1), "b": Decimal(2)})  # NFKC: ａ is a
@given(st.lists(TOKEN, max_size=30), VALUES)
def test_any_token_stream_evaluates_or_is_refused_in_chinese(
    tokens: list[str], values: dict[str, Decimal | None]
) -> None:
    count("formula", outcome(" ".join(tokens), values))


@fuzz(300)
@given(st.text(max_size=120), VALUES)
def test_any_text_evaluates_or_is_refused_in_chinese(
    text: str, values: dict[str, Decimal | None]
) -> None:
    count("formula", outcome(text, values))


# --- valid arithmetic ------------------------------------------------------------------

LEAF = st.one_of(
    st.sampled_from(CODES),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=3, allow_nan=False, allow_infinity=False).map(str),
)
ARITHMETIC = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"+({e})"),
    ),
    max_leaves=12,
)


@fuzz(300)
@given(ARITHMETIC, VALUES)
def test_arithmetic_over_codes_is_never_refused(
    formula: str, values: dict[str, Decimal | None]
) -> None:
    result = outcome(formula, values)
    assert result != "refused", formula
    count("formula", result)


SMALL = st.fixed_dictionaries({code: st.integers(-1000, 1000).map(Decimal) for code in CODES})
INTEGER_ARITHMETIC = st.recursive(
    st.one_of(st.sampled_from(CODES), st.integers(0, 1000).map(str)),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
    ),
    max_leaves=8,  # 1000**8 has fewer than Decimal's 28 digits: the result is exact
)


@fuzz(200)
@given(INTEGER_ARITHMETIC, SMALL)
def test_integer_arithmetic_is_exact(formula: str, values: dict[str, Decimal]) -> None:
    """+ - * over whole numbers: the engine agrees with an independent exact evaluation."""
    result = evaluate(formula, dict(values))
    assert result == _exact(formula, values), formula
    count("formula", "value")


def _exact(formula: str, values: dict[str, Decimal]) -> Fraction:
    """A second evaluator, over Fractions: the generated formula's tree, walked here."""
    return _walk(ast.parse(formula, mode="eval").body, values)


def _walk(node: ast.expr, values: dict[str, Decimal]) -> Fraction:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int)
        return Fraction(node.value)
    if isinstance(node, ast.Name):
        return Fraction(values[node.id])
    if isinstance(node, ast.UnaryOp):
        return -_walk(node.operand, values)
    assert isinstance(node, ast.BinOp)
    left, right = _walk(node.left, values), _walk(node.right, values)
    if isinstance(node.op, ast.Add):
        return left + right
    return left - right if isinstance(node.op, ast.Sub) else left * right


# --- what must never run -------------------------------------------------------------------

PAYLOADS = [
    "__import__('os').system('touch {sentinel}')",
    "open('{sentinel}', 'w').write('x')",
    "__builtins__.__import__('os').system('touch {sentinel}')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: __import__('os').system('touch {sentinel}'))()",
    "[__import__('os').system('touch {sentinel}') for _ in (1,)]",
    "eval(\"__import__('os').system('touch {sentinel}')\")",
    "exec('import os')",
    "getattr(a, '__class__')",
    "a.__class__.__mro__",
    "globals()",
    "(a := 1)",
    "a if a else b",
    "a[0]",
    "{'a': 1}",
    "f'{a}'",
    "a ** 99999999",
    "9 ** 9 ** 9",
    "a // b",
    "a % b",
    "a == b",
    "not a",
    "a and b",
    "...",
    "None",
    "True",
    "'text'",
    "b'bytes'",
    "1j",
    "a.real",
]


@fuzz(150)
@example(payload=PAYLOADS[0], around="a", at=0)
@given(payload=st.sampled_from(PAYLOADS), around=ARITHMETIC, at=st.integers(0, 200))
def test_a_formula_that_would_run_code_is_refused_and_nothing_runs(
    payload: str, around: str, at: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    sentinel = tmp_path_factory.getbasetemp() / "formula-ran-code"
    code = payload.replace("{sentinel}", str(sentinel))
    cut = min(at, len(around))
    # The payload alone, and inside arithmetic where a leaf starts or as a whole operand.
    for formula in (code, f"({code}) + {around}", f"{around} * ({code})", around[:cut] + code):
        try:
            evaluate(formula, {"a": Decimal(1), "b": Decimal(2)})
        except FormulaError as exc:
            assert is_chinese(str(exc))
            count("formula", "refused")
        else:
            count("formula", "value")  # a cut that happens to stay arithmetic
        assert not Path(sentinel).exists(), f"code ran: {formula!r}"


# --- depth and length ----------------------------------------------------------------------

SHAPES: dict[str, Callable[[int], str]] = {
    "brackets": lambda n: "(" * n + "a" + ")" * n,
    "minus": lambda n: "-" * n + "a",
    "minus brackets": lambda n: "-(" * n + "a" + ")" * n,
    "sum": lambda n: "+".join(["a"] * (n + 1)),
    "right sum": lambda n: "a+(" * n + "b" + ")" * n,
    "ratio chain": lambda n: "/".join(["a"] * (n + 1)),
    "mixed": lambda n: "".join("a*(" if i % 2 else "b-(" for i in range(n)) + "1" + ")" * n,
}


@fuzz(200)
@example("minus", 499)
@example("sum", 249)
@example("mixed", 166)
@example("minus", 99)  # the deepest accepted, written into an Excel template
@given(st.sampled_from(sorted(SHAPES)), st.integers(1, 600))
def test_deep_nesting_is_quick_and_never_crashes(shape: str, depth: int) -> None:
    """Refused past the engine's limits (length, depth) in Chinese; quick either way. Found
    here: 250 parts in a sum or 499 minus signs crashed the Excel template (RecursionError)."""
    formula: str = SHAPES[shape](depth)
    count("formula", outcome(formula, {"a": Decimal(2), "b": Decimal(3)}))
