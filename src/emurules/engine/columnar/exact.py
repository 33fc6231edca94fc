"""Exact decimal arithmetic on columns: a number is an Int128 column and a scale (its value
times 10**scale), null where the value is missing.

Every operation keeps every digit the row engine's `Decimal` arithmetic keeps: sums align
scales, products add them, and division (`arithmetic.divide`) and rounding
(`arithmetic.round_to`) are written out with integer division, half away from zero. Int128
wraps silently on overflow, so every operation that can grow a value records a guard (a
Float64 estimate of its magnitude, far from the limit for any value that fits); a guard
that fires means this table needs more than 38 digits, and the row engine evaluates it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs
import polars as pl

from emurules.arithmetic import QUOTIENT_PLACES

Kind = Literal["num", "bool", "text", "enum", "date", "other"]
LIMIT = 1e36  # Int128 holds 1.7e38: a margin no Float64 estimate can cross unseen
SAFE = 10**35  # a value known to stay below this never trips a guard: none is needed
INT = pl.Int128


@attrs.frozen
class Col:
    """A column expression: its kind and, for a number, its scale and, when known before
    it is computed, a `bound` on the magnitude of its scaled integers (from the data's
    cells and the constants): an operation whose result is known to stay far below the
    limit needs no overflow guard, which costs as much as the value it guards."""

    expr: pl.Expr
    kind: Kind
    scale: int = 0
    bound: int | None = None


def bounded(*bounds: int | None) -> int | None:
    """The largest of the bounds, if every one is known."""
    if any(b is None for b in bounds) or not bounds:
        return None
    return max(b for b in bounds if b is not None)


def _safe(bound: int | None) -> bool:
    return bound is not None and bound < SAFE


def power(digits: int) -> pl.Expr:
    return pl.lit(10**digits, dtype=INT)


def integer(value: int) -> pl.Expr:
    return pl.lit(value, dtype=INT)


def constant(value: Decimal) -> Col:
    """A decimal literal at the scale it is written with (0 for a whole number)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    scale = max(0, -exponent)
    scaled = int(value.scaleb(scale))
    return Col(integer(scaled), "num", scale, abs(scaled))


class Guards:
    """The overflow guards of one evaluation step: each an expression that is true where a
    value would not fit."""

    def __init__(self) -> None:
        self.found: list[pl.Expr] = []

    def magnitude(self, estimate: pl.Expr, bound: int | None = None) -> None:
        """Guard the estimate, unless the magnitude is known to be far below the limit."""
        if not _safe(bound):
            self.found.append(estimate.abs() > LIMIT)

    def rescale(self, col: Col, scale: int) -> Col:
        """`col` at a larger scale."""
        if scale == col.scale:
            return col
        assert scale > col.scale
        factor = 10 ** (scale - col.scale)
        bound = None if col.bound is None else col.bound * factor
        self.magnitude(col.expr.cast(pl.Float64) * float(factor), bound)
        return Col(col.expr * power(scale - col.scale), "num", scale, bound)

    def align(self, cols: list[Col]) -> list[Col]:
        scale = max(c.scale for c in cols)
        return [self.rescale(c, scale) for c in cols]

    def add(self, cols: list[Col]) -> Col:
        aligned = self.align(cols)
        total = aligned[0].expr
        estimate = aligned[0].expr.cast(pl.Float64).abs()
        for col in aligned[1:]:
            total = total + col.expr
            estimate = estimate + col.expr.cast(pl.Float64).abs()
        bounds = [c.bound for c in aligned]
        bound = None if None in bounds else sum(b for b in bounds if b is not None)
        if len(aligned) > 1:
            self.magnitude(estimate, bound)
        return Col(total, "num", aligned[0].scale, bound)

    def subtract(self, left: Col, right: Col) -> Col:
        a, b = self.align([left, right])
        bound = None if a.bound is None or b.bound is None else a.bound + b.bound
        self.magnitude(a.expr.cast(pl.Float64).abs() + b.expr.cast(pl.Float64).abs(), bound)
        return Col(a.expr - b.expr, "num", a.scale, bound)

    def multiply(self, left: Col, right: Col) -> Col:
        bound = None if left.bound is None or right.bound is None else left.bound * right.bound
        self.magnitude(left.expr.cast(pl.Float64) * right.expr.cast(pl.Float64), bound)
        return Col(left.expr * right.expr, "num", left.scale + right.scale, bound)

    def divide(self, left: Col, right: Col) -> Col:
        """The quotient to 18 places, half away from zero; null where the divisor is zero
        (the caller reports those)."""
        up = 10 ** (right.scale + 18) * 2
        self.magnitude(
            left.expr.cast(pl.Float64) * float(up), None if left.bound is None else left.bound * up
        )
        down = 10**left.scale * 2
        self.magnitude(
            right.expr.cast(pl.Float64) * float(down),
            None if right.bound is None else right.bound * down,
        )
        found = quotient(left.expr, right.expr, left.scale, right.scale)
        return Col(found, "num", QUOTIENT_PLACES)


def quotient(left: pl.Expr, right: pl.Expr, left_scale: int, right_scale: int) -> pl.Expr:
    """`arithmetic.divide` of two scaled integers: the quotient at scale 18, half away from
    zero; null where the divisor is zero. The caller guards the magnitudes."""
    n = left * power(right_scale + QUOTIENT_PLACES)
    d = right * power(left_scale)
    half_up = (n.abs() * integer(2) + d.abs()) // (d.abs() * integer(2))
    signed = pl.when((n < 0) != (d < 0)).then(minus(half_up)).otherwise(half_up)
    return pl.when(d == 0).then(None).otherwise(signed)


def minus(expr: pl.Expr) -> pl.Expr:
    """`-expr` (Polars does not negate Int128 itself)."""
    return integer(0) - expr


def negate(col: Col) -> Col:
    return Col(minus(col.expr), "num", col.scale, col.bound)


def _fewer(bound: int | None, digits: int) -> int | None:
    """A bound with `digits` fewer places (rounded either way)."""
    return None if bound is None else bound // 10**digits + 1


def round_to(col: Col, digits: int) -> Col:
    """Half away from zero to `digits` places (a larger scale is kept as it is: no digit
    to round)."""
    if digits >= col.scale:
        return col
    step = 10 ** (col.scale - digits)
    half = (col.expr.abs() + integer(step // 2)) // integer(step)
    bound = _fewer(col.bound, col.scale - digits)
    return Col(pl.when(col.expr < 0).then(minus(half)).otherwise(half), "num", digits, bound)


def floor(col: Col) -> Col:
    if col.scale == 0:
        return col
    return Col(col.expr // power(col.scale), "num", 0, _fewer(col.bound, col.scale))


def ceil(col: Col) -> Col:
    if col.scale == 0:
        return col
    return Col(minus(minus(col.expr) // power(col.scale)), "num", 0, _fewer(col.bound, col.scale))


def truncate(col: Col) -> pl.Expr:
    """The whole part, toward zero (Python's `int` of a Decimal), scale 0."""
    if col.scale == 0:
        return col.expr
    whole = col.expr.abs() // power(col.scale)
    return pl.when(col.expr < 0).then(minus(whole)).otherwise(whole)


def zero() -> Col:
    return Col(integer(0), "num", 0, 0)


def to_decimal(value: int | None, scale: int) -> Decimal | None:
    """A scaled integer read back as the Decimal it stands for."""
    if value is None:
        return None
    return Decimal(value).scaleb(-scale)
