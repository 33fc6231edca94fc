"""A pytest plugin: each `.emu` file's examples and checks as test items, as pytest's
doctest plugin collects docstrings. Installed with emurules (entry point `pytest11`) and
inert until enabled: `pytest --emurules`, or `emurules = true` in the ini file.

Options: `--emurules-seed` / ini `emurules_seed` and `--emurules-max-examples` / ini
`emurules_max_examples`. Nothing of emurules is imported until a `.emu` file is collected,
so that the plugin costs nothing in projects that do not enable it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import ExceptionInfo, TerminalRepr

    from emurules.rules import Rules
    from emurules.testing.run import Item


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("emurules")
    group.addoption(
        "--emurules",
        action="store_true",
        default=None,
        help="collect the examples and checks of .emu criteria files as tests",
    )
    group.addoption("--emurules-seed", type=int, default=None, help="the seed of the checks")
    group.addoption(
        "--emurules-max-examples",
        type=int,
        default=None,
        help="populations tried per check",
    )
    parser.addini("emurules", "collect .emu criteria files as tests", type="bool", default=False)
    parser.addini("emurules_seed", "the seed of the checks", default="0")
    parser.addini("emurules_max_examples", "populations tried per check", default="100")


def _setting(config: pytest.Config, name: str) -> Any:
    found = config.getoption(name)
    return found if found is not None else config.getini(name)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".emu" and _setting(parent.config, "emurules"):
        return CriteriaFile.from_parent(parent, path=file_path)
    return None


class CriteriaFile(pytest.File):
    """A criteria file: one item per example and per check, or one failing item when the
    file does not check (its diagnostics are the failure)."""

    def collect(self) -> Iterator[pytest.Item]:
        from emurules.errors import CriteriaError
        from emurules.rules import load

        try:
            rules = load(self.path)
        except CriteriaError as error:
            yield CriteriaErrorItem.from_parent(self, name="criteria", error=error)
            return
        for index, example in enumerate(rules.plan.examples):
            yield RulesItem.from_parent(
                self, name=f"example: {example.label}", rules=rules, index=index, kind="example"
            )
        from emurules.testing.properties import checks_of

        for index, check in enumerate(checks_of(rules)):
            yield RulesItem.from_parent(
                self, name=f"check: {check.label}", rules=rules, index=index, kind="check"
            )


class EmurulesFailure(Exception):
    """An example or check that failed; its text is the report's."""

    def __init__(self, item: Item) -> None:
        super().__init__(item.label)
        self.item = item


class RulesItem(pytest.Item):
    def __init__(self, *, rules: Rules, index: int, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rules = rules
        self.index = index
        self.kind = kind

    def runtest(self) -> None:
        from emurules.testing.examples import run_example
        from emurules.testing.properties import check_one, checks_of

        found: Item
        if self.kind == "example":
            found = run_example(self.rules, self.rules.plan.examples[self.index])
        else:
            found = check_one(
                self.rules,
                checks_of(self.rules)[self.index],
                seed=int(_setting(self.config, "emurules_seed")),
                max_examples=int(_setting(self.config, "emurules_max_examples")),
            )
        if not found.passed:
            raise EmurulesFailure(found)

    def repr_failure(
        self, excinfo: ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, EmurulesFailure):
            return "\n".join(excinfo.value.item.lines())
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self._line()
        return self.path, None if line is None else line - 1, self.name

    def _line(self) -> int | None:
        if self.kind == "example":
            span = self.rules.plan.examples[self.index].span
        else:
            from emurules.testing.properties import checks_of

            span = checks_of(self.rules)[self.index].span
        return None if span is None else span.line


class CriteriaErrorItem(pytest.Item):
    def __init__(self, *, error: Exception, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(
        self, excinfo: ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        from emurules.diagnostics import render_all
        from emurules.errors import DiagnosticError

        if isinstance(excinfo.value, DiagnosticError):
            return render_all(excinfo.value.diagnostics)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "criteria"
