"""`emurules doc` from the plan: what the document needs travels with the plan, calls are
phrased by the registry of built-in functions, and deep criteria are phrased too."""

from __future__ import annotations

import pickle

import attrs

import emurules
from emurules.report import doc
from emurules.report.words import words
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"

CALLS = """\
ruleset "Calls" { year 2025 }
subject team { id: text key }
subject person { id: text key  unit: team  n: int  x: number }
relation members: team -> person by unit
criterion c "C" for person max 10 = floor(x) + ceil(x) + (past(n, 2) ?? 0)
score for person = c
award f "F" for person { when n > 1 }
award top "Top" for person {
  when streak(f) >= 1 or streak(top, before) >= 2 or held(top, last 3) >= 1
  rank by score desc
  quota count(f) + count(group) + count(group, n > 1) within unit
}
award t "T" for team {
  when all(members, n > 1) and any(members, n > 2) and none(members, n > 3)
  when share(members, n > 1) >= 50% and sum(members, x) > 0 and (avg(members, x) ?? 0) > 0
  when min(members, x) ?? 0 > 1
}
check "scores" for person: score >= 0
"""


def test_every_phrase_of_a_call_comes_from_the_registry() -> None:
    text = doc.to_markdown(emurules.compile(CALLS).plan)
    for phrase in (
        "Points: x, rounded down + x, rounded up + (n 2 year(s) ago (or 0 when missing)).",
        "the consecutive years up to this one with F is at least 1",
        "the consecutive years up to last year with Top is at least 2",
        "how many of the 3 previous years had Top is at least 1",
        "Quota: at most the number of recipients of the title F + the number of the group's "
        "subjects + the number of the group's subjects for which n is more than 1 per unit.",
        "every one of members: n is more than 1 and at least one of members: n is more than 2 "
        "and none of members: n is more than 3",
        "the share of members for which n is more than 1 is at least 50%",
        "the total of x over members is more than 0",
        "the average of x over members (or 0 when missing) is more than 0",
        "the smallest x among members (or 0 when missing) is more than 1",
        "scores: for every person, the score is at least 0.",
    ):
        assert phrase in text, phrase


def test_the_document_reads_the_plan_as_written() -> None:
    """Passes may rewrite the steps engines run; the document keeps what was written."""
    plan = emurules.load(LAW).plan
    expected = doc.to_markdown(plan)
    rewritten = attrs.evolve(plan, steps=(), declared=(), rules=())
    assert doc.to_markdown(rewritten) == expected
    assert doc.to_markdown(pickle.loads(pickle.dumps(plan))) == expected
    assert doc.to_html(plan).startswith("<!doctype html>")


def test_a_deep_formula_is_phrased() -> None:
    terms = " + ".join(f"(n - {i})" for i in range(1500))
    nested = "(" * 400 + "n" + " + 1)" * 400
    rules = emurules.compile(
        "subject person { id: text key  n: int }\n"
        f'criterion a "A" for person = {terms}\n'
        f'criterion b "B" for person = {nested}\n'
        "score for person = a + b\n"
    )
    text = doc.to_markdown(rules.plan)
    assert "Points: n - 0 + n - 1 + " in text and " + n - 1499." in text
    assert "Points: n + 1 + 1" in text


def test_words_of_a_constant_keep_how_it_was_written() -> None:
    plan = emurules.compile(
        "subject person { id: text key  n: int }\n"
        'criterion a "A" for person max 0.50 = 15% * n\nscore for person = a\n'
    ).plan
    (criterion, *_) = plan.written
    assert str(words(criterion.expr)) == "15% × n"  # type: ignore[union-attr]
    assert "At most 0.50 points." in doc.to_markdown(plan)


def test_and_or_keep_their_grouping_in_words() -> None:
    """Words have no precedence: a chain inside another is bracketed, so two conditions
    that mean different things never read the same."""
    rules = emurules.compile(
        'ruleset "r" { year 2025 }\nsubject p "P" { id: text key\n  n: int "N"\n  m: int "M"\n'
        '  ok: bool "OK" }\naward a "A" for p {\n  when n > 2 and (m > 1 or ok) "a"\n'
        '  when n > 2 and m > 1 or ok "b"\n  when not (ok and n > 1) "c"\n}\n'
    )
    text = doc.to_markdown(rules.plan, "en", schema=rules.schema)
    assert "a) a (N is more than 2 and (M is more than 1 or it has OK))" in text
    assert "b) b ((N is more than 2 and M is more than 1) or it has OK)" in text
    assert "(it has OK and N is more than 1)" in text


def test_the_input_data_says_what_a_blank_cell_counts_as() -> None:
    """A rule that reads "not disciplined" is fair only if the reader knows a blank
    discipline cell counts as "not disciplined": the document says so for every field."""
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    text = doc.to_markdown(rules.plan, "vi", schema=rules.schema)
    part = text[text.index("Dữ liệu đầu vào") :]
    assert "| Hình thức kỷ luật | một trong các giá trị: Không bị kỷ luật, Khiển trách," in part
    assert "| được tính là Không bị kỷ luật |  |" in part
    assert "| Số sáng kiến | một số nguyên | được tính là 0 | ít nhất là 0 |" in part
    assert "| Số tháng nghỉ | một số | được (giá trị bị thiếu) | từ 0 đến 12 |" in part
    assert "| Đơn vị | mã của một đối tượng: Tập thể | không được |  |" in part
