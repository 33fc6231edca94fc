"""`weighted(...)` and `applicable_max(...)` in SQL, as `builtins.evaluation` computes them:
a criterion that does not apply (NULL) is left out, each share is the language's quotient."""

from __future__ import annotations

from decimal import Decimal

import attrs
from sqlglot import exp

from emurules.engine.sql.expr import Lowering, _null, _operand, product
from emurules.engine.sql.refuse import refuse
from emurules.engine.sql.scaled import MAX_DIGITS, Value, digits_of, scaled
from emurules.i18n import message
from emurules.plan import ir


def criteria(self: Lowering, node: ir.Weighted | ir.ApplicableMax) -> Value:
    """`weighted` and `applicable_max` over criteria of the subject (columns), as
    `builtins.evaluation` computes them: a criterion that does not apply is left out."""
    a, zero = self.a, self.a.constant(0, 0)
    if isinstance(node, ir.ApplicableMax):
        terms = [when_applies(self, name, a.constant(*scaled(m))) for name, m in node.items]
        return total(self, terms, zero)
    declared = sum((w for _, w, _ in node.items), Decimal(0))
    shares, weights = [], []
    for name, weight, maximum in node.items:
        if maximum == 0:
            continue
        got = self.columns[name]
        weighed = product(a.constant(*scaled(weight)), got)
        share, worst, _ = a.divide(weighed, a.constant(*scaled(maximum)))
        if worst > MAX_DIGITS:
            raise refuse(message("sql.too-large", digits=worst), node.span)
        # a criterion is within 0..max, so its share is within 0..weight
        digits = digits_of(int(weight.scaleb(18).to_integral_value())) + 1
        shares.append(when_applies(self, name, Value(share, "number", 18, digits)))
        weights.append(when_applies(self, name, a.constant(*scaled(weight))))
    if not shares:
        return zero
    summed, count = total(self, shares, zero), total(self, weights, zero)
    # the shares add up to at most the declared total, and so does the result
    bound = digits_of(int(declared.scaleb(18).to_integral_value())) + 1
    summed = attrs.evolve(summed, digits=bound)
    scaled_total = product(summed, a.constant(*scaled(declared)))
    quotient, worst, _ = a.divide(scaled_total, attrs.evolve(count, nullable=False))
    if worst > MAX_DIGITS:
        raise refuse(message("sql.too-large", digits=worst), node.span)
    none = exp.EQ(this=_operand(count.sql), expression=a.literal(0))
    sql = exp.case().when(none, a.literal(0)).else_(quotient)
    return Value(sql, "number", 18, bound, False)


def when_applies(self: Lowering, name: str, value: Value) -> Value:
    """`value` where criterion `name` applies (is not missing), else 0."""
    got = self.columns[name]
    test = exp.Not(this=_null(got.sql))
    sql = exp.case().when(test, value.sql).else_(self.a.literal(0))
    return Value(sql, "number", value.scale, value.digits, False)


def total(self: Lowering, terms: list[Value], zero: Value) -> Value:
    parts = self.a.align([zero, *terms])[1:]
    sql = parts[0].sql
    for part in parts[1:]:
        sql = exp.Add(this=sql, expression=part.sql)
    return Value(
        sql,
        "number",
        parts[0].scale,
        max(p.digits for p in parts) + len(str(len(parts))),
        False,
    )
