"""`emurules explain FILE KEY --data DIR --set field=value`: the what-if question asked
from the command line."""

from __future__ import annotations

from tests.cli.test_cli import run
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022"
BASE = ("explain", str(LAW / "criteria.emu"), "DV01-001", "--data", str(LAW / "data"))


def test_what_changes_for_the_subject_and_for_the_others() -> None:
    done = run(*BASE, "--set", "initiatives=1", "--award", "grassroots_fighter", lang="vi")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[:5] == [
        "Nếu hồ sơ của DV01-001 thay đổi:",
        "  Số sáng kiến: 0 → 1 (thay đổi)",
        "  Sáng kiến: 0 → 15",
        "  Tổng điểm: 70 → 85",
        "  Chiến sĩ thi đua cơ sở: không đạt: có ít nhất một sáng kiến được công nhận → "
        "được tặng, xếp thứ 1",
    ]
    # the unit's quota is two places: the one who drops to third loses the title
    assert (
        "  kéo theo DV01-026 Lê Minh, Chiến sĩ thi đua cơ sở: được tặng, xếp thứ 2 → "
        "đạt tiêu chuẩn, ngoài chỉ tiêu (xếp thứ 3)"
    ) in lines
    after = lines.index("Giải thích sau khi thay đổi:")
    assert "Số sáng kiến: 1" in "\n".join(lines[after:])


def test_a_change_that_moves_nothing_says_so() -> None:
    done = run(*BASE, "--set", "training_hours=48", lang="en")
    assert done.returncode == 0
    assert "no value and no title of this subject changes" in done.stdout


def test_mistakes_in_set() -> None:
    bad_value = run(*BASE, "--set", "initiatives=x")
    assert bad_value.returncode == 1
    assert "--set:initiatives: error[D0101]" in bad_value.stdout
    assert "individual.csv" not in bad_value.stdout
    for wrong in (["initiatives"], ["=1"], ["initiatives=1", "initiatives=2"], ["bogus=1"]):
        args = [a for value in wrong for a in ("--set", value)]
        done = run(*BASE, *args)
        assert done.returncode == 2, wrong
        assert "Traceback" not in done.stderr
        assert "--set" in done.stderr or "no field 'bogus'" in done.stderr
