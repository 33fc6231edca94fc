"""`format_module(module)`: the canonical text of a criteria file.

The printer is the inverse of the parser on the tree (`parse(format_module(m)) == m`): it
puts back the parentheses precedence needs and nothing else. Comments are not part of the
tree; `comments.py` attaches them to the declaration, field or clause they describe and the
printer writes them back there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import assert_never

from emurules.source import Span
from emurules.syntax import ast
from emurules.syntax.comments import Attached, attach
from emurules.syntax.deep import call_deep, depth

WIDTH = 92
INDENT = "  "

# Binding strength, loosest first; parentheses are added when a child binds looser than
# its position allows.
IMPLIES, CONDITIONAL, OR, AND, NOT, COMPARE, SUM, PRODUCT, COALESCE, UNARY, ATOM = range(11)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _setting(setting: ast.Setting) -> str:
    """A header setting as written: a date bare, a signer as two labels."""
    value = setting.value
    if setting.key == "reward_rounding" and isinstance(value, tuple):
        return f"round rewards {value[0]} to {value[1]}"
    if isinstance(value, tuple):
        return f"{setting.key} {quote(value[0])} {quote(str(value[1]))}"
    if isinstance(value, str) and setting.key != "language":
        return f"{setting.key} {quote(value)}"
    return f"{setting.key} {value}"


def number(value: Decimal) -> str:
    return format(value, "f")


def precedence(node: ast.Expr) -> int:
    match node:
        case ast.Logic(op="implies") | ast.Filtered():
            return IMPLIES
        case ast.Conditional():
            return CONDITIONAL
        case ast.Logic(op="or"):
            return OR
        case ast.Logic(op="and"):
            return AND
        case ast.Not():
            return NOT
        case ast.Compare() | ast.Member() | ast.IsMissing():
            return COMPARE
        case ast.Arith(op="+" | "-"):
            return SUM
        case ast.Arith():
            return PRODUCT
        case ast.Coalesce():
            return COALESCE
        case ast.Neg():
            return UNARY
        case _:
            return ATOM


Piece = str | tuple[ast.Expr, int]


def expr(node: ast.Expr, level: int = IMPLIES, indent: str = "") -> str:
    """The text of an expression that binds at least as tightly as `level`.

    Written with a loop over pieces (texts, and operands still to print at a level) rather
    than recursion, so that a chain of thousands of operators prints; only a `case` inside
    a `case` prints its arms by calling `expr` again.
    """
    out: list[str] = []
    stack: list[Piece] = [(node, level)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        child, at = item
        pieces = _pieces(child, indent)
        if precedence(child) < at:
            pieces = ["(", *pieces, ")"]
        stack.extend(reversed(pieces))
    return "".join(out)


def _pieces(node: ast.Expr, indent: str) -> list[Piece]:
    """The texts and operands (with the level each must bind at) that print `node`."""
    match node:
        case ast.IntLit(value=value):
            return [str(value)]
        case ast.NumberLit(value=value):
            text = number(value)
            return [text if "." in text else text + ".0"]
        case ast.PercentLit(value=value):
            return [number(value) + "%"]
        case ast.TextLit(value=value):
            return [quote(value)]
        case ast.DateLit(value=value):
            return [value.isoformat()]
        case ast.BoolLit(value=value):
            return ["true" if value else "false"]
        case ast.Name(name=name):
            return [name]
        case ast.Path(base=base, attr=attr):
            return [(base, ATOM), f".{attr.text}"]
        case ast.Logic(op="implies", left=left, right=right):
            return [(left, CONDITIONAL), " implies ", (right, CONDITIONAL)]
        case ast.Logic(op=op, left=left, right=right):
            own = OR if op == "or" else AND
            return [(left, own), f" {op} ", (right, own + 1)]
        case ast.Conditional(then=then, cond=cond, otherwise=otherwise):
            return [(then, OR), " if ", (cond, OR), " else ", (otherwise, CONDITIONAL)]
        case ast.Not(operand=operand):
            return ["not ", (operand, NOT)]
        case ast.Compare(op=op, left=left, right=right):
            return [(left, SUM), f" {op} ", (right, SUM)]
        case ast.Member(operand=operand, target=target, negated=negated):
            return [(operand, SUM), " not in " if negated else " in ", (target, SUM)]
        case ast.SetLit(items=items):
            return ["{", *_joined([(item, SUM)] for item in items), "}"]
        case ast.RangeLit(low=low, high=high):
            return [(low, SUM), "..", (high, SUM)]
        case ast.IsMissing(operand=operand, negated=negated):
            return [(operand, SUM), " is not missing" if negated else " is missing"]
        case ast.Arith(op=op, left=left, right=right):
            own = SUM if op in "+-" else PRODUCT
            return [(left, own), f" {op} ", (right, own + 1)]
        case ast.Coalesce(value=value, fallback=fallback):
            return [(value, UNARY), " ?? ", (fallback, COALESCE)]
        case ast.Neg(operand=operand):
            return ["-", (operand, UNARY)]
        case ast.Last(count=count):
            return [f"last {count}"]
        case ast.Filtered(relation=relation, cond=cond):
            return [(relation, ATOM), " where ", (cond, IMPLIES)]
        case ast.Call(func=func, args=args):
            return [f"{func.text}(", *_joined(_argument(a) for a in args), ")"]
        case ast.Case():
            return [_case(node, indent)]
        case _:
            assert_never(node)


def _joined(items: Iterable[list[Piece]]) -> list[Piece]:
    """The pieces of each item, with ", " between items."""
    joined: list[Piece] = []
    for item in items:
        if joined:
            joined.append(", ")
        joined.extend(item)
    return joined


def _argument(argument: ast.Argument) -> list[Piece]:
    value: Piece = (argument.value, IMPLIES)
    return [value] if argument.name is None else [f"{argument.name.text}: ", value]


def _case(node: ast.Case, indent: str) -> str:
    head = "case " if node.subject is None else f"case {expr(node.subject, SUM, indent)} "
    inner = indent + INDENT
    arms = [
        f"{expr(arm.pattern, IMPLIES, inner)}: {expr(arm.value, IMPLIES, inner)}"
        for arm in node.arms
    ]
    if node.default is not None:
        arms.append(f"else: {expr(node.default, IMPLIES, inner)}")
    # The one-line form's length, known before building it (a deep case would copy its
    # whole text at every level otherwise).
    flat = len(head) + len("{  }") + sum(map(len, arms)) + len(", ") * max(len(arms) - 1, 0)
    if flat + len(indent) <= WIDTH and not any("\n" in arm for arm in arms):
        return head + "{ " + ", ".join(arms) + " }"
    return "".join([head, "{", *(f"\n{inner}{arm}," for arm in arms), "\n", indent, "}"])


def _at(span: Span | None) -> object:
    """What a clause without a node of its own is anchored by: its span (comments keep
    to it), or for a tree made without spans, a mark nothing is attached to."""
    return span if span is not None else object()


def _label(label: str | None) -> str:
    return "" if label is None else " " + quote(label)


def _keys(keys: tuple[ast.RankKey, ...]) -> str:
    return ", ".join(f"{expr(k.expr, IMPLIES)} {'desc' if k.descending else 'asc'}" for k in keys)


def _header_and_body(header: str, body: str) -> list[str]:
    """`header body` on one line when it fits, else the body indented on the next line."""
    if len(header) + 1 + len(body) <= WIDTH and "\n" not in body:
        return [f"{header} {body}"]
    return [header, INDENT + body]


def _value(node: ast.Expr) -> str:
    return expr(node, UNARY)


def _move(field: ast.MonotoneField) -> str:
    """A move of `check monotone`: `f`, `-f`, `members.f` or `history`."""
    if field.history or field.name is None:
        return "history"
    relation = "" if field.relation is None else field.relation.text + "."
    return ("-" if field.decreasing else "") + relation + field.name.text


def _entry(entry: ast.HistoryEntry) -> str:
    if entry.predecessor is not None or entry.name is None:
        assert entry.predecessor is not None
        return f"{_key(entry.key)} {entry.year} from {_key(entry.predecessor)}"
    value = "" if entry.value is None else f" {_value(entry.value)}"
    return f"{_key(entry.key)} {entry.year} {entry.name.text}{value}"


def _key(key: ast.SubjectKey) -> str:
    return quote(key.value) if key.quoted else key.value


class Printer:
    """Writes declarations line by line, putting each attached comment back in place."""

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        self.attached: Attached = attach(module)
        self.lines: list[str] = []

    def emit(self, node: object, lines: list[str], indent: str = "") -> None:
        """Lines of one anchored node, with its leading and trailing comments."""
        for comment, blank_after in self.attached.leading.get(id(node), ()):
            self.lines.append(indent + comment)
            if blank_after:
                self.lines.append("")
        self.lines.extend(indent + line if line else line for line in lines)
        trailing = self.attached.trailing.get(id(node))
        if trailing is not None:
            self.lines[-1] += "  " + trailing

    def end_comments(self, node: object, indent: str) -> None:
        self.lines.extend(indent + c for c in self.attached.end.get(id(node), ()))

    def module_text(self) -> str:
        previous: ast.Decl | None = None
        for decl in self.module.decls:
            if previous is not None and self.attached.blank_before(decl, previous):
                self.lines.append("")
            self.decl(decl)
            previous = decl
        if self.attached.end.get(id(self.module)):
            if self.lines:
                self.lines.append("")
            self.end_comments(self.module, "")
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def block(self, node: object, head: str, children: Iterator[tuple[object, list[str]]]) -> None:
        self.emit(node, [head + " {"])
        for child, lines in children:
            self.emit(child, lines, INDENT)
        self.end_comments(node, INDENT)
        self.lines.append("}")

    def decl(self, decl: ast.Decl) -> None:
        match decl:
            case ast.Ruleset(title=title, settings=settings):
                self.block(
                    decl,
                    f"ruleset {quote(title)}",
                    ((s, [_setting(s)]) for s in settings),
                )
            case ast.EnumDecl(name=name, values=values, ordered=ordered, labels=labels):
                named = zip(values, labels or [None] * len(values), strict=True)
                items = [f"{v.text}{_label(label)}" for v, label in named]
                flag = " ordered" if ordered else ""
                line = f"enum {name.text}{flag} {{ {', '.join(items)} }}"
                if len(line) <= WIDTH or not labels:
                    self.emit(decl, [line])
                else:  # one labelled value a line
                    body = [f"{INDENT}{item}," for item in items]
                    self.emit(decl, [f"enum {name.text}{flag} {{", *body, "}"])
            case ast.SubjectDecl(name=name, fields=fields, label=label, display=display):
                head = f"subject {name.text}{_label(label)}"
                if display is not None:
                    head += f" display {display.text}"
                self.block(decl, head, ((f, [self.field(f)]) for f in fields))
            case ast.RelationDecl(name=name, owner=owner, member=member, via=via, label=label):
                text = (
                    f"relation {name.text}{_label(label)}: {owner.text} -> {member.text}"
                    f" by {via.text}"
                )
                self.emit(decl, [text])
            case ast.CriterionDecl():
                head = f"{decl.kind} {decl.name.text}{_label(decl.label)} for {decl.subject.text}"
                if decl.where is not None:
                    head += f" where {expr(decl.where)}"
                if decl.max is not None:
                    head += f" max {_value(decl.max)}"
                self.emit(decl, _header_and_body(head + " =", expr(decl.expr, indent=INDENT)))
            case ast.ScoreDecl(subject=subject, expr=body):
                head = f"score for {subject.text} ="
                self.emit(decl, _header_and_body(head, expr(body, indent=INDENT)))
            case ast.LetDecl(name=name, label=label, subject=subject, expr=body):
                head = f"let {name.text}{_label(label)} for {subject.text} ="
                self.emit(decl, _header_and_body(head, expr(body, indent=INDENT)))
            case ast.AwardDecl():
                self.award(decl)
            case ast.RankingDecl():
                head = f"ranking {decl.name.text}{_label(decl.label)} for {decl.subject.text}"
                tail = f"by {_keys(decl.keys)}"
                if decl.within is not None:
                    tail += f" within {expr(decl.within)}"
                if decl.shared:
                    tail += " shared"
                self.emit(decl, _header_and_body(head, tail))
            case ast.PoolDecl():
                self.emit(decl, [f"pool {decl.name.text}{_label(decl.label)} {{"])
                if decl.awards:
                    names = ", ".join(a.text for a in decl.awards)
                    self.emit(_at(decl.awards_span), [f"awards {names}"], INDENT)
                if decl.quota is not None:
                    self.emit(_at(decl.quota_span), [f"quota {decl.quota}"], INDENT)
                if decl.tie_include:
                    self.emit(_at(decl.tie_span), ["on tie include"], INDENT)
                self.end_comments(decl, INDENT)
                self.lines.append("}")
            case ast.LineageDecl():
                self.lineage(decl)
            case ast.CheckDecl(label=label, subject=subject, expr=body):
                head = f"check {quote(label)} for {subject.text}:"
                self.emit(decl, _header_and_body(head, expr(body, indent=INDENT)))
            case ast.MonotoneCheck(target=target, subject=subject, fields=fields):
                names = ", ".join(map(_move, fields))
                text = f"check monotone {target.text} for {subject.text} in {names}"
                self.emit(decl, [text])
            case ast.OrderCheck():
                self.emit(decl, ["check order_independent"])
            case ast.IgnoresCheck(fields=fields, subject=subject):
                names = ", ".join(f.text for f in fields)
                self.emit(decl, [f"check ignores {names} for {subject.text}"])
            case ast.EqualTreatmentCheck(subject=subject):
                self.emit(decl, [f"check equal_treatment for {subject.text}"])
            case ast.LocalCheck(within=within, subject=subject):
                self.emit(decl, [f"check local within {expr(within)} for {subject.text}"])
            case ast.RuleDecl(label=label, subject=subject, expr=body):
                head = f"require {quote(label)} for {subject.text}:"
                self.emit(decl, _header_and_body(head, expr(body, indent=INDENT)))
            case ast.ExampleDecl(label=label, items=items):
                self.block(
                    decl, f"example {quote(label)}", ((i, [self.example_item(i)]) for i in items)
                )
            case _:
                assert_never(decl)

    def field(self, field: ast.Field) -> str:
        text = f"{field.name.text}: {field.type.name.text}{'?' if field.type.optional else ''}"
        text += _label(field.label)
        match field.constraint:
            case ast.Bound(op=op, value=value):
                text += f" {op} {_value(value)}"
            case ast.FieldRange(low=low, high=high):
                text += f" in {_value(low)}..{_value(high)}"
            case None:
                pass
        if field.key:
            text += " key"
        if field.default is not None:
            text += f" = {_value(field.default)}"
        return text

    def award(self, decl: ast.AwardDecl) -> None:
        head = f"award {decl.name.text}{_label(decl.label)} for {decl.subject.text}"
        if decl.given:
            self.emit(decl, [head + " given"])
            return
        self.emit(decl, [head + " {"])
        if decl.requires:
            names = ", ".join(r.text for r in decl.requires)
            self.emit(decl.requires[0], [f"requires {names}"], INDENT)
        for condition in decl.conditions:
            self.condition(condition)
        if decl.rank_by:
            self.emit(decl.rank_by[0], [f"rank by {_keys(decl.rank_by)}"], INDENT)
        if decl.quota is not None:
            text = f"quota {expr(decl.quota)}"
            if decl.within is not None:
                text += f" within {expr(decl.within)}"
            self.emit(decl.quota, [text], INDENT)
        elif decl.within is not None:
            self.emit(decl.within, [f"within {expr(decl.within)}"], INDENT)
        if decl.tie_include:
            self.emit(_at(decl.tie_span), ["on tie include"], INDENT)
        if decl.reward is not None:
            replaces = ", ".join(r.text for r in decl.replaces)
            tail = f" replaces {replaces}" if replaces else ""
            self.emit(_at(decl.reward_span), [f"reward {number(decl.reward)}{tail}"], INDENT)
        self.end_comments(decl, INDENT)
        self.lines.append("}")

    def lineage(self, decl: ast.LineageDecl) -> None:
        """On one line, unless a comment sits inside it: then a rule a line."""
        rules = [(decl.held_span, f"held {decl.held}")] if decl.held is not None else []
        rules += [(decl.past_span, f"past {decl.past}")] if decl.past is not None else []
        head = f"lineage for {decl.subject.text}"
        attached = self.attached
        inside = [id(x) for x, _ in rules if x is not None]
        if not attached.end.get(id(decl)) and not any(
            n in attached.leading or n in attached.trailing for n in inside
        ):
            self.emit(decl, [f"{head} {{ {'  '.join(text for _, text in rules)} }}"])
            return
        self.emit(decl, [head + " {"])
        for span, text in rules:
            self.emit(_at(span), [text], INDENT)
        self.end_comments(decl, INDENT)
        self.lines.append("}")

    def condition(self, condition: ast.Condition) -> None:
        prefix = "when " if condition.id is None else f"when {condition.id.text}: "
        label = _label(condition.label)
        if isinstance(condition.body, ast.AnyOf):
            self.emit(condition, [prefix + "any {"], INDENT)
            for part in condition.body.parts:
                body = expr(part.expr, indent=INDENT * 2)
                self.emit(part, [f"{part.id.text}: {body}{_label(part.label)},"], INDENT * 2)
            self.end_comments(condition, INDENT * 2)
            self.lines.append(INDENT + "}" + label)
            return
        self.emit(condition, [prefix + expr(condition.body, indent=INDENT) + label], INDENT)

    def example_item(self, item: ast.ExampleItem) -> str:
        match item:
            case ast.Record(kind=kind, fields=fields):
                inner = ", ".join(f"{f.name.text}: {_value(f.value)}" for f in fields)
                return f"{kind.text} {{ {inner} }}" if inner else f"{kind.text} {{}}"
            case ast.ExampleYear(year=year):
                return f"year {year}"
            case ast.History(entries=entries):
                rows = ", ".join(_entry(e) for e in entries)
                return f"history {{ {rows} }}" if rows else "history {}"
            case ast.Expect():
                return f"expect {_key(item.key)} {_expectation(item)}"
            case _:
                assert_never(item)


def _expectation(item: ast.Expect) -> str:
    name = item.name.text
    match item.mode:
        case "true":
            return name
        case "false":
            because = ", ".join(b.text for b in item.because)
            return f"not {name}" + (f" because {because}" if because else "")
        case "cut":
            return f"cut {name}"
        case "compare":
            assert item.value is not None and item.op is not None
            return f"{name} {item.op} {_value(item.value)}"
        case "missing":
            return f"{name} is missing"
        case "present":
            return f"{name} is not missing"
        case _:
            assert_never(item.mode)


def format_module(module: ast.Module) -> str:
    """The canonical text of a module, comments included."""
    return call_deep(depth(module), Printer(module).module_text)
