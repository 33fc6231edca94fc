"""The checked model -> the Plan: the one place after `check` that reads the syntax tree.

Every name is resolved to what it reads, every expression gets its type, chains are
flattened (walking along a chain's spine, never recursing down it) and every text an
explanation prints is printed here, once.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from emurules.builtins import BUILTINS, Shape
from emurules.check import types as t
from emurules.check.functions import literal_number
from emurules.check.model import Model
from emurules.errors import CriteriaError
from emurules.plan import ir, passes
from emurules.plan.lower_checks import lower_check
from emurules.plan.lower_examples import lower_examples
from emurules.plan.lower_metadata import lower_metadata
from emurules.plan.lower_schema import lower_schema
from emurules.plan.metadata import KEYS as METADATA_KEYS
from emurules.plan.rewards import KEYS as REWARD_KEYS
from emurules.plan.rewards import from_settings
from emurules.plan.steps import (
    Award,
    CaseRow,
    CaseTable,
    Condition,
    Criterion,
    DataRule,
    FairnessCheck,
    Let,
    Plan,
    Pool,
    Ranking,
    RankKey,
    RelationInfo,
    Score,
    Step,
    Written,
)
from emurules.source import Span
from emurules.syntax import ast
from emurules.syntax.deep import TooDeep, call_deep, depth, too_deep_diagnostic
from emurules.syntax.printer import expr as show
from emurules.values import EnumValue

BOOL = ir.VType("bool")
NUMBER = ir.VType("number")


def vtype(found: t.Type | None) -> ir.VType:
    if found is None:
        return ir.VType("unknown")
    return ir.VType(found.kind, found.name, found.optional)


@attrs.frozen
class _Quota:
    """Lowering inside a quota: `group`, `year` and the `within` field name the group."""

    root: str | None


class Lowering:
    def __init__(self, model: Model) -> None:
        self.model = model
        self.tables = model.tables

    def type_of(self, node: ast.Expr) -> ir.VType:
        return vtype(self.model.types.get(id(node)))

    def enum(self, enum: str, name: str, node: ast.Expr) -> ir.Const:
        values = [v.text for v in self.tables.enums[enum].values]
        value = EnumValue(enum, name, values.index(name))
        return ir.Const(value=value, type=ir.VType("enum", enum), text=show(node), span=node.span)

    # ---- expressions --------------------------------------------------------------------
    def expr(self, node: ast.Expr, kind: str, quota: _Quota | None = None) -> ir.Node:
        span, typed = node.span, self.type_of(node)
        match node:
            case ast.IntLit() | ast.NumberLit() | ast.PercentLit():
                number = literal_number(node)
                assert number is not None
                return ir.Const(value=number, type=typed, text=show(node), span=span)
            case ast.TextLit(value=value) | ast.DateLit(value=value) | ast.BoolLit(value=value):
                return ir.Const(value=value, type=typed, text=show(node), span=span)
            case ast.Name():
                return self.name(node, kind, quota)
            case ast.Path():
                return self.path(node, kind, quota)
            case ast.Arith(op="+"):
                terms = _chain(node, lambda n: n.left if _is_op(n, ast.Arith, "+") else None)
                parts = tuple(self.expr(n, kind, quota) for n in terms)
                return ir.Sum(operands=parts, type=typed, span=span)
            case ast.Arith(op=op, left=left, right=right):
                assert op in ("-", "*", "/")
                return ir.Binary(
                    op=op,
                    left=self.expr(left, kind, quota),
                    right=self.expr(right, kind, quota),
                    text=show(node),
                    type=typed,
                    span=span,
                )
            case ast.Neg(operand=operand):
                return ir.Neg(
                    operand=self.expr(operand, kind, quota), type=typed, text=show(node), span=span
                )
            case ast.Compare(op=op, left=left, right=right):
                return ir.Compare(
                    op=op,
                    left=self.expr(left, kind, quota),
                    right=self.expr(right, kind, quota),
                    type=BOOL,
                    span=span,
                )
            case ast.Logic(op="implies", left=left, right=right):
                parts = (self.expr(left, kind, quota), self.expr(right, kind, quota))
                return ir.Logic(op="implies", operands=parts, type=BOOL, span=span)
            case ast.Logic(op=op):
                terms = _chain(node, lambda n: n.left if _is_op(n, ast.Logic, op) else None)
                parts = tuple(self.expr(n, kind, quota) for n in terms)
                return ir.Logic(op=op, operands=parts, type=BOOL, span=span)
            case ast.Not(operand=operand):
                return ir.Not(operand=self.expr(operand, kind, quota), type=BOOL, span=span)
            case ast.Coalesce():
                return self.coalesce(node, kind, quota)
            case ast.Member(operand=operand, target=ast.SetLit(items=items), negated=negated):
                return ir.InSet(
                    operand=self.expr(operand, kind, quota),
                    items=tuple(self.expr(i, kind, quota) for i in items),
                    negated=negated,
                    type=BOOL,
                    span=span,
                )
            case ast.Member(operand=operand, target=ast.RangeLit() as target, negated=negated):
                return ir.InRange(
                    operand=self.expr(operand, kind, quota),
                    low=self.expr(target.low, kind, quota),
                    high=self.expr(target.high, kind, quota),
                    negated=negated,
                    type=BOOL,
                    span=span,
                )
            case ast.IsMissing(operand=operand, negated=negated):
                return ir.IsMissing(
                    operand=self.expr(operand, kind, quota), negated=negated, type=BOOL, span=span
                )
            case ast.Conditional():
                return self.conditional(node, kind, quota)
            case ast.Case(subject=None):
                branches = tuple(
                    (self.expr(a.pattern, kind, quota), self.expr(a.value, kind, quota))
                    for a in node.arms
                )
                assert node.default is not None, "the checker requires an else arm"
                default = self.expr(node.default, kind, quota)
                return ir.Branches(
                    branches=branches, default=default, type=typed, text=show(node), span=span
                )
            case ast.Case(subject=subject) if subject is not None:
                arms = tuple(
                    (self.expr(a.pattern, kind, quota), self.expr(a.value, kind, quota))
                    for a in node.arms
                )
                fallback = None if node.default is None else self.expr(node.default, kind, quota)
                return ir.Match(
                    subject=self.expr(subject, kind, quota),
                    arms=arms,
                    default=fallback,
                    type=typed,
                    text=show(node),
                    span=span,
                )
            case ast.Call():
                return self.call(node, kind, quota)
            case ast.Filtered(relation=relation, cond=cond):
                member = self.model.types[id(node)].name
                assert member is not None
                return ir.Filter(
                    members=self.expr(relation, kind, quota),
                    member=member,
                    cond=self.expr(cond, member),
                    text=show(node),
                    type=typed,
                    span=span,
                )
            case _:
                raise AssertionError(f"{type(node).__name__} outside its place")

    def name(self, node: ast.Name, kind: str, quota: _Quota | None) -> ir.Node:
        span, typed = node.span, self.type_of(node)
        enum = self.model.enum_refs.get(id(node))
        if enum is not None:
            return self.enum(enum, node.name, node)
        if quota is not None:
            if node.name == "group":
                return ir.Group(type=typed, span=span)
            if node.name == "year":
                return ir.Year(type=NUMBER, span=span)
            if node.name == quota.root:
                return ir.GroupValue(type=typed, name=node.name, span=span)
        return self.read(kind, node.name, typed, span)

    def read(self, kind: str, name: str, typed: ir.VType, span: Span | None) -> ir.Node:
        symbol = self.tables.subjects[kind].names[name]
        match symbol.kind:
            case "year":
                return ir.Year(type=NUMBER, span=span)
            case "field":
                return ir.Read(name=name, computed=False, type=typed, span=span)
            case "relation":
                member = symbol.type.name if symbol.type is not None else None
                assert member is not None
                return ir.Relation(name=name, member=member, type=typed, span=span)
            case _:
                return ir.Read(name=name, computed=True, type=typed, span=span)

    def path(self, node: ast.Path, kind: str, quota: _Quota | None) -> ir.Node:
        enum = self.model.enum_refs.get(id(node))
        if enum is not None:
            return self.enum(enum, node.attr.text, node)
        base_type = self.model.types[id(node.base)]
        assert base_type.name is not None
        target = base_type.name
        symbol = self.tables.subjects[target].names[node.attr.text]
        return ir.Path(
            base=self.expr(node.base, kind, quota),
            kind=target,
            name=node.attr.text,
            what=symbol.kind if symbol.kind in ("field", "relation", "year") else "computed",
            text=show(node),
            type=self.type_of(node),
            span=node.span,
        )

    def coalesce(self, node: ast.Coalesce, kind: str, quota: _Quota | None) -> ir.Node:
        """`a ?? b ?? c` (`??` groups to the right) is the first of a, b, c that is not
        missing; `(a ?? b) ?? c`, written with brackets, stays a chain inside a chain, as
        the document phrases it."""
        operands: list[ast.Expr] = []
        current: ast.Expr = node
        while isinstance(current, ast.Coalesce):
            operands.append(current.value)
            current = current.fallback
        operands.append(current)
        parts = tuple(self.expr(n, kind, quota) for n in operands)
        return ir.Coalesce(operands=parts, type=self.type_of(node), span=node.span)

    def conditional(self, node: ast.Conditional, kind: str, quota: _Quota | None) -> ir.Node:
        branches: list[tuple[ir.Node, ir.Node]] = []
        current: ast.Expr = node
        while isinstance(current, ast.Conditional):
            branches.append(
                (self.expr(current.cond, kind, quota), self.expr(current.then, kind, quota))
            )
            current = current.otherwise
        default = self.expr(current, kind, quota)
        return ir.Branches(
            branches=tuple(branches), default=default, type=self.type_of(node), span=node.span
        )

    def call(self, node: ast.Call, kind: str, quota: _Quota | None) -> ir.Node:
        """A call as the node of its form's shape in the registry (`emurules.builtins`)."""
        name, span, typed, text = node.func.text, node.span, self.type_of(node), show(node)
        args = [a.value for a in node.args]
        match self.shape(node, quota):
            case "weights":
                items = []
                for argument in node.args:
                    assert argument.name is not None
                    weight = literal_number(argument.value)
                    assert weight is not None
                    criterion = argument.name.text
                    items.append((criterion, weight, self.maximum(kind, criterion)))
                return ir.Weighted(items=tuple(items), text=text, type=typed, span=span)
            case "criteria":
                names = [a.name for a in args if isinstance(a, ast.Name)]
                found = tuple((n, self.maximum(kind, n)) for n in names)
                return ir.ApplicableMax(items=found, text=text, type=typed, span=span)
            case "streak":
                award = args[0]
                assert isinstance(award, ast.Name)
                current = len(args) == 1
                return ir.Streak(
                    award=award.name, current=current, text=text, type=typed, span=span
                )
            case "held":
                award, last = args
                assert isinstance(award, ast.Name) and isinstance(last, ast.Last)
                return ir.Held(award=award.name, years=last.count, text=text, type=typed, span=span)
            case "past":
                target, back = args
                assert isinstance(target, ast.Name) and isinstance(back, ast.IntLit)
                return ir.Past(name=target.name, back=back.value, text=text, type=typed, span=span)
            case "decision":
                award = args[0]
                assert isinstance(award, ast.Name)
                return ir.Decided(name=name, award=award.name, text=text, type=typed, span=span)
            case "over":
                relation = self.model.types[id(args[0])]
                member = relation.name
                assert member is not None
                body = self.expr(args[1], member) if len(args) > 1 else None
                return ir.Aggregate(
                    name=name,
                    members=self.expr(args[0], kind, quota),
                    member=member,
                    body=body,
                    text=text,
                    type=typed,
                    span=span,
                )
            case "recipients":
                award = args[0]
                assert isinstance(award, ast.Name)
                return ir.Recipients(award=award.name, text=text, type=typed, span=span)
            case "values":
                return ir.Function(
                    name=name,
                    args=tuple(self.expr(a, kind, quota) for a in args),
                    text=text,
                    type=typed,
                    span=span,
                )

    def shape(self, node: ast.Call, quota: _Quota | None) -> Shape:
        """The shape of the form the checker accepted the call as: over a relation when
        the first argument is one, a quota's count of recipients, else the only other."""
        builtin = BUILTINS[node.func.text]
        first = self.model.types.get(id(node.args[0].value)) if node.args else None
        if builtin.aggregate and first is not None and first.kind == "relation":
            return "over"
        shapes = [f.shape for f in builtin.forms if f.shape != "over"]
        if quota is not None and "recipients" in shapes:
            return "recipients"
        found = [s for s in shapes if s != "recipients"]
        assert found, node.func.text
        return found[0]

    def maximum(self, kind: str, criterion: str) -> Decimal:
        decl = self.tables.subjects[kind].names[criterion].decl
        assert isinstance(decl, ast.CriterionDecl) and decl.max is not None
        found = literal_number(decl.max)
        assert found is not None
        return found

    # ---- declarations -------------------------------------------------------------------
    def criterion(self, decl: ast.CriterionDecl, siblings: set[str]) -> Criterion:
        kind, name = decl.subject.text, decl.name.text
        reads = self.model.graph.get((kind, name), frozenset())
        return Criterion(
            kind=kind,
            name=name,
            sort=decl.kind,
            label=decl.label,
            expr=self.expr(decl.expr, kind),
            where=None if decl.where is None else self.expr(decl.where, kind),
            maximum=literal_number(decl.max) if decl.max is not None else None,
            parts=tuple(sorted(n for k, n in reads if k == kind and n in siblings)),
            maximum_text=None if decl.max is None else show(decl.max),
            table=self.table(decl.expr, kind),
        )

    def table(self, body: ast.Expr, kind: str) -> CaseTable | None:
        """A `case` as the document tabulates it (its conditions lowered to be phrased)."""
        if not isinstance(body, ast.Case):
            return None
        rows = tuple(
            CaseRow(
                pattern=show(arm.pattern),
                condition=None if body.subject is not None else self.expr(arm.pattern, kind),
                value=show(arm.value),
            )
            for arm in body.arms
        )
        return CaseTable(
            subject=None if body.subject is None else show(body.subject),
            rows=rows,
            other=None if body.default is None else show(body.default),
        )

    def award(self, decl: ast.AwardDecl) -> Award:
        kind = decl.subject.text
        conditions = [
            Condition(
                id=f"requires:{r.text}", label=None, text=f"requires {r.text}", requires=r.text
            )
            for r in decl.requires
        ]
        for position, condition in enumerate(decl.conditions, start=1):
            ident = condition.id.text if condition.id is not None else f"when{position}"
            if isinstance(condition.body, ast.AnyOf):
                parts = tuple(
                    Condition(
                        id=p.id.text,
                        label=p.label,
                        text=show(p.expr),
                        expr=self.expr(p.expr, kind),
                        span=p.span,
                    )
                    for p in condition.body.parts
                )
                conditions.append(
                    Condition(id=ident, label=condition.label, text="any of", parts=parts)
                )
            else:
                conditions.append(
                    Condition(
                        id=ident,
                        label=condition.label,
                        text=show(condition.body),
                        expr=self.expr(condition.body, kind),
                        span=condition.span,
                    )
                )
        root = decl.within.name if isinstance(decl.within, ast.Name) else None
        return Award(
            kind=kind,
            name=decl.name.text,
            label=decl.label,
            given=decl.given,
            conditions=tuple(conditions),
            rank_by=self.keys(decl.rank_by, kind),
            quota=None if decl.quota is None else self.expr(decl.quota, kind, _Quota(root)),
            quota_text=show(decl.quota) if decl.quota is not None else "",
            within=None if decl.within is None else self.expr(decl.within, kind),
            tie_include=decl.tie_include,
            within_text=None if decl.within is None else show(decl.within),
            reward=decl.reward,
            replaces=tuple(r.text for r in decl.replaces),
            pool=self.pool_of(decl.name.text),
        )

    def pool_of(self, award: str) -> Pool | None:
        found = next((p for p in self.tables.pools if award in {a.text for a in p.awards}), None)
        return None if found is None else Pool(
            name=found.name.text, label=found.label, awards=tuple(a.text for a in found.awards),
            quota=found.quota or 0, tie_include=found.tie_include)  # fmt: skip

    def keys(self, keys: tuple[ast.RankKey, ...], kind: str) -> tuple[RankKey, ...]:
        return tuple(
            RankKey(expr=self.expr(k.expr, kind), descending=k.descending, text=show(k.expr))
            for k in keys
        )

    def ranking(self, decl: ast.RankingDecl) -> Ranking:
        kind = decl.subject.text
        return Ranking(
            kind=kind,
            name=decl.name.text,
            label=decl.label,
            keys=self.keys(decl.keys, kind),
            within=None if decl.within is None else self.expr(decl.within, kind),
            shared=decl.shared,
            within_text=None if decl.within is None else show(decl.within),
        )


