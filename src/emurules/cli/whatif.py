"""`emurules explain FILE KEY --data DIR --set field=value`: what the subject's values and
titles would be if one input changed, with everyone else the change moves (a quota, a
unit's share), and the explanation after the change."""

from __future__ import annotations

from collections.abc import Sequence

from emurules.compare.report import reason
from emurules.engine.whatif import WhatIf
from emurules.errors import UsageError
from emurules.i18n import Message, message, render
from emurules.i18n.formatting import Shown
from emurules.plan.steps import Award, Plan
from emurules.result import Outcome, Result


def parse_sets(values: Sequence[str]) -> dict[str, str]:
    """`--set field=value` options as field -> text (read later as data text is); a field
    set twice, or a value without `=`, is a usage error."""
    found: dict[str, str] = {}
    for value in values:
        field, sep, text = value.partition("=")
        field = field.strip()
        if not sep or not field:
            raise UsageError(message("whatif.set-form", value=repr(value)))
        if field in found:
            raise UsageError(message("whatif.set-twice", field=field))
        found[field] = text
    return found


def _title(result: Result, award: str) -> str:
    info = next(a for a in result.awards if a.name == award)
    return info.label or info.name


def _moved(before: Outcome, after: Outcome) -> bool:
    return (before.qualified, before.received, before.rank) != (
        after.qualified,
        after.received,
        after.rank,
    )


def summary(change: WhatIf, result: Result, plan: Plan, lang: str) -> list[str]:
    """The change in a few lines: the inputs set, the values and titles that move, and
    every other subject whose title moves with them."""
    labels = result.labels
    steps = {s.name: s for s in plan.declared if s.kind == change.kind}

    def field(name: str) -> str:
        if name == "score":
            return render(message("whatif.score"), lang)
        step = steps.get(name)
        label = getattr(step, "label", None) if step is not None else None
        if label is None and labels is not None:
            label = labels.name(change.kind, name)
        return label or name

    def line(text: Message) -> str:
        return render(text, lang)

    out = [line(message("whatif.heading", key=change.key))]
    for name, (before, after) in change.changes.items():
        said = message("whatif.input", field=field(name), before=Shown(before), after=Shown(after))
        out.append("  " + line(said))
    for name, (before, after) in change.changed.items():
        if isinstance(steps.get(name), Award):
            continue  # its title's line says it, with the rank
        said = message("whatif.value", name=field(name), before=Shown(before), after=Shown(after))
        out.append("  " + line(said))
    for award, (was, now) in change.outcomes.items():
        if _moved(was, now):
            said = message("whatif.title", title=_title(result, award), before=reason(was, result),
                           after=reason(now, change.result))  # fmt: skip
            out.append("  " + line(said))
    if not change.changed and not any(_moved(b, a) for b, a in change.outcomes.values()):
        out.append("  " + line(message("whatif.nothing")))
    names = {kind: result.names(kind) for kind in {o.kind for o in change.others}}
    for other in change.others:
        display = names[other.kind](other.key)
        who = other.key if display is None else f"{other.key} {display}"
        said = message("whatif.other", who=who, title=_title(result, other.award),
                       before=reason(other.before, result),
                       after=reason(other.after, change.result))  # fmt: skip
        out.append("  " + line(said))
    return out
