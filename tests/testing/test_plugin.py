"""The pytest plugin: `.emu` files' examples and checks collected as test items."""

from __future__ import annotations

import pytest

from tests.cli.test_test_command import FAIR, UNFAIR

pytest_plugins = ["pytester"]

BROKEN_EXAMPLE = FAIR.replace("expect P1 fighter", "expect P1 not fighter")


def test_inert_unless_enabled(pytester: pytest.Pytester) -> None:
    pytester.makefile(".emu", unfair=UNFAIR)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes()  # nothing collected


def test_collects_examples_and_checks(pytester: pytest.Pytester) -> None:
    pytester.makefile(".emu", fair=FAIR)
    result = pytester.runpytest("--emurules", "--emurules-max-examples", "20", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*fair.emu::example: an excellent person with an initiative PASSED*",
            "*fair.emu::check: fighters are workers PASSED*",
        ]
    )


def test_fails_a_broken_file_readably(pytester: pytest.Pytester) -> None:
    pytester.makefile(".emu", broken=BROKEN_EXAMPLE, unfair=UNFAIR)
    pytester.makeini("[pytest]\nemurules = true\nemurules_max_examples = 20\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=2)  # broken: its example; unfair: its check
    result.stdout.fnmatch_lines(
        [
            "*expect P1 not fighter: expected not received, found received*",
            '*check "fighters are workers" failed*',
            "*broken by: P*",
        ]
    )
    assert not (pytester.path / ".hypothesis").exists()


def test_a_file_with_errors_is_one_failing_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".emu", wrong=FAIR.replace("task >= good", "task >= god"))
    result = pytester.runpytest("--emurules")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*wrong.emu:8:*"])
