"""The built-in functions of the language, described once.

A function is a name and its forms (`min(a, b, ...)` and `min(rel, x)` are two forms of
`min`). A form says what its arguments are (their sorts: a number, a relation, the name of
an award, the word `before`...), which rule gives its type, how it is evaluated and the
messages that document it and phrase it in plain words. The checker checks every call
against the forms, lowering picks a call's form, the engines evaluate it with the form's
evaluation, and `emurules doc` and the reference page in docs/ read the messages, so a
function cannot mean one thing to the checker and another to an engine or to the reader.

This module sits below all of them: it knows values, arithmetic and messages, never the
syntax tree, the checker, the plan or an engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Literal

import attrs

from emurules.builtins import evaluation as e
from emurules.i18n import Arg, Message, message
from emurules.limits import ROUND_DIGITS

Sort = Literal[
    "number",  # an expression giving a number
    "date",  # an expression giving a date
    "relation",  # a relation of the subject (in a quota: `group`)
    "condition",  # true/false, read for each member of the relation
    "each",  # a number, read for each member of the relation
    "criterion",  # the name of a criterion that has a `max`
    "weight",  # `criterion: weight`, the weight a number written out
    "award",  # the name of an award of the subject
    "before",  # the word `before`
    "last",  # `last N`, N a whole number of at least 1
    "name",  # a name of the subject: a field, criterion, let or the score
    "years",  # a whole number of at least 1, written out
    "digits",  # a whole number from 0 to 18, written out
]
"""What an argument must be: the checker checks each by its sort."""

Shape = Literal[
    "values", "over", "recipients", "weights", "criteria", "streak", "held", "past", "decision"
]
"""How a form's arguments are laid out, which decides how every stage handles a call:
`values`, a function of its arguments' values (missing in, missing out); `over`, an
aggregate over the members of a relation; `recipients`, a quota's count of an award's
recipients in the group; `decision`, what this year's decision of an award says of the
subject (`qualified(A)`, `cut(A)`); the others one function each."""

Result = Literal[
    "same",  # the type the number arguments share (whole numbers give a whole number)
    "int",  # a whole number
    "whole-unless-digits",  # a whole number, or a number with digits after the point
    "number",
    "percent",
    "bool",
    "each",  # the type of the value read for each member
    "each-maybe",  # the same, missing when there are no members
    "number-maybe",  # a number, missing when there are no members
    "name-maybe",  # the type of the name read, missing when the history has none
]
"""The rule that gives a call its type from its arguments' types."""


@attrs.frozen
class Param:
    """An argument of a form: `name` is how the reference page writes it."""

    name: str
    sort: Sort
    optional: bool = False
    repeated: bool = False  # this one, and as many more as wanted

    @property
    def written(self) -> str:
        match self.sort:
            case "before":
                return "before"
            case "last":
                return f"last {self.name}"
            case "weight":
                return f"{self.name}: weight"
            case _:
                return self.name


@attrs.frozen
class Form:
    """One way of calling a function.

    `evaluate` is what the engines call; its arguments depend on the shape: the values
    (`values`), the member values, or the member keys when the form reads no value of them
    (`over`), the recipients' award values (`recipients`), the weights and maxima, giving a
    function of the criteria's values (`weights`, `criteria`), what the history holds
    (`streak`, `held`, `past`), or whether the subject met the award's conditions and
    whether it received it (`decision`). `meaning` documents the form; `words` phrases a call for
    the published document from the phrases of its arguments, one per parameter.
    """

    shape: Shape
    params: tuple[Param, ...]
    result: Result
    meaning: Callable[[], Message]
    evaluate: Callable[..., Any]
    words: Callable[..., Message] | None = None
    shows_value: bool = True  # explanations show what the call gave
    in_quota: bool = False  # only in a quota (`count(award)`)
    chooses: bool = False  # gives one of its arguments (`min`, `max`, `cap`)

    @property
    def arity(self) -> tuple[int, int | None]:
        """The fewest and the most arguments (None: no limit)."""
        low = sum(1 for p in self.params if not p.optional)
        return low, None if any(p.repeated for p in self.params) else len(self.params)

    def accepts(self, count: int) -> bool:
        low, high = self.arity
        return count >= low and (high is None or count <= high)


