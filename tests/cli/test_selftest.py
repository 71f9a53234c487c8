"""`khoi-desktop --selftest`: the installed copy checks itself in a temporary folder and says so in Vietnamese."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from khoi_desktop import selftest
from khoi_desktop.core.paths import HOME_ENV

STEPS = ["Cơ sở dữ liệu", "Cài đặt cơ quan", "Quyết định", "Tệp PDF", "Sao lưu", "Mô-đun", "Giao diện Qt"]


def test_selftest_command_passes_and_reports_each_step(_isolated_home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "khoi_desktop", "--selftest"], capture_output=True,
                            encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Tự kiểm tra khoi-desktop ")
    for step in STEPS:
        assert any(line.startswith(f"  [đạt] {step}: ") for line in lines), step
    assert "số 01-QĐ/ĐUK" in result.stdout
    assert "nhúng phông LiberationSerif" in result.stdout
    assert lines[-1] == f"Tự kiểm tra đạt: {len(STEPS)}/{len(STEPS)} bước."
    assert not list(_isolated_home.glob("*.db")), "the data folder holds no database: the test used a temp folder"
    log = (_isolated_home / "logs" / "khoi-desktop.log").read_text(encoding="utf-8")
    assert "Tự kiểm tra đạt" in log


def test_a_failing_step_stops_with_its_reason_and_exit_1() -> None:
    def broken(_ctx: selftest.Context) -> str:
        raise selftest.SelftestFailure("PDF không nhúng phông LiberationSerif")

    def unexpected(_ctx: selftest.Context) -> str:
        raise RuntimeError("đĩa đầy")

    out = io.StringIO()
    steps = [("Cơ sở dữ liệu", selftest.check_database), ("Tệp PDF", broken), ("Sau đó", broken)]
    assert selftest.run_selftest(out, steps=steps) == selftest.EXIT_FAILED
    text = out.getvalue()
    assert "  [đạt] Cơ sở dữ liệu" in text
    assert "  [LỖI] Tệp PDF: PDF không nhúng phông LiberationSerif" in text
    assert "Sau đó" not in text
    assert text.splitlines()[-1] == "Tự kiểm tra KHÔNG ĐẠT ở bước «Tệp PDF»."
    out = io.StringIO()
    assert selftest.run_selftest(out, steps=[("Ổ đĩa", unexpected)]) == selftest.EXIT_FAILED
    assert "  [LỖI] Ổ đĩa: RuntimeError: đĩa đầy" in out.getvalue()


def test_windowed_build_without_stdout_runs_the_selftest(tmp_path: Path) -> None:
    """A windowed build has sys.stdout/sys.stderr = None: nothing may print, the log has the report."""
    home = tmp_path / "home"
    code = ("import sys; sys.stdout = None; sys.stderr = None\n"
            "from khoi_desktop.__main__ import main\n"
            "codes = [main(['--selftest']), main(['--version']), main(['--help']), main(['khong-co-lenh'])]\n"
            "open(sys.argv[1], 'w').write(' '.join(map(str, codes)))\n")
    result_file = tmp_path / "codes.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", HOME_ENV: str(home)}
    result = subprocess.run([sys.executable, "-c", code, str(result_file)], capture_output=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result_file.read_text() == "0 0 0 2"
    assert "Tự kiểm tra đạt" in (home / "logs" / "khoi-desktop.log").read_text(encoding="utf-8")


def test_windowed_build_logs_errors_nobody_would_see(tmp_path: Path) -> None:
    """Without stderr an uncaught error (main code, a Qt slot, a thread) must still reach the log file."""
    home = tmp_path / "home"
    code = ("import sys, threading; sys.stdout = None; sys.stderr = None\n"
            "from khoi_desktop.__main__ import main\n"
            "main(['--version'])\n"
            "thread = threading.Thread(target=lambda: [][1], name='nen'); thread.start(); thread.join()\n"
            "1 / 0\n")
    env = {**os.environ, HOME_ENV: str(home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert result.returncode == 1 and result.stderr == b""
    log = (home / "logs" / "khoi-desktop.log").read_text(encoding="utf-8")
    assert "uncaught exception in thread nen" in log and "IndexError" in log
    assert "CRITICAL khoi_desktop: uncaught exception" in log and "ZeroDivisionError: division by zero" in log


def test_pdf_fonts_reads_embedded_subsets() -> None:
    pdf = (b"%PDF-1.4\n<< /Type /FontDescriptor /FontName /AAAAAA+LiberationSerif-Bold /FontFile2 5 0 R >>\n"
           b"<< /FontName /BBBBBB+LiberationSerif >>")
    assert selftest.pdf_fonts(pdf) == {"LiberationSerif", "LiberationSerif-Bold"}
    assert selftest.pdf_fonts(b"%PDF-1.4\n<< /FontName /Helvetica >>") == set(), "not embedded"
