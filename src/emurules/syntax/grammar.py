"""Load the grammar once per process.

The grammar file is `grammar/emurules.lark` at the top of the source tree; the wheel
carries it as `emurules/grammar/emurules.lark` (hatchling force-include), so an installed
package finds it beside itself and a source checkout finds it at the top of the tree.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import lark

GRAMMAR_FILE = "emurules.lark"


def grammar_text() -> str:
    packaged = resources.files("emurules").joinpath("grammar").joinpath(GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_FILE
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise FileNotFoundError(f"the emurules grammar is missing: looked in {packaged} and {checkout}")


def build_parser(*, strict: bool = False) -> lark.Lark:
    """A fresh LALR parser; `strict=True` (needs interegular) rejects any lexer collision."""
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        strict=strict,
    )


@cache
def parser() -> lark.Lark:
    """The process-wide parser; building one takes most of a second."""
    return build_parser()
