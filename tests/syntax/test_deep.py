"""Deep criteria parse, compare, hash, print and format without Python's recursion limit.

The syntax tree is binary, so a sum of 1,000 terms is 1,000 levels deep; Python stops
recursing near 1,000 frames. The files are written here; tests/check/test_deep.py checks
and compiles the same ones.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections.abc import Callable

import pytest

from emurules import stack
from emurules.errors import CriteriaError
from emurules.syntax import ast, deep
from emurules.syntax.parse import parse
from emurules.syntax.printer import expr, format_module

HEADER = 'ruleset "Deep" {\n  year 2025\n}\n\n'
FOOTER = "score for person = deep\n"


def _subject(*fields: str) -> str:
    lines = "".join(f"  {field}\n" for field in fields)
    return f"subject person {{\n  id: text key\n{lines}}}\n\n"


def _criterion(body: str) -> str:
    return f'criterion deep "Deep" for person = {body}\n\n'


def sum_of(n: int) -> str:
    """`x1 + x2 + ... + xn` over n int fields."""
    names = [f"x{i}" for i in range(1, n + 1)]
    fields = (f"{name}: int" for name in names)
    return HEADER + _subject(*fields) + _criterion(" + ".join(names)) + FOOTER


def if_chain(n: int) -> str:
    """`1 if a == 1 else 2 if a == 2 else ... else 0`: n branches."""
    branches = " else ".join(f"{i} if a == {i}" for i in range(1, n + 1))
    return HEADER + _subject("a: int") + _criterion(branches + " else 0") + FOOTER


def coalesce_chain(n: int) -> str:
    """`f1 ?? f2 ?? ... ?? fn ?? 0` over n optional fields."""
    names = [f"f{i}" for i in range(1, n + 1)]
    fields = (f"{name}: int?" for name in names)
    return HEADER + _subject(*fields) + _criterion(" ?? ".join([*names, "0"])) + FOOTER


def logic_chain(n: int, op: str) -> str:
    """`1 if a != 0 and a != 1 and ... else 0` (or `a == 0 or ...`): n conditions."""
    test = "!=" if op == "and" else "=="
    condition = f" {op} ".join(f"a {test} {i}" for i in range(n))
    return HEADER + _subject("a: int") + _criterion(f"1 if {condition} else 0") + FOOTER


def nested_parentheses(n: int) -> str:
    """`(1 + (1 + (... (1 + a) ...)))`: n sums inside one another."""
    return HEADER + _subject("a: int") + _criterion("(1 + " * n + "a" + ")" * n) + FOOTER


def redundant_parentheses(n: int) -> str:
    """`((((a))))`: n brackets, which leave no trace in the tree."""
    return HEADER + _subject("a: int") + _criterion("(" * n + "a" + ")" * n) + FOOTER


def negations(n: int) -> str:
    """`1 if not not ... a == 1 else 0`."""
    return HEADER + _subject("a: int") + _criterion("1 if " + "not " * n + "a == 1 else 0") + FOOTER


def nested_calls(n: int) -> str:
    """`max(1, max(1, ... max(1, a)))`."""
    return HEADER + _subject("a: int") + _criterion("max(1, " * n + "a" + ")" * n) + FOOTER


def nested_cases(n: int) -> str:
    """`case { a == 1: 1, else: case { ... } }`, n deep."""
    body = "case { a == 1: 1, else: " * n + "0" + " }" * n
    return HEADER + _subject("a: int") + _criterion(body) + FOOTER


# The sizes issue #10 asks for, and other shapes of nesting.
DEEP_FILES: dict[str, Callable[[], str]] = {
    "sum of 1,000 terms": lambda: sum_of(1_000),
    "if-chain of 2,000 branches": lambda: if_chain(2_000),
    "?? chain of 5,000": lambda: coalesce_chain(5_000),
    "and chain of 2,000": lambda: logic_chain(2_000, "and"),
    "or chain of 2,000": lambda: logic_chain(2_000, "or"),
    "parentheses nested 500 deep": lambda: nested_parentheses(500),
    "redundant parentheses 500 deep": lambda: redundant_parentheses(500),
    "2,000 nots": lambda: negations(2_000),
    "calls nested 1,000 deep": lambda: nested_calls(1_000),
    "cases nested 300 deep": lambda: nested_cases(300),
}


def _deep_sum(n: int) -> ast.Arith:
    """`x + x + ... + x` (n+1 terms) built directly, left-nested as the parser builds it."""
    node: ast.Expr = ast.Name(name="x")
    for _ in range(n):
        node = ast.Arith(op="+", left=node, right=ast.Name(name="x"))
    assert isinstance(node, ast.Arith)
    return node


@pytest.mark.parametrize("name", list(DEEP_FILES))
def test_deep_files_parse_and_format_round_trip(name: str) -> None:
    module = parse(DEEP_FILES[name](), "deep.emu")
    text = format_module(module)
    again = parse(text, "formatted.emu")
    assert again == module
    assert format_module(again) == text


def test_a_chain_stays_nested_to_the_left() -> None:
    """The engine reads `a + b + c` as Arith(Arith(a, b), c); deep files keep that shape."""
    module = parse(sum_of(1_000))
    node = next(d for d in module.decls if isinstance(d, ast.CriterionDecl)).expr
    levels = 0
    while isinstance(node, ast.Arith):
        assert node.right == ast.Name(name=f"x{1_000 - levels}")
        node = node.left
        levels += 1
    assert levels == 999 and node == ast.Name(name="x1")


def test_deep_trees_compare_hash_and_print_without_recursion() -> None:
    limit = sys.getrecursionlimit()
    left, right = _deep_sum(20_000), _deep_sum(20_000)
    assert left == right and hash(left) == hash(right)
    assert left != _deep_sum(19_999)
    different = ast.Arith(op="+", left=ast.Name(name="y"), right=ast.Name(name="x"))
    for _ in range(19_999):
        different = ast.Arith(op="+", left=different, right=ast.Name(name="x"))
    assert left != different
    assert len({left, right, different}) == 2
    assert repr(left).startswith("Arith(op='+', left=Arith(op='+', left=")
    assert repr(_deep_sum(1)) == "Arith(op='+', left=Name(name='x'), right=Name(name='x'))"
    assert expr(left) == " + ".join(["x"] * 20_001)
    assert deep.depth(left) == 20_001
    assert sys.getrecursionlimit() == limit


def test_equality_ignores_spans_and_tells_classes_apart() -> None:
    first = parse(if_chain(3), "one.emu")
    second = parse("\n\n" + if_chain(3), "two.emu")
    assert first == second and hash(first) == hash(second)
    assert ast.IntLit(value=1) != ast.NumberLit(value=1)  # type: ignore[arg-type]
    assert ast.SetLit(items=(ast.IntLit(value=1),)) != ast.SetLit(items=())
    assert repr(ast.SetLit(items=(ast.IntLit(value=1),))) == "SetLit(items=(IntLit(value=1),))"


def test_depth_counts_levels_and_not_call_arguments() -> None:
    module = parse(nested_calls(3))
    criterion = next(d for d in module.decls if isinstance(d, ast.CriterionDecl))
    assert deep.depth(criterion.expr) == 4  # max(1, max(1, max(1, a)))
    assert deep.depth(ast.Name(name="x")) == 1


def test_more_than_the_limit_is_a_diagnostic() -> None:
    with pytest.raises(CriteriaError) as caught:
        parse(sum_of(deep.MAX_DEPTH + 1), "too-deep.emu")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E0108"
    assert f"{deep.MAX_DEPTH + 1} levels deep" in str(diagnostic.message)
    assert diagnostic.span is not None and diagnostic.span.text.startswith("x1 + x2 + ")
    assert diagnostic.hint is not None and "let" in str(diagnostic.hint)


def test_the_limit_counts_any_kind_of_nesting() -> None:
    with pytest.raises(CriteriaError) as caught:
        parse(negations(deep.MAX_DEPTH + 1))
    assert [d.code for d in caught.value.diagnostics] == ["E0108"]


# ---- call_deep ------------------------------------------------------------------------


def _recurse(n: int) -> int:
    return 0 if n == 0 else 1 + _recurse(n - 1)


def test_call_deep_runs_a_deep_walk_and_restores_the_limit() -> None:
    limit = sys.getrecursionlimit()
    assert deep.call_deep(5_000, lambda: _recurse(5_000 * 4)) == 20_000
    assert sys.getrecursionlimit() == limit


def test_call_deep_runs_a_shallow_walk_on_the_callers_thread() -> None:
    assert deep.call_deep(3, threading.current_thread) is threading.current_thread()
    assert deep.call_deep(5_000, threading.current_thread) is not threading.current_thread()


def test_call_deep_turns_running_out_of_stack_into_too_deep() -> None:
    with pytest.raises(deep.TooDeep):
        deep.call_deep(10, lambda: _recurse(10**6))
    with pytest.raises(deep.TooDeep):
        deep.call_deep(deep.MAX_DEPTH, lambda: _recurse(10**7))


def test_call_deep_hands_back_exceptions_and_context() -> None:
    variable: contextvars.ContextVar[str] = contextvars.ContextVar("variable")
    variable.set("seen")
    assert deep.call_deep(5_000, variable.get) == "seen"

    def fail() -> None:
        raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        deep.call_deep(5_000, fail)


def test_call_deep_without_a_thread_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stack, "_start", lambda work: None)
    assert deep.call_deep(5_000, lambda: _recurse(100)) == 100
    with pytest.raises(deep.TooDeep):
        deep.call_deep(5_000, lambda: _recurse(10**6))
