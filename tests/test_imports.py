"""Imports flow with the data: nothing after plan reads the syntax tree or the checker."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "emurules"
FORBIDDEN = ("emurules.syntax", "emurules.check")

# Folders (or single modules) below src/emurules that must not import FORBIDDEN.
CHECKED = (
    "data",
    "engine",
    "plan/ir.py",
    "plan/steps.py",
    "plan/schema.py",
    "result.py",
    "limits.py",
    "suggest.py",
    "stack.py",
    "names.py",
    "arithmetic.py",
    "builtins",
    "report",
    "i18n",
)
# The registry of built-in functions and the messages sit below the checker and every
# engine, which read them: they import neither, nor the plan.
BELOW_ALL = ("builtins", "arithmetic.py", "i18n")


def _modules(name: str) -> list[Path]:
    path = SRC / name
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path, root: Path = SRC) -> list[tuple[int, str]]:
    """Every module a file imports, absolute or relative, at any depth (lazy imports too)."""
    package = ".".join(("emurules", *path.relative_to(root).with_suffix("").parts[:-1]))
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def _forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


@pytest.mark.parametrize("name", CHECKED)
def test_nothing_after_plan_imports_syntax_or_check(name: str) -> None:
    files = _modules(name)
    assert files, f"nothing to check under src/emurules/{name}"
    bad = [
        f"{path.relative_to(SRC)}:{line}: {module}"
        for path in files
        for line, module in _imports(path)
        if _forbidden(module)
    ]
    assert not bad, "imports of syntax/ or check/ after plan:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", BELOW_ALL)
def test_the_registry_of_functions_imports_no_stage(name: str) -> None:
    stages = ("emurules.syntax", "emurules.check", "emurules.plan", "emurules.engine")
    stages += ("emurules.data", "emurules.report", "emurules.cli") if name == "i18n" else ()
    bad = [
        f"{path.relative_to(SRC)}:{line}: {module}"
        for path in _modules(name)
        for line, module in _imports(path)
        if any(module == s or module.startswith(s + ".") for s in stages)
    ]
    assert not bad, "the registry imports a stage:\n" + "\n".join(bad)


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    root = tmp_path / "emurules"
    module = root / "data" / "sample.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import emurules.syntax.ast\n"
        "from emurules.check import types\n"
        "from ..syntax import printer\n"
        "from .. import check\n"
        "from .cells import clean\n"
        "def f():\n    from emurules.check.scope import suggest\n",
        encoding="utf-8",
    )
    lines = {line for line, name in _imports(module, root) if _forbidden(name)}
    assert lines == {1, 2, 3, 4, 7}
