"""Types every expression, resolves every name, and rejects unguarded optional values.

`Typer.maybe` gives an expression's type, which may be optional; `Typer.value` is used
where a value is needed (arithmetic, comparison, a condition) and reports an optional one
that no guard covers. Guards are the expressions a surrounding condition has proved
present (`x is not missing and ...`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

import attrs

from emurules.builtins import BUILTINS
from emurules.check import scale
from emurules.check import types as t
from emurules.check.functions import type_call, type_filtered
from emurules.check.guarantees import Guarantees
from emurules.check.guards import Guards, Proofs, proven
from emurules.check.scope import Report, Symbol, Tables, Text
from emurules.i18n import Message, message
from emurules.suggest import suggest
from emurules.syntax import ast
from emurules.syntax.printer import expr as show
from emurules.syntax.syntax_errors import quoted

# calls that give one of their arguments, so a percentage among them makes a percentage
_CHOOSING_CALLS = frozenset(
    name for name, builtin in BUILTINS.items() if any(f.chooses for f in builtin.forms)
)


@attrs.frozen
class Group:
    """Inside a quota: `group` is the group's subjects; `root` names the `within` reference."""

    kind: str
    root: str | None = None


@attrs.frozen
class Ctx:
    subject: str
    guards: Guards = frozenset()
    group: Group | None = None

    def guarded(self, more: Guards) -> Ctx:
        return attrs.evolve(self, guards=self.guards | more) if more else self


def bare_number(node: ast.Expr) -> Decimal | None:
    """The value of a number written without `%` (`80`, `-0.5`), else None."""
    match node:
        case ast.IntLit(value=value):
            return Decimal(value)
        case ast.NumberLit(value=value):
            return value
        case ast.Neg(operand=ast.IntLit() | ast.NumberLit() as inner):
            found = bare_number(inner)
            return -found if found is not None else None
        case _:
            return None


def _choices(node: ast.Expr) -> list[ast.Expr] | None:
    """The values `node` chooses between (None when it is no choice)."""
    match node:
        case ast.Coalesce(value=value, fallback=fallback):
            return [value, fallback]
        case ast.Conditional(then=then, otherwise=otherwise):
            return [then, otherwise]
        case ast.Case(arms=arms, default=default):
            return [arm.value for arm in arms] + ([default] if default is not None else [])
        case ast.Call(func=func, args=args) if func.text in _CHOOSING_CALLS:
            return [a.value for a in args]
        case _:
            return None


