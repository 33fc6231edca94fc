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

from emurules.i18n import Message, message
from emurules.source import Diagnostic, Source, Span
from emurules.suggest import did_you_mean

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
    "pool",
    "lineage",
    "check",
    "require",
    "example",
)


def quoted(text: str) -> Message:
    """A token or a formula as written, in quotes ("'+'", "'when'", "'x ?? 0'")."""
    return message("syntax.quoted", text=text)


_END = message("syntax.end-of-file")
_WORDS = {
    "NAME": message("syntax.word-name"),
    "FIELD_NAME": message("syntax.word-field-name"),
    "STRING": message("syntax.word-string"),
    "INT": message("core.type-int"),
    "DECIMAL": message("core.type-number"),
    "PERCENT": message("core.type-percent"),
    "DATE": message("syntax.word-date"),
    "COMPARE": message("syntax.word-compare", operators="==, !=, <, <=, >, >="),
    "BOUND_OP": message("syntax.word-bound", operators=">=, >, <=, <"),
    "ANY_BLOCK": quoted("any {"),
    "LAST": quoted("last"),
    "HELD_RULE": message("syntax.word-one-of", words="any, all"),
    "PAST_RULE": message("syntax.word-one-of", words="mean, min, max, sum"),
    "ROUNDING": message("syntax.word-one-of", words="up, down, nearest"),
    "LANGUAGE": message("syntax.word-one-of", words="vi, en"),
    "$END": _END,
}

_EXPRESSION_STARTS = frozenset({"NAME", "INT", "DECIMAL", "PERCENT", "STRING", "LPAR"})
_OPERATORS = frozenset({"PLUS", "TIMES", "DIVIDE", "COMPARE", "AND", "OR", "IF", "DOT"})
_LISTED = 8  # things a syntax error names at most

_CHARACTER_HINTS = {
    "'": message("syntax.hint-single-quote"),
    "&": message("syntax.hint-write", word="and"),
    "|": message("syntax.hint-write", word="or"),
    "!": message("syntax.hint-exclamation"),
    ";": message("syntax.hint-semicolon"),
    "=": message("syntax.hint-single-equals"),
}
_KEYWORDS = frozenset(quoted(k) for k in DECLARATION_KEYWORDS)
_OPERATOR_WORDS = frozenset(
    quoted(op) for op in ("??", ".", "-", "implies", "in", "is", "not", "if")
)


def _describe(terminal: str, terminals: dict[str, lark.lexer.TerminalDef]) -> Message | str:
    """A terminal in words; a terminal without words keeps its (lower-cased) name."""
    if terminal in _WORDS:
        return _WORDS[terminal]
    definition = terminals.get(terminal)
    if definition is not None and isinstance(definition.pattern, lark.lexer.PatternStr):
        return quoted(definition.pattern.value)
    return terminal.lower()


def _expected(
    expected: Iterable[str], terminals: dict[str, lark.lexer.TerminalDef]
) -> list[Message | str]:
    """What the parser expected, in words: groups first ('an expression'), then the rest
    in the order of their English words, so the list is the same on every run."""
    names = set(expected)
    words: list[Message | str] = []
    described = {t: _describe(t, terminals) for t in names}
    if set(described.values()) >= _KEYWORDS:
        words.append(message("syntax.word-declaration"))
        names = {t for t in names if described[t] not in _KEYWORDS}
    if len(names & _EXPRESSION_STARTS) >= 4:
        words.append(message("syntax.word-expression"))
        names -= _EXPRESSION_STARTS | {"MINUS", "NOT", "CASE", "TRUE", "FALSE", "DATE"}
    if len(names & _OPERATORS) >= 4:
        words.append(message("syntax.word-operator"))
        names -= _OPERATORS | {"MINUS", "IMPLIES", "IN", "IS", "NOT", "__ANON_0", "QMARK"}
        names = {t for t in names if described[t] not in _OPERATOR_WORDS}
    words.extend(sorted((described[t] for t in names), key=str))
    return words


def _either(words: list[Message | str]) -> Message | str:
    """'a, b or c'; past eight, the rest are counted ('... or 3 other things')."""
    if len(words) > _LISTED:
        words = [
            *words[: _LISTED - 1],
            message("syntax.other-things", count=len(words) - _LISTED + 1),
        ]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return message("syntax.either", first=tuple(words[:-1]), last=words[-1])


def expected_words(
    expected: Iterable[str], terminals: dict[str, lark.lexer.TerminalDef]
) -> Message | str:
    """'an expression', 'a name or '}'', ... in a stable order."""
    return _either(_expected(expected, terminals))


def _token_text(token: lark.Token) -> Message:
    if token.type == "$END":
        return _END
    text = str(token)
    return quoted(text) if len(text) <= 30 else quoted(f"{text[:27]}...")


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


def unclosed_diagnostic(source: Source, opened: int, span: Span, found: Message) -> Diagnostic:
    """A bracket left open: name the line where it opened, which is where to look."""
    line, _ = source.position(opened)
    bracket = source.text[opened]
    closer = "}" if bracket == "{" else ")"
    return Diagnostic(
        code="E0103",
        message=message("syntax.unclosed", bracket=bracket, line=line, found=found),
        span=span,
        notes=(message("syntax.line", line=line, text=source.line(line).strip()),),
        hint=message("syntax.unclosed-hint", closer=closer, line=line),
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
                message=message("syntax.unclosed-text"),
                span=span,
                hint=message("syntax.unclosed-text-hint"),
            )
        allowed = error.allowed or set()
        advice = _CHARACTER_HINTS.get(char)
        listed = _expected(allowed, terminals) if allowed and advice is None else []
        said = (
            message("syntax.unexpected-character-expected", char=char, expected=_either(listed))
            if 0 < len(listed) <= _LISTED
            else message("syntax.unexpected-character", char=char)
        )
        return Diagnostic(code="E0102", message=said, span=span, hint=advice)

    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.accepts or error.expected)
    at_end = token.type == "$END"
    start = len(text) if at_end else (token.start_pos or 0)
    end = start if at_end else (token.end_pos or start + len(token))
    span = source.span(start, end) if not at_end else source.span(max(0, start - 1), start)
    words = expected_words(expected, terminals)
    hint: Message | None = None
    opened = open_blocks(text, start)
    starts_line = source.position(start)[1] == 1
    if opened and (at_end or (starts_line and str(token) in DECLARATION_KEYWORDS)):
        found = message("syntax.found", token=_token_text(token))
        return unclosed_diagnostic(source, opened[-1], span, found)
    if at_end:
        return Diagnostic(
            code="E0103", message=message("syntax.ends-early", expected=words), span=span
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
            hint = did_you_mean(suggestion)
    if hint is None and str(token) == "=":
        hint = _CHARACTER_HINTS["="]
    if token.type == "COMPARE":
        hint = message("syntax.hint-chained-comparison")
    if str(token) == "{" and "NAME" in expected:
        hint = message("syntax.hint-set-outside-in")
    return Diagnostic(
        code="E0101",
        message=message("syntax.unexpected", token=_token_text(token), expected=words),
        span=span,
        hint=hint,
    )
