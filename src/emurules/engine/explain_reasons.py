"""What an award's explanation says beyond its conditions, worked out again for one subject
when it is asked for: the members that made an aggregate fail, the quota with its numbers,
and a tie in the rank order that the subject key decided (`rank.order`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, cast

from emurules.engine.compile import PLAIN, DivisionByZero
from emurules.engine.explain_words import Text, Words, joined
from emurules.engine.row import Env, RowEngine
from emurules.i18n import Arg, Message, message
from emurules.i18n.formatting import Shown
from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import Award
from emurules.result import Outcome
from emurules.values import MISSING

_BLAMED = ("all", "none", "any", "share", "count")


def _aggregates(expr: ir.Node | None) -> list[ir.Aggregate]:
    """The aggregates over members with a condition in a formula (`count(rel where c)`
    included; not those inside another aggregate's condition, read for each member)."""
    found: list[ir.Aggregate] = []
    pending = [expr] if expr is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Aggregate):
            counted = node.name == "count" and isinstance(node.members, ir.Filter)
            if (node.body is not None or counted) and node.name in _BLAMED:
                found.append(node)
            continue
        pending.extend(reversed(children(node)))
    return found


def _keys(fn: Callable[[Env], Any], env: Env) -> Sequence[str] | None:
    try:
        found = fn(env)
    except DivisionByZero:
        return None
    return () if found is MISSING else tuple(found)


def _split(
    engine: RowEngine, env: Env, node: ir.Aggregate
) -> tuple[Sequence[str], list[str], ir.Node] | None:
    """An aggregate's members, those its condition holds for, and the condition."""
    if node.body is None:
        assert isinstance(node.members, ir.Filter)
        keys, held = _keys(PLAIN(node.members.members), env), _keys(PLAIN(node.members), env)
        if keys is None or held is None:
            return None
        return keys, list(held), node.members.cond
    keys = _keys(PLAIN(node.members), env)
    if keys is None:
        return None
    body, envs = PLAIN(node.body), engine.world.envs[node.member]
    return keys, [k for k in keys if _holds(body, envs[k])], node.body


def _holds(fn: Callable[[Env], Any], env: Env) -> bool:
    try:
        return fn(env) is True
    except DivisionByZero:
        return False


def members(
    engine: RowEngine, words: Words, kind: str, key: str, expr: ir.Node | None
) -> list[Message]:
    """For a condition that failed, each aggregate's members that made it fail: those an
    `all` found false, those a `none` found true, those a `share` or `count` did not
    count, or that an `any` found none."""
    lines: list[Message] = []
    env = engine.world.envs[kind][key]
    for node in _aggregates(expr):
        split = _split(engine, env, node)
        if split is None:
            continue
        keys, held, condition = split
        counted = set(held)
        others = [k for k in keys if k not in counted]
        what = words.condition(node.member, condition) or message("explain.its-condition")
        total = len(keys)
        if node.name == "all" and others:
            named = words.members(node.member, others)
            lines.append(message("explain.members-not-all", count=len(others), total=total,
                                 what=what, members=named))  # fmt: skip
        elif node.name == "none" and held:
            named = words.members(node.member, held)
            lines.append(message("explain.members-none", count=len(held), total=total,
                                 what=what, members=named))  # fmt: skip
        elif node.name == "any" and not held:
            lines.append(message("explain.members-any-none", count=total, what=what))
        elif node.name in ("share", "count") and others:
            named = words.members(node.member, others)
            lines.append(message("explain.members-counted", count=len(held), total=total,
                                 what=what, members=named))  # fmt: skip
        elif node.name in ("share", "count"):
            lines.append(
                message("explain.members-counted-all", count=len(held), total=total, what=what)
            )
    return lines


def _percent_of(node: ir.Node | None) -> tuple[ir.Const, ir.Node] | None:
    """The first `P% * n` (or `n * P%`) of a quota: the percentage and what it is of."""
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop()
        if isinstance(current, ir.Binary) and current.op == "*":
            for share, base in ((current.left, current.right), (current.right, current.left)):
                if isinstance(share, ir.Const) and share.type.kind == "percent":
                    return share, base
        pending.extend(reversed(children(current)))
    return None