@attrs.frozen
class Builtin:
    name: str
    forms: tuple[Form, ...]

    @property
    def arity(self) -> tuple[int, int | None]:
        """The fewest and the most arguments of any form."""
        lows, highs = zip(*(f.arity for f in self.forms), strict=True)
        return min(lows), None if None in highs else max(h for h in highs if h is not None)

    @property
    def aggregate(self) -> bool:
        """Has a form over a relation (`count(members)`), chosen when the first argument
        is one."""
        return any(f.shape == "over" for f in self.forms)

    def form(self, shape: Shape, count: int) -> Form:
        """The form of this shape that takes `count` arguments (the call is checked)."""
        for found in self.forms:
            if found.shape == shape and found.accepts(count):
                return found
        raise LookupError(f"{self.name}(...) has no {shape} form of {count} arguments")

    def signature(self, form: Form) -> str:
        """How the reference page writes a form: `round(x[, digits])`."""
        text = ""
        for param in form.params:
            written = param.written + (", ..." if param.repeated else "")
            if param.optional:
                text += f"[, {written}]" if text else f"[{written}]"
            else:
                text += f", {written}" if text else written
        return f"{self.name}({text})"


# ---- the registry ---------------------------------------------------------------------

_NUMBERS = (Param("a", "number"), Param("b", "number", repeated=True))
_OVER_CONDITION = (Param("rel", "relation"), Param("cond", "condition"))
_OVER_VALUE = (Param("rel", "relation"), Param("x", "each"))


def _values(
    evaluate: Callable[..., Any],
    params: tuple[Param, ...],
    result: Result,
    meaning: Callable[[], Message],
    words: Callable[..., Message] | None = None,
    shows_value: bool = False,
    chooses: bool = False,
) -> Form:
    return Form("values", params, result, meaning, evaluate, words, shows_value, chooses=chooses)


def _over(
    evaluate: Callable[..., Any],
    params: tuple[Param, ...],
    result: Result,
    meaning: Callable[[], Message],
    words: Callable[..., Message] | None = None,
) -> Form:
    return Form("over", params, result, meaning, evaluate, words)


def _least(*values: Arg) -> Message:
    if len(values) == 2:
        return message("words.smaller", a=values[0], b=values[1])
    return message("words.least", values=values)


def _most(*values: Arg) -> Message:
    if len(values) == 2:
        return message("words.larger", a=values[0], b=values[1])
    return message("words.most", values=values)


def _rounded(value: Arg, digits: Arg | None = None) -> Message:
    if digits is None:
        return message("words.rounded", value=value)
    return message("words.rounded-to", value=value, digits=digits)


