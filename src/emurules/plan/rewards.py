"""Reward amounts: an award's `reward` is a multiple of the base salary (mức lương cơ sở),
as Decree 152/2025/NĐ-CP Art. 54 states them, and the amount paid is that multiple times
the base salary, rounded as the ruleset declares.

The rounding is the ruleset's, not emurules': Decree 91/2017 Art. 68(2) rounded *up* to the
ten thousand dong (0.3 × 2,340,000 = 702,000 -> 710,000), and an office that follows
another rule writes it. Without `round rewards ...` the product is paid to the whole dong
(a half rounded up), which for the base salaries in use is the exact product anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Literal, cast

import attrs

from emurules.arithmetic import EXACT

Mode = Literal["up", "down", "nearest"]
# The header settings that are `Rewards` rather than plain settings of the evaluation.
KEYS: Final = frozenset({"base_salary", "reward_rounding"})


@attrs.frozen(kw_only=True)
class Rounding:
    """`round rewards up to 10000`: to a multiple of `step` dong; `nearest` rounds a half
    away from zero, as the language rounds everywhere."""

    mode: Mode
    step: int

    def apply(self, amount: Decimal) -> Decimal:
        """Whole steps and what is left, both exact (an amount is never negative), in the
        library's context: never the caller's `decimal.getcontext()`."""
        step = Decimal(self.step)
        steps, left = EXACT.divide_int(amount, step), EXACT.remainder(amount, step)
        if (self.mode == "up" and left > 0) or (
            self.mode == "nearest" and EXACT.multiply(left, Decimal(2)) >= step
        ):
            steps = EXACT.add(steps, Decimal(1))
        return EXACT.multiply(steps, step)


@attrs.frozen(kw_only=True)
class Rewards:
    """The ruleset's reward settings: the base salary it states (`base_salary`; a caller
    may give another, as the base salary changes by decree) and how amounts are rounded."""

    base_salary: int | None = None
    rounding: Rounding | None = None

    def amount(self, multiple: Decimal, base_salary: Decimal) -> Decimal:
        """The amount paid: rounded as the ruleset says, else to the whole dong (half
        up), since the đồng has no smaller unit and a decision cannot pay a fraction."""
        exact = EXACT.multiply(multiple, base_salary)
        return (self.rounding or _WHOLE_DONG).apply(exact)


_WHOLE_DONG: Final = Rounding(mode="nearest", step=1)


def from_settings(settings: Mapping[str, object]) -> Rewards:
    """The rewards a ruleset's header states (`base_salary`, `round rewards ... to N`)."""
    base, rounding = settings.get("base_salary"), settings.get("reward_rounding")
    return Rewards(
        base_salary=base if isinstance(base, int) else None,
        rounding=Rounding(mode=cast(Mode, rounding[0]), step=rounding[1])
        if isinstance(rounding, tuple)
        else None,
    )
