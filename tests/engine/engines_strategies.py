"""Whole criteria files, as text, and populations for them: what the engines are held equal
on (tests/engine/test_engines_equal.py, issue 16).

One subject kind, `person`, with a fixed schema (`HEADER`); everything after it is drawn:
criteria (plain, `bonus`, `penalty`, with `where` and `max`), lets of numbers, truth values
and text, the score (plain or `weighted`), awards (`when`, `any { ... }`, `requires`,
`rank by` one or two keys, quotas within `unit` or over everyone, `on tie include`) and
sometimes a ranking. Every file is valid by construction: missing values are always
guarded, a division's divisor is a non-zero literal or guarded by `!= 0`, text is only
compared for equality, and percentages only scale numbers, so they are never compared
with a bare number (E0312).

Numbers carry the rounding traps of the issue: 80.585 and -2.675 (which binary floats
round the wrong way), sums of thirds (`e / 3 + e / 3 + e / 3`), `round(x, n)` and the
header's `round N`. Populations (0 to 40 people) are copies of a few templates, so equal
values, and ties at a quota's cut-off, are common; keys mix case and accents so that the
order of keys (by code point) is exercised when ties are broken.

Products keep one side small (a literal, or two fields at most), so values stay far from
the 18 digits the language allows before the point, and the common constructs stay in the
subset any engine must support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from hypothesis import strategies as st

RATINGS: Final = ("poor", "fair", "good", "top")
UNITS: Final = ("U1", "U2", "u1", "Ü3")
KEY_PREFIXES: Final = ("P", "p", "Q", "É")

HEADER_FIELDS: Final = """\
enum rating ordered { poor, fair, good, top }

subject person {
  id: text key
  unit: text
  task: rating
  done: int >= 0 = 0
  late: int
  hours: number >= 0 = 0
  points: number
  extra: number >= 0
  leave: number?
}
"""

INT_FIELDS: Final = ("done", "late")
NUMBER_FIELDS: Final = ("done", "late", "hours", "points", "extra")  # never missing
DIVISORS: Final = ("late", "points", "done")  # fields that may be zero: division is guarded
OPTIONAL: Final = "leave"

LITERALS: Final = (
    "0", "1", "2", "3", "5", "10", "0.5", "2.5", "0.1", "0.125",
    "80.585", "2.675", "1.005", "33.335", "0.005",
)  # fmt: skip
NONZERO: Final = ("2", "3", "7", "0.5", "2.5", "80.585", "2.675", "1.005", "0.125")
PERCENTS: Final = ("15%", "50%", "12.5%", "100%", "33%", "2.5%")
MAXIMA: Final = ("10", "20", "40", "100", "12.5")
WEIGHTS: Final = ("0.5", "0.3", "0.2", "30%", "25%", "1")
COMPARE: Final = ("==", "!=", "<", "<=", ">", ">=")

# Values of the population: few, so that people tie; the traps among them.
HOURS: Final = ("0", "0.5", "2.5", "10", "12.5", "80.585", "33.333333333333333333", "7")
POINTS: Final = (
    "0", "1", "2.675", "-2.675", "80.585", "10", "99.995", "-0.005", "1.5", "-7", "-0.004", "-0",
)  # fmt: skip
EXTRA: Final = ("0", "0.125", "1", "7", "2.675", "0.005")
LEAVE: Final = ("0", "1", "3", "4.5", "12")


@dataclass
class Scope:
    """What a declaration drawn next may read."""

    numbers: list[str] = field(default_factory=lambda: list(NUMBER_FIELDS))
    optional: list[str] = field(default_factory=lambda: [OPTIONAL])  # numbers maybe missing
    truths: list[str] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)  # criteria with a `max` (for weighted)
    awards: list[str] = field(default_factory=list)
    score: bool = False


@dataclass(frozen=True)
class Case:
    """A criteria file and a population for it (`people`: the records of `person`)."""

    text: str
    people: list[dict[str, object]]

    def __repr__(self) -> str:
        rows = "\n".join(f"  {row!r}," for row in self.people)
        return f"Case(text='''\n{self.text}''',\npeople=[\n{rows}\n])"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How hypothesis shows a failing case: the criteria as a file, a person a line."""
        printer.text(repr(self))


def _one_in(draw: st.DrawFn, times: int) -> bool:
    """True about once in `times` draws. Hypothesis often draws the simplest choice (the
    first), so it means False here, and True is the last choice."""
    return draw(st.sampled_from(range(times))) == times - 1


