"""The fairness check forms: each parses to its node, prints back as written, and the words
they use stay free for fields everywhere else."""

from __future__ import annotations

import pytest

from emurules.errors import CriteriaError
from emurules.syntax import ast
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module

FORMS = """\
check monotone score for individual in initiatives, -late_reports
check monotone flag for collective in members.task, -members.discipline, history
check monotone fighter for individual in history
check ignores gender, ethnicity, birthplace for individual
check ignores gender for individual
check equal_treatment for individual
check order_independent
check local within unit for individual
check local within unit.block for individual
check local within block for collective
"""


def ident(text: str) -> ast.Ident:
    return ast.Ident(text=text)


def test_each_form_parses_to_its_node() -> None:
    decls = parse(FORMS).decls
    members = ident("members")
    assert decls[1] == ast.MonotoneCheck(
        target=ident("flag"),
        subject=ident("collective"),
        fields=(
            ast.MonotoneField(name=ident("task"), relation=members),
            ast.MonotoneField(name=ident("discipline"), relation=members, decreasing=True),
            ast.MonotoneField(name=None, history=True),
        ),
    )
    assert decls[2] == ast.MonotoneCheck(
        target=ident("fighter"),
        subject=ident("individual"),
        fields=(ast.MonotoneField(name=None, history=True),),
    )
    assert decls[3] == ast.IgnoresCheck(
        fields=(ident("gender"), ident("ethnicity"), ident("birthplace")),
        subject=ident("individual"),
    )
    assert decls[5] == ast.EqualTreatmentCheck(subject=ident("individual"))
    assert decls[6] == ast.OrderCheck()
    assert decls[7] == ast.LocalCheck(within=ast.Name(name="unit"), subject=ident("individual"))
    assert decls[8] == ast.LocalCheck(
        within=ast.Path(base=ast.Name(name="unit"), attr=ident("block")),
        subject=ident("individual"),
    )


def test_history_is_a_keyword_only_where_a_move_starts() -> None:
    decl = parse("check monotone score for s in history, -history, members.history").decls[0]
    assert isinstance(decl, ast.MonotoneCheck)
    assert decl.fields == (
        ast.MonotoneField(name=None, history=True),
        ast.MonotoneField(name=ident("history"), decreasing=True),
        ast.MonotoneField(name=ident("history"), relation=ident("members")),
    )


def test_a_plain_monotone_field_is_as_before() -> None:
    decl = parse("check monotone score for s in x, -y,").decls[0]
    assert isinstance(decl, ast.MonotoneCheck)
    assert decl.fields == (
        ast.MonotoneField(name=ident("x")),
        ast.MonotoneField(name=ident("y"), decreasing=True),
    )
    assert all(f.relation is None and not f.history for f in decl.fields)


def test_each_form_prints_as_written_and_round_trips() -> None:
    module = parse(FORMS)
    assert format_module(module) == FORMS
    assert parse(format_module(module)) == module


def test_forms_print_canonically() -> None:
    text = (
        "check   monotone x for s in members . task ,history,\n"
        "check ignores a,b for s\n"
        "check local within (unit . block) for s\n"
    )
    assert format_module(parse(text)) == (
        "check monotone x for s in members.task, history\n"
        "check ignores a, b for s\n"
        "check local within unit.block for s\n"
    )


def test_spans_cover_each_form_and_its_names() -> None:
    text = "check ignores gender for person\ncheck monotone x for s in members.task\n"
    ignores, monotone = parse(text).decls
    assert isinstance(ignores, ast.IgnoresCheck) and isinstance(monotone, ast.MonotoneCheck)
    assert ignores.span is not None and ignores.span.text == "check ignores gender for person"
    assert ignores.fields[0].span is not None and ignores.fields[0].span.text == "gender"
    move = monotone.fields[0]
    assert move.span is not None and move.span.text == "members.task"
    assert move.relation is not None and move.relation.span is not None
    assert move.relation.span.text == "members"


WORDS = ["history", "local", "ignores", "equal_treatment", "monotone", "order_independent"]


@pytest.mark.parametrize("word", WORDS)
def test_the_check_words_stay_free_for_fields(word: str) -> None:
    text = (
        f"subject s {{ id: text key  {word}: int = 0  unit: text }}\n"
        f"let v for s = {word} + 1\n"
        f"check ignores {word}, unit for s\n"
        f"check local within {word} for s\n"
        f"check monotone v for s in -{word}, members.{word}\n"
        f'example "e" {{ s {{ id: "A", {word}: 2 }} }}\n'
    )
    module = parse(text)
    ignores = module.decls[2]
    assert isinstance(ignores, ast.IgnoresCheck)
    assert ignores.fields[0] == ident(word)
    local = module.decls[3]
    assert isinstance(local, ast.LocalCheck) and local.within == ast.Name(name=word)
    monotone = module.decls[4]
    assert isinstance(monotone, ast.MonotoneCheck)
    assert monotone.fields[0].name == ident(word) and monotone.fields[0].decreasing
    assert monotone.fields[1].name == ident(word) and not monotone.fields[1].history
    assert parse(format_module(module)) == module


@pytest.mark.parametrize(
    "text",
    [
        "check ignores for s\n",
        "check ignores a, for s\n",
        "check monotone x for s in members.\n",
        "check equal_treatment s\n",
        "check local unit for s\n",
        "check local within for s\n",
    ],
)
def test_malformed_forms_are_syntax_errors(text: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        parse(text)
    codes = [d.code for d in caught.value.diagnostics]
    assert codes in (["E0101"], ["E0103"])  # E0103: the file ends inside the form
