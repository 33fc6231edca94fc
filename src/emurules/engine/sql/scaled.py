"""Exact decimals as scaled integers in SQL: the arithmetic of `emurules.arithmetic` written
out with integer operations only.

SQL's DECIMAL is not the language's arithmetic (DuckDB divides decimals as DOUBLE, products
pile up scale, PostgreSQL picks a quotient's scale), so a number is an integer `X` standing
for `X / 10**scale`, with the scale fixed per IR node when the SQL is planned:

- a constant has its own scale (`2.675`: 3), an input column the scale assumed for it;
- `+`, `-`, comparisons, `??`, `min`/`max` and the arms of `if`/`case` align to the larger
  scale (`X * 10**k`);
- `*` adds the scales;
- `/` gives scale 18: `N = X * 10**(18 + sy - sx)` over `D = Y` (or `X` over
  `Y * 10**-(18 + sy - sx)`), rounded half away from zero as `(2|N| + |D|) DIV 2|D|` with
  the sign of `N * D`: the quotient `arithmetic.divide` gives, since its cut keeps every
  digit the rounding reads;
- `round(x, n)` and a score's `round N` from scale `s > n`: `(|X| + 5 * 10**(s-n-1)) DIV
  10**(s-n)` with the sign of `X` (scale `n`); at `s <= n` the value is already exact;
- `floor` and `ceil` divide by `10**s` toward minus or plus infinity (scale 0);
- a criterion's `max M` is a CASE clamping to 0..M (not GREATEST/LEAST, which skip NULLs).

Every value also carries a bound on its digits (`digits`: `|X| < 10**digits`), from the
constants, the inputs' declared ranges or assumed digits, so that a value (or a step of a
division or a rounding) that could need more than 38 digits, which no SQL integer type of
the three dialects holds, is refused when the SQL is planned instead of overflowing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final, Literal

import attrs
from sqlglot import exp

from emurules.plan import ir

QUOTIENT_PLACES: Final = 18  # emurules.arithmetic.QUOTIENT_PLACES
MAX_DIGITS: Final = 38  # DuckDB HUGEINT, Spark DECIMAL(38, 0)
# Spark's decimal `/` of DECIMAL(38, 0) values gives a DECIMAL(38, 6): quotients below
# 10**32 (beyond, NULL, or an error with ANSI on); larger ones are divided in two steps
SPARK_QUOTIENT_DIGITS: Final = 32
SPARK_LONG_PLACES: Final = MAX_DIGITS - SPARK_QUOTIENT_DIGITS
Sort = ir.Storage
Dialect = Literal["duckdb", "postgres", "spark"]
DIALECTS: Final[tuple[Dialect, ...]] = ("duckdb", "postgres", "spark")


def integer_type(dialect: Dialect) -> exp.DataType:
    """The type of a scaled integer: DuckDB HUGEINT, PostgreSQL NUMERIC (unbounded, scale
    0 by construction), Spark DECIMAL(38, 0)."""
    if dialect == "duckdb":
        return exp.DataType.build("HUGEINT", dialect="duckdb")
    if dialect == "postgres":
        return exp.DataType.build("NUMERIC")
    return exp.DataType.build("DECIMAL(38, 0)")


@attrs.frozen
class Value:
    """A lowered expression: its SQL, what sort of value it is, for numbers its scale and
    digit bound; whether it may be NULL (missing); and `fails`, a boolean SQL expression
    true where the row engine would stop on a division by zero (None: never)."""

    sql: exp.Expr
    sort: Sort
    scale: int = 0
    digits: int = 0
    nullable: bool = True
    fails: exp.Expr | None = None
    constant: int | None = None  # the scaled integer, when known when planned


def digits_of(number: int) -> int:
    return len(str(abs(number))) if number else 0


def scaled(value: Decimal) -> tuple[int, int]:
    """A constant as (integer, scale): `2.675` is (2675, 3); `100` is (100, 0)."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    number = int("".join(map(str, digits)) or "0")
    if exponent >= 0:
        return (-1 if sign else 1) * number * 10**exponent, 0
    return (-1 if sign else 1) * number, -exponent