# ---- expressions --------------------------------------------------------------------------
def _leaf(draw: st.DrawFn, scope: Scope) -> str:
    choice = draw(st.integers(0, 9))
    if choice <= 2:
        return draw(st.sampled_from(LITERALS))
    if choice <= 6:
        return draw(st.sampled_from(scope.numbers))
    if choice == 7:
        return f"({draw(st.sampled_from(scope.optional))} ?? {draw(st.sampled_from(LITERALS))})"
    if choice == 8:
        return f"-{draw(st.sampled_from(LITERALS))}"
    left, right = draw(st.sampled_from(NUMBER_FIELDS)), draw(st.sampled_from(INT_FIELDS))
    return f"({left} * {right})"


@st.composite
def number(draw: st.DrawFn, scope: Scope, depth: int = 2) -> str:
    """A number that is never missing."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return _leaf(draw, scope)
    sub = number(scope, depth - 1)
    match draw(st.integers(0, 17)):
        case 0 | 1:
            return f"({draw(sub)} {draw(st.sampled_from('+-'))} {draw(sub)})"
        case 2:
            return f"({draw(st.sampled_from(LITERALS))} * {draw(sub)})"
        case 3:
            return f"({draw(st.sampled_from(PERCENTS))} * {draw(sub)})"
        case 4:
            return f"({draw(sub)} / {draw(st.sampled_from(NONZERO))})"
        case 5:
            divisor = draw(st.sampled_from(DIVISORS))
            return f"({draw(sub)} / {divisor} if {divisor} != 0 else 0)"
        case 6:
            part = draw(sub)
            return f"({part} / 3 + {part} / 3 + {part} / 3)"
        case 7:
            return f"-({draw(sub)})"
        case 8:
            return f"({draw(sub)} if {draw(condition(scope, depth - 1))} else {draw(sub)})"
        case 9:
            return draw(_enum_case(scope, depth - 1))
        case 10:
            return draw(_value_case(scope, depth - 1))
        case 11:
            arm = st.tuples(condition(scope, depth - 1), sub)
            written = ", ".join(f"{c}: {v}" for c, v in draw(st.lists(arm, min_size=1, max_size=3)))
            return f"case {{ {written}, else: {draw(sub)} }}"
        case 12:
            name = draw(st.sampled_from(("min", "max")))
            parts = draw(st.lists(sub, min_size=2, max_size=3))
            return f"{name}({', '.join(parts)})"
        case 13:
            name = draw(st.sampled_from(("abs", "floor", "ceil", "round")))
            return f"{name}({draw(sub)})"
        case 14:
            return f"round({draw(sub)}, {draw(st.integers(0, 3))})"
        case 15:
            return f"cap({draw(sub)}, {draw(st.sampled_from(LITERALS))})"
        case 16:
            missing, factor = draw(st.sampled_from(scope.optional)), draw(st.sampled_from(LITERALS))
            return f"({missing} * {factor} if {missing} is not missing else {draw(sub)})"
        case _:
            return f"({draw(st.sampled_from(scope.optional))} ?? {draw(sub)})"


@st.composite
def _enum_case(draw: st.DrawFn, scope: Scope, depth: int) -> str:
    values = draw(st.lists(st.sampled_from(RATINGS), min_size=1, max_size=4, unique=True))
    if _one_in(draw, 12):  # every value, and no `else` (rarely: see test_engines_equal)
        values += [value for value in RATINGS if value not in values]
    arms = [f"{value}: {draw(number(scope, depth))}" for value in values]
    if len(values) < len(RATINGS) or not _one_in(draw, 12):
        arms.append(f"else: {draw(number(scope, depth))}")
    return f"case task {{ {', '.join(arms)} }}"


@st.composite
def _value_case(draw: st.DrawFn, scope: Scope, depth: int) -> str:
    if draw(st.booleans()):
        subject = "unit"
        values = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True))
        labels = [f'"{value}"' for value in values]
    else:
        subject = "done"
        counts = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))
        labels = [str(count) for count in counts]
    arms = [f"{label}: {draw(number(scope, depth))}" for label in labels]
    return f"case {subject} {{ {', '.join(arms)}, else: {draw(number(scope, depth))} }}"


@st.composite
def condition(draw: st.DrawFn, scope: Scope, depth: int = 2) -> str:
    """A truth value that is never missing."""
    choice = draw(st.integers(0, 14 if depth > 0 else 10))
    match choice:
        case 0 | 1 | 2:
            left, right = draw(number(scope, min(depth, 1))), draw(number(scope, 0))
            return f"{left} {draw(st.sampled_from(COMPARE))} {right}"
        case 3:
            return f"task {draw(st.sampled_from(COMPARE))} {draw(st.sampled_from(RATINGS))}"
        case 4:
            values = draw(st.lists(st.sampled_from(RATINGS), min_size=1, max_size=3, unique=True))
            negated = draw(st.sampled_from(("in", "not in")))
            return f"task {negated} {{{', '.join(values)}}}"
        case 5:
            return f'unit {draw(st.sampled_from(("==", "!=")))} "{draw(st.sampled_from(UNITS))}"'
        case 6:
            values = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True))
            return f"unit in {{{', '.join(f'{chr(34)}{v}{chr(34)}' for v in values)}}}"
        case 7:
            missing = draw(st.sampled_from(scope.optional))
            return f"{missing} is {draw(st.sampled_from(('', 'not ')))}missing"
        case 8:
            missing = draw(st.sampled_from(scope.optional))
            compared = f"{draw(st.sampled_from(COMPARE))} {draw(st.sampled_from(LITERALS))}"
            return f"({missing} is not missing and {missing} {compared})"
        case 9:
            ends = draw(st.lists(st.sampled_from(LITERALS), min_size=2, max_size=2))
            low, high = sorted(ends, key=Decimal)
            return f"{draw(number(scope, 0))} in {low}..{high}"
        case 10:
            if scope.truths:
                return draw(st.sampled_from(scope.truths))
            counts = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))
            return f"done in {{{', '.join(map(str, counts))}}}"
        case 11 | 12:
            word = draw(st.sampled_from(("and", "or")))
            left, right = draw(condition(scope, depth - 1)), draw(condition(scope, depth - 1))
            return f"({left} {word} {right})"
        case 13:
            return f"not ({draw(condition(scope, depth - 1))})"
        case _:
            left, right = draw(condition(scope, depth - 1)), draw(condition(scope, depth - 1))
            return f"({left} if {draw(condition(scope, depth - 1))} else {right})"


# ---- declarations ---------------------------------------------------------------------------
@st.composite
def _criterion(draw: st.DrawFn, scope: Scope, index: int) -> str:
    kind = draw(st.sampled_from(("criterion", "criterion", "bonus", "penalty")))
    name = f"c{index}"
    where = draw(st.booleans()) and draw(st.integers(0, 2)) == 0
    top = draw(st.one_of(st.none(), st.sampled_from(MAXIMA)))
    text = f'{kind} {name} "Criterion {index}" for person'
    if where:
        text += f" where {draw(condition(scope, 1))}"
    if top is not None:
        text += f" max {top}"
    text += f" =\n  {draw(number(scope))}"
    if where:
        scope.optional.append(name)
    else:
        scope.numbers.append(name)
    if top is not None:
        scope.capped.append(name)
    return text


@st.composite
def _let(draw: st.DrawFn, scope: Scope, index: int) -> str:
    name = f"l{index}"
    head = f'let {name} "Value {index}" for person ='
    match draw(st.integers(0, 3)):
        case 0:
            text = f"{head}\n  {draw(condition(scope))}"
            scope.truths.append(name)
        case 1:
            arms = draw(st.lists(condition(scope, 1), min_size=1, max_size=3))
            bands = ", ".join(f'{c}: "band {i}"' for i, c in enumerate(arms))
            text = f'{head}\n  case {{ {bands}, else: "none" }}'
        case _:
            text = f"{head}\n  {draw(number(scope))}"
            scope.numbers.append(name)
    return text


@st.composite
def _score(draw: st.DrawFn, scope: Scope) -> str:
    if len(scope.capped) >= 1 and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(scope.capped), min_size=1, max_size=3, unique=True))
        weights = ", ".join(f"{c}: {draw(st.sampled_from(WEIGHTS))}" for c in chosen)
        body = f"100 * weighted({weights})"
        if draw(st.booleans()):
            body += f" + {draw(number(scope, 1))}"
    else:
        body = draw(number(scope))
    scope.score = True
    return f"score for person = {body}"


@st.composite
def _rank_keys(draw: st.DrawFn, scope: Scope) -> str:
    names = ["task", *scope.numbers] + (["score"] * 3 if scope.score else [])
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 5)) == 0:
        keys[-1] = f"({draw(st.sampled_from(scope.optional))} ?? 0)"
    return ", ".join(f"{key} {draw(st.sampled_from(('asc', 'desc')))}" for key in keys)


@st.composite
def _quota(draw: st.DrawFn, scope: Scope) -> str:
    match draw(st.integers(0, 5)):
        case 0 | 1:
            return "quota floor(15% * count(group)) within unit"
        case 2:
            share = draw(st.sampled_from(("30%", "50%", "0.25")))
            rounding = draw(st.sampled_from(("floor", "ceil", "round")))
            return f"quota {rounding}({share} * count(group)) within unit"
        case 3:
            return f"quota {draw(st.integers(0, 4))}"
        case 4:
            return f"quota {draw(st.integers(1, 3))} within unit"
        case _:
            if scope.awards:
                other = draw(st.sampled_from(scope.awards))
                return f"quota floor(50% * count({other})) within unit"
            return "quota floor(15% * count(group)) within unit"


@st.composite
def _award(draw: st.DrawFn, scope: Scope, index: int) -> str:
    name = f"a{index}"
    lines = [f'award {name} "Award {index}" for person {{']
    if scope.awards and draw(st.integers(0, 2)) == 0:
        lines.append(f"  requires {draw(st.sampled_from(scope.awards))}")
    for number_ in range(draw(st.integers(0, 3))):
        ident = f"w{number_}: " if draw(st.booleans()) else ""
        label = f' "condition {number_}"' if draw(st.booleans()) else ""
        if draw(st.integers(0, 4)) == 0:
            parts = draw(st.lists(condition(scope, 1), min_size=1, max_size=3))
            written = ", ".join(f'p{number_}{i}: {part} "part {i}"' for i, part in enumerate(parts))
            lines.append(f"  when {ident}any {{ {written} }}{label}")
        else:
            lines.append(f"  when {ident}{draw(condition(scope))}{label}")
    if draw(st.integers(0, 4)) > 0:
        lines.append(f"  rank by {draw(_rank_keys(scope))}")
        lines.append(f"  {draw(_quota(scope))}")
        if draw(st.booleans()):
            lines.append("  on tie include")
    lines.append("}")
    scope.awards.append(name)
    return "\n".join(lines)


@st.composite
def criteria(draw: st.DrawFn) -> str:
    """A whole criteria file about `person` (see the module's docstring)."""
    scope = Scope()
    settings = "year 2025"
    if draw(st.booleans()):
        settings += f"  round {draw(st.integers(0, 3))}"
    parts = [f'ruleset "generated" {{ {settings} }}', HEADER_FIELDS]
    parts += [draw(_criterion(scope, i)) for i in range(draw(st.integers(1, 4)))]
    parts += [draw(_let(scope, i)) for i in range(draw(st.integers(0, 2)))]
    if draw(st.integers(0, 9)) > 0:
        parts.append(draw(_score(scope)))
    parts += [draw(_let(scope, i)) for i in range(2, 2 + draw(st.integers(0, 2)))]
    parts += [draw(_award(scope, i)) for i in range(draw(st.integers(1, 3)))]
    if _one_in(draw, 25):
        within = " within unit" if draw(st.booleans()) else ""
        shared = " shared" if draw(st.booleans()) else ""
        keys = draw(_rank_keys(scope))
        parts.append(f'ranking league "League" for person by {keys}{within}{shared}')
    return "\n".join(parts) + "\n"


# ---- populations ------------------------------------------------------------------------------
_OMIT: Final = object()


def _optional(values: tuple[str, ...]) -> st.SearchStrategy[object]:
    return st.one_of(st.just(_OMIT), st.sampled_from(values).map(Decimal))


@st.composite
def _template(draw: st.DrawFn, units: tuple[str, ...]) -> dict[str, object]:
    drawn: dict[str, object] = {
        "unit": draw(st.sampled_from(units)),
        "task": draw(st.sampled_from(RATINGS)),
        "done": draw(st.one_of(st.just(_OMIT), st.integers(0, 4))),
        "late": draw(st.integers(-2, 3)),
        "hours": draw(_optional(HOURS)),
        "points": draw(st.sampled_from(POINTS).map(Decimal)),
        "extra": draw(st.sampled_from(EXTRA).map(Decimal)),
        "leave": draw(st.one_of(st.none(), _optional(LEAVE))),
    }
    return {name: value for name, value in drawn.items() if value is not _OMIT}


@st.composite
def people(draw: st.DrawFn, most: int = 40) -> list[dict[str, object]]:
    """0 to `most` people in a few units, copies of a few templates (so values tie), some
    moved to another unit; keys like P9 and P10, p3, É2 (code-point order breaks ties)."""
    units = tuple(draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True)))
    templates = draw(st.lists(_template(units), min_size=1, max_size=6))
    # every size about as often: a 15% quota gives places from 7 people on
    size = draw(st.integers(0, most))
    picks = draw(st.lists(st.integers(0, len(templates) - 1), min_size=size, max_size=size))
    numbers = draw(st.permutations(range(1, len(picks) + 1)))
    found: list[dict[str, object]] = []
    for pick, number_ in zip(picks, numbers, strict=True):
        row = dict(templates[pick])
        if draw(st.integers(0, 4)) == 0:
            row["unit"] = draw(st.sampled_from(units))
        key = f"{draw(st.sampled_from(KEY_PREFIXES))}{number_}"
        found.append({"id": key, **row})
    return found


@st.composite
def cases(draw: st.DrawFn, most: int = 40) -> Case:
    """A criteria file and a population for it."""
    population = draw(people(most))
    return Case(text=draw(criteria()), people=population)