def _group_env(engine: RowEngine, step: Award, group: Any) -> Env | None:
    """The quota's environment for a group, as the engine made it (`RowEngine.award`)."""
    found = engine.group_of(step.kind, step.within).members.get(group)
    if not found:
        return None
    rows = engine.rows(step.kind)
    env = Env(engine.world, step.kind, found[0], rows[found[0]])
    env.group, env.group_value = tuple(sorted(found)), group
    return env


def quota(engine: RowEngine, words: Words, step: Award, outcome: Outcome) -> Message | None:
    """The quota line: how many places and how they were counted (`15% of 14 = 2`), the
    rank values of the last one in, and a tie at the cut-off."""
    info = outcome.quota
    if info is None:
        return None
    share = _percent_of(step.quota)
    env = _group_env(engine, step, info.group) if share is not None else None
    pool = step.pool
    base: Any = MISSING
    if share is not None and env is not None:
        try:
            base = PLAIN(share[1])(env)
        except DivisionByZero:
            base = MISSING
    if pool is not None:
        kinds = {a.name: a.kind for a in engine.plan.awards()}
        awards = [words.step(kinds[a], a) for a in pool.awards]
        name = message("explain.quoted", label=pool.label) if pool.label else pool.name
        head = message("explain.pool-places", pool=name, awards=joined(awards), count=info.quota)
    elif isinstance(step.quota, ir.Const):
        head = message("explain.quota-places", count=info.quota)
    elif share is not None and isinstance(base, Decimal):
        percent = words.value(share[0].value, share[0].type)
        of: Arg = Shown(base)
        if isinstance(share[1], ir.Recipients) and base == int(base):
            award = words.step(step.kind, share[1].award)
            of = message("explain.recipients", count=int(base), award=award)
        head = message("explain.quota-of", percent=percent, base=of, count=info.quota)
    else:
        head = message("explain.quota-formula", text=info.text, count=info.quota)
    parts: list[Message] = [head]
    by = step
    if pool is not None and info.cutoff_award is not None:  # the last one in: another kind?
        by = next(a for a in engine.plan.awards() if a.name == info.cutoff_award)
    if info.cutoff is not None and len(info.cutoff) == len(by.rank_by):
        values = tuple(
            message(
                "explain.named-value",
                name=_key_name(words, by.kind, k.expr, k.text),
                value=words.value(v, k.expr.type),
            )
            for k, v in zip(by.rank_by, info.cutoff, strict=True)
        )
        parts.append(message("explain.cutoff", values=values))
    if info.tie and info.overshoot:
        parts.append(message("explain.tie-more", count=info.overshoot))
    elif info.tie:
        parts.append(message("explain.tie-at-cutoff"))
    return cast(Message, joined(parts))


def _key_name(words: Words, kind: str, expr: ir.Node, text: str) -> Text:
    if isinstance(expr, ir.Read):
        return words.name(kind, expr.name)
    return text or getattr(expr, "text", "") or "?"


def tie(engine: RowEngine, words: Words, step: Award, outcome: Outcome) -> Message | None:
    """When the subject's rank values equal its neighbours' on every rank key, the key
    ordered them (`rank.order`)."""
    position = outcome.rank
    if not step.rank_by or position is None or not outcome.qualified or step.pool is not None:
        return None  # a pool's order mixes kinds: its tie is the quota line's
    ordered = engine.decisions[step.name].ordered(outcome.key, position)
    if ordered is None:
        return None
    tied = _tied(engine, step, ordered, position - 1)
    if not tied:
        return None
    return message("explain.tied", members=words.members(step.kind, tied))


def _tied(engine: RowEngine, step: Award, ordered: list[str], at: int) -> list[str]:
    """The subjects next to `at` in the rank order with its values on every key; their
    values are computed for a window around it, widened while the tie reaches its edge."""
    keys = tuple(k.expr for k in step.rank_by)
    width = 8
    while True:
        start, end = max(0, at - width), min(len(ordered), at + width + 1)
        values = engine.rank_values(step.kind, keys, ordered[start:end])
        mine = values(ordered[at])
        low = at
        while low > start and values(ordered[low - 1]) == mine:
            low -= 1
        high = at
        while high < end - 1 and values(ordered[high + 1]) == mine:
            high += 1
        if (low > start or start == 0) and (high < end - 1 or end == len(ordered)):
            return [k for k in ordered[low : high + 1] if k != ordered[at]]
        width *= 4