_FUNCTIONS: tuple[Builtin, ...] = (
    Builtin(
        "min",
        (
            _values(
                e.least_of,
                _NUMBERS,
                "same",
                lambda: message("builtins.min"),
                _least,
                shows_value=True,
                chooses=True,
            ),
            _over(
                e.least,
                _OVER_VALUE,
                "each-maybe",
                lambda: message("builtins.min-over"),
                lambda rel, x: message("words.least-over", value=x, relation=rel),
            ),
        ),
    ),
    Builtin(
        "max",
        (
            _values(
                e.most_of,
                _NUMBERS,
                "same",
                lambda: message("builtins.max"),
                _most,
                shows_value=True,
                chooses=True,
            ),
            _over(
                e.most,
                _OVER_VALUE,
                "each-maybe",
                lambda: message("builtins.max-over"),
                lambda rel, x: message("words.most-over", value=x, relation=rel),
            ),
        ),
    ),
    Builtin(
        "cap",
        (
            _values(
                min,
                (Param("x", "number"), Param("hi", "number")),
                "same",
                lambda: message("builtins.cap"),
                lambda x, hi: message("words.capped", value=x, cap=hi),
                chooses=True,
            ),
        ),
    ),
    Builtin(
        "abs",
        (
            _values(
                abs,
                (Param("x", "number"),),
                "same",
                lambda: message("builtins.abs"),
                lambda x: message("words.absolute", value=x),
            ),
        ),
    ),
    Builtin(
        "floor",
        (
            _values(
                e.floor,
                (Param("x", "number"),),
                "int",
                lambda: message("builtins.floor"),
                lambda x: message("builtins.words-rounded-down", value=x),
            ),
        ),
    ),
    Builtin(
        "ceil",
        (
            _values(
                e.ceil,
                (Param("x", "number"),),
                "int",
                lambda: message("builtins.ceil"),
                lambda x: message("builtins.words-rounded-up", value=x),
            ),
        ),
    ),
    Builtin(
        "round",
        (
            _values(
                e.rounded,
                (Param("x", "number"), Param("digits", "digits", optional=True)),
                "whole-unless-digits",
                lambda: message("builtins.round"),
                _rounded,
            ),
        ),
    ),
    Builtin(
        "days",
        (
            _values(
                e.days,
                (Param("a", "date"), Param("b", "date")),
                "int",
                lambda: message("builtins.days"),
                lambda a, b: message("words.days", start=a, end=b),
            ),
        ),
    ),
    Builtin(
        "count",
        (
            _over(
                e.count_members,
                (Param("rel", "relation"),),
                "int",
                lambda: message("builtins.count"),
                lambda rel: message("builtins.words-number-of", what=rel),
            ),
            _over(
                e.count_true,
                _OVER_CONDITION,
                "int",
                lambda: message("builtins.count-where"),
                lambda rel, cond: message(
                    "builtins.words-number-where", relation=rel, condition=cond
                ),
            ),
            Form(
                "recipients",
                (Param("A", "award"),),
                "int",
                lambda: message("builtins.count-recipients"),
                e.recipients,
                lambda award: message("builtins.words-number-of", what=award),
                in_quota=True,
            ),
        ),
    ),
    Builtin(
        "share",
        (
            _over(
                e.share,
                _OVER_CONDITION,
                "percent",
                lambda: message("builtins.share"),
                lambda rel, cond: message("builtins.words-share", relation=rel, condition=cond),
            ),
        ),
    ),
    Builtin(
        "all",
        (
            _over(
                e.all_true,
                _OVER_CONDITION,
                "bool",
                lambda: message("builtins.all"),
                lambda rel, cond: message("builtins.words-all", relation=rel, condition=cond),
            ),
        ),
    ),
    Builtin(
        "any",
        (
            _over(
                e.any_true,
                _OVER_CONDITION,
                "bool",
                lambda: message("builtins.any"),
                lambda rel, cond: message("builtins.words-any", relation=rel, condition=cond),
            ),
        ),
    ),
    Builtin(
        "none",
        (
            _over(
                e.none_true,
                _OVER_CONDITION,
                "bool",
                lambda: message("builtins.none"),
                lambda rel, cond: message("builtins.words-none", relation=rel, condition=cond),
            ),
        ),
    ),
    Builtin(
        "sum",
        (
            _over(
                e.total,
                _OVER_VALUE,
                "each",
                lambda: message("builtins.sum"),
                lambda rel, x: message("builtins.words-total", value=x, relation=rel),
            ),
        ),
    ),
    Builtin(
        "avg",
        (
            _over(
                e.average,
                _OVER_VALUE,
                "number-maybe",
                lambda: message("builtins.avg"),
                lambda rel, x: message("builtins.words-average", value=x, relation=rel),
            ),
        ),
    ),
    Builtin(
        "weighted",
        (
            Form(
                "weights",
                (Param("criterion", "weight", repeated=True),),
                "number",
                lambda: message("builtins.weighted"),
                e.weighted,
            ),
        ),
    ),
    Builtin(
        "applicable_max",
        (
            Form(
                "criteria",
                (Param("criterion", "criterion", repeated=True),),
                "number",
                lambda: message("builtins.applicable-max"),
                e.applicable_max,
            ),
        ),
    ),
    Builtin(
        "streak",
        (
            Form(
                "streak",
                (Param("A", "award"),),
                "int",
                lambda: message("builtins.streak"),
                e.streak,
                lambda award: message("builtins.words-streak", award=award),
            ),
            Form(
                "streak",
                (Param("A", "award"), Param("before", "before")),
                "int",
                lambda: message("builtins.streak-before"),
                e.streak,
                lambda award, _: message("builtins.words-streak-before", award=award),
            ),
        ),
    ),
    Builtin(
        "held",
        (
            Form(
                "held",
                (Param("A", "award"), Param("N", "last")),
                "int",
                lambda: message("builtins.held"),
                e.held,
                lambda award, years: message("builtins.words-held", years=years, award=award),
            ),
        ),
    ),
    Builtin(
        "past",
        (
            Form(
                "past",
                (Param("x", "name"), Param("N", "years")),
                "name-maybe",
                lambda: message("builtins.past"),
                e.past,
                lambda name, years: message("builtins.words-past", name=name, years=years),
            ),
        ),
    ),
    Builtin(
        "qualified",
        (
            Form(
                "decision",
                (Param("A", "award"),),
                "bool",
                lambda: message("builtins.qualified"),
                e.qualified,
                lambda award: message("builtins.words-qualified", award=award),
            ),
        ),
    ),
    Builtin(
        "cut",
        (
            Form(
                "decision",
                (Param("A", "award"),),
                "bool",
                lambda: message("builtins.cut"),
                e.cut,
                lambda award: message("builtins.words-cut", award=award),
            ),
        ),
    ),
)

