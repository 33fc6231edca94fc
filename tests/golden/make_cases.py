"""Writes the broken criteria files of the golden diagnostics suite (run once by hand).

Each case is small and shows one kind of mistake; `--update-golden` writes the expected
output next to it, which a person then reads before committing.
"""

from pathlib import Path

PRELUDE = """\
enum rating ordered { incomplete, complete, good, excellent }
enum kind { alpha, beta }
subject team {
  id: text key
  block: text
  size: int
  budget: number
}
subject person {
  id: text key
  unit: team
  mentor: person?
  task: rating
  sort: kind
  initiatives: int >= 0 = 0
  leave: number?
  note: text = ""
}
relation members: team -> person by unit
criterion tp "Task" for person max 40 = case task { excellent: 40, good: 25, else: 0 }
score for person = tp + 10 * initiatives
score for team = sum(members, score) / 10
"""

CASES = {
    # ---- syntax ------------------------------------------------------------------------
    "syntax_keyword_typo": 'critrion x "X" for person = 1\n',
    "syntax_missing_by": 'award a "A" for person {\n  when task >= good\n  rank score desc\n}\n',
    "syntax_unclosed_at_end": 'award a "A" for person {\n  when task >= good\n',
    "syntax_unclosed_before_declaration": (
        'award a "A" for person {\n  when task >= good\n\ncriterion x "X" for person = 1\n'
    ),
    "syntax_unclosed_parenthesis": (
        'let x "X" for person = (1 + 2\ncriterion y "Y" for person = 1\n'
    ),
    "syntax_single_quotes": "let x 'X' for person = 1\n",
    "syntax_double_ampersand": 'award a "A" for person { when task >= good && initiatives > 1 }\n',
    "syntax_single_equals": 'award a "A" for person { when task = good }\n',
    "syntax_unterminated_text": 'let x "X for person = 1\n',
    "syntax_missing_direction": ('award a "A" for person {\n  rank by score\n  quota 1\n}\n'),
    "syntax_impossible_date": 'let x "X" for person = 2025-02-30\n',
    "syntax_two_quotas": (
        'award a "A" for person {\n  rank by score desc\n  quota 1\n  quota 2\n}\n'
    ),
    "syntax_else_not_last": ('let x "X" for person = case task { else: 0, good: 1 }\n'),
    "syntax_missing_expression": ('criterion x "X" for person =\ncriterion y "Y" for person = 1\n'),
    "syntax_semicolon": 'criterion x "X" for person = 1;\n',
    "syntax_chained_comparison": 'award a "A" for person { when 1 < initiatives < 3 }\n',
    "syntax_set_outside_in": 'award a "A" for person { when task == {good, excellent} }\n',
    "syntax_three_declarations_broken": (
        'criterion x "X" for person = 1 +\n'
        'award a "A" for person { when task >= }\n'
        'let y "Y" for person = )\n'
    ),
    # ---- names -------------------------------------------------------------------------
    "name_unknown_field": 'criterion ip "I" for person max 30 = 10 * initiatves\n',
    "name_unknown_type": "subject extra {\n  id: text key\n  amount: nubmer\n}\n",
    "name_unknown_subject_kind": 'criterion x "X" for persn = 1\n',
    "name_duplicate_declaration": (
        'criterion x "X" for person = 1\nlet x "X again" for person = 2\n'
    ),
    "name_unknown_enum_value": 'award a "A" for person { when task >= god }\n',
    "name_unknown_qualified_enum_value": 'award a "A" for person { when task == rating.goood }\n',
    "name_ambiguous_enum_value": (
        "enum level { low, good }\n"
        'let x "X" for person = case { initiatives > 2: good, else: good }\n'
    ),
    "name_unknown_function": 'criterion x "X" for person = flor(initiatives / 2)\n',
    "name_unknown_required_award": 'award a "A" for person {\n  requires advanced\n}\n',
    "name_unknown_path_name": 'award a "A" for person { when unit.blok == "A" }\n',
    "name_not_a_relation": 'let x "X" for person = count(unit)\n',
    "name_subject_without_key": "subject extra {\n  name: text\n}\n",
    "name_two_keys": "subject extra {\n  id: text key\n  code: int key\n}\n",
    "name_two_rulesets": 'ruleset "A" { year 2025 }\nruleset "B" { year 2026 }\n',
    "name_quota_reads_subject_value": (
        'award a "A" for person {\n  rank by score desc\n  quota initiatives within unit\n}\n'
    ),
    "name_unknown_example_key": (
        'example "e" {\n  team { id: "U1", block: "A", size: 3, budget: 1.5 }\n'
        '  person { id: "P1", unit: "U1", task: good, sort: alpha }\n'
        "  expect P2 tp == 25\n}\n"
    ),
    "name_expect_unknown_condition": (
        'award a "A" for person {\n  when enough: initiatives >= 1\n}\n'
        'example "e" {\n  team { id: "U1", block: "A", size: 3, budget: 1.5 }\n'
        '  person { id: "P1", unit: "U1", task: good, sort: alpha }\n'
        "  expect P1 not a because enogh\n}\n"
    ),
    # ---- types -------------------------------------------------------------------------
    "type_compare_enum_with_number": 'award a "A" for person { when task == 3 }\n',
    "type_arithmetic_on_text": 'criterion x "X" for person = note + 1\n',
    "type_unordered_enum": 'award a "A" for person { when sort > alpha }\n',
    "type_unguarded_optional": 'criterion x "X" for person = leave * 2\n',
    "type_unguarded_optional_path": 'award a "A" for person { when mentor.task >= good }\n',
    "type_guard_after_use": (
        'award a "A" for person { when leave > 1 and leave is not missing }\n'
    ),
    "type_quota_not_whole": (
        'award a "A" for person {\n  rank by score desc\n'
        "  quota 15% * count(group)\n  within unit\n}\n"
    ),
    "type_within_not_groupable": (
        'award a "A" for team {\n  rank by score desc\n  quota 1\n  within budget\n}\n'
    ),
    "type_within_optional": 'award a "A" for person {\n  rank by score desc\n  within mentor\n}\n',
    "type_max_not_literal": 'criterion x "X" for person max initiatives = 1\n',
    "type_case_not_exhaustive": 'let x "X" for person = case task { good: 1, excellent: 2 }\n',
    "type_case_without_else": 'let x "X" for person = case { initiatives > 2: 1 }\n',
    "type_given_award_read": (
        'award national "National" for person given\naward a "A" for person { when national }\n'
    ),
    "type_held_without_last": 'award a "A" for person { when held(a, 2) == 0 }\n',
    "type_wrong_arity": 'criterion x "X" for person = cap(initiatives)\n',
    "type_condition_not_bool": 'award a "A" for person { when initiatives }\n',
    "type_default_wrong_type": "subject extra {\n  id: text key\n  grade: rating = 3\n}\n",
    "type_quota_without_rank": 'award a "A" for person {\n  quota 1\n}\n',
    "type_tie_without_quota": (
        'award a "A" for person {\n  rank by score desc\n  on tie include\n}\n'
    ),
    "type_optional_key": "subject extra {\n  id: text? key\n}\n",
    "type_relation_through_wrong_field": "relation helpers: team -> person by mentor\n",
    "type_monotone_non_numeric": "check monotone score for person in note\n",
    "type_monotone_through_a_reference": "check monotone score for person in unit.size\n",
    "type_monotone_member_field": (
        "check monotone score for team in members.sort, membrs.task, members.initiatves\n"
    ),
    "name_check_ignores_unknown_field": "check ignores gendr, tp for person\n",
    "type_check_local_not_groupable": "check local within budget for team\n",
    "name_data_rule_reads_a_criterion": 'require "task points" for person: tp >= 10\n',
    # ---- cycles ------------------------------------------------------------------------
    "cycle_two_lets": 'let x "X" for person = y + 1\nlet y "Y" for person = x + 1\n',
    "cycle_award_and_score": (
        "subject unit {\n  id: text key\n  points: int\n}\n"
        'bonus star_bonus "Star bonus" for unit = 5 if star else 0\n'
        "score for unit = points + star_bonus\n"
        'award star "Star" for unit {\n  rank by score desc\n  quota 1\n}\n'
        'award self_made "Self-made" for unit { when self_made }\n'
    ),
    "cycle_three_criteria": (
        'criterion a1 "A1" for person = a2\ncriterion a2 "A2" for person = a3\n'
        'criterion a3 "A3" for person = a1\n'
    ),
    # ---- warnings ----------------------------------------------------------------------
    "warning_weights": (
        'criterion ip "I" for person max 30 = 10 * initiatives\n'
        'let w "W" for person = 100 * weighted(tp: 0.5, ip: 0.3)\n'
    ),
    "warning_unused_bonus": 'bonus extra "Extra" for person = 5\n',
    "warning_ratio_times_100": (
        'award a "A" for team {\n'
        "  when 100 * count(members, task >= good) / count(members) >= 70%\n}\n"
    ),
    "warning_missing_labels": (
        "let x for person = 1\naward a for person { when x > 0 }\n"
        "ranking r for person by score desc\n"
    ),
    # ---- many at once ------------------------------------------------------------------
    "many_errors_capped": "".join(
        f'criterion c{i} "C{i}" for person = missing_{i} + 1\n' for i in range(25)
    ),
    "three_independent_mistakes": (
        'criterion ip "Initiatives" for person max 30 = 10 * initiatves\n'
        'award a "A" for person {\n  when task >= god\n  when leave <= 3\n}\n'
    ),
}

NO_PRELUDE = {"syntax_keyword_typo", "name_two_rulesets", "cycle_award_and_score"}


def main() -> None:
    here = Path(__file__).parent / "diagnostics"
    here.mkdir(exist_ok=True)
    for name, body in CASES.items():
        text = body if name in NO_PRELUDE else PRELUDE + body
        (here / f"{name}.emu").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
