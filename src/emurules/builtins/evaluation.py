"""How the built-in functions are evaluated: the functions, or the building blocks of
closures, that the registry (`emurules.builtins`) gives each form and every engine calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Final

from emurules.arithmetic import divide, round_to
from emurules.values import MISSING

ZERO: Final = Decimal(0)


def count_members(keys: Sequence[Any]) -> Decimal:
    return Decimal(len(keys))


def count_true(values: Sequence[Any]) -> Decimal:
    return Decimal(sum(1 for v in values if v is True))


def share(values: Sequence[Any]) -> Decimal:
    if not values:
        return ZERO
    return divide(Decimal(sum(1 for v in values if v is True)), Decimal(len(values)))


def all_true(values: Sequence[Any]) -> bool:
    return all(v is True for v in values)


def any_true(values: Sequence[Any]) -> bool:
    return any(v is True for v in values)


def none_true(values: Sequence[Any]) -> bool:
    return not any(v is True for v in values)


def total(values: Sequence[Any]) -> Decimal:
    return sum((v for v in values if v is not MISSING), ZERO)


def average(values: Sequence[Any]) -> Any:
    numbers = [v for v in values if v is not MISSING]
    return divide(sum(numbers, ZERO), Decimal(len(numbers))) if numbers else MISSING


def least(values: Sequence[Any]) -> Any:
    numbers = [v for v in values if v is not MISSING]
    return min(numbers) if numbers else MISSING


def most(values: Sequence[Any]) -> Any:
    numbers = [v for v in values if v is not MISSING]
    return max(numbers) if numbers else MISSING


def recipients(received: Iterable[Any]) -> Decimal:
    return Decimal(sum(1 for r in received if r))


def rounded(value: Decimal, digits: Decimal = ZERO) -> Decimal:
    return round_to(value, int(digits))


def days(start: Any, end: Any) -> Decimal:
    return Decimal((end - start).days)


def weighted(items: Sequence[tuple[Decimal, Decimal]]) -> Callable[[Sequence[Any]], Decimal]:
    """Each criterion that applies as a share of its max, weighted; the weights of those
    that apply scaled back up to the declared total."""
    declared = sum((weight for weight, _ in items), ZERO)

    def weighted(values: Sequence[Any]) -> Decimal:
        total = ZERO
        weights = ZERO
        for value, (weight, maximum) in zip(values, items, strict=True):
            if value is MISSING or maximum == 0:
                continue
            total += divide(weight * value, maximum)
            weights += weight
        if weights == 0:
            return ZERO
        return divide(total * declared, weights)

    return weighted


def applicable_max(maxima: Sequence[Decimal]) -> Callable[[Sequence[Any]], Decimal]:
    def applicable(values: Sequence[Any]) -> Decimal:
        total = ZERO
        for value, maximum in zip(values, maxima, strict=True):
            if value is not MISSING:
                total += maximum
        return total

    return applicable


def streak(now: bool | None, received: Callable[[int], bool], year: int) -> Decimal:
    """Consecutive years with the award, up to this one (`now`: held this year) or, when
    `now` is None, up to last year."""
    count = 0
    if now is not None:
        if not now:
            return ZERO
        count = 1
    year -= 1
    while received(year):
        count += 1
        year -= 1
    return Decimal(count)


def held(years: Iterable[int], year: int, last: int) -> Decimal:
    """In how many of the `last` years before `year` the award was received (`years`)."""
    first = year - last
    return Decimal(sum(1 for y in years if first <= y < year))


def past(value_at: Callable[[int], Any], year: int, back: int) -> Any:
    return value_at(year - back)


def qualified(met: bool, received: bool) -> bool:
    """Met every condition of the award, whether the quota let it receive it or not."""
    return met


def cut(met: bool, received: bool) -> bool:
    """Met every condition, yet the quota gave the award to others."""
    return met and not received


def floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def least_of(*values: Any) -> Any:
    return min(values)


def most_of(*values: Any) -> Any:
    return max(values)