class Arithmetic:
    """Builds the integer expressions of one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.integer = integer_type(dialect)
        # the most digits of any integer the SQL computes, as far as the bounds tell
        # (`narrowed`: a database checks every 64-bit operation, so a bound missed here
        # is an overflow error, never a wrong number)
        self.widest = 0
        # Moves a value that an operation reads several times into a column of its own
        # (`expr.Lowering.hoist`), so that the SQL text does not repeat it.
        self.hoist: Callable[[Value], Value] = lambda value: value

    def literal(self, number: int) -> exp.Expr:
        """An integer literal; beyond 32 bits cast to the scaled-integer type, since a
        database reads it as a 64-bit integer (whose products overflow) or a float."""
        text = exp.Literal.number(abs(number))
        found: exp.Expr = text
        if abs(number) >= 2**31:
            found = exp.cast(text, self.integer.copy())
        return exp.Neg(this=found) if number < 0 else found

    def seen(self, digits: int) -> None:
        self.widest = max(self.widest, digits)

    def constant(self, number: int, scale: int) -> Value:
        return Value(self.literal(number), "number", scale, digits_of(number), False, None, number)

    def times(self, sql: exp.Expr, factor: int) -> exp.Expr:
        if factor == 1:
            return sql
        return exp.Mul(this=_paren(sql), expression=self.literal(factor))

    def rescale(self, value: Value, scale: int) -> Value:
        """The same number at a larger scale (exact)."""
        up = scale - value.scale
        assert up >= 0
        self.seen(value.digits + up)
        if up == 0 or isinstance(value.sql, exp.Null):
            return attrs.evolve(value, scale=scale)
        if value.constant is not None:
            number = value.constant * 10**up
            return attrs.evolve(
                self.constant(number, scale), nullable=value.nullable, fails=value.fails
            )
        return attrs.evolve(
            value,
            sql=self.times(value.sql, 10**up),
            scale=scale,
            digits=value.digits + up,
            constant=None,
        )

    def align(self, values: list[Value]) -> list[Value]:
        scale = max((v.scale for v in values), default=0)
        return [self.rescale(v, scale) if v.sort == "number" else v for v in values]

    def int_div(self, a: exp.Expr, b: exp.Expr, digits: int, divisor: int) -> exp.Expr:
        """Integer division of a non-negative integer `a` (below `10**digits`) by a positive
        `b` (below `10**divisor`). Spark's `DIV` casts to a 64-bit integer, so there the
        remainder is taken off and the exact quotient cast back; but Spark's decimal `/`
        gives a DECIMAL(38, 6) (NULL beyond 32 digits), so a dividend of more digits is
        divided as in long division: its last 6 digits apart (`_long_div`)."""
        self.seen(max(digits, divisor))
        if self.dialect != "spark":
            return exp.IntDiv(this=_paren(a), expression=_paren(b))
        if digits <= SPARK_QUOTIENT_DIGITS:
            return self._exact_div(a, b)
        if divisor <= SPARK_QUOTIENT_DIGITS:
            return self._long_div(a, b)
        # b >= 10**32 leaves a quotient below 10**6, which one division gives exactly
        return (
            exp.case()
            .when(
                exp.LT(this=_paren(b), expression=self.literal(10**SPARK_QUOTIENT_DIGITS)),
                self._long_div(a, b),
            )
            .else_(self._exact_div(a, b))
        )

    def _exact_div(self, a: exp.Expr, b: exp.Expr) -> exp.Expr:
        """Spark: `a DIV b` for a quotient below 10**32, with the decimal `/` (exact, as
        the remainder is taken off first) cast back to the scaled-integer type."""
        exact = exp.Div(
            this=exp.paren(
                exp.Sub(this=_paren(a), expression=exp.Mod(this=_paren(a), expression=_paren(b)))
            ),
            expression=_paren(b),
        )
        return exp.cast(exact, self.integer.copy())

    def _long_div(self, a: exp.Expr, b: exp.Expr) -> exp.Expr:
        """Spark: `a DIV b` for `a` below 10**38 and `b` below 10**32, in two divisions of
        quotients below 10**32: `high = a DIV 10**6` (its digits but the last six), then
        `(high DIV b) * 10**6 + ((high % b) * 10**6 + a % 10**6) DIV b`."""
        base = self.literal(10**SPARK_LONG_PLACES)
        high = self._exact_div(a, base)
        low = exp.Mod(this=_paren(a), expression=base)
        rest = exp.Add(
            this=exp.Mul(
                this=exp.paren(exp.Mod(this=high.copy(), expression=_paren(b))), expression=base
            ),
            expression=low,
        )
        return exp.Add(
            this=exp.Mul(this=self._exact_div(high, b), expression=base.copy()),
            expression=self._exact_div(rest, b),
        )

    def signed(self, negative: exp.Expr, magnitude: exp.Expr) -> exp.Expr:
        """`magnitude` with a minus sign where `negative` holds."""
        return exp.case().when(negative, exp.Neg(this=exp.paren(magnitude))).else_(magnitude)

    def abs(self, sql: exp.Expr, constant: int | None) -> exp.Expr:
        if constant is not None:
            return self.literal(abs(constant))
        return exp.Abs(this=sql)

    def round_half(self, value: Value, scale: int) -> Value:
        """Half away from zero from `value.scale` down to `scale`."""
        if value.scale <= scale:
            return value
        value = self.hoist(value)
        k = 10 ** (value.scale - scale)
        magnitude = self.int_div(
            exp.Add(this=self.abs(value.sql, value.constant), expression=self.literal(k // 2)),
            self.literal(k),
            max(value.digits, digits_of(k // 2)) + 1,
            digits_of(k),
        )
        sql = self.signed(exp.LT(this=value.sql, expression=self.literal(0)), magnitude)
        digits = max(value.digits - (value.scale - scale) + 1, 1)
        return attrs.evolve(value, sql=sql, scale=scale, digits=digits, constant=None)

    def floor_ceil(self, value: Value, up: bool) -> Value:
        """`floor` (toward minus infinity) or `ceil` (toward plus infinity): scale 0."""
        if value.scale == 0:
            return value
        value = self.hoist(value)
        k = 10**value.scale
        x = value.sql
        negative = exp.LT(this=x, expression=self.literal(0))
        minus_x = exp.Neg(this=exp.paren(x))
        if up:  # ceil: x >= 0 -> (x + k - 1) DIV k; x < 0 -> -((-x) DIV k)
            positive = self.int_div(
                exp.Add(this=x, expression=self.literal(k - 1)),
                self.literal(k),
                max(value.digits, digits_of(k - 1)) + 1,
                digits_of(k),
            )
            sql = (
                exp.case()
                .when(
                    negative,
                    exp.Neg(
                        this=exp.paren(
                            self.int_div(minus_x, self.literal(k), value.digits, digits_of(k))
                        )
                    ),
                )
                .else_(positive)
            )
        else:  # floor: x >= 0 -> x DIV k; x < 0 -> -((-x + k - 1) DIV k)
            below = self.int_div(
                exp.Add(this=minus_x, expression=self.literal(k - 1)),
                self.literal(k),
                max(value.digits, digits_of(k - 1)) + 1,
                digits_of(k),
            )
            sql = (
                exp.case()
                .when(negative, exp.Neg(this=exp.paren(below)))
                .else_(self.int_div(x, self.literal(k), value.digits, digits_of(k)))
            )
        digits = max(value.digits - value.scale + 1, 1)
        return attrs.evolve(value, sql=sql, scale=0, digits=digits, constant=None)

    def divide(self, a: Value, b: Value) -> tuple[exp.Expr, int, int]:
        """The quotient at scale 18, half away from zero, a bound on the digits of every
        integer it computes and one on the quotient's (|q| <= |N| since |D| >= 1).
        NULL where the divisor is 0 (the caller flags it)."""
        e = QUOTIENT_PLACES + b.scale - a.scale
        n, d = a, b
        if e >= 0:
            n = self.rescale(attrs.evolve(a, scale=0), e)
        else:
            d = self.rescale(attrs.evolve(b, scale=0), -e)
        n, d = self.hoist(n), self.hoist(d)
        abs_n = self.abs(n.sql, n.constant)
        abs_d = self.abs(d.sql, d.constant)
        if d.constant is not None:
            twice_d: exp.Expr = self.literal(2 * abs(d.constant))
        else:
            twice_d = exp.Nullif(
                this=exp.Mul(this=abs_d, expression=self.literal(2)), expression=self.literal(0)
            )
        magnitude = self.int_div(
            exp.Add(this=exp.Mul(this=abs_n, expression=self.literal(2)), expression=abs_d),
            twice_d,
            max(n.digits + 1, d.digits) + 1,
            d.digits + 1,
        )
        zero = self.literal(0)
        negative: exp.Expr = exp.NEQ(
            this=exp.paren(exp.LT(this=n.sql, expression=zero)),
            expression=exp.paren(exp.LT(this=d.sql, expression=zero)),
        )
        if n.constant is not None:
            negative = (
                exp.LT(this=d.sql, expression=zero)
                if n.constant >= 0
                else exp.GTE(this=d.sql, expression=zero)
            )
        if d.constant is not None:
            negative = (
                exp.LT(this=n.sql, expression=zero)
                if d.constant > 0
                else exp.GTE(this=n.sql, expression=zero)
            )
        worst = max(n.digits, d.digits) + 2
        self.seen(worst)
        return self.signed(negative, magnitude), worst, n.digits

    def clamp(self, value: Value, maximum: Decimal) -> Value:
        """Within 0..maximum, as a criterion's `max` (NULL stays NULL)."""
        number, scale = scaled(maximum)
        top = self.constant(number, scale)
        value, top = self.align([value, top])
        value = self.hoist(value)
        zero = self.literal(0)
        sql = (
            exp.case()
            .when(exp.LT(this=value.sql, expression=zero), zero)
            .when(exp.GT(this=value.sql, expression=top.sql), top.sql)
            .else_(value.sql)
        )
        return attrs.evolve(value, sql=sql, digits=max(top.digits, 1), constant=None)


def narrowed(select: exp.Expr) -> exp.Expr:
    """A DuckDB query whose integers all fit in 18 digits, with BIGINT for HUGEINT: half
    the bytes to compute and hand over (at 10M rows, a second of 4). DuckDB raises an
    error on a BIGINT overflow, so a caller that meets one runs the HUGEINT query."""

    def narrow(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.INT128:
            return exp.DataType.build("BIGINT")
        return node

    return select.transform(narrow)


def sort_of(vtype: ir.VType) -> Sort | None:
    """How a value of this type is held in SQL (None: not at all)."""
    return ir.storage(vtype)


def column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _paren(sql: exp.Expr) -> exp.Expr:
    if isinstance(sql, exp.Column | exp.Literal | exp.Paren | exp.Cast | exp.Abs | exp.Nullif):
        return sql
    return exp.paren(sql)
