"""A Result whose keys, groups and labels are what a hostile or careless spreadsheet holds."""

from __future__ import annotations

import emurules

KEYS = (
    '=HYPERLINK("http://x","click")',
    "+1",
    "-2",
    "@SUM(A1)",
    "[bold]x",
    "[/]",
    "[link=https://x]l",
    "\x1b[31mred",
    "a|b\nc",
    "x\u2028y",
    "rtl\u202eevil",
    "nul\x00bell\x07",
)
GROUPS = ("=cmd|' /C calc'!A0", "-3")
RULESET = "=1+1 [bold]R|x\x1b[2J"
LABEL = "[bold]Top|x\x1b[31m\u2028[/]\rz"

CRITERIA = f'''ruleset "{RULESET}" {{ year 2025 }}
subject unit {{ id: text key }}
subject person {{ id: text key  unit: unit  points: number = 0 }}
relation members: unit -> person by unit
score for person = points
award top "{LABEL}" for person {{
  when points > -100
  rank by score desc
  quota 1 within unit
}}
'''


def hostile_result() -> emurules.Result:
    """Every person qualifies with a negative score; one per unit receives the award."""
    rules = emurules.compile(CRITERIA, name="hostile.emu")
    units = [{"id": g} for g in GROUPS]
    people = [{"id": key, "unit": GROUPS[i % 2], "points": f"-{i}.5"} for i, key in enumerate(KEYS)]
    return rules.evaluate({"unit": units, "person": people}, year=2025)