def _is_op(node: ast.Expr, cls: type, op: str) -> bool:
    return isinstance(node, cls) and getattr(node, "op", None) == op


def _chain(node: ast.Expr, left_of: object) -> list[ast.Expr]:
    """The operands of a left-nested chain (`((a + b) + c) + d` -> a, b, c, d), walking
    down its left spine without recursion."""
    step = left_of  # a function: the left operand when the node continues the chain
    rights: list[ast.Expr] = []
    current: ast.Expr = node
    while True:
        nested = step(current)  # type: ignore[operator]
        if nested is None:
            break
        rights.append(current.right)  # type: ignore[union-attr]
        current = nested
    return [current, *reversed(rights)]


def plan(model: Model) -> Plan:
    """Lower a checked model: every declaration as IR, in dependency order.

    Lowering recurses once per level of nesting a chain does not flatten (brackets inside
    brackets), so a deep file is lowered on a thread with room for it; so is every walk of
    the plan after it (`Plan.depth`)."""
    levels = max((depth(d) for d in model.module.decls), default=1)
    try:
        return call_deep(levels, lambda: passes.optimise(_plan(model, levels)))
    except TooDeep:
        raise CriteriaError([too_deep_diagnostic(None)]) from None


def _plan(model: Model, levels: int) -> Plan:
    lowering = Lowering(model)
    settings: dict[str, object] = {}
    ruleset = model.tables.ruleset
    for setting in ruleset.settings if ruleset is not None else ():
        settings[setting.key] = setting.value
    digits = settings.get("round")
    year = settings.get("year")
    criteria_names: dict[str, set[str]] = {}
    for decl in model.module.decls:
        if isinstance(decl, ast.CriterionDecl):
            criteria_names.setdefault(decl.subject.text, set()).add(decl.name.text)
    found: dict[tuple[str, str], Step] = {}
    declared: list[Step] = []
    rules: list[DataRule] = []
    relations: list[RelationInfo] = []
    written: list[Written] = []
    for decl in model.module.decls:
        step: Step | None = None
        match decl:
            case ast.CriterionDecl():
                step = lowering.criterion(decl, criteria_names[decl.subject.text])
            case ast.ScoreDecl():
                kind = decl.subject.text
                step = Score(
                    kind=kind,
                    name="score",
                    expr=lowering.expr(decl.expr, kind),
                    digits=digits if isinstance(digits, int) else None,
                )
            case ast.LetDecl():
                kind = decl.subject.text
                step = Let(
                    kind=kind,
                    name=decl.name.text,
                    label=decl.label,
                    expr=lowering.expr(decl.expr, kind),
                )
            case ast.AwardDecl():
                step = lowering.award(decl)
            case ast.RankingDecl():
                step = lowering.ranking(decl)
            case ast.RuleDecl():
                kind = decl.subject.text
                expr = lowering.expr(decl.expr, kind)
                rules.append(DataRule(kind=kind, label=decl.label, expr=expr))
                written.append(rules[-1])
            case ast.CheckDecl():
                kind = decl.subject.text
                expr = lowering.expr(decl.expr, kind)
                written.append(
                    FairnessCheck(
                        kind=kind, label=decl.label, expr=expr, span=decl.span, text=show(decl.expr)
                    )
                )
            case (
                ast.MonotoneCheck()
                | ast.OrderCheck()
                | ast.IgnoresCheck()
                | ast.EqualTreatmentCheck()
                | ast.LocalCheck()
            ):
                written.append(lower_check(model, decl, lowering.expr))
            case ast.RelationDecl():
                via = model.tables.subjects[decl.member.text].names[decl.via.text].type
                through = via is not None and via.kind == "ref" and via.name == decl.owner.text
                relations.append(
                    RelationInfo(
                        owner=decl.owner.text,
                        name=decl.name.text,
                        member=decl.member.text,
                        via=decl.via.text,
                        by=None if through else decl.via.text,
                    )
                )
            case _:
                pass
        if step is not None:
            found[(step.kind, step.name)] = step
            declared.append(step)
            written.append(step)
    return Plan(
        title=ruleset.title if ruleset is not None else None,
        year=year if isinstance(year, int) else None,
        round_digits=digits if isinstance(digits, int) else None,
        kinds=tuple(model.tables.subjects),
        relations=tuple(relations),
        steps=tuple(found[node] for node in model.order if node in found),
        declared=tuple(declared),
        rules=tuple(rules),
        depth=levels,
        settings=tuple(
            (s.key, str(s.value))
            for s in (ruleset.settings if ruleset is not None else ())
            if s.key not in METADATA_KEYS and s.key not in REWARD_KEYS
        ),
        metadata=lower_metadata(ruleset),
        written=tuple(written),
        examples=lower_examples(model, lowering.expr),
        rewards=from_settings(settings),
        schema=lower_schema(model),
    )
