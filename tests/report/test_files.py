"""Reports are written atomically: an interrupted write leaves the previous report whole."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from emurules.report import files
from emurules.report.files import atomic_path, write_bytes, write_text
from tests.helpers import ROOT

OLD = "yesterday's report\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_text_replaces_the_file(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text(OLD, encoding="utf-8")
    write_text(out, "mới\n")
    assert out.read_bytes() == "mới\n".encode()
    write_text(out, "a\n", bom=True)
    assert out.read_bytes() == b"\xef\xbb\xbfa\n"
    assert leftovers(tmp_path) == []


def test_a_lone_surrogate_is_written_as_its_escape(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    write_text(out, '{"key": "\ud800"}')
    assert out.read_text(encoding="utf-8") == '{"key": "\\ud800"}'


def test_a_writer_that_fails_half_way_leaves_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.csv"
    out.write_text(OLD, encoding="utf-8")

    def half_then_full_disk(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write", half_then_full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_text(out, "new report\n" * 1000)
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_a_full_disk_found_at_sync_leaves_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.xlsx"
    out.write_text(OLD, encoding="utf-8")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError):
        write_bytes(out, b"PK" * 1000)
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit, ValueError])
def test_any_exception_removes_the_temporary_file(tmp_path: Path, stop: type) -> None:
    out = tmp_path / "r.md"
    out.write_text(OLD, encoding="utf-8")
    with pytest.raises(stop), atomic_path(out) as temporary:
        assert temporary.parent == tmp_path and temporary.name.startswith(".r.md.")
        temporary.write_text("half", encoding="utf-8")
        raise stop()
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.csv"
        write_text(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text(OLD, encoding="utf-8")
        kept.chmod(0o600)
        write_text(kept, "y")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_a_symbolic_link_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_a_missing_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_text(tmp_path / "missing" / "r.csv", "x")
    assert list(tmp_path.iterdir()) == []


CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    from emurules.report.files import atomic_path

    if sys.argv[2] == "handler":
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    with atomic_path(Path(sys.argv[1])) as temporary:
        with temporary.open("w") as file:
            file.write("half of a new report")
            file.flush()
            print("writing", flush=True)
            time.sleep(60)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("how", "sig", "cleaned"),
    [("handler", signal.SIGTERM, True), ("none", signal.SIGKILL, False)],
)
def test_a_killed_run_leaves_the_old_report(
    tmp_path: Path, how: str, sig: signal.Signals, cleaned: bool
) -> None:
    out = tmp_path / "r.csv"
    out.write_text(OLD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), how],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    assert len(leftovers(tmp_path)) == 1
    child.send_signal(sig)
    assert child.wait(timeout=30) == (143 if cleaned else -signal.SIGKILL)
    child.stdout.close()
    assert out.read_text(encoding="utf-8") == OLD
    assert (leftovers(tmp_path) == []) is cleaned


def test_a_long_name_still_has_room_for_its_temporary_file(tmp_path: Path) -> None:
    from emurules.report.files import write_text

    target = tmp_path / ("r" * 250)
    write_text(target, "done")
    assert target.read_text(encoding="utf-8") == "done"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
