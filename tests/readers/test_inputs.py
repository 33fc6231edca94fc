"""`--data` arguments and data folders: every file is accounted for, or the folder is
refused naming the files expected and found."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from emurules.data.readers import Inputs, argument_path, find_inputs
from emurules.errors import DataError

KINDS = ("individual", "collective", "cá_nhân")


def folder(tmp_path: Path, *names: str) -> Path:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    for name in names:
        if name.endswith("/"):
            (data / name).mkdir()
        else:
            (data / name).write_text("id\nX\n", "utf-8")
    return data


def refused(arguments: list[str]) -> DataError:
    with pytest.raises(DataError) as raised:
        find_inputs(arguments, KINDS)
    assert {d.code for d in raised.value.diagnostics} == {"D0112"}
    assert {d.kind for d in raised.value.diagnostics} == {"inputs"}
    return raised.value


def test_a_decomposed_file_name_is_found(tmp_path: Path) -> None:
    """`cá_nhân.csv` saved on a Mac has a decomposed (NFD) name; the kind is NFC."""
    name = unicodedata.normalize("NFD", "cá_nhân.csv")
    data = folder(tmp_path, name, "history.csv")
    inputs = find_inputs([str(data)], KINDS)
    assert inputs == Inputs({"cá_nhân": data / name}, data / "history.csv")
    assert inputs.files["cá_nhân"].exists()
    alone = find_inputs([str(data / name)], KINDS)
    assert alone.files == {"cá_nhân": data / name}


def test_a_misspelt_file_is_refused_with_did_you_mean(tmp_path: Path) -> None:
    data = folder(tmp_path, "individuals.csv", "collective.csv")
    error = refused([str(data)])
    (diagnostic,) = error.diagnostics
    assert diagnostic.place is not None and diagnostic.place.file == str(data / "individuals.csv")
    assert str(diagnostic.message) == "the data file is named after no subject kind ('individuals')"
    assert diagnostic.hint is not None and "did you mean 'individual'?" in str(diagnostic.hint)
    assert tuple(str(note) for note in diagnostic.notes) == (
        "expected files named after a subject kind (collective, cá_nhân, individual) or "
        "history, as .csv, .json, .jsonl, .xlsx, .parquet",
        "found: collective.csv, individuals.csv",
    )


def test_two_files_for_one_kind_are_refused(tmp_path: Path) -> None:
    data = folder(tmp_path, "individual.csv", "individual.json")
    error = refused([str(data)])
    assert (
        f"2 files for 'individual': {data / 'individual.csv'} and {data / 'individual.json'}"
        in str(error)
    )
    other = tmp_path / "individual.xlsx"
    other.write_bytes(b"")
    assert "2 files for 'individual'" in str(refused([str(data / "individual.csv"), str(other)]))
    assert "2 files for 'individual'" in str(
        refused([str(data / "individual.csv"), f"individual={other}"])
    )


@pytest.mark.parametrize("name", ["individual.xls", "old.xls", "collective.ods", "a.xlsm"])
def test_old_spreadsheets_are_refused(tmp_path: Path, name: str) -> None:
    data = folder(tmp_path, name, "individual.csv" if name != "individual.xls" else "x.md")
    error = refused([str(data)])
    assert "spreadsheet cannot be read" in str(error)
    assert "save it as Excel Workbook (.xlsx)" in str(error)


def test_a_folder_without_data_is_refused(tmp_path: Path) -> None:
    data = folder(tmp_path, "README.md", "notes.txt")
    error = refused([str(data)])
    assert "the folder holds no data file" in str(error)
    assert "found: README.md, notes.txt" in str(error)
    only_history = folder(tmp_path / "h", "history.csv")
    assert "no data file for any subject kind" in str(refused([str(only_history)]))


def test_files_that_are_clearly_not_data_are_ignored(tmp_path: Path) -> None:
    data = folder(
        tmp_path,
        "README.md",
        "notes.txt",
        ".hidden.csv",
        ".DS_Store",
        "~$individual.xlsx",
        "2024/",
        "individual.csv",
    )
    assert find_inputs([str(data)], KINDS) == Inputs({"individual": data / "individual.csv"}, None)


def test_a_file_named_after_a_kind_in_a_format_not_read_is_refused(tmp_path: Path) -> None:
    data = folder(tmp_path, "individual.txt", "collective.csv")
    assert "a file named after 'individual' whose format cannot be read" in str(
        refused([str(data)])
    )


def test_unknown_kinds_in_arguments(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id\nX\n", "utf-8")
    error = refused([f"individul={path}"])
    assert "no subject kind 'individul'" in str(error)
    assert "did you mean 'individual'? the subject kinds are: collective, cá_nhân, individual" in (
        str(error)
    )
    error = refused([str(path)])
    assert "the file is named after no subject kind ('x')" in str(error)
    assert f"or give it as KIND={path}" in str(error)


def test_missing_paths_are_named(tmp_path: Path) -> None:
    assert "no such data file or folder" in str(refused([str(tmp_path / "nope")]))
    assert "no such data file" in str(refused([f"individual={tmp_path / 'nope.csv'}"]))


def test_explicit_files_and_history(tmp_path: Path) -> None:
    data = folder(tmp_path, "individual.csv", "staff.xlsx", "history.csv", "past.csv")
    inputs = find_inputs(
        [
            str(data / "individual.csv"),
            f"collective={data / 'staff.xlsx'}",
            f"history={data}/past.csv",
        ],
        KINDS,
    )
    assert inputs == Inputs(
        {"individual": data / "individual.csv", "collective": data / "staff.xlsx"},
        data / "past.csv",
    )
    assert find_inputs([], KINDS) == Inputs({}, None)


def test_argument_path() -> None:
    assert argument_path("individual=a/b.csv") == Path("a/b.csv")
    assert argument_path("data/x=y.csv") == Path("data/x=y.csv")
    assert argument_path("data") == Path("data")


def test_every_problem_of_the_arguments_at_once(tmp_path: Path) -> None:
    data = folder(tmp_path, "individuals.csv", "collective.xls", "x.json", "x.jsonl")
    error = refused([str(data), "persn=a.csv", str(tmp_path / "missing")])
    assert len(error.diagnostics) == 6
