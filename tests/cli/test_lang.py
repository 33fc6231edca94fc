"""`--lang vi|en` on every command: the same runs as the English tests, read in
Vietnamese; without --lang, the locale chooses (LANG=vi... speaks Vietnamese)."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from emurules.cli import build_parser, main
from tests.cli.test_test_command import FAIR
from tests.helpers import ROOT

EXAMPLE = ROOT / "examples" / "law-2022"
CRITERIA, DATA = str(EXAMPLE / "criteria.emu"), str(EXAMPLE / "data")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_every_command_takes_lang() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    for name, command in commands.items():  # type: ignore[attr-defined]
        options = {o for action in command._actions for o in action.option_strings}
        assert "--lang" in options, name


def test_a_diagnostic_in_vietnamese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.emu"
    bad.write_text(FAIR.replace("when task >= good", "when tsk >= good"), encoding="utf-8")
    code, out, _ = run("check", str(bad), "--lang", "vi", "--color", "never")
    assert code == 1
    assert "lỗi[E0201]" in out and "= gợi ý:" in out  # the code and layout stay
    assert "không có tên 'tsk' cho person" in out
    assert "đã kiểm tra 1 tệp: 1 lỗi" in out
    _, english, _ = run("check", str(bad), "--lang", "en", "--color", "never")
    assert "unknown name 'tsk' for person" in english


def test_a_data_error_in_vietnamese(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE / "data", folder)
    path = folder / "individual.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("DV01,good", "DV01,Good", 1), encoding="utf-8")
    code, out, _ = run("rank", CRITERIA, "--data", str(folder), "--lang", "vi")
    assert code == 1
    assert "'Good' không phải là giá trị của rating" in out
    assert "dữ liệu có 1 vấn đề; chưa đánh giá gì" in out


def test_an_explanation_in_vietnamese() -> None:
    code, out, _ = run("explain", CRITERIA, "--data", DATA, "DV01-003", "--lang", "vi")
    assert code == 0
    assert out.startswith("Cá nhân DV01-003 — Vũ Lan\n")
    assert (
        "  Không đạt “Lao động tiên tiến” "
        "(điều kiện không đạt: hoàn thành tốt nhiệm vụ trở lên) [advanced_worker]\n"
    ) in out
    assert (
        "✗ hoàn thành tốt nhiệm vụ trở lên: không đạt "
        "(Mức độ hoàn thành nhiệm vụ: Hoàn thành nhiệm vụ) [when1]"
    ) in out
    code, out, _ = run("explain", CRITERIA, "--data", DATA, "DV02", "--lang", "vi")
    assert "  Tổng điểm: 71,25\n" in out  # numbers with a decimal comma, values in words
    assert "(Tỷ lệ Thành viên đạt “Lao động tiên tiến”: 76%)" in out
    assert "Chỉ tiêu: 1 suất; ngưỡng xét: Tổng điểm 71,25, Tỷ lệ hồ sơ được số hóa 60%" in out


def test_the_rank_table_in_vietnamese() -> None:
    code, out, _ = run("rank", CRITERIA, "--data", DATA, "--top", "2", "--lang", "vi")
    assert code == 0
    for words in ("Thứ hạng", "Kết quả", "được tặng", "Tổng hợp", "Số đạt tiêu chuẩn"):
        assert words in out
    assert "received" not in out
    assert "71,25" in out and "71.25" not in out  # a score with a decimal comma
    _, english, _ = run("rank", CRITERIA, "--data", DATA, "--top", "2", "--lang", "en")
    assert "71.25" in english and "71,25" not in english


def test_the_test_commands_summary_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fair = tmp_path / "fair.emu"
    fair.write_text(FAIR, encoding="utf-8")
    code, out, _ = run("test", str(fair), "--max-examples", "10", "--lang", "vi")
    assert code == 0, out
    assert "1 ví dụ, 1 phép kiểm tra: tất cả đều đạt (seed 0)" in out


def test_the_locale_chooses_without_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fair = tmp_path / "fair.emu"
    fair.write_text(FAIR, encoding="utf-8")
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "đã kiểm tra 1 tệp: không có vấn đề" in run("check", str(fair))[1]
    assert "1 file checked: no problems" in run("check", str(fair), "--lang", "en")[1]
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "1 file checked: no problems" in run("check", str(fair))[1]


def test_a_usage_error_in_vietnamese(tmp_path: Path) -> None:
    code, _, err = run("rank", CRITERIA, "--data", str(tmp_path / "none"), "--lang", "vi")
    assert code == 2
    assert err.startswith("emurules: lỗi: không có tệp hoặc thư mục dữ liệu")


def test_the_criteria_files_language_comes_before_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """law-2022 says `language vi`: without --lang it speaks Vietnamese in an English
    locale; a file that says `language en` speaks English in a Vietnamese one."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    code, out, _ = run("rank", CRITERIA, "--data", DATA, "--top", "1", "--color", "never")
    assert code == 0 and "Lao động tiên tiến" in out and "được tặng" in out
    assert "received" not in out
    assert "đã kiểm tra 1 tệp: không có vấn đề" in run("check", CRITERIA)[1]
    english = tmp_path / "english.emu"
    english.write_text(
        FAIR.replace("ruleset ", "ruleset ", 1).replace("{", "{\n  language en", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "1 file checked: no problems" in run("check", str(english))[1]
    assert "1 file checked: no problems" in run("check", str(english), "--lang", "en")[1]
    assert "đã kiểm tra" in run("check", str(english), "--lang", "vi")[1]
    # files that disagree: the locale decides
    both = run("check", str(english), CRITERIA)[1]
    assert "đã kiểm tra 2 tệp" in both


def test_a_file_that_does_not_parse_still_speaks_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    broken = tmp_path / "broken.emu"
    text = (EXAMPLE / "criteria.emu").read_text(encoding="utf-8")
    broken.write_text(text.replace("reward 0.3", "reward -0.3"), encoding="utf-8")
    code, out, _ = run("check", str(broken), "--color", "never")
    assert code == 1 and "lỗi[E0101]" in out
    code, out, _ = run("diff", CRITERIA, CRITERIA, "--data", DATA, "--color", "never")
    assert code == 0 and out.startswith("Những thay đổi giữa hai phiên bản bộ tiêu chí")
