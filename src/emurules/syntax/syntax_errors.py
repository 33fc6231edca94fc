"""Syntax errors in a policy writer's words.

Lark reports the terminals it expected (`NAME`, `RBRACE`, `__ANON_3`); this module turns
them into 'a name', ''}'', 'an expression', adds "did you mean" for misspelt keywords and
names the line where an unclosed block opened.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from emurules.source import Diagnostic, Source, Span

DECLARATION_KEYWORDS = (
    "ruleset",
    "enum",
    "subject",
    "relation",
    "criterion",
    "bonus",
    "penalty",
    "score",
    "let",
    "award",
    "ranking",
    "check",
    "require",
    "example",
)

_WORDS = {
    "NAME": "a name",
    "FIELD_NAME": "a name followed by ':'",
    "STRING": "a quoted text",
    "INT": "a whole number",
    "DECIMAL": "a number",
    "PERCENT": "a percentage",
    "DATE": "a date (YYYY-MM-DD)",
    "COMPARE": "a comparison (==, !=, <, <=, >, >=)",
    "BOUND_OP": "a bound (>=, >, <=, <)",
    "ANY_BLOCK": "'any {'",
    "LAST": "'last'",
    "$END": "the end of the file",
}

_EXPRESSION_STARTS = frozenset({"NAME", "INT", "DECIMAL", "PERCENT", "STRING", "LPAR"})
_OPERATORS = frozenset({"PLUS", "TIMES", "DIVIDE", "COMPARE", "AND", "OR", "IF", "DOT"})

_CHARACTER_HINTS = {
    "'": 'labels and texts are written in double quotes: "like this"',
    "&": "write 'and'",
    "|": "write 'or'",
    "!": "write 'not', or '!=' for 'differs from'",
    ";": "declarations need no ';' between them",
    "=": "to compare, write '=='",
}


def _describe(terminal: str, terminals: dict[str, lark.lexer.TerminalDef]) -> str:
    if terminal in _WORDS:
        return _WORDS[terminal]
    definition = terminals.get(terminal)
    if definition is not None and isinstance(definition.pattern, lark.lexer.PatternStr):
        return f"'{definition.pattern.value}'"
    return terminal.lower()


def expected_words(expected: Iterable[str], terminals: dict[str, lark.lexer.TerminalDef]) -> str:
    """'an expression', 'a name or '}'', ... in a stable order."""
    names = set(expected)
    words: list[str] = []
    keywords = {f"'{k}'" for k in DECLARATION_KEYWORDS}
    described = {t: _describe(t, terminals) for t in names}
    if keywords & set(described.values()) == keywords:
        words.append("a declaration ('subject', 'criterion', 'award', ...)")
        names = {t for t in names if described[t] not in keywords}
    if len(names & _EXPRESSION_STARTS) >= 4:
        words.append("an expression")
        names -= _EXPRESSION_STARTS | {"MINUS", "NOT", "CASE", "TRUE", "FALSE", "DATE"}
    if len(names & _OPERATORS) >= 4:
        words.append("an operator")
        names -= _OPERATORS | {"MINUS", "IMPLIES", "IN", "IS", "NOT", "__ANON_0", "QMARK"}
        names = {
            t
            for t in names
            if described[t]
            not in {"'??'", "'.'", "'-'", "'implies'", "'in'", "'is'", "'not'", "'if'"}
        }
    words.extend(sorted(described[t] for t in names))
    if len(words) > 8:
        words = [*words[:7], f"{len(words) - 7} other things"]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _token_text(token: lark.Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    text = str(token)
    return f"'{text}'" if len(text) <= 30 else f"'{text[:27]}...'"


def open_blocks(text: str, end: int) -> list[int]:
    """Offsets of the braces and parentheses still open at `end` (strings and comments skipped)."""
    stack: list[int] = []
    for match in re.finditer(r'"(?:\\.|[^"\\\n])*"?|#[^\n]*|[{}()]', text[:end]):
        token = match.group()
        if token in "{(":
            stack.append(match.start())
        elif token in "})" and stack:
            stack.pop()
    return stack


def unclosed_diagnostic(source: Source, opened: int, span: Span, found: str) -> Diagnostic:
    """A bracket left open: name the line where it opened, which is where to look."""
    line, _ = source.position(opened)
    bracket = source.text[opened]
    closer = "}" if bracket == "{" else ")"
    return Diagnostic(
        code="E0103",
        message=f"the '{bracket}' opened on line {line} is not closed; {found}",
        span=span,
        notes=(f"line {line}: {source.line(line).strip()}",),
        hint=f"add '{closer}' to close what line {line} opened",
    )


def unclosed_before_declaration(text: str, offset: int, declarations: list[int]) -> int | None:
    """The bracket left open when a new declaration starts a line before `offset`."""
    opened = open_blocks(text, offset)
    if not opened:
        return None
    later = [d for d in declarations if opened[-1] < d <= offset]
    if not later:
        return None
    inner = open_blocks(text, later[0])
    return inner[-1] if inner else None


def _suggest(word: str, candidates: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return found[0] if found else None


def syntax_diagnostic(
    error: UnexpectedInput, source: Source, terminals: dict[str, lark.lexer.TerminalDef]
) -> Diagnostic:
    """One diagnostic for a Lark error, pointing at the offending token or character."""
    text = source.text
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        char = text[offset] if offset < len(text) else ""
        span = source.span(offset, offset + 1)
        if char == '"':
            return Diagnostic(
                code="E0102",
                message="this text is not closed on its line",
                span=span,
                hint="end it with a double quote before the end of the line",
            )
        allowed = error.allowed or set()
        hint = _CHARACTER_HINTS.get(char)
        message = f"unexpected character '{char}'"
        words = expected_words(allowed, terminals) if allowed and hint is None else ""
        if words and "other things" not in words:
            message += f"; expected {words}"
        return Diagnostic(code="E0102", message=message, span=span, hint=hint)

    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.accepts or error.expected)
    at_end = token.type == "$END"
    start = len(text) if at_end else (token.start_pos or 0)
    end = start if at_end else (token.end_pos or start + len(token))
    span = source.span(start, end) if not at_end else source.span(max(0, start - 1), start)
    words = expected_words(expected, terminals)
    hint = None
    opened = open_blocks(text, start)
    starts_line = source.position(start)[1] == 1
    if opened and (at_end or (starts_line and str(token) in DECLARATION_KEYWORDS)):
        return unclosed_diagnostic(source, opened[-1], span, f"found {_token_text(token)}")
    if at_end:
        return Diagnostic(
            code="E0103", message=f"the file ends too early; expected {words}", span=span
        )
    keywords = [
        t.pattern.value
        for name in expected
        if (t := terminals.get(name)) is not None
        and isinstance(t.pattern, lark.lexer.PatternStr)
        and t.pattern.value.isidentifier()
    ]
    if token.type in {"NAME", "FIELD_NAME"} and keywords:
        suggestion = _suggest(str(token), keywords)
        if suggestion is not None:
            hint = f"did you mean '{suggestion}'?"
    if hint is None and str(token) == "=":
        hint = _CHARACTER_HINTS["="]
    if token.type == "COMPARE":
        hint = "comparisons do not chain: write 'a < b and b < c'"
    if str(token) == "{" and "NAME" in expected:
        hint = "a set {a, b} stands only after 'in': write 'x in {a, b}'"
    return Diagnostic(
        code="E0101",
        message=f"unexpected {_token_text(token)}; expected {words}",
        span=span,
        hint=hint,
    )