class Typer:
    """Types expressions of one module; records which declarations each one reads."""

    def __init__(self, tables: Tables, report: Report) -> None:
        self.tables = tables
        self.report = report
        self.types: dict[int, t.Type] = {}
        self._reads: list[set[tuple[str, str]]] = [set()]
        self._typing: set[int] = set()
        self.let_reads: dict[int, set[tuple[str, str]]] = {}
        self.enum_refs: dict[int, str] = {}
        self._proofs: Proofs = {}
        self.guarantees = Guarantees(tables)

    def proven(self, cond: ast.Expr, truth: bool) -> Guards:
        """`proven`, remembering the proofs of this module's conditions; facts only when a
        data rule guarantees a value under a condition (they cost time in long chains)."""
        return proven(cond, truth, self._proofs, known=self.guarantees.conditional)

    # ---- dependency recording ------------------------------------------------------------
    def begin(self) -> None:
        self._reads.append(set())

    def end(self) -> set[tuple[str, str]]:
        return self._reads.pop()

    def read(self, subject: str, name: str) -> None:
        self._reads[-1].add((subject, name))

    # ---- entry points -------------------------------------------------------------------
    def value(self, node: ast.Expr, ctx: Ctx, expected: t.Type | None = None) -> t.Type:
        """The type of a value that must be present here."""
        found = self.maybe(node, ctx, expected)
        if found.optional:
            if node not in ctx.guards:
                text = show(node)
                self.report(
                    "E0302",
                    message("check.unguarded", formula=text),
                    node.span,
                    hint=self.guarantees.unguarded_hint(
                        node, None if ctx.group else ctx.subject, self._fallback(found)
                    ),
                )
            return found.required()
        return found

    def present(self, node: ast.Expr, ctx: Ctx) -> bool:
        """Whether a guard of the scope, or a data rule, makes `node` present here."""
        if ctx.guards and node in ctx.guards:
            return True
        return ctx.group is None and self.guarantees.covers(node, ctx.subject, ctx.guards)

    def _fallback(self, found: t.Type) -> str:
        if found.kind == "enum" and found.name in self.tables.enums:
            return self.tables.enums[found.name].values[0].text
        return {"bool": "false", "text": '""', "date": "2000-01-01"}.get(found.kind, "0")

    def condition(self, node: ast.Expr, ctx: Ctx, what: Text) -> None:
        """`node` must be true/false; `what` names where it stands ("'and'", "a check")."""
        wanted = message("check.wanted", what=what, type=t.BOOL.describe)
        self.need(node, self.value(node, ctx), lambda k: k.kind == "bool", wanted)

    def number(self, node: ast.Expr, ctx: Ctx, what: Text) -> t.Type:
        found = self.value(node, ctx)
        wanted = message("check.wanted", what=what, type=t.NUMBER.describe)
        self.need(node, found, lambda k: k.numeric, wanted)
        return found if found.numeric else t.UNKNOWN

    def need(self, node: ast.Expr, found: t.Type, test: object, wanted: Text) -> None:
        assert callable(test)
        if found.known and not test(found):
            self.report(
                "E0301",
                message("check.expected", wanted=wanted, formula=show(node), found=found.describe),
                node.span,
            )

    def maybe(self, node: ast.Expr, ctx: Ctx, expected: t.Type | None = None) -> t.Type:
        found = self._type(node, ctx, expected)
        if found.optional and self.present(node, ctx):
            found = found.required()
        self.types[id(node)] = found
        return found

    # ---- percentages written as bare numbers -------------------------------------------
    def percent_like(self, node: ast.Expr) -> bool:
        """A percentage, or a choice between percentages and bare numbers (`x ?? 0`).

        The choices are weighed children first with a loop: a chain of 5,000 `??`s may
        be compared with a number.
        """
        known: dict[int, bool] = {}
        stack: list[tuple[ast.Expr, bool]] = [(node, False)]
        while stack:
            current, ready = stack.pop()
            if id(current) in known:
                continue
            found = self.types.get(id(current))
            parts = _choices(current)
            if found is not None and found.kind == "percent":
                known[id(current)] = True
            elif parts is None:
                known[id(current)] = False
            elif not ready:
                stack.append((current, True))
                stack.extend((part, False) for part in parts)
            else:
                known[id(current)] = any(known[id(p)] for p in parts) and all(
                    known[id(p)] or bare_number(p) is not None for p in parts
                )
        return known[id(node)]

    def bare_percent(self, what: Text, number: ast.Expr) -> None:
        """`online >= 80` where `80%` was meant: a bare number outside 0..1 set against a
        percentage (a fraction) would make a condition no one, or everyone, meets."""
        value = bare_number(number)
        if value is None or 0 <= value <= 1:
            return
        written = show(number)
        meant = format((value * 100).normalize(), "f")
        fraction = format((value / 100).normalize(), "f")
        self.report(
            "E0312",
            message("check.bare-percent", what=what, written=written, meant=meant),
            number.span,
            hint=message("check.bare-percent-hint", written=written, fraction=fraction),
        )

    def percent_against(self, percent: ast.Expr, number: ast.Expr) -> None:
        if self.percent_like(percent):
            self.bare_percent(quoted(show(percent)), number)

    # ---- names ----------------------------------------------------------------------------
    def symbol_type(self, symbol: Symbol, node: ast.Expr, *, history: bool = False) -> t.Type:
        """The type of reading a symbol; records the read as a dependency."""
        decl = symbol.decl
        if isinstance(decl, ast.AwardDecl) and decl.given and not history:
            self.report(
                "E0216",
                message("check.given-award", name=symbol.name),
                node.span,
                hint=message("check.given-award-hint", name=symbol.name),
            )
            return t.UNKNOWN
        if not history:
            self.read(symbol.subject, symbol.name)
        if symbol.kind == "let" and symbol.type is None:
            return self.let_type(symbol)
        assert symbol.type is not None
        return symbol.type

    def let_type(self, symbol: Symbol) -> t.Type:
        decl = symbol.decl
        assert isinstance(decl, ast.LetDecl)
        if symbol.type is not None:
            return symbol.type
        if id(decl) in self._typing:
            return t.UNKNOWN  # a cycle: the dependency graph reports it
        self._typing.add(id(decl))
        self.begin()
        found = self.maybe(decl.expr, Ctx(symbol.subject))
        self.let_reads[id(decl)] = self.end()
        symbol.type = found
        return found

    def _name(self, node: ast.Name, ctx: Ctx, expected: t.Type | None) -> t.Type:
        name = node.name
        tables = self.tables
        if (
            expected is not None
            and expected.kind == "enum"
            and expected.name is not None
            and name in (v.text for v in tables.enums[expected.name].values)
        ):
            self.enum_refs[id(node)] = expected.name
            return expected.required()
        info = tables.subjects.get(ctx.subject)
        names = info.names if info is not None else {}
        if ctx.group is not None:
            return self._group_name(node, ctx.group)
        symbol = names.get(name)
        if symbol is not None:
            return self.symbol_type(symbol, node)
        owners = tables.enum_values.get(name, [])
        if len(owners) == 1:
            self.enum_refs[id(node)] = owners[0]
            return tables.enum_type(owners[0])
        if len(owners) > 1:
            self.report(
                "E0208",
                message("check.ambiguous-enum-value", name=name),
                node.span,
                hint=message("check.write-one-of", choices=tuple(f"{o}.{name}" for o in owners)),
            )
            return t.UNKNOWN
        pool = [*names, *tables.enum_values]
        self.report(
            "E0201",
            message("check.unknown-name", name=name, subject=ctx.subject),
            node.span,
            hint=suggest(name, pool),
        )
        return t.UNKNOWN

    def _group_name(self, node: ast.Name, group: Group) -> t.Type:
        if node.name == "group":
            return t.Type("relation", group.kind)
        if node.name == "year":
            return t.INT
        if group.root is not None and node.name == group.root:
            info = self.tables.subjects[group.kind]
            return self.symbol_type(info.names[group.root], node)
        self.report(
            "E0212",
            message("check.quota-reads-subject", name=node.name),
            node.span,
            hint=message("check.quota-reads-subject-hint"),
        )
        return t.UNKNOWN

    def _path(self, node: ast.Path, ctx: Ctx) -> t.Type:
        base, attr = node.base, node.attr.text
        info = self.tables.subjects.get(ctx.subject)
        if (
            isinstance(base, ast.Name)
            and base.name in self.tables.enums
            and (info is None or base.name not in info.names)
        ):
            enum = self.tables.enums[base.name]
            values = [v.text for v in enum.values]
            if attr not in values:
                self.report(
                    "E0205",
                    message("check.no-enum-value", enum=base.name, name=attr),
                    node.attr.span,
                    hint=suggest(attr, values),
                )
                return t.UNKNOWN
            self.enum_refs[id(node)] = base.name
            return self.tables.enum_type(base.name)
        base_type = self.maybe(base, ctx)
        if not base_type.known:
            return t.UNKNOWN
        if base_type.kind != "ref" or base_type.name is None:
            self.report(
                "E0301",
                message("check.no-path", formula=show(base), found=base_type.describe, name=attr),
                node.attr.span,
                hint=message("check.no-path-hint"),
            )
            return t.UNKNOWN
        target = self.tables.subjects[base_type.name]
        symbol = target.names.get(attr)
        if symbol is None or symbol.kind == "year":
            self.report(
                "E0210",
                message("check.no-name", subject=base_type.name, name=attr),
                node.attr.span,
                hint=suggest(attr, target.names),
            )
            return t.UNKNOWN
        return self.symbol_type(symbol, node).maybe(base_type.optional)

    # ---- expressions ----------------------------------------------------------------------
    def _is_bare_enum_value(self, node: ast.Expr, ctx: Ctx) -> bool:
        if not isinstance(node, ast.Name) or ctx.group is not None:
            return False
        info = self.tables.subjects.get(ctx.subject)
        in_scope = info is not None and node.name in info.names
        return not in_scope and node.name in self.tables.enum_values

    def _pair(self, left: ast.Expr, right: ast.Expr, ctx: Ctx) -> tuple[t.Type, t.Type]:
        """Type two operands; a bare enum value takes its enum from the other side."""
        if self._is_bare_enum_value(left, ctx) and not self._is_bare_enum_value(right, ctx):
            rt = self.value(right, ctx)
            return self.value(left, ctx, rt), rt
        lt = self.value(left, ctx)
        return lt, self.value(right, ctx, lt)

    def _compare(self, node: ast.Compare, ctx: Ctx) -> t.Type:
        lt, rt = self._pair(node.left, node.right, ctx)
        if not t.comparable(lt, rt):
            self.report(
                "E0301",
                message("check.incomparable", left=lt.describe, right=rt.describe),
                node.span,
            )
            return t.BOOL
        self.percent_against(node.left, node.right)
        self.percent_against(node.right, node.left)
        scale.compare(self, node)
        if node.op not in ("==", "!=") and not (t.orderable(lt) and t.orderable(rt)):
            culprit = lt if not t.orderable(lt) else rt
            hint: Message | None = None
            if culprit.kind == "enum":
                hint = message("check.declare-ordered", enum=f"{culprit.name}")
            self.report(
                "E0304",
                message("check.unordered", op=node.op, found=culprit.describe),
                node.span,
                hint=hint,
            )
        return t.BOOL

    def _logic(self, node: ast.Logic, ctx: Ctx) -> t.Type:
        self.condition(node.left, ctx, quoted(node.op))
        truth = node.op != "or"
        self.condition(node.right, ctx.guarded(self.proven(node.left, truth)), quoted(node.op))
        return t.BOOL

    def _arith(self, node: ast.Arith, ctx: Ctx) -> t.Type:
        left = self.number(node.left, ctx, quoted(node.op))
        right = self.number(node.right, ctx, quoted(node.op))
        return t.arithmetic(node.op, left, right)

    def _branches(self, nodes: list[tuple[ast.Expr, Ctx]], where: ast.Expr) -> t.Type:
        """The common type of the values a conditional or a case may give."""
        found: list[t.Type] = []
        expected: t.Type | None = None
        for node, ctx in nodes:
            one = self.maybe(node, ctx, expected)
            if one.known and expected is None:
                expected = one
            found.append(one)
        known = [f for f in found if f.known]
        optional = any(f.optional for f in known)
        if known and all(f.numeric for f in known):
            return t.join([f.required() for f in known]).maybe(optional)
        for node_type, (node, _) in zip(found, nodes, strict=True):
            if known and not t.comparable(known[0], node_type):
                self.report(
                    "E0301",
                    message(
                        "check.branch-types", first=known[0].describe, other=node_type.describe
                    ),
                    node.span,
                )
                return t.UNKNOWN
        return known[0].maybe(optional) if known else t.UNKNOWN

    def _case(self, node: ast.Case, ctx: Ctx) -> t.Type:
        branches: list[tuple[ast.Expr, Ctx]] = []
        if node.subject is not None:
            subject_type = self.value(node.subject, ctx)
            for arm in node.arms:
                pattern = self.value(arm.pattern, ctx, subject_type)
                if not t.comparable(subject_type, pattern):
                    self.report(
                        "E0301",
                        message(
                            "check.arm-type",
                            found=pattern.describe,
                            subject=subject_type.describe,
                        ),
                        arm.pattern.span,
                    )
                else:
                    self.percent_against(node.subject, arm.pattern)
                branches.append((arm.value, ctx))
            if node.default is None and subject_type.kind == "enum" and subject_type.name:
                self._exhaustive(node, subject_type.name)
            elif node.default is None and subject_type.known:
                self.report(
                    "E0308",
                    message("check.case-needs-else"),
                    node.span,
                    hint=message("check.case-needs-else-hint"),
                )
        else:
            for arm in node.arms:
                self.condition(arm.pattern, ctx, message("check.what-case-arm"))
                branches.append((arm.value, ctx.guarded(self.proven(arm.pattern, True))))
            if node.default is None:
                self.report(
                    "E0308",
                    message("check.conditions-need-else"),
                    node.span,
                    hint=message("check.conditions-need-else-hint"),
                )
        if node.default is not None:
            branches.append((node.default, ctx))
        return self._branches(branches, node)

    def _exhaustive(self, node: ast.Case, enum: str) -> None:
        covered = set()
        for arm in node.arms:
            match arm.pattern:
                case ast.Name(name=name):
                    covered.add(name)
                case ast.Path(attr=attr):
                    covered.add(attr.text)
                case _:
                    pass
        values = [v.text for v in self.tables.enums[enum].values]
        left = [v for v in values if v not in covered]
        if left:
            self.report(
                "E0308",
                message("check.not-exhaustive", values=tuple(left), enum=enum),
                node.span,
                hint=message("check.not-exhaustive-hint"),
            )

    def _member(self, node: ast.Member, ctx: Ctx) -> t.Type:
        operand = self.value(node.operand, ctx)
        target = node.target
        if isinstance(target, ast.SetLit):
            for item in target.items:
                found = self.value(item, ctx, operand)
                if not t.comparable(operand, found):
                    self.report(
                        "E0301",
                        message(
                            "check.set-item-type",
                            formula=show(item),
                            found=found.describe,
                            operand=operand.describe,
                        ),
                        item.span,
                    )
                else:
                    self.percent_against(node.operand, item)
        else:
            for end in (target.low, target.high):
                found = self.value(end, ctx, operand)
                if not (t.comparable(operand, found) and t.orderable(found)):
                    self.report(
                        "E0301",
                        message(
                            "check.range-end-type", operand=operand.describe, found=found.describe
                        ),
                        end.span,
                    )
                else:
                    self.percent_against(node.operand, end)
        return t.BOOL

    def _type(self, node: ast.Expr, ctx: Ctx, expected: t.Type | None) -> t.Type:
        match node:
            case ast.IntLit():
                return t.INT
            case ast.NumberLit():
                return t.NUMBER
            case ast.PercentLit():
                return t.PERCENT
            case ast.TextLit():
                return t.TEXT
            case ast.DateLit():
                return t.DATE
            case ast.BoolLit():
                return t.BOOL
            case ast.Name():
                return self._name(node, ctx, expected)
            case ast.Path():
                return self._path(node, ctx)
            case ast.Arith():
                return self._arith(node, ctx)
            case ast.Neg(operand=operand):
                return self.number(operand, ctx, quoted("-"))
            case ast.Compare():
                return self._compare(node, ctx)
            case ast.Logic():
                return self._logic(node, ctx)
            case ast.Not(operand=operand):
                self.condition(operand, ctx, quoted("not"))
                return t.BOOL
            case ast.Coalesce(value=value, fallback=fallback):
                first = self.maybe(value, ctx)
                second = self.maybe(fallback, ctx, first.required() if first.known else None)
                if first.known and second.known and not t.comparable(first, second):
                    self.report(
                        "E0301",
                        message(
                            "check.fallback-type",
                            found=second.describe,
                            formula=show(value),
                            value=first.required().describe,
                        ),
                        fallback.span,
                    )
                    return t.UNKNOWN
                if first.numeric and second.numeric:
                    return t.join([first.required(), second])
                return first.required().maybe(second.optional) if first.known else second
            case ast.Member():
                return self._member(node, ctx)
            case ast.IsMissing(operand=operand):
                self.maybe(operand, ctx)
                return t.BOOL
            case ast.Conditional(then=then, cond=cond, otherwise=otherwise):
                self.condition(cond, ctx, quoted("if"))
                return self._branches(
                    [
                        (then, ctx.guarded(self.proven(cond, True))),
                        (otherwise, ctx.guarded(self.proven(cond, False))),
                    ],
                    node,
                )
            case ast.Call():
                return type_call(self, node, ctx)
            case ast.Case():
                return self._case(node, ctx)
            case ast.Last():
                self.report("E0303", message("check.last-outside-held"), node.span)
                return t.UNKNOWN
            case ast.Filtered():
                return type_filtered(self, node, ctx)
            case ast.SetLit() | ast.RangeLit():
                self.report("E0301", message("check.set-outside-in"), node.span)
                return t.UNKNOWN
            case _:
                assert_never(node)
