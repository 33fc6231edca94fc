"""The parser cache: the same parses with and without it, and a bad cache is only rebuilt."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import lark
import pytest

from emurules.source import Diagnostic, Source, normalise
from emurules.syntax import grammar, parse
from emurules.syntax.ast import Module
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"
BROKEN = (
    'ruleset "x" {}\nsubject person {\n  id: text key\n  a: int\n}\n'
    "criterion c for person = a +\nlet = 3\n"
)


@pytest.fixture(scope="module")
def built() -> lark.Lark:
    return grammar.build_parser()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, built: lark.Lark) -> list[int]:
    """Building a parser returns the one built once for this module, and is counted."""
    builds: list[int] = []

    def build(*, strict: bool = False) -> lark.Lark:
        builds.append(1)
        return built

    monkeypatch.setattr(grammar, "build_parser", build)
    return builds


def _cache_file(directory: Path) -> Path:
    (found,) = directory.glob("parser-*.pickle")
    return found


def _parse_with(
    monkeypatch: pytest.MonkeyPatch, lark_parser: lark.Lark, text: str
) -> tuple[Module | None, list[tuple[str, str, int | None, int | None]]]:
    monkeypatch.setattr(parse, "parser", lambda: lark_parser)
    module, diagnostics = parse.parse_source(Source("law.emu", normalise(text)))
    return module, [_seen(d) for d in diagnostics]


def _seen(d: Diagnostic) -> tuple[str, str, int | None, int | None]:
    span = d.span
    return (
        d.code,
        d.message,
        None if span is None else span.start,
        None if span is None else span.end,
    )


def test_parses_equal_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: lark.Lark
) -> None:
    grammar.cached_parser(tmp_path)  # writes the cache
    loaded = grammar.cached_parser(tmp_path)
    assert isinstance(loaded, grammar.CachedParser)
    for text in (LAW.read_text(encoding="utf-8"), BROKEN):
        with_cache = _parse_with(monkeypatch, loaded, text)
        without = _parse_with(monkeypatch, built, text)
        assert with_cache == without
    assert _parse_with(monkeypatch, loaded, BROKEN)[1][0][0] == "E0101"


def test_the_cached_parser_still_has_its_grammar(tmp_path: Path, counted: list[int]) -> None:
    """hypothesis's from_lark reads `parser().grammar` (tests/properties)."""
    grammar.cached_parser(tmp_path)
    loaded = grammar.load_cached(_cache_file(tmp_path), grammar.cache_key(grammar.grammar_text()))
    assert loaded is not None and loaded.grammar is not None


def test_a_second_process_loads_instead_of_building(tmp_path: Path, counted: list[int]) -> None:
    grammar.cached_parser(tmp_path)
    grammar.cached_parser(tmp_path)
    assert len(counted) == 1
    assert [p.name for p in tmp_path.iterdir()] == [_cache_file(tmp_path).name]  # no leftovers


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a parser at all\n" * 50, id="garbage"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(
            lambda data: data.replace(b"emurules-parser", b"emurules-parsed", 1), id="header"
        ),
        pytest.param(lambda data: data[:200] + bytes(50) + data[250:], id="zeros"),
        pytest.param(lambda data: data[:-1000] + bytes([data[-1000] ^ 1]) + data[-999:], id="bit"),
    ],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, counted: list[int], spoil: object
) -> None:
    grammar.cached_parser(tmp_path)
    path = _cache_file(tmp_path)
    good = path.read_bytes()
    assert callable(spoil)
    path.write_bytes(spoil(good))
    parser = grammar.cached_parser(tmp_path)
    assert parser.parse('ruleset "x" {}\n') is not None
    assert len(counted) == 2
    assert path.read_bytes() == good  # rewritten
    assert isinstance(grammar.cached_parser(tmp_path), grammar.CachedParser)


def test_a_cache_from_another_grammar_is_not_used(tmp_path: Path, counted: list[int]) -> None:
    grammar.cached_parser(tmp_path)
    path = _cache_file(tmp_path)
    assert grammar.load_cached(path, grammar.cache_key("start: NAME\n")) is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_others_may_write_is_not_loaded(tmp_path: Path, counted: list[int]) -> None:
    grammar.cached_parser(tmp_path)
    path = _cache_file(tmp_path)
    path.chmod(0o666)
    assert grammar.load_cached(path, grammar.cache_key(grammar.grammar_text())) is None


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path, counted: list[int]) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    assert grammar.cached_parser(blocked / "emurules").parse('ruleset "x" {}\n') is not None
    assert grammar.cached_parser(None).parse('ruleset "x" {}\n') is not None


def test_processes_racing_to_write_the_cache_leave_a_good_one(
    tmp_path: Path, counted: list[int]
) -> None:
    failures: list[BaseException] = []

    def one() -> None:
        try:
            grammar.cached_parser(tmp_path)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    key = grammar.cache_key(grammar.grammar_text())
    assert grammar.load_cached(_cache_file(tmp_path), key) is not None
    assert not list(tmp_path.glob("*.tmp"))


def test_the_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert grammar.cache_dir() == tmp_path / "emurules"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert grammar.cache_dir() == tmp_path / "home" / ".cache" / "emurules"
