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
INT = pl.Int128


@attrs.frozen
class Col:
    """A column expression: its kind and, for a number, its scale."""

    expr: pl.Expr
    kind: Kind
    scale: int = 0


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
    return Col(integer(scaled), "num", scale)


class Guards:
    """The overflow guards of one evaluation step: each an expression that is true where a
    value would not fit."""

    def __init__(self) -> None:
        self.found: list[pl.Expr] = []

    def magnitude(self, estimate: pl.Expr) -> None:
        self.found.append(estimate.abs() > LIMIT)

    def rescale(self, col: Col, scale: int) -> Col:
        """`col` at a larger scale."""
        if scale == col.scale:
            return col
        assert scale > col.scale
        self.magnitude(col.expr.cast(pl.Float64) * float(10 ** (scale - col.scale)))
        return Col(col.expr * power(scale - col.scale), "num", scale)

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
        if len(aligned) > 1:
            self.magnitude(estimate)
        return Col(total, "num", aligned[0].scale)

    def subtract(self, left: Col, right: Col) -> Col:
        a, b = self.align([left, right])
        self.magnitude(a.expr.cast(pl.Float64).abs() + b.expr.cast(pl.Float64).abs())
        return Col(a.expr - b.expr, "num", a.scale)

    def multiply(self, left: Col, right: Col) -> Col:
        self.magnitude(left.expr.cast(pl.Float64) * right.expr.cast(pl.Float64))
        return Col(left.expr * right.expr, "num", left.scale + right.scale)

    def divide(self, left: Col, right: Col) -> Col:
        """The quotient to 18 places, half away from zero; null where the divisor is zero
        (the caller reports those)."""
        self.magnitude(left.expr.cast(pl.Float64) * float(10 ** (right.scale + 18)) * 2)
        self.magnitude(right.expr.cast(pl.Float64) * float(10**left.scale) * 2)
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
    return Col(minus(col.expr), "num", col.scale)


def round_to(col: Col, digits: int) -> Col:
    """Half away from zero to `digits` places (a larger scale is kept as it is: no digit
    to round)."""
    if digits >= col.scale:
        return col
    step = 10 ** (col.scale - digits)
    half = (col.expr.abs() + integer(step // 2)) // integer(step)
    return Col(pl.when(col.expr < 0).then(minus(half)).otherwise(half), "num", digits)


def floor(col: Col) -> Col:
    if col.scale == 0:
        return col
    return Col(col.expr // power(col.scale), "num", 0)


def ceil(col: Col) -> Col:
    if col.scale == 0:
        return col
    return Col(minus(minus(col.expr) // power(col.scale)), "num", 0)


def truncate(col: Col) -> pl.Expr:
    """The whole part, toward zero (Python's `int` of a Decimal), scale 0."""
    if col.scale == 0:
        return col.expr
    whole = col.expr.abs() // power(col.scale)
    return pl.when(col.expr < 0).then(minus(whole)).otherwise(whole)


def zero() -> Col:
    return Col(integer(0), "num", 0)


def to_decimal(value: int | None, scale: int) -> Decimal | None:
    """A scaled integer read back as the Decimal it stands for."""
    if value is None:
        return None
    return Decimal(value).scaleb(-scale)
