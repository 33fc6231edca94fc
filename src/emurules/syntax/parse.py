"""`parse`: criteria text -> Module, reporting every syntax error of the file.

After a syntax error the parser resumes at the next declaration that starts a line (the
formatter writes every declaration at column 1): the broken declaration is blanked out,
keeping every offset, and the file is parsed again. So one mistake costs one declaration,
not the rest of the file, and positions stay exact.
"""

from __future__ import annotations

import difflib
import re

from lark.exceptions import UnexpectedInput, UnexpectedToken

from emurules.errors import CriteriaError
from emurules.i18n import message
from emurules.source import Diagnostic, Source, normalise
from emurules.syntax import ast
from emurules.syntax.build import build
from emurules.syntax.deep import too_deep
from emurules.syntax.grammar import parser
from emurules.syntax.syntax_errors import (
    DECLARATION_KEYWORDS,
    expected_words,
    syntax_diagnostic,
    unclosed_before_declaration,
    unclosed_diagnostic,
)

MAX_SYNTAX_ERRORS = 50

_LINE_WORD = re.compile(r"^([^\W\d]\w*)(?=[ \t])", re.MULTILINE)
_COMMENT_OR_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"?|#[^\n]*')


def _blank(text: str, start: int, end: int) -> str:
    middle = "".join(ch if ch == "\n" else " " for ch in text[start:end])
    return text[:start] + middle + text[end:]


def declaration_starts(text: str) -> list[int]:
    """Offsets of lines that start (at column 1) with a declaration keyword or a near miss."""
    starts = []
    for match in _LINE_WORD.finditer(text):
        word = match.group(1)
        if word in DECLARATION_KEYWORDS or difflib.get_close_matches(
            word, DECLARATION_KEYWORDS, n=1, cutoff=0.75
        ):
            starts.append(match.start())
    return starts


def _bounds(starts: list[int], offset: int, end: int) -> tuple[int, int]:
    """The start of the declaration holding `offset` and the start of the next one."""
    before = [s for s in starts if s <= offset]
    after = [s for s in starts if s > offset]
    return (before[-1] if before else 0), (after[0] if after else end)


def comments(source: Source) -> tuple[ast.Comment, ...]:
    found = []
    for match in _COMMENT_OR_STRING.finditer(source.text):
        if match.group().startswith("#"):
            found.append(
                ast.Comment(
                    text=match.group().rstrip(), span=source.span(match.start(), match.end())
                )
            )
    return tuple(found)


def _swallowed_declaration(
    text: str, starts: list[int], offset: int
) -> tuple[int, set[str]] | None:
    """A declaration keyword the parser took for a name, because the previous declaration
    was unfinished: its offset and what the unfinished declaration expected."""
    earlier = [s for s in starts if s < offset and text.startswith(DECLARATION_KEYWORDS, s)]
    if not earlier or earlier[-1] == 0:
        return None
    keyword = earlier[-1]
    try:
        parser().parse(text[:keyword])
    except UnexpectedToken as error:
        if error.token.type == "$END":
            return keyword, set(error.accepts or error.expected)
    except UnexpectedInput:
        return None
    return None


def parse_source(source: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
    """The module (None when a syntax error was found) and every diagnostic."""
    text = source.text
    diagnostics: list[Diagnostic] = []
    lark_parser = parser()
    terminals = {t.name: t for t in lark_parser.terminals}
    while True:
        try:
            tree = lark_parser.parse(text)
        except UnexpectedInput as error:
            offset = error.pos_in_stream if error.pos_in_stream is not None else len(text)
            starts = declaration_starts(text)
            opened = unclosed_before_declaration(text, offset, starts)
            if opened is not None:
                begin, resume = _bounds(starts, opened, len(text))
                keyword_end = text.find(" ", resume)
                found = message("syntax.starts-declaration", keyword=text[resume:keyword_end])
                span = source.span(resume, keyword_end)
                diagnostics.append(unclosed_diagnostic(source, opened, span, found))
            elif (swallowed := _swallowed_declaration(text, starts, offset)) is not None:
                keyword, expected = swallowed
                begin, _ = _bounds(starts, keyword - 1, len(text))
                resume = keyword
                end = text.find(" ", keyword)
                words = expected_words(expected, terminals)
                diagnostics.append(
                    Diagnostic(
                        code="E0101",
                        message=message(
                            "syntax.unfinished-before", keyword=text[keyword:end], expected=words
                        ),
                        span=source.span(keyword, end),
                    )
                )
            else:
                diagnostics.append(syntax_diagnostic(error, source, terminals))
                begin, resume = _bounds(starts, offset, len(text))
            if len(diagnostics) >= MAX_SYNTAX_ERRORS:
                return None, diagnostics
            if resume >= len(text) and begin == 0:
                return None, diagnostics
            text = _blank(text, begin, resume)
            continue
        decls, problems = build(tree, source)
        diagnostics.extend(problems)
        diagnostics.extend(too_deep(decls))
        if diagnostics:
            return None, diagnostics
        return ast.Module(decls=tuple(decls), comments=comments(source), source=source), []


def parse(text: str, name: str = "<criteria>") -> ast.Module:
    """Parse criteria text; raise CriteriaError listing every syntax error."""
    module, diagnostics = parse_source(Source(name, normalise(text)))
    if module is None:
        raise CriteriaError(diagnostics)
    return module
