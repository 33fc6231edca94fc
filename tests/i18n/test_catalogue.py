"""The catalogues agree with the code: every message the code names exists in every
language with the arguments the code gives, nothing in a catalogue is unused, and the
committed .mo files are compiled from the .po sources."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import string
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from emurules.i18n import LANGUAGES, LOCALE_DIR, Message, message, render

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "emurules"


def _tools() -> object:
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["messages_tool"] = module
    spec.loader.exec_module(module)
    return module


def _uses() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Every `message("id", **args)` call in the package: id -> [(place, argument names)]."""
    found: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name != "message" or not node.args:
                continue
            place = f"{path.relative_to(SOURCE)}:{node.lineno}"
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{place}: a message id must be written out, so that this test can find it"
            )
            assert all(k.arg is not None for k in node.keywords), f"{place}: no **arguments"
            found[first.value].append((place, frozenset(k.arg for k in node.keywords if k.arg)))
    return found


def _catalogue(lang: str) -> dict[str, list[str]]:
    """id -> its texts (one, or one per plural form)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "emurules.mo"
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    texts: dict[str, list[str]] = defaultdict(list)
    for key, text in translations._catalog.items():  # type: ignore[attr-defined]
        if key == "":
            continue
        texts[key[0] if isinstance(key, tuple) else key].append(text)
    return texts


def _fields(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_committed_catalogues_are_compiled_from_the_sources() -> None:
    pytest.importorskip("babel", reason="Babel compiles the catalogues (the dev extra)")
    assert _tools().main(["--check"]) == 0, "run `make messages`"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_used_exists_with_its_arguments(lang: str) -> None:
    catalogue = _catalogue(lang)
    problems = []
    for id, uses in _uses().items():
        if id not in catalogue:
            problems.append(f"{uses[0][0]}: {id} is not in the {lang} catalogue")
            continue
        for text in catalogue[id]:
            wanted = _fields(text)
            for place, given in uses:
                if wanted - given:
                    problems.append(f"{place}: {id} needs {sorted(wanted - given)}")
                if given - wanted and "count" not in given - wanted:
                    problems.append(f"{place}: {id} does not show {sorted(given - wanted)}")
            plural = "count" in wanted or any("count" in g for _, g in uses)
            if plural and len(catalogue[id]) < 2 and lang == "en":
                problems.append(f"{id}: takes a count, so it must be a plural entry")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_catalogue_is_used(lang: str) -> None:
    unused = sorted(set(_catalogue(lang)) - set(_uses()))
    assert not unused, f"messages nothing uses: {unused}"


def test_a_message_reads_in_english_and_nests() -> None:
    one = message("core.errors", count=1)
    assert render(one) == "1 error" == str(one)
    both = message(
        "core.errors-and-warnings", errors=one, warnings=message("core.warnings", count=3)
    )
    assert render(both) == "1 error, 3 warnings"
    assert render("a formula, as written") == "a formula, as written"
    assert isinstance(both, Message)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_a_fragment_glued_by_spaces(lang: str) -> None:
    """Indentation and separators belong to the layout, not to the words: a text that
    starts or ends with a space is a fragment a translator cannot see whole."""
    glued = [
        id
        for id, texts in _catalogue(lang).items()
        if any(t != t.strip() or "  " in t.replace("  (", "") for t in texts)
    ]
    assert not glued, glued
