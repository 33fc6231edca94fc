"""The arithmetic every engine shares, defined in `emurules.arithmetic` (below the engines
and the registry of built-in functions alike)."""

from emurules.arithmetic import EXACT, QUOTIENT_PLACES, divide, round_to

__all__ = ["EXACT", "QUOTIENT_PLACES", "divide", "round_to"]