BUILTINS: Final[dict[str, Builtin]] = {b.name: b for b in _FUNCTIONS}
"""Every built-in function by name, in the order the reference lists them."""

AGGREGATES: Final = frozenset(b.name for b in _FUNCTIONS if b.aggregate)


def sort_phrase(sort: Sort) -> Message:
    """What an argument of this sort is, as the reference page says it."""
    match sort:
        case "number":
            return message("builtins.sort-number")
        case "date":
            return message("builtins.sort-date")
        case "relation":
            return message("builtins.sort-relation")
        case "condition":
            return message("builtins.sort-condition")
        case "each":
            return message("builtins.sort-each")
        case "criterion":
            return message("builtins.sort-criterion")
        case "weight":
            return message("builtins.sort-weight")
        case "award":
            return message("builtins.sort-award")
        case "before":
            return message("builtins.sort-before")
        case "last":
            return message("builtins.sort-last")
        case "name":
            return message("builtins.sort-name")
        case "years":
            return message("builtins.sort-years")
        case "digits":
            return message("builtins.sort-digits", low=ROUND_DIGITS[0], high=ROUND_DIGITS[-1])


def result_phrase(result: Result) -> Message:
    """What a form gives, as the reference page says it."""
    match result:
        case "same":
            return message("builtins.result-same")
        case "int":
            return message("builtins.result-int")
        case "whole-unless-digits":
            return message("builtins.result-whole-unless-digits")
        case "number":
            return message("builtins.result-number")
        case "percent":
            return message("builtins.result-percent")
        case "bool":
            return message("builtins.result-bool")
        case "each":
            return message("builtins.result-each")
        case "each-maybe":
            return message("builtins.result-each-maybe")
        case "number-maybe":
            return message("builtins.result-number-maybe")
        case "name-maybe":
            return message("builtins.result-name-maybe")
