"""The specialised closures (`engine/inline.py`) give exactly what the generic
ones give, on generated trees and rows: the same value (type and digits), or the same
exception (a division by zero of the same node)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from emurules.engine.arithmetic import EXACT
from emurules.engine.compile import PLAIN, Compiler, DivisionByZero
from emurules.engine.row import Env
from emurules.plan import ir
from emurules.stack import call_deep
from emurules.values import MISSING, EnumValue

GENERIC = Compiler(False, specialise=False)
NUMBER, OPTIONAL = ir.VType("number"), ir.VType("number", optional=True)
BOOL, TEXT = ir.VType("bool"), ir.VType("text")
RATING = ir.VType("enum", "rating", optional=True)
LEVELS = tuple(EnumValue("rating", n, i) for i, n in enumerate(("low", "mid", "high", "top")))
WIDE = "123456789012345678.123456789012345678"
DECIMALS = [Decimal(t) for t in ("0", "-0", "1", "1.0", "2.5", "-3", "0.1", "1E-20", "3", WIDE,
                                  "7E+5", "0.00")]  # fmt: skip

decimals = st.sampled_from(DECIMALS)
levels = st.sampled_from(LEVELS)
rows = st.fixed_dictionaries(
    {
        "n": decimals,
        "m": decimals,
        "opt": st.one_of(st.just(MISSING), decimals),
        "rating": st.one_of(st.just(MISSING), levels),
        "flag": st.booleans(),
        "name": st.sampled_from(["a", "b", ""]),
    },
    optional={"done": st.one_of(st.just(MISSING), decimals), "ok": st.booleans()},
)


def const(value: Any, vtype: ir.VType) -> ir.Const:
    return ir.Const(value=value, type=vtype)


def numbers(depth: int) -> st.SearchStrategy[ir.Node]:
    leaves = st.one_of(
        decimals.map(lambda d: const(d, NUMBER)),
        st.sampled_from(["n", "m"]).map(lambda n: ir.Read(name=n, computed=False, type=NUMBER)),
        st.just(ir.Read(name="opt", computed=False, type=OPTIONAL)),
        st.just(ir.Read(name="done", computed=True, type=OPTIONAL)),
        st.just(const(MISSING, OPTIONAL)),
    )
    if depth == 0:
        return leaves
    n, b, r = numbers(depth - 1), booleans(depth - 1), ratings(depth - 1)
    return st.one_of(
        leaves,
        st.lists(n, min_size=2, max_size=4).map(lambda o: ir.Sum(operands=tuple(o), type=NUMBER)),
        st.tuples(st.sampled_from(["-", "*", "/"]), n, n).map(
            lambda t: ir.Binary(op=t[0], left=t[1], right=t[2], text="x", type=NUMBER)
        ),
        n.map(lambda o: ir.Neg(operand=o, type=NUMBER)),
        st.lists(n, min_size=2, max_size=3).map(
            lambda o: ir.Coalesce(operands=tuple(o), type=NUMBER)
        ),
        st.tuples(st.lists(st.tuples(b, n), min_size=1, max_size=3), n).map(
            lambda t: ir.Branches(branches=tuple(t[0]), default=t[1], type=NUMBER)
        ),
        st.tuples(r, st.lists(st.tuples(levels, n), max_size=4), st.one_of(st.none(), n)).map(
            lambda t: ir.Match(
                subject=t[0],
                arms=tuple((const(v, RATING), x) for v, x in t[1]),
                default=t[2],
                type=NUMBER,
            )
        ),
        st.tuples(n, st.lists(st.tuples(decimals, n), max_size=4), n).map(
            lambda t: ir.Match(
                subject=t[0],
                arms=tuple((const(v, NUMBER), x) for v, x in t[1]),
                default=t[2],
                type=NUMBER,
            )
        ),
        st.tuples(st.sampled_from(["min", "max", "abs"]), n, n).map(
            lambda t: ir.Function(
                name=t[0], args=(t[1],) if t[0] == "abs" else t[1:], text="f", type=NUMBER
            )
        ),
    )


def ratings(depth: int) -> st.SearchStrategy[ir.Node]:
    leaves = st.one_of(
        levels.map(lambda v: const(v, RATING)),
        st.just(ir.Read(name="rating", computed=False, type=RATING)),
    )
    if depth == 0:
        return leaves
    return st.one_of(
        leaves,
        st.tuples(booleans(depth - 1), ratings(depth - 1), ratings(depth - 1)).map(
            lambda t: ir.Branches(branches=((t[0], t[1]),), default=t[2], type=RATING)
        ),
    )


OPS = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])


def booleans(depth: int) -> st.SearchStrategy[ir.Node]:
    leaves = st.one_of(
        st.booleans().map(lambda v: const(v, BOOL)),
        st.just(ir.Read(name="flag", computed=False, type=BOOL)),
        st.just(ir.Read(name="ok", computed=True, type=BOOL)),
    )
    if depth == 0:
        return leaves
    n, b, r = numbers(depth - 1), booleans(depth - 1), ratings(depth - 1)
    texts = st.one_of(
        st.just(ir.Read(name="name", computed=False, type=TEXT)),
        st.sampled_from(["a", "b"]).map(lambda v: const(v, TEXT)),
    )
    return st.one_of(
        leaves,
        st.tuples(OPS, n, n).map(lambda t: ir.Compare(op=t[0], left=t[1], right=t[2], type=BOOL)),
        st.tuples(OPS, r, r).map(lambda t: ir.Compare(op=t[0], left=t[1], right=t[2], type=BOOL)),
        st.tuples(OPS, texts, texts).map(
            lambda t: ir.Compare(op=t[0], left=t[1], right=t[2], type=BOOL)
        ),
        st.tuples(OPS, n, r).map(  # ill-typed: the generic closure's TypeError is kept
            lambda t: ir.Compare(op=t[0], left=t[1], right=t[2], type=BOOL)
        ),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(b, min_size=2, max_size=4)).map(
            lambda t: ir.Logic(op=t[0], operands=tuple(t[1]), type=BOOL)
        ),
        st.tuples(b, b).map(lambda t: ir.Logic(op="implies", operands=t, type=BOOL)),
        b.map(lambda o: ir.Not(operand=o, type=BOOL)),
        st.tuples(st.one_of(n, r), st.booleans()).map(
            lambda t: ir.IsMissing(operand=t[0], negated=t[1], type=BOOL)
        ),
        st.tuples(
            n, st.lists(decimals.map(lambda d: const(d, NUMBER)), max_size=3), st.booleans()
        ).map(lambda t: ir.InSet(operand=t[0], items=tuple(t[1]), negated=t[2], type=BOOL)),
        st.tuples(
            r, st.lists(levels.map(lambda v: const(v, RATING)), max_size=3), st.booleans()
        ).map(lambda t: ir.InSet(operand=t[0], items=tuple(t[1]), negated=t[2], type=BOOL)),
        st.tuples(n, n, n, st.booleans()).map(
            lambda t: ir.InRange(operand=t[0], low=t[1], high=t[2], negated=t[3], type=BOOL)
        ),
        st.tuples(n, decimals, decimals, st.booleans()).map(
            lambda t: ir.InRange(
                operand=t[0],
                low=const(t[1], NUMBER),
                high=const(t[2], NUMBER),
                negated=t[3],
                type=BOOL,
            )
        ),
    )


def outcome(node: ir.Node, compiler: Compiler, row: dict[str, Any]) -> tuple[Any, ...]:
    env = Env(None, "person", "P", dict(row))  # type: ignore[arg-type]
    try:
        with localcontext(EXACT):
            value = compiler(node)(env)
    except DivisionByZero as error:
        return ("division by zero", id(error.node))
    except (TypeError, AssertionError) as error:
        return (type(error).__name__,)
    return (type(value).__name__, repr(value))


@settings(max_examples=400, deadline=None)
@given(st.one_of(numbers(3), booleans(3), ratings(2)), rows)
def test_specialised_closures_agree_with_the_generic_ones(
    node: ir.Node, row: dict[str, Any]
) -> None:
    assert outcome(node, PLAIN, row) == outcome(node, GENERIC, row)


def test_a_deep_tree_is_inlined_a_few_levels_at_a_time() -> None:
    node: ir.Node = ir.Read(name="n", computed=False, type=NUMBER)
    for _ in range(300):
        node = ir.Neg(operand=node, type=NUMBER)
    found = call_deep(300, lambda: outcome(node, PLAIN, {"n": Decimal(2)}))
    assert found == ("Decimal", "Decimal('2')")


def test_a_case_over_literals_takes_the_first_arm_of_a_repeated_literal() -> None:
    one, two = const(Decimal(1), NUMBER), const(Decimal(2), NUMBER)
    subject = ir.Read(name="n", computed=False, type=NUMBER)
    node = ir.Match(
        subject=subject,
        arms=((const(Decimal("1.0"), NUMBER), one), (const(Decimal(1), NUMBER), two)),
        default=two,
        type=NUMBER,
    )
    assert outcome(node, PLAIN, {"n": Decimal("1.00")}) == ("Decimal", "Decimal('1')")


VALUES = [*DECIMALS, MISSING]
SIDES = {
    "literal": lambda v: const(v, OPTIONAL),
    "field": lambda v: ir.Read(name="n", computed=False, type=OPTIONAL),
    "computed": lambda v: ir.Read(name="done", computed=True, type=OPTIONAL),
    "call": lambda v: ir.Neg(operand=ir.Neg(operand=const(v, OPTIONAL), type=NUMBER), type=NUMBER),
}


def test_every_operator_with_every_shape_of_operands() -> None:
    """A table: each operator, each operand a literal, a field, a computed value (absent
    from the row when missing) or a call, over the decimals' edge cases and MISSING."""
    built = []
    for left_side, left_of in SIDES.items():
        for right_side, right_of in SIDES.items():
            for x in VALUES:
                for y in VALUES:
                    left, right = left_of(x), right_of(y)
                    if left_side == right_side == "field" or left_side == right_side == "computed":
                        continue
                    row = {"n": x if left_side == "field" else y}
                    done = x if left_side == "computed" else y
                    if done is not MISSING:
                        row["done"] = done
                    for op in ("-", "*", "/"):
                        node: ir.Node = ir.Binary(
                            op=op, left=left, right=right, text="x", type=NUMBER
                        )  # type: ignore[arg-type]
                        built.append((node, row))
                    for op in ("==", "!=", "<", "<=", ">", ">="):
                        node = ir.Compare(op=op, left=left, right=right, type=BOOL)  # type: ignore[arg-type]
                        built.append((node, row))
                    node = ir.Sum(operands=(left, right, left), type=NUMBER)
                    built.append((node, row))
    for node, row in built:
        assert outcome(node, PLAIN, row) == outcome(node, GENERIC, row), (node, row)


