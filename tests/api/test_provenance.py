"""A decision can be traced to the exact rules that made it: `Rules.version`, `Rules.sha256`
and `Result.provenance`, in `to_json()` and in every report."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import unicodedata
from pathlib import Path

import pytest

import emurules
from emurules.provenance import EPOCH_VARIABLE, sha256_text
from emurules.report import export
from emurules.report.html import to_html
from emurules.report.text import table_text
from emurules.testing.run import fingerprint
from emurules.testing.run import run as run_tests

CRITERIA = """\
ruleset "Khen thưởng" { year 2025  version "2025.2" }
subject person { id: text key  p: number }
score for person = p
award top "Top" for person { when p > 1 }
"""
DATA = {"person": [{"id": "A", "p": "2"}, {"id": "B", "p": "1"}]}
FIXED = "2026-01-01T00:00:00+00:00"  # SOURCE_DATE_EPOCH, set by tests/conftest.py


def test_rules_say_their_version_and_the_hash_of_their_text() -> None:
    rules = emurules.compile(CRITERIA)
    assert rules.version == "2025.2"
    assert rules.sha256 == hashlib.sha256(CRITERIA.encode("utf-8")).hexdigest()
    assert emurules.compile(CRITERIA.replace('  version "2025.2"', "")).version is None


def test_the_hash_is_of_the_text_as_read_so_any_keyboard_gives_the_same() -> None:
    decomposed = unicodedata.normalize("NFD", CRITERIA)
    assert decomposed != CRITERIA
    same = {
        emurules.compile(CRITERIA).sha256,
        emurules.compile(decomposed).sha256,
        emurules.compile("\ufeff" + CRITERIA).sha256,
        sha256_text(decomposed),
        fingerprint(CRITERIA),
    }
    assert len(same) == 1
    assert emurules.compile(CRITERIA.replace("p > 1", "p > 2")).sha256 not in same


def test_a_test_run_names_the_same_hash() -> None:
    rules = emurules.compile(CRITERIA)
    assert run_tests(rules, max_examples=1).sha256 == rules.sha256


def test_the_result_says_where_it_comes_from() -> None:
    rules = emurules.compile(CRITERIA, "khen.emu")
    made = rules.evaluate(DATA).provenance
    assert made == emurules.Provenance(
        ruleset="Khen thưởng", version="2025.2", sha256=rules.sha256,
        emurules=emurules.__version__, engine="row", year=2025,
        evaluated=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    assert made.evaluated_text == FIXED
    assert rules.evaluate(DATA, year=2024).provenance.year == 2024
    assert rules.evaluate(DATA).to_json()["provenance"] == {
        "ruleset": "Khen thưởng", "version": "2025.2", "sha256": rules.sha256,
        "emurules": emurules.__version__, "engine": "row", "year": 2025, "evaluated": FIXED,
    }  # fmt: skip


def test_without_a_fixed_epoch_the_time_is_the_clock_in_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(EPOCH_VARIABLE)
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    evaluated = emurules.compile(CRITERIA).evaluate(DATA).provenance.evaluated
    after = datetime.datetime.now(datetime.UTC)
    assert evaluated is not None and evaluated.utcoffset() == datetime.timedelta(0)
    assert before <= evaluated <= after
    monkeypatch.setenv(EPOCH_VARIABLE, "0")
    made = emurules.compile(CRITERIA).evaluate(DATA).provenance
    assert made.evaluated_text == "1970-01-01T00:00:00+00:00"


def _result() -> emurules.Result:
    return emurules.compile(CRITERIA).evaluate(DATA)


def test_every_report_names_the_rules_and_the_time() -> None:
    made = _result()
    sha = made.provenance.sha256
    assert sha is not None
    line = (
        f"Rules version 2025.2, SHA-256 {sha}; emurules {emurules.__version__}, row engine; "
        f"evaluated {FIXED}"
    )
    table = table_text(made, width=300).splitlines()
    assert table[0].startswith("Khen thưởng, 2025") and table[1].strip() == line
    markdown = export.to_markdown(made).splitlines()
    assert markdown[:4] == ["# Khen thưởng, 2025", "", line, ""]
    assert f'<h1>Khen thưởng, 2025</h1>\n<p class="provenance">{line}</p>' in to_html(made)


def test_a_csv_row_carries_the_provenance_in_its_last_columns() -> None:
    made = _result()
    rows = list(csv.DictReader(io.StringIO(export.to_csv(made).removeprefix(export.BOM))))
    fields = len(export.CSV_FIELDS)
    assert list(rows[0])[:fields] == list(export.CSV_FIELDS)
    assert list(rows[0])[fields:] == list(export.PROVENANCE_FIELDS)
    for row in rows:
        found = [row[c] for c in ("year", "ruleset_version", "ruleset_sha256", "engine")]
        assert found == ["2025", "2025.2", made.provenance.sha256, "row"]
        assert row["evaluated"] == FIXED
        assert row["emurules"] == emurules.__version__


def test_a_workbook_has_a_provenance_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from emurules.report.xlsx import write_xlsx

    made = _result()
    write_xlsx(made, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Provenance"]
    found = {row[0].value: row[1].value for row in sheet.iter_rows()}
    assert found == {
        "ruleset": "Khen thưởng", "version": "2025.2",
        "SHA-256 of the criteria text": made.provenance.sha256,
        "emurules": emurules.__version__, "engine": "row", "year": 2025, "evaluated": FIXED,
    }  # fmt: skip


def test_a_result_made_by_hand_says_what_it_does_not_know() -> None:
    made = emurules.Result(
        year=2025, ruleset=None, subjects={}, awards=(), outcomes={},
        recipients_by_award={}, explanations={}, kinds=(),
    )  # fmt: skip
    assert made.provenance.sha256 is None and made.provenance.evaluated is None
    assert made.to_json()["provenance"]["engine"] is None
    assert "Rules SHA-256 unknown; emurules" in export.to_markdown(made)
