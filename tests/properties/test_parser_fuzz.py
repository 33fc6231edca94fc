"""Whatever the text, the front end answers with a model or a CriteriaError, never a crash."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from emurules.check.model import check_module
from emurules.errors import CriteriaError
from emurules.source import Source, normalise
from emurules.syntax.grammar import parser
from emurules.syntax.parse import parse, parse_source
from tests.helpers import BRIEF

WORDS = ["task", "score", "members", "điểm_số", "individual", "collective", "good", "unit"]

# Lookahead terminals have no generator of their own; give them plain words.
EXPLICIT = {
    "FIELD_NAME": st.sampled_from(WORDS),
    "NAME": st.sampled_from(WORDS),
    "LAST": st.just("last"),
    "ANY_BLOCK": st.just("any"),
    "DATE": st.sampled_from(["2025-09-30", "2025-02-30"]),
}
grammar_text = from_lark(parser(), explicit=EXPLICIT)


def front_end(text: str) -> None:
    source = Source("fuzz.emu", normalise(text))
    module, _ = parse_source(source)
    if module is not None:
        check_module(module)


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    with contextlib.suppress(CriteriaError):
        parse(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(grammar_text)
def test_text_derived_from_the_grammar(text: str) -> None:
    front_end(text)


@settings(max_examples=200)
@given(st.data())
def test_mutations_of_a_real_file(data: st.DataObject) -> None:
    text = BRIEF.read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(st.sampled_from(["", "(", "}", "{", " and ", '"', "#", "?", "..", "-"]))
    front_end(text[:start] + insert + text[end:])
