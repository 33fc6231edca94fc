"""Testing criteria: a file's examples run, its checks falsified with generated data.

`run(rules)` does what `emurules test` does for one file; `strategies.population(rules)`
generates valid populations for a reviewer's own hypothesis tests; the pytest plugin
(`pytest --emurules`) collects `.emu` files.
"""

from __future__ import annotations

from emurules.testing import strategies
from emurules.testing.examples import ExampleRun, ExpectationFailure, run_example, run_examples
from emurules.testing.outcome import CheckRun, Counterexample
from emurules.testing.properties import check_all, check_one, checks_of
from emurules.testing.run import FileRun, run
from emurules.testing.strategies import Population, population

__all__ = [
    "CheckRun",
    "Counterexample",
    "ExampleRun",
    "ExpectationFailure",
    "FileRun",
    "Population",
    "check_all",
    "check_one",
    "checks_of",
    "population",
    "run",
    "run_example",
    "run_examples",
    "strategies",
]