def test_enum_comparisons_and_look_ups_by_index() -> None:
    values = [*LEVELS, MISSING]
    field = ir.Read(name="rating", computed=False, type=RATING)
    for x in values:
        row = {"rating": x}
        for y in LEVELS:
            for op in ("==", "!=", "<", "<=", ">", ">="):
                for node in (
                    ir.Compare(op=op, left=field, right=const(y, RATING), type=BOOL),  # type: ignore[arg-type]
                    ir.Compare(op=op, left=const(y, RATING), right=field, type=BOOL),  # type: ignore[arg-type]
                ):
                    assert outcome(node, PLAIN, row) == outcome(node, GENERIC, row), (node, row)
            arms = tuple(
                (const(v, RATING), const(Decimal(v.index), NUMBER)) for v in LEVELS if v != y
            )
            for default in (const(Decimal(9), NUMBER), None):
                match = ir.Match(subject=field, arms=arms, default=default, type=NUMBER)
                assert outcome(match, PLAIN, row) == outcome(match, GENERIC, row)
            for negated in (False, True):
                inset = ir.InSet(
                    operand=field, items=(const(y, RATING),), negated=negated, type=BOOL
                )
                assert outcome(inset, PLAIN, row) == outcome(inset, GENERIC, row)


def test_a_case_without_arms_still_evaluates_its_subject() -> None:
    """`case x / 0 { else 1 }`: the subject's division by zero is raised as the generic
    closure raises it (found by the property above: the specialised one skipped it)."""
    subject = ir.Binary(
        op="/", left=const(Decimal(1), NUMBER), right=ir.Read(name="n", computed=False,
        type=NUMBER), text="1 / n", type=NUMBER,
    )  # fmt: skip
    default = ir.Read(name="m", computed=False, type=NUMBER)
    node = ir.Match(subject=subject, arms=(), default=default, type=NUMBER)
    zero = {"n": Decimal(0), "m": Decimal(1)}
    assert outcome(node, PLAIN, zero) == outcome(node, GENERIC, zero)
    assert outcome(node, PLAIN, zero)[0] == "division by zero"
