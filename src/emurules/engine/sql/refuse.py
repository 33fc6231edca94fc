"""What the SQL engine refuses, and how: when the SQL is planned, never by leaving a
declaration out, an error naming the node and where the criteria write it."""

from __future__ import annotations

from collections.abc import Sequence

from emurules.errors import UsageError
from emurules.i18n import Message, message
from emurules.plan import ir
from emurules.source import Diagnostic, Span


class Unsupported(UsageError):
    """Rules (or a part of them) that the SQL engine does not compute. A `UsageError`:
    the rules are sound, but not an argument this engine takes; its one diagnostic
    carries the span of what is refused, so that it prints with the criteria's line."""

    def __init__(
        self, said: Message, span: Span | None, diagnostics: Sequence[Diagnostic] = ()
    ) -> None:
        hint = message("sql.unsupported-hint")
        found = Diagnostic(code="A0103", kind="unsupported", message=said, span=span, hint=hint)
        super().__init__(said, tuple(diagnostics) or (found,), hint=hint)
        self.span = span
        self.step: tuple[str, str] | None = None  # (kind, name), when `lower` collects them


def refuse_node(node: ir.Node) -> Unsupported:
    """The error for a node the SQL engine does not evaluate, named by what it is."""
    match node:
        case ir.Aggregate() | ir.Filter():
            said = message("sql.unsupported-aggregate", text=node.text)
        case ir.Relation():
            said = message("sql.unsupported-relation", text=node.name)
        case ir.Path():
            said = message("sql.unsupported-path", text=node.text)
        case ir.Past():
            said = message("sql.unsupported-past", text=node.text)
        case ir.Streak() | ir.Held():
            said = message("sql.unsupported-history", text=node.text)
        case ir.Decided():
            said = message("sql.unsupported-decided", text=node.text)
        case ir.Group() | ir.GroupValue() | ir.Recipients():
            said = message("sql.unsupported-quota")
        case _:
            said = message("sql.unsupported-node", node=type(node).__name__)
    return Unsupported(said, node.span)


def refuse(said: Message, span: Span | None = None) -> Unsupported:
    return Unsupported(said, span)
