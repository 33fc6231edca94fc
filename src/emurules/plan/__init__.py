"""`plan`: the checked model lowered to the IR every engine evaluates (see `plan.ir`)."""

from emurules.plan.lower import plan
from emurules.plan.steps import Plan

__all__ = ["Plan", "plan"]
